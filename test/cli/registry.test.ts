import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

/** gpt2 1.0.0 released and in canary, 1.1.0 released after it. */
function releasedTwice() {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2');
  const v1 = registry.commit('gpt2 1.0.0');
  registry.tag('gpt2@v1.0.0', { date: 1_760_000_000 });
  registry.tag('gpt2#canary#1', { commit: v1, date: 1_760_000_100 });
  registry.write(
    'models/gpt2/model.yaml',
    registry.read('models/gpt2/model.yaml').replace('version: 1.0.0', 'version: 1.1.0'),
  );
  const v2 = registry.commit('gpt2 1.1.0');
  registry.tag('gpt2@v1.1.0', { date: 1_760_000_200 });
  return { registry, v1, v2 };
}

describe('modelgate show and history', () => {
  it('shows the latest version and what each stage holds', async () => {
    const { registry } = releasedTwice();
    const { code, stdout } = await runCli('show', '--root', registry.root);
    expect(code).toBe(0);
    expect(stdout).toBe('gpt2  latest 1.1.0  canary 1.0.0\n');
  });

  it('shows every version of one model as JSON', async () => {
    const { registry, v1 } = releasedTwice();
    const { stdout } = await runCli('show', 'gpt2', '--root', registry.root, '--format', 'json');
    const json = JSON.parse(stdout);
    expect(json.models[0]).toMatchObject({
      name: 'gpt2',
      latest: '1.1.0',
      deprecated: null,
      stages: { canary: '1.0.0' },
    });
    expect(json.models[0].versions[0]).toMatchObject({
      version: '1.0.0',
      tag: 'gpt2@v1.0.0',
      commit: v1,
      author: 'ML Team',
      stages: ['canary'],
    });
  });

  it('lists the history, oldest first', async () => {
    const { registry } = releasedTwice();
    const { stdout } = await runCli('history', 'gpt2', '--root', registry.root, '--format', 'json');
    expect(
      JSON.parse(stdout).events.map((e: any) => `${e.action} ${e.version} ${e.stage ?? ''}`.trim()),
    ).toEqual(['register 1.0.0', 'assign 1.0.0 canary', 'register 1.1.0']);
    const text = await runCli('history', '--root', registry.root);
    expect(text.stdout).toContain('2025-10-09 08:55Z  gpt2  1.0.0 -> canary  by ML Team  (gpt2#canary#1)');
  });

  it('names the registered models when asked for an unknown one', async () => {
    const { registry } = releasedTwice();
    const { code, stderr } = await runCli('show', 'llama', '--root', registry.root);
    expect(code).toBe(2);
    expect(stderr).toContain('no model named "llama" is registered (registered: gpt2)');
  });
});

describe('modelgate promote and deprecate', () => {
  it('with no stages configured, promotes to any stage, as GTO does', async () => {
    const { registry, v2 } = releasedTwice();
    const promoted = await runCli('promote', 'gpt2', '1.1.0', 'Staging-EU', '--root', registry.root);
    expect(promoted.code).toBe(0);
    expect(registry.git('rev-list', '-n', '1', 'gpt2#Staging-EU#2')).toBe(v2);
  });

  it('promotes in the configured stage order with GTO counters', async () => {
    const { registry, v1, v2 } = releasedTwice();
    registry.write('.github/modelgate.yml', 'stages: [canary, production]\n');
    const refused = await runCli('promote', 'gpt2', '1.1.0', 'production', '--root', registry.root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('gpt2 1.1.0 was never in canary, which comes before production');

    expect((await runCli('promote', 'gpt2', '1.1.0', 'canary', '--root', registry.root)).stdout).toContain(
      'created gpt2#canary#2',
    );
    expect((await runCli('promote', 'gpt2', '1.1.0', 'production', '--root', registry.root)).code).toBe(0);
    expect(registry.git('rev-list', '-n', '1', 'gpt2#production#3')).toBe(v2);
    expect(registry.git('cat-file', '-t', 'gpt2#production#3')).toBe('tag'); // annotated: who and when
    expect((await runCli('show', '--root', registry.root)).stdout).toBe(
      'gpt2  latest 1.1.0  canary 1.1.0  production 1.1.0\n',
    );

    const forced = await runCli(
      'promote',
      'gpt2',
      'v1.0.0',
      'production',
      '--force',
      '--root',
      registry.root,
    );
    expect(forced.code).toBe(0);
    expect(registry.git('rev-list', '-n', '1', 'gpt2#production#4')).toBe(v1);
  });

  it('refuses an unregistered version even with --force, and writes nothing', async () => {
    const { registry } = releasedTwice();
    const before = registry.git('tag', '--list');
    const { code, stderr } = await runCli(
      'promote',
      'gpt2',
      '9.9.9',
      'canary',
      '--force',
      '--root',
      registry.root,
    );
    expect(code).toBe(2);
    expect(stderr).toContain('gpt2 9.9.9 is not registered (registered: 1.0.0, 1.1.0)');
    expect(registry.git('tag', '--list')).toBe(before);
  });

  it('deprecates a model, deregisters a version and withdraws a stage', async () => {
    const { registry } = releasedTwice();
    // A minute apart: GTO orders by tag date, and a deprecation in the same second as a version's tag does not count.
    const at = async (seconds: number, ...args: string[]) => {
      process.env.GIT_COMMITTER_DATE = `${seconds} +0000`;
      try {
        return await runCli(...args);
      } finally {
        delete process.env.GIT_COMMITTER_DATE;
      }
    };
    expect(
      (await at(1_760_000_300, 'deprecate', 'gpt2', '1.0.0', 'canary', '--root', registry.root)).stdout,
    ).toContain('created gpt2#canary!#2');
    expect(registry.git('tag', '-l', '--format=%(contents)', 'gpt2#canary!#2')).toBe(
      'Withdraw gpt2 1.0.0 from canary',
    );
    expect((await at(1_760_000_360, 'deprecate', 'gpt2', '1.1.0', '--root', registry.root)).stdout).toContain(
      'created gpt2@v1.1.0!',
    );
    expect((await at(1_760_000_420, 'deprecate', 'gpt2', '--root', registry.root)).stdout).toContain(
      'created gpt2@deprecated',
    );
    const json = JSON.parse(
      (await runCli('show', 'gpt2', '--root', registry.root, '--format', 'json')).stdout,
    );
    expect(json.models[0]).toMatchObject({
      latest: '1.0.0',
      stages: {},
      deprecated: { tag: 'gpt2@deprecated' },
    });
    expect((await runCli('deprecate', 'gpt2', '--root', registry.root)).stderr).toContain(
      'gpt2 is already deprecated',
    );
  });

  it('prints a plan with --dry-run and writes nothing', async () => {
    const { registry } = releasedTwice();
    const { stdout } = await runCli(
      'promote',
      'gpt2',
      '1.1.0',
      'canary',
      '--dry-run',
      '--root',
      registry.root,
    );
    expect(stdout).toMatch(/^would create gpt2#canary#2 on [0-9a-f]{12} \(gpt2 1.1.0\)\n$/);
    expect(registry.git('tag', '--list', 'gpt2#canary#2')).toBe('');
  });

  it('needs a git repository', async () => {
    const registry = TempRegistry.create();
    registry.remove('.git');
    const { code, stderr } = await runCli('show', '--root', registry.root);
    expect(code).toBe(2);
    expect(stderr).toContain('is not inside a git repository');
    // The fix names what to do here; `show` has no --base to drop.
    expect(stderr).toContain('Run it in a git clone of the registry');
    expect(stderr).not.toContain('--base');
  });
});
