import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkPromotion } from '../../../src/core/registry/stages.js';
import { readRegistry } from '../../../src/core/registry/state.js';
import { readTags } from '../../../src/io/git-tags.js';
import { TempRegistry } from '../../helpers/registry.js';

let clock = 1_700_000_000;
/** `git tag` a minute after the previous tag: GTO orders by tag date (a tie in one second has its own rules, see gto-compat.test.ts). */
function tagLater(registry: TempRegistry, ...args: string[]) {
  clock += 60;
  execFileSync('git', ['tag', ...args], {
    cwd: registry.root,
    env: { ...process.env, GIT_COMMITTER_DATE: `${clock} +0000` },
  });
}

/** A repository tagged by hand exactly as GTO tags: `gto register`, `gto assign`, `gto deprecate`. */
function gtoHistory() {
  const registry = TempRegistry.create();
  registry.write('README.md', 'v1');
  const c1 = registry.commit('first');
  tagLater(registry, '-a', 'churn@v1.0.0', '-m', 'Registering artifact churn version v1.0.0', c1);
  tagLater(
    registry,
    '-a',
    'churn#dev#1',
    '-m',
    "Assigning stage 'dev' to artifact churn version 'v1.0.0'",
    c1,
  );
  registry.write('README.md', 'v2');
  const c2 = registry.commit('second');
  tagLater(registry, '-a', 'churn@v1.1.0', '-m', 'Registering artifact churn version v1.1.0', c2);
  tagLater(registry, '-a', 'churn#dev#2', '-m', 'assign', c2);
  tagLater(registry, '-a', 'churn#prod#3', '-m', 'assign', c1);
  tagLater(registry, 'release-2024-01', c2); // not a registry tag
  tagLater(registry, '-a', 'other@v0.1.0', '-m', 'other', c2);
  tagLater(registry, '-a', 'other@deprecated', '-m', 'deprecated', c2);
  return { registry, c1, c2 };
}

describe('the registry read from tags', () => {
  it('reads versions, current stages and deprecation from GTO tags, ignoring other tags', async () => {
    const { registry, c1, c2 } = gtoHistory();
    const models = readRegistry(await readTags(registry.root));
    expect([...models.keys()].sort()).toEqual(['churn', 'other']);
    const churn = models.get('churn')!;
    expect(churn.versions.map((v) => [v.version, v.commit, v.stages])).toEqual([
      ['1.0.0', c1, ['prod']],
      ['1.1.0', c2, ['dev']],
    ]);
    expect(churn.stages.map((s) => `${s.stage}=${s.version}`).sort()).toEqual(['dev=1.1.0', 'prod=1.0.0']);
    expect(churn.lastNumber).toBe(3);
    expect(churn.versions[0]!.author).toBe('ML Team');
    expect(models.get('other')!.deprecated?.tag).toBe('other@deprecated');
  });

  it('applies withdrawals and deregistrations', async () => {
    const { registry, c2 } = gtoHistory();
    tagLater(registry, '-a', 'churn#dev!#4', '-m', 'unassign', c2);
    tagLater(registry, '-a', 'churn@v1.1.0!', '-m', 'deregister', c2);
    const churn = readRegistry(await readTags(registry.root)).get('churn')!;
    // GTO: withdrawing 1.1.0 from dev hands dev back to 1.0.0, the previous active assignment.
    expect(churn.stages.map((s) => `${s.stage}=${s.version}`).sort()).toEqual(['dev=1.0.0', 'prod=1.0.0']);
    expect(churn.versions.find((v) => v.version === '1.1.0')!.deregistered).toBe(true);
    expect(churn.lastNumber).toBe(4);
  });

  it('ignores lightweight registry tags, as GTO does, and says so', async () => {
    const registry = TempRegistry.create();
    registry.write('a', 'a');
    const commit = registry.commit('a');
    registry.git('tag', 'light@v1.0.0', commit);
    registry.git('tag', 'light#prod#4', commit);
    const light = readRegistry(await readTags(registry.root)).get('light')!;
    expect(light.versions).toEqual([]);
    expect(light.stages).toEqual([]);
    expect(light.ignored).toEqual([
      { tag: 'light#prod#4', reason: 'a lightweight tag (GTO reads annotated tags only)' },
      { tag: 'light@v1.0.0', reason: 'a lightweight tag (GTO reads annotated tags only)' },
    ]);
    // GTO's next counter still counts it: light#prod#5.
    expect(light.lastNumber).toBe(4);
  });
});

describe('promotion order', () => {
  it('lets a version into production only after canary', async () => {
    const { registry } = gtoHistory();
    const churn = readRegistry(await readTags(registry.root)).get('churn')!;
    const stages = ['dev', 'prod'];
    expect(checkPromotion(churn, '1.1.0', 'prod', stages)).toEqual({ ok: true }); // it was in dev
    expect(checkPromotion(churn, '1.0.0', 'prod', stages)).toMatchObject({
      ok: false,
      reason: 'churn 1.0.0 is already in prod',
    });
    expect(checkPromotion(churn, '1.0.0', 'dev', stages)).toEqual({ ok: true });
    expect(checkPromotion(churn, '2.0.0', 'dev', stages)).toMatchObject({ ok: false, forceable: false });
    expect(checkPromotion(churn, '1.1.0', 'staging', stages)).toMatchObject({ ok: false, forceable: false });
    expect(checkPromotion(churn, '1.1.0', 'prod', ['dev', 'qa', 'prod'])).toMatchObject({
      ok: false,
      forceable: true,
      reason: 'churn 1.1.0 was never in qa, which comes before prod',
    });
  });
});

describe('a version with many stages', () => {
  it('keeps each stage apart past the few a version usually holds, and hands none over twice', async () => {
    const registry = TempRegistry.create();
    registry.write('README.md', 'v1');
    const commit = registry.commit('first');
    tagLater(registry, '-a', 'wide@v1.0.0', '-m', 'register', commit);
    // Twelve stages (past the eight a plain scan serves), each assigned twice; two withdrawn.
    const stages = Array.from({ length: 12 }, (_, i) => `s${i}`);
    let counter = 0;
    for (const round of [1, 2])
      for (const stage of stages)
        tagLater(registry, '-a', `wide#${stage}#${++counter}`, '-m', `${round}`, commit);
    tagLater(registry, '-a', `wide#s3!#${++counter}`, '-m', 'withdraw', commit);
    tagLater(registry, '-a', `wide#s10!#${++counter}`, '-m', 'withdraw', commit);
    const wide = readRegistry(await readTags(registry.root)).get('wide')!;
    const held = stages.filter((s) => s !== 's3' && s !== 's10');
    // As `gto show` lists them: the stage assigned last first; activeStages the one activated first first.
    expect(wide.versions.map((v) => [v.version, v.stages])).toEqual([['1.0.0', held.toReversed()]]);
    expect(wide.versions[0]!.activeStages).toEqual(held);
    // Each stage is held by its second assignment, the newest.
    expect(wide.stages.map((s) => [s.stage, s.tag])).toEqual(
      held.toReversed().map((s) => [s, `wide#${s}#${stages.indexOf(s) + 13}`]),
    );
    expect(wide.events).toHaveLength(1 + 24 + 2);
  });
});
