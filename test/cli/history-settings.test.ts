import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { TempRegistry } from '../helpers/registry.js';
import { temporaryFolder } from '../helpers/registry.js';

// `history` needs no setting, so it loads the settings parser only when there is a
// settings file: these pin that a file that is there is still checked, as by every command.
function registeredOnce() {
  const registry = TempRegistry.create();
  registry.write('README.md', 'models\n').commit('first');
  registry.tag('gpt2@v1.0.0', { date: 1_760_000_000 });
  return registry;
}

describe('modelgate history and the settings file', () => {
  it('reads the history without a settings file', async () => {
    const registry = registeredOnce();
    const { code, stdout } = await runCli('history', '--root', registry.root, '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      events: [
        {
          model: 'gpt2',
          action: 'register',
          version: '1.0.0',
          stage: null,
          tag: 'gpt2@v1.0.0',
          commit: registry.git('rev-parse', 'HEAD'),
          date: '2025-10-09T08:53:20.000Z',
          author: expect.any(String) as string,
        },
      ],
    });
  });

  it('refuses a malformed settings file (exit 2), as every command does', async () => {
    const registry = registeredOnce();
    registry.write('.github/modelgate.yml', 'stages: [canary, canary]\n');
    const { code, stdout, stderr } = await runCli('history', '--root', registry.root);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('.github/modelgate.yml: stages: stages must be unique');
  });

  it('refuses a settings file behind a symlinked .github folder (exit 2), not reading it as absent', async () => {
    const registry = registeredOnce();
    const elsewhere = temporaryFolder('modelgate-elsewhere-');
    writeFileSync(join(elsewhere, 'unrelated.txt'), 'x\n');
    symlinkSync(elsewhere, join(registry.root, '.github'));
    const { code, stderr } = await runCli('history', '--root', registry.root);
    expect(code).toBe(2);
    expect(stderr).toContain('symlinked folder');
  });
});
