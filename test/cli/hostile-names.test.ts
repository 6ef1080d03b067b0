import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

const MANIFEST = 'models/gpt2/model.yaml';
/** A stack frame (`at fn (file:line:col)`) or the CLI's words for a bug. */
const NO_STACK = /\n\s+at .*:\d+:\d+|internal error/;

function edit(registry: TempRegistry, change: (manifest: Record<string, any>) => void) {
  const manifest = parse(registry.read(MANIFEST)) as Record<string, any>;
  change(manifest);
  registry.write(MANIFEST, stringify(manifest));
}

/** gpt2 1.0.0 committed; the working tree then changes its manifest with `change`. */
function changedTo(change: (manifest: Record<string, any>) => void) {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2');
  const base = registry.commit('gpt2 1.0.0');
  edit(registry, change);
  return { registry, base };
}

async function schemaMessages(root: string, ...extra: string[]) {
  const { code, stdout, stderr } = await runCli('validate', '--root', root, '--format', 'json', ...extra);
  expect(stderr).not.toMatch(NO_STACK);
  const report = JSON.parse(stdout);
  return {
    code,
    messages: report.findings
      .filter((f: { rule: string }) => f.rule === 'MANIFEST-SCHEMA')
      .map((f: { message: string }) => f.message),
  };
}

describe('versions semver cannot hold are findings, never a crash', () => {
  it('reports a major version past 2^53 with --base (it crashed comparing versions)', async () => {
    const { registry, base } = changedTo((m) => (m.version = '99999999999999999999.0.0'));
    expect(await schemaMessages(registry.root, '--base', base)).toEqual({
      code: 1,
      messages: [
        'models/gpt2/model.yaml: version: major, minor and patch must each be at most 9007199254740991',
      ],
    });
  });

  it("reports a 300-character prerelease with --base (semver's 256-character limit)", async () => {
    const { registry, base } = changedTo((m) => (m.version = `1.0.1-${'a'.repeat(300)}`));
    expect(await schemaMessages(registry.root, '--base', base)).toEqual({
      code: 1,
      messages: ["models/gpt2/model.yaml: version: at most 256 characters (semver's limit)"],
    });
  });

  it('reports a version whose release tag git could not write, before anyone tries to release it', async () => {
    const { registry } = changedTo((m) => (m.version = `1.0.1-${'a'.repeat(245)}`));
    expect(await schemaMessages(registry.root)).toEqual({
      code: 1,
      messages: [
        `models/gpt2/model.yaml: version: the tag gpt2@v1.0.1-${'a'.repeat(48)}… has a part of 257 bytes; git allows 250: shorten the version or the name`,
      ],
    });
  });
});

describe('a name that validates is a name that releases', () => {
  it('refuses a name with "//" in validate, and release says so instead of crashing in git', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2', { name: 'team//gpt2' });
    const base = registry.commit('empty');
    expect(await schemaMessages(registry.root)).toEqual({
      code: 1,
      messages: [
        'models/team/gpt2/model.yaml: name: no "//": git refuses tag names with an empty path segment',
      ],
    });
    registry.write('models/team/gpt2/README.md', 'a change');
    registry.commit('touch');
    const release = await runCli('release', '--root', registry.root, '--base', base);
    expect(release.code).toBe(1);
    expect(release.stderr).toContain('modelgate: nothing was released; fix these first:');
    expect(release.stderr).toContain('no "//": git refuses tag names with an empty path segment');
    expect(release.stderr).not.toMatch(NO_STACK);
    expect(registry.git('tag', '--list')).toBe('');
  });

  it('refuses a name longer than 100 characters', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2', { name: 'm'.repeat(101) });
    const { code, messages } = await schemaMessages(registry.root);
    expect(code).toBe(1);
    expect(messages).toEqual([`models/${'m'.repeat(101)}/model.yaml: name: at most 100 characters`]);
  });

  it('releases a version with build metadata and reads its tag back (the tag parser used to ignore it)', async () => {
    const { registry, base } = changedTo((m) => (m.version = '1.1.0+build.5'));
    const after = registry.commit('gpt2 1.1.0+build.5');
    const first = await runCli('release', '--root', registry.root, '--base', base);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`+ done     tag gpt2@v1.1.0+build.5 on ${after.slice(0, 12)}`);
    expect((await runCli('show', '--root', registry.root)).stdout).toBe(
      'gpt2  latest 1.1.0+build.5  canary 1.1.0+build.5\n',
    );
    const again = await runCli('release', '--root', registry.root, '--base', base);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('= exists   tag gpt2@v1.1.0+build.5');
    expect(registry.git('tag', '--list').split('\n')).toEqual(['gpt2#canary#1', 'gpt2@v1.1.0+build.5']);
  });
});

describe('hostile tag counters are ignored with a warning', () => {
  /** gpt2 1.0.0 released and in canary, plus a pushed tag with a counter no number holds exactly. */
  function withHostileCounter() {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    const v1 = registry.commit('gpt2 1.0.0');
    registry.tag('gpt2@v1.0.0', { date: 1_760_000_000 });
    registry.tag('gpt2#canary#1', { commit: v1, date: 1_760_000_001 });
    registry.tag('gpt2#canary#999999999999999999999999', { commit: v1, date: 1_760_000_002 });
    return { registry, v1 };
  }
  const WARNING =
    'modelgate: warning: ignored the tag gpt2#canary#999999999999999999999999: counter 999999999999999999999999 is larger than 9007199254740990, the largest modelgate can count on from\n';

  it('deprecate counts on from the real counter, and a second run says it is done (it wrote #1e+24, then crashed)', async () => {
    const { registry, v1 } = withHostileCounter();
    const first = await runCli('deprecate', 'gpt2', '1.0.0', 'canary', '--root', registry.root);
    expect(first).toEqual({
      code: 0,
      stdout: `created gpt2#canary!#2 on ${v1.slice(0, 12)}\npush it with: git push origin gpt2#canary!#2\n`,
      stderr: WARNING,
    });
    const again = await runCli('deprecate', 'gpt2', '1.0.0', 'canary', '--root', registry.root);
    expect(again).toEqual({
      code: 2,
      stdout: '',
      stderr: `${WARNING}modelgate: gpt2 1.0.0 is not in canary (it is in: no stage)\n`,
    });
  });

  it('promote writes the next counter in digits', async () => {
    const { registry } = withHostileCounter();
    const { code, stdout, stderr } = await runCli(
      'promote',
      'gpt2',
      '1.0.0',
      'production',
      '--root',
      registry.root,
    );
    expect(code).toBe(0);
    expect(stderr).toBe(WARNING);
    expect(stdout).toContain('created gpt2#production#2');
  });

  it('show and history still read the registry, and say what they ignored', async () => {
    const { registry } = withHostileCounter();
    const show = await runCli('show', '--root', registry.root);
    expect(show).toEqual({ code: 0, stdout: 'gpt2  latest 1.0.0  canary 1.0.0\n', stderr: WARNING });
    const history = await runCli('history', '--root', registry.root, '--format', 'json');
    expect(history.code).toBe(0);
    expect(JSON.parse(history.stdout).events).toHaveLength(2);
  });
});
