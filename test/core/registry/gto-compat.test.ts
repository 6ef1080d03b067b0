import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRegistry } from '../../../src/core/registry/state.js';
import {
  gtoHistoryJson,
  gtoShowJson,
  gtoStages,
  registryHistory,
} from '../../../src/core/report/registry.js';
import { readTags } from '../../../src/io/git-tags.js';
import { runCli } from '../../helpers/cli.js';
import { temporaryFolder } from '../../helpers/registry.js';

const fixture = (name: string) => join(import.meta.dirname, '../../fixtures/gto', name);
const json = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as unknown;

/** A clone of iterative/example-gto-frozen with its GTO-written tags (see test/fixtures/gto/README.md). */
function exampleGtoFrozen(): string {
  const root = temporaryFolder('modelgate-gto-', 'file');
  execFileSync('git', ['clone', '--quiet', fixture('example-gto-frozen.bundle'), root]);
  execFileSync('git', ['fetch', '--quiet', 'origin', 'refs/tags/*:refs/tags/*'], { cwd: root });
  return root;
}

describe('a registry GTO wrote (iterative/example-gto-frozen)', () => {
  const root = exampleGtoFrozen();

  it('reads the state `gto show --json` reports, in GTO test suite words', async () => {
    const registry = readRegistry(await readTags(root));
    const models = [...registry.values()];
    expect(gtoShowJson(models, gtoStages(models))).toEqual(json('example-gto-frozen.show.json'));
  });

  it('prints it with `modelgate show --format gto`', async () => {
    const { code, stdout } = await runCli('show', '--root', root, '--format', 'gto');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(json('example-gto-frozen.show.json'));
  });

  it('lists the history `gto history --json` lists, newest first', async () => {
    const { code, stdout } = await runCli('history', '--root', root, '--format', 'gto');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(json('example-gto-frozen.history.json'));
    const churn = await runCli('history', 'churn', '--root', root, '--format', 'gto');
    expect(JSON.parse(churn.stdout)).toEqual(json('example-gto-frozen.history-churn.json'));
  });

  it('keeps a deprecated model and a deregistered version out of the way, and a withdrawn stage empty', async () => {
    const registry = readRegistry(await readTags(root));
    expect(registry.get('deprecated-model')!.deprecated?.tag).toBe('deprecated-model@deprecated');
    const modelA = registry.get('model-a')!;
    expect(modelA.versions.map((v) => [v.version, v.deregistered])).toEqual([
      ['0.0.1', false],
      ['0.0.2', false],
      ['0.0.3', true],
    ]);
    expect(modelA.stages.map((s) => `${s.stage}=${s.version}`)).toEqual(['dev=0.0.2']);
    expect(modelA.lastNumber).toBe(3);
    const history = registryHistory([modelA], { ascending: true }).map((e) => e.tag);
    expect(history).toEqual([
      'model-a@v0.0.1',
      'model-a#prod#1',
      'model-a@v0.0.2',
      'model-a#dev#2',
      'model-a@v0.0.3',
      'model-a@v0.0.3!',
      'model-a#prod!#3',
    ]);
    expect(gtoHistoryJson(registryHistory([modelA])).length).toBe(7);
  });
});

interface EdgeSpec {
  commits: string[];
  tags: [name: string, commit: number, seconds: number, offset: string, lightweight?: boolean][];
}
interface GtoAnswers {
  show: unknown;
  show_deprecated: unknown;
  history: unknown;
  versions: Record<string, { version: string; stages: string[]; is_active: boolean }[]>;
}

/** The edge-case registry of test/fixtures/gto/edge-registry.tags.json, with fixed dates so its commits match GTO's run. */
function edgeRegistry(): string {
  const spec = json('edge-registry.tags.json') as EdgeSpec;
  const root = temporaryFolder('modelgate-gto-edge-', 'file');
  const who = { NAME: 'GTO Tester', EMAIL: 'gtotester@example.com' };
  const env = (date?: string) => ({
    ...process.env,
    GIT_AUTHOR_NAME: who.NAME,
    GIT_AUTHOR_EMAIL: who.EMAIL,
    GIT_COMMITTER_NAME: who.NAME,
    GIT_COMMITTER_EMAIL: who.EMAIL,
    ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
  });
  const git = (args: string[], date?: string) =>
    execFileSync('git', ['-C', root, ...args], { env: env(date) })
      .toString()
      .trim();
  git(['init', '-q', '-b', 'main']);
  const commits = spec.commits.map((text, i) => {
    execFileSync('sh', ['-c', `printf '%s\\n' "$1" > model.txt`, 'sh', text], { cwd: root });
    git(['add', 'model.txt']);
    git(['commit', '-q', '-m', text], `${1_690_000_000 + i} +0000`);
    return git(['rev-parse', 'HEAD']);
  });
  for (const [name, commit, seconds, offset, lightweight] of spec.tags) {
    if (lightweight) git(['tag', name, commits[commit]!]);
    else git(['tag', '-a', name, '-m', `tag ${name}`, commits[commit]!], `${seconds} ${offset}`);
  }
  return root;
}

describe("GTO's registry state at its edges (answers computed by GTO's own code)", () => {
  const root = edgeRegistry();
  const gto = json('edge-registry.gto.json') as GtoAnswers;

  it('agrees with `gto show --json`: ties in a second, withdrawals and deregistrations hand a stage back, re-registration, folders, capitals, build metadata', async () => {
    const models = [...readRegistry(await readTags(root)).values()];
    expect(gtoShowJson(models, gtoStages(models))).toEqual(gto.show);
    expect(gtoShowJson(models, gtoStages(models), { deprecated: true })).toEqual(gto.show_deprecated);
  });

  it('agrees with `gto history --json`, event for event', async () => {
    const models = [...readRegistry(await readTags(root)).values()];
    expect(gtoHistoryJson(registryHistory(models))).toEqual(gto.history);
  });

  it('agrees with `gto show NAME` on each version and the stages it holds', async () => {
    const registry = readRegistry(await readTags(root));
    for (const [name, versions] of Object.entries(gto.versions)) {
      const model = registry.get(name)!;
      const ours = [
        ...model.versions
          .filter((v) => !v.deregistered)
          .toReversed()
          .map((v) => [`v${v.version}`, v.stages]),
        ...model.commitVersions.toReversed().map((v) => [v.version, v.stages]),
      ];
      // GTO leaves a deprecated model's versions out of `gto show NAME`.
      const expected = model.deprecated ? [] : versions.map((v) => [v.version, v.stages]);
      expect(model.deprecated ? [] : ours, name).toEqual(expected);
    }
  });

  it('counts the next counter past every tag of the model, lightweight and numbered registrations included', async () => {
    const registry = readRegistry(await readTags(root));
    expect(registry.get('light')!.lastNumber).toBe(9);
    expect(registry.get('nn')!.lastNumber).toBe(4);
    expect(registry.get('dep')!.lastNumber).toBe(2);
    expect(registry.get('zz')!.lastNumber).toBe(7);
    expect(
      registry
        .get('light')!
        .ignored.map((i) => i.tag)
        .sort(),
    ).toEqual(['light#dev#9', 'light@v1.0.0']);
  });
});
