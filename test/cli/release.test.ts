import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

function bump(
  registry: TempRegistry,
  path: string,
  version: string,
  edit: (m: Record<string, any>) => void = () => {},
) {
  const manifest = parse(registry.read(path)) as Record<string, any>;
  manifest.version = version;
  edit(manifest);
  registry.write(path, stringify(manifest));
}

describe('modelgate release (local)', () => {
  it('tags a new version and assigns it to the first stage, on the merge commit', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    const before = registry.commit('gpt2 1.0.0');
    bump(
      registry,
      'models/gpt2/model.yaml',
      '1.1.0',
      (m) => (m.artifacts.weights = [{ uri: 's3://m/gpt2.safetensors', sha256: 'a'.repeat(64) }]),
    );
    const after = registry.commit('gpt2 1.1.0 (#12)');

    const dry = await runCli('release', '--root', registry.root, '--base', before, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout.split('\n').filter(Boolean)).toEqual([
      `+ plan     tag gpt2@v1.1.0 on ${after.slice(0, 12)}`,
      '+ plan     GitHub Release "gpt2 1.1.0"',
      `+ plan     tag gpt2#canary#1 (gpt2 1.1.0 -> canary) on ${after.slice(0, 12)}`,
      '+ plan     deployment: Deploy gpt2 1.1.0 to canary at 5%',
    ]);
    expect(registry.git('tag', '--list')).toBe('');

    const applied = await runCli('release', '--root', registry.root, '--base', before);
    expect(applied.code).toBe(0);
    expect(registry.git('tag', '--list').split('\n')).toEqual(['gpt2#canary#1', 'gpt2@v1.1.0']);
    expect(registry.git('rev-list', '-n', '1', 'gpt2@v1.1.0')).toBe(after);
    const message = registry.git('tag', '-l', '--format=%(contents)', 'gpt2@v1.1.0');
    expect(message).toContain('Release gpt2 1.1.0');
    expect(message).toMatch(/Manifest: models\/gpt2\/model.yaml sha256:[0-9a-f]{64}/);
    expect(message).toContain(`Trigger: ${after}`);

    const again = await runCli('release', '--root', registry.root, '--base', before);
    expect(again.stdout).toContain('= exists   tag gpt2@v1.1.0');
    expect(again.stdout).toContain('= exists   tag gpt2#canary#1');
    expect(registry.git('tag', '--list').split('\n')).toHaveLength(2);
  });

  it('a merge that restores a released version creates only a new assignment, on the original commit', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    const v1 = registry.commit('gpt2 1.0.0');
    registry.tag('gpt2@v1.0.0', { date: 1_760_000_000 });
    registry.tag('gpt2#canary#1', { commit: v1, date: 1_760_000_001 });
    bump(registry, 'models/gpt2/model.yaml', '1.1.0', (m) => (m.description = 'worse'));
    const v2 = registry.commit('gpt2 1.1.0');
    registry.tag('gpt2@v1.1.0', { date: 1_760_000_100 });
    registry.tag('gpt2#canary#2', { commit: v2, date: 1_760_000_101 });
    registry.git('revert', '--no-edit', 'HEAD');
    const revert = registry.git('rev-parse', 'HEAD');

    const { code, stdout } = await runCli('release', '--root', registry.root, '--base', v2);
    expect(code).toBe(0);
    expect(stdout).toContain(`+ done     tag gpt2#canary#3 (gpt2 1.0.0 -> canary) on ${v1.slice(0, 12)}`);
    expect(stdout).not.toContain('gpt2@v1.0.0 on');
    expect(registry.git('tag', '-l', '--format=%(contents)', 'gpt2#canary#3')).toContain(
      `Trigger: ${revert}`,
    );
    expect((await runCli('show', '--root', registry.root)).stdout).toBe('gpt2  latest 1.1.0  canary 1.0.0\n');
  });

  it('releases nothing when a version number is reused with other content', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    const v1 = registry.commit('gpt2 1.0.0');
    registry.tag('gpt2@v1.0.0');
    bump(registry, 'models/gpt2/model.yaml', '1.0.0', (m) => (m.description = 'changed without a bump'));
    registry.commit('sneaky');
    const { code, stderr } = await runCli('release', '--root', registry.root, '--base', v1);
    expect(code).toBe(1);
    expect(stderr).toContain('nothing was released');
    expect(stderr).toContain('VERSION-EXISTS');
    expect(registry.git('tag', '--list')).toBe('gpt2@v1.0.0');
  });

  it('refuses a new version whose tag name a lightweight tag holds, before creating anything', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    const before = registry.commit('gpt2 1.0.0');
    registry.git('tag', 'gpt2@v1.1.0'); // by hand, lightweight: no release
    bump(registry, 'models/gpt2/model.yaml', '1.1.0', (m) => (m.description = 'better'));
    registry.commit('gpt2 1.1.0');

    const { code, stderr } = await runCli('release', '--root', registry.root, '--base', before);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'refused gpt2 1.1.0 (models/gpt2/model.yaml): gpt2 1.1.0 cannot be tagged: the tag gpt2@v1.1.0 exists and is not a release: a lightweight tag (GTO reads annotated tags only)\n' +
        '    fix: Delete it here and on the remote, then release again: git tag -d gpt2@v1.1.0 && git push origin :refs/tags/gpt2@v1.1.0\n',
    );
    expect(registry.git('tag', '--list')).toBe('gpt2@v1.1.0');
  });

  it('says so when no version changed', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    const before = registry.commit('one');
    registry.write('README.md', 'docs');
    registry.commit('docs only');
    const { code, stdout } = await runCli('release', '--root', registry.root, '--base', before);
    expect(code).toBe(0);
    expect(stdout).toBe('Nothing to release: no manifest changed its version.\n');
  });

  it('without --base releases only versions that have no tag yet, and never re-assigns a released one', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    const v1 = registry.commit('gpt2 1.0.0');
    const first = await runCli('release', '--root', registry.root);
    expect(first.code).toBe(0);
    expect(registry.git('tag', '--list').split('\n')).toEqual(['gpt2#canary#1', 'gpt2@v1.0.0']);
    // Re-running on the same commit finishes the same release: nothing new.
    const rerun = await runCli('release', '--root', registry.root);
    expect(rerun.stdout).toContain('= exists   tag gpt2#canary#1');

    registry.write('README.md', 'docs');
    registry.commit('docs only');
    const later = await runCli('release', '--root', registry.root);
    expect(later).toEqual({
      code: 0,
      stdout: 'Nothing to release: no manifest changed its version.\n',
      stderr: '',
    });
    expect(registry.git('tag', '--list').split('\n')).toEqual(['gpt2#canary#1', 'gpt2@v1.0.0']);
    expect(registry.git('rev-list', '-n', '1', 'gpt2#canary#1')).toBe(v1);

    bump(registry, 'models/gpt2/model.yaml', '1.1.0', (m) => (m.description = 'better'));
    const v2 = registry.commit('gpt2 1.1.0');
    const next = await runCli('release', '--root', registry.root);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain(`+ done     tag gpt2@v1.1.0 on ${v2.slice(0, 12)}`);
    expect(next.stdout).toContain(
      `+ done     tag gpt2#canary#2 (gpt2 1.1.0 -> canary) on ${v2.slice(0, 12)}`,
    );
  });

  it('refuses a new version of a deprecated model unless --force, and releases nothing', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    const v1 = registry.commit('gpt2 1.0.0');
    registry.tag('gpt2@v1.0.0', { date: 1_760_000_000 });
    registry.tag('gpt2@deprecated', { date: 1_760_000_100 });
    bump(registry, 'models/gpt2/model.yaml', '1.1.0', (m) => (m.description = 'revived'));
    registry.commit('gpt2 1.1.0');

    const refused = await runCli('release', '--root', registry.root, '--base', v1);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'modelgate: nothing was released; fix these first:\n' +
        '  refused gpt2 1.1.0 (models/gpt2/model.yaml): gpt2 is deprecated (tag gpt2@deprecated), so 1.1.0 is not released\n' +
        '    fix: Release it anyway with --force, or leave the deprecated model unchanged.\n',
    });
    expect(registry.git('tag', '--list').split('\n')).toEqual(['gpt2@deprecated', 'gpt2@v1.0.0']);

    const forced = await runCli('release', '--root', registry.root, '--base', v1, '--force');
    expect(forced.code).toBe(0);
    expect(registry.git('tag', '--list').split('\n')).toEqual([
      'gpt2#canary#1',
      'gpt2@deprecated',
      'gpt2@v1.0.0',
      'gpt2@v1.1.0',
    ]);
  });

  it('says in --help what happens without --base', async () => {
    const { code, stdout } = await runCli('release', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('[--base REF]');
    expect(stdout).toContain('Without --base there is no base commit: every manifest at --head is read and');
    expect(stdout).toContain('A new version of a deprecated model (<model>@deprecated) is refused unless');
  });
});
