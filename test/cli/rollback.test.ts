import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

const MANIFEST = 'models/gpt2/model.yaml';

/** gpt2 1.0.0 released and promoted to production, then 1.1.0 (longer context, a chat template) released on top. */
function history() {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2');
  const v1 = registry.commit('gpt2 1.0.0');
  registry.tag('gpt2@v1.0.0', { commit: v1, date: 1_760_000_000 });
  registry.tag('gpt2#canary#1', { commit: v1, date: 1_760_000_001 });
  registry.tag('gpt2#production#2', { commit: v1, date: 1_760_000_002 });
  registry.editJson('models/gpt2/config.json', (c) => (c.n_positions = 2048));
  registry.write(
    'models/gpt2/chat_template.jinja',
    '{% for m in messages %}{{ m.content }}{{ eos_token }}{% endfor %}',
  );
  const manifest = parse(registry.read(MANIFEST)) as Record<string, any>;
  manifest.version = '1.1.0';
  manifest.artifacts.chat_template = 'chat_template.jinja';
  registry.write(MANIFEST, stringify(manifest));
  const v2 = registry.commit('gpt2 1.1.0');
  registry.tag('gpt2@v1.1.0', { commit: v2, date: 1_760_000_100 });
  registry.tag('gpt2#canary#3', { commit: v2, date: 1_760_000_101 });
  return { registry, v1, v2 };
}

describe('modelgate rollback', () => {
  it('plans the restore of the last release that reached production, and writes nothing', async () => {
    const { registry, v1 } = history();
    const { code, stdout } = await runCli(
      'rollback',
      'gpt2',
      '--plan',
      '--root',
      registry.root,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      model: 'gpt2',
      from: '1.1.0',
      to: '1.0.0',
      tag: 'gpt2@v1.0.0',
      commit: v1,
      reason: 'the last release before 1.1.0 that reached production',
      applied: false,
      changes: [
        { path: 'models/gpt2/chat_template.jinja', action: 'remove' },
        { path: 'models/gpt2/config.json', action: 'restore' },
        { path: 'models/gpt2/model.yaml', action: 'restore' },
      ],
      kept: [],
    });
    expect(registry.git('status', '--porcelain')).toBe('');
  });

  it('restores the files exactly; validate calls it a restore and release re-deploys without a new version tag', async () => {
    const { registry, v1, v2 } = history();
    const { code, stdout } = await runCli('rollback', 'gpt2', '--root', registry.root);
    expect(code).toBe(0);
    expect(stdout).toContain('restored 3 file(s)');
    expect(existsSync(join(registry.root, 'models/gpt2/chat_template.jinja'))).toBe(false);
    expect(registry.git('diff', '--stat', v1, '--', 'models')).toBe('');

    const validated = JSON.parse(
      (await runCli('validate', '--root', registry.root, '--base', v2, '--format', 'json')).stdout,
    );
    expect(validated.changes).toEqual([
      expect.objectContaining({ status: 'restored', from: '1.1.0', to: '1.0.0' }),
    ]);
    expect(validated.summary.errors).toBe(0);

    registry.commit('Roll back gpt2 to 1.0.0');
    const released = await runCli('release', '--root', registry.root, '--base', v2);
    expect(released.stdout).toContain(`tag gpt2#canary#4 (gpt2 1.0.0 -> canary) on ${v1.slice(0, 12)}`);
    expect(released.stdout).not.toContain('tag gpt2@v');
  });

  it('rolls back to a named version, and refuses one that was never released', async () => {
    const { registry } = history();
    expect(
      JSON.parse(
        (
          await runCli(
            'rollback',
            'gpt2',
            '--to',
            'v1.0.0',
            '--plan',
            '--root',
            registry.root,
            '--format',
            'json',
          )
        ).stdout,
      ).reason,
    ).toBe('asked for 1.0.0');
    const refused = await runCli('rollback', 'gpt2', '--to', '0.9.0', '--root', registry.root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('gpt2 0.9.0 is not a released version (released: 1.0.0, 1.1.0)');
  });

  it('has nothing to roll back to before the first release', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.commit('one');
    registry.tag('gpt2@v1.0.0');
    const { code, stderr } = await runCli('rollback', 'gpt2', '--root', registry.root);
    expect(code).toBe(2);
    expect(stderr).toContain('gpt2 has no released version before 1.0.0');
  });
});
