import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { switchBack } from '../../src/app/deploy.js';
import { applyGuardStep } from '../../src/app/guard-apply.js';
import type { AppTrust } from '../../src/app/trust.js';
import { readRolloutData } from '../../src/app/rollout-data.js';
import { openRollback, rollbackFiles } from '../../src/app/revert.js';
import { judgePreviewSuites, type PreviewSuiteEvidence } from '../../src/core/blue-green/suites.js';
import { startBlueGreenRecord } from '../../src/core/blue-green/state.js';
import type { CanaryState } from '../../src/core/canary/state.js';
import type { GuardState } from '../../src/core/guard/state.js';
import type { GuardPolicy } from '../../src/core/manifest/guard.js';
import { parseManifest } from '../../src/core/manifest/parse.js';
import { plannerOf } from '../../src/core/rollout/planner.js';
import { createOctokit } from '../../src/io/github/octokit.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { FakeLlm } from '../helpers/fake-llm.js';
import { manifestWith } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

// A model is its name, not its folder. gpt2 1.2.0 was released from
// models/gpt2/; pull request #42 retired the experiment gpt2-chat and moved
// gpt2 into its folder, models/gpt2-chat/, as 1.3.0. Whatever the app reads
// of 1.2.0 (a revert restores it, a blue-green preview is judged by its
// gates) is found at gpt2@v1.2.0 by the model's name: the path 1.3.0 has
// holds nothing there, or the retired model.

const OLD = 'models/gpt2/model.yaml';
const NEW = 'models/gpt2-chat/model.yaml';
const REPO = { owner: 'acme', repo: 'models' };

/** 60 sums; the preview answers the first 15 wrong: 75 % right. */
const QUESTIONS = Array.from({ length: 60 }, (_, i) => ({ id: `q${i}`, a: 3 + i, b: 7 * i }));
const DATASET = `${QUESTIONS.map((q) =>
  JSON.stringify({
    id: q.id,
    prompt: `What is ${q.a} + ${q.b}? Answer with the number only.`,
    expected: String(q.a + q.b),
  }),
).join('\n')}\n`;
const SMOKE = { name: 'smoke', dataset: 'evals/smoke.jsonl', scorer: 'exact_match' };
const answers = (prompt: string) => {
  const [, a = '0', b = '0'] = /What is (\d+) \+ (\d+)/.exec(prompt) ?? [];
  return String(Number(a) + Number(b) + (Number(a) < 18 ? 1 : 0));
};

/** A small model's files in `dir`, with its manifest (`extra` merged in). */
function writeModel(registry: TempRegistry, dir: string, name: string, extra: Record<string, unknown>) {
  registry.write(`${dir}/config.json`, { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
  registry.write(`${dir}/tokenizer.json`, { model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 } } });
  registry.write(`${dir}/generation_config.json`, { temperature: 1.0 });
  registry.write(`${dir}/evals/smoke.jsonl`, DATASET);
  registry.writeManifest(
    `${dir}/model.yaml`,
    manifestWith(
      name,
      { config: 'config.json', tokenizer: 'tokenizer.json', generation_config: 'generation_config.json' },
      {
        rollout: {
          strategy: 'blue_green',
          blue_green: { pre_switch: { duration: '5m' }, post_switch: { duration: '10m', interval: '5m' } },
        },
        canary: {
          steps: [100],
          interval: '5m',
          metrics: [{ name: 'error_rate', query: 'vector(0)', max: 0.05 }],
        },
        ...extra,
      },
    ),
  );
}

/** The provenance a release tag carries, as `modelgate release` writes it (src/core/release/plan.ts). */
const releaseMessage = (registry: TempRegistry, manifest: string, commit = 'HEAD') =>
  `Manifest: ${manifest} sha256:${createHash('sha256')
    .update(registry.git('show', `${commit}:${manifest}`))
    .digest('hex')}\nMerged-by: alice`;

/**
 * gpt2 1.2.0 in models/gpt2/ (`strictGate`: its smoke gate), then 1.3.0
 * moved to models/gpt2-chat/ with a lax gate of its own. `retired`: at 1.2.0
 * models/gpt2-chat/ held the experiment gpt2-chat (0.3.0, a lax gate).
 * `recordManifest`: the release tags carry modelgate release's `Manifest:`
 * line (a tag made by hand does not).
 */
async function movedModel(options: { retired: boolean; recordManifest: boolean }) {
  const registry = TempRegistry.create();
  const eval_ = (min: number) => ({ suites: [SMOKE], gates: [{ metric: 'smoke/accuracy', min }] });
  writeModel(registry, 'models/gpt2', 'gpt2', { version: '1.2.0', eval: eval_(0.9) });
  if (options.retired)
    writeModel(registry, 'models/gpt2-chat', 'gpt2-chat', { version: '0.3.0', eval: eval_(0.5) });
  const v1 = registry.commit('gpt2 1.2.0');
  registry.tag('gpt2@v1.2.0', {
    commit: v1,
    message: options.recordManifest ? releaseMessage(registry, OLD) : 'gpt2 1.2.0',
  });
  registry.remove('models/gpt2-chat');
  registry.git('mv', 'models/gpt2', 'models/gpt2-chat');
  registry.editJson('models/gpt2-chat/generation_config.json', (c) => (c.temperature = 0.7));
  const manifest = parseManifest(registry.read(NEW), NEW).manifest!;
  registry.write(NEW, stringify({ ...manifest, version: '1.3.0', eval: eval_(0.5) }));
  const v2 = registry.commit('gpt2 1.3.0: retire gpt2-chat, gpt2 moves into its folder (#42)');
  registry.tag('gpt2@v1.3.0', {
    commit: v2,
    message: options.recordManifest ? releaseMessage(registry, NEW) : 'gpt2 1.3.0',
  });
  const github = await FakeGitHub.start();
  github.localRepo = registry.root;
  github.seedBranch('main', v2, registry.treeOf(v2));
  const octokit = createOctokit('ghs_installation', () => {}, {
    GITHUB_API_URL: github.url,
    MODELGATE_TEST_FAST_GITHUB: '1',
  });
  /** The blob of `path` at `commit`, as the revert's tree must point at it. */
  const blob = (commit: string, path: string) => registry.git('rev-parse', `${commit}:${path}`);
  return { registry, github, octokit, v1, v2, blob };
}

const failedCanary = {
  model: 'gpt2',
  manifest: NEW,
  from: '1.3.0',
  to: '1.2.0',
  reason: 'the canary of 1.3.0 failed',
};

/** The files the revert commit's tree changes: path -> the blob restored, or null (removed). */
const revertTree = (github: FakeGitHub) => {
  const [tree] = [...github.trees.values()];
  return Object.fromEntries(tree!.tree.map((e) => [e.path, e.sha]));
};

describe('a revert to a release made before the model moved', () => {
  /** gpt2's files, by the name they have in its folder. */
  const FILES = [
    'config.json',
    'evals/smoke.jsonl',
    'generation_config.json',
    'model.yaml',
    'tokenizer.json',
  ];

  it("restores that release's files at their paths and removes the newer release's", async () => {
    const { github, octokit, v1, blob } = await movedModel({ retired: false, recordManifest: true });
    const opened = await openRollback(octokit, REPO, failedCanary);
    // Before: "gpt2@v1.2.0 has no valid manifest at models/gpt2-chat/model.yaml", and no revert at all.
    expect(opened).toMatchObject({ url: 'https://github.com/acme/models/pull/100', created: true });
    expect(revertTree(github)).toEqual({
      ...Object.fromEntries(FILES.map((f) => [`models/gpt2-chat/${f}`, null])),
      ...Object.fromEntries(FILES.map((f) => [`models/gpt2/${f}`, blob(v1, `models/gpt2/${f}`)])),
    });
    expect(github.pullRequests[0]!.body).toContain(
      '| `models/gpt2/model.yaml` | restored from `gpt2@v1.2.0` |',
    );
    expect(github.pullRequests[0]!.body).toContain(
      '| `models/gpt2-chat/model.yaml` | removed (not in `gpt2@v1.2.0`) |',
    );
    expect(github.violations).toEqual([]);
  });

  it('never restores the model that held its new folder then: gpt2 is restored, not the retired gpt2-chat', async () => {
    const { github, octokit, v1, blob } = await movedModel({ retired: true, recordManifest: true });
    await openRollback(octokit, REPO, failedCanary);
    // Before: the manifest at models/gpt2-chat/model.yaml at the tag (gpt2-chat 0.3.0's) was taken for
    // gpt2's, and the revert put gpt2-chat 0.3.0's files back in place of gpt2's.
    expect(revertTree(github)).toEqual({
      ...Object.fromEntries(FILES.map((f) => [`models/gpt2-chat/${f}`, null])),
      ...Object.fromEntries(FILES.map((f) => [`models/gpt2/${f}`, blob(v1, `models/gpt2/${f}`)])),
    });
    expect(github.violations).toEqual([]);
  });

  it('a tag without the Manifest: line, and another model at the path gpt2 has now: no revert; the problem names the tag, the model and the fix', async () => {
    const { github, octokit, v2 } = await movedModel({ retired: true, recordManifest: false });
    const found = await rollbackFiles(octokit, REPO, {
      model: 'gpt2',
      manifest: NEW,
      tag: 'gpt2@v1.2.0',
      version: '1.2.0',
      head: v2,
      globs: ['models/**/model.yaml'],
    });
    expect(found).toEqual({
      problem:
        'gpt2@v1.2.0 has no manifest of gpt2 1.2.0 where the app looks: models/gpt2-chat/model.yaml (the path it has now) is the manifest of gpt2-chat 0.3.0; the tag has no Manifest: line (modelgate release writes one)',
      fix: "Roll back by hand: restore the files of gpt2@v1.2.0 in a pull request (git checkout gpt2@v1.2.0 -- <the model's folder then>), removing the model's files of now.",
    });
    expect(await openRollback(octokit, REPO, failedCanary)).toEqual(found);
    expect(github.trees.size).toBe(0);
    expect(github.pullRequests).toEqual([]);
  });

  it("a path another model holds on the default branch is never taken for the rolled-back model's: refused, naming both", async () => {
    const { github, octokit, registry, v1 } = await movedModel({ retired: true, recordManifest: true });
    registry.tag('gpt2-chat@v0.3.0', { commit: v1, message: releaseMessage(registry, NEW, v1) });
    // A revert of gpt2-chat 0.3.0 planned from its old path (as a failed canary's state names it): gpt2 lives there now.
    const opened = await openRollback(octokit, REPO, {
      model: 'gpt2-chat',
      manifest: NEW,
      from: '0.4.0',
      to: '0.3.0',
      reason: 'the canary of 0.4.0 failed',
    });
    // Before: gpt2's files were taken for gpt2-chat's: removed, and gpt2-chat 0.3.0's written over them.
    expect(opened).toEqual({
      problem: 'models/gpt2-chat/model.yaml on the default branch is the manifest of gpt2, not of gpt2-chat',
      fix: "Roll back with /rollback gpt2-chat, which finds the model's manifest on the default branch by its name.",
    });
    expect(github.trees.size).toBe(0);
  });
});

describe("a blue-green preview is judged by production's gates, found where production's release had them", () => {
  let llm: FakeLlm;
  beforeAll(async () => {
    llm = await FakeLlm.start({ answer: answers });
  });
  afterAll(() => llm?.close());

  /** The preview's pre-switch suites of 1.3.0, with 1.2.0 in production, read and judged as the app does. */
  async function previewJudgment(options: { retired: boolean; recordManifest: boolean }) {
    const moved = await movedModel(options);
    const { registry, github, octokit, v2 } = moved;
    registry.write('.github/modelgate.yml', stringify({ endpoints: { url: llm.url } }));
    const head = registry.commit('endpoints for the preview');
    github.seedBranch('main', head, registry.treeOf(head));
    const manifest = parseManifest(registry.git('show', `gpt2@v1.3.0:${NEW}`), NEW).manifest!;
    const state: CanaryState = {
      v: 1,
      model: 'gpt2',
      version: '1.3.0',
      ref: 'gpt2@v1.3.0',
      sha: v2,
      manifest: NEW,
      trigger: v2,
      pr: 42,
      environment: 'preview',
      productionEnvironment: 'production',
      baselineVersion: '1.2.0',
      deploymentId: 2,
      weight: 0,
      stepStartedAt: '2026-11-22T00:00:00.000Z',
      intervals: [],
      status: 'running',
      checkRunId: 7000,
      strategy: 'blue_green',
      blueGreen: startBlueGreenRecord(2),
    };
    const planner = plannerOf(state, manifest);
    if ('problem' in planner) throw new Error(planner.problem);
    const at = new Date(state.stepStartedAt);
    const data = await readRolloutData(
      state,
      planner,
      { due: at, start: at, end: at, step: 15 },
      { config: {}, octokit, repo: REPO },
    );
    if (data.kind !== 'blue_green' || !data.data.suites) throw new Error('no suites were read');
    const evidence: PreviewSuiteEvidence = data.data.suites;
    return { evidence, judgment: judgePreviewSuites(evidence, state.stepStartedAt), github };
  }

  it("a 75 % preview fails production's gate (min 0.9), though the retired model's gate at the same path (min 0.5) would pass it", async () => {
    const { evidence, judgment, github } = await previewJudgment({ retired: true, recordManifest: true });
    // Before: production's manifest was read at models/gpt2-chat/model.yaml at gpt2@v1.2.0, which is
    // gpt2-chat 0.3.0's; its gate min 0.5 judged the preview, and 75 % passed.
    expect(evidence.gatesFrom).toBe("production 1.2.0's manifest");
    expect(evidence.gates).toEqual([{ metric: 'smoke/accuracy', min: 0.9 }]);
    expect(evidence.suites).toMatchObject([{ name: 'smoke', measured: { value: 0.75, n: 60 } }]);
    expect(judgment.verdict).toBe('fail');
    expect(github.violations).toEqual([]);
  });

  it('the model moved and the tag has no Manifest: line: the suites are not run, and the judgment fails', async () => {
    const requests = llm.requests;
    const { evidence, judgment } = await previewJudgment({ retired: false, recordManifest: false });
    expect(evidence.suites).toEqual([
      {
        name: '(production)',
        notRun:
          "not run: production's manifest cannot be found: gpt2@v1.2.0 has no manifest of gpt2 1.2.0 where the app looks: models/gpt2-chat/model.yaml (the path it has now) is missing; the tag has no Manifest: line (modelgate release writes one). production's gates judge the preview, so nothing passes without them (a release tag made by modelgate release names its manifest in a Manifest: line)",
      },
    ]);
    expect(judgment.verdict).toBe('fail');
    expect(llm.requests).toBe(requests); // nothing was sent to the preview
  });
});

describe('a blue-green switch back to a release made before the model moved', () => {
  it("the production deployment names blue's manifest where blue's release has it", async () => {
    const { github, octokit, v2 } = await movedModel({ retired: true, recordManifest: true });
    const green = {
      v: 1 as const,
      strategy: 'blue_green' as const,
      model: 'gpt2',
      version: '1.3.0',
      ref: 'gpt2@v1.3.0',
      sha: v2,
      manifest: NEW,
      trigger: v2,
      pr: 42,
      environment: 'production',
      productionEnvironment: 'production',
      baselineVersion: '1.2.0',
      deploymentId: 2,
      weight: 100,
      stepStartedAt: '2026-11-22T00:00:00.000Z',
      intervals: [],
      status: 'failed' as const,
      checkRunId: 7000,
    };
    const trust = { warn: () => {} } as unknown as AppTrust;
    await switchBack(octokit, REPO, green, 'green is worse than blue: switched back', trust);
    // Before: it named models/gpt2-chat/model.yaml, which at gpt2@v1.2.0 is gpt2-chat 0.3.0's manifest.
    expect(github.deployments.at(-1)).toMatchObject({
      ref: 'gpt2@v1.2.0',
      environment: 'production',
      payload: { model: 'gpt2', version: '1.2.0', weight: 100, manifest: OLD, role: 'active' },
    });
    expect(github.violations).toEqual([]);
  });
});

describe("the production guard's rollback to a release made before the model moved", () => {
  it("the rollback deployment names the earlier release's manifest where that release has it", async () => {
    const { github, octokit, v2 } = await movedModel({ retired: true, recordManifest: true });
    const guard: GuardState = {
      v: 1,
      model: 'gpt2',
      version: '1.3.0',
      previousVersion: '1.2.0',
      ref: 'gpt2@v1.3.0',
      sha: v2,
      manifest: NEW,
      trigger: v2,
      pr: 42,
      productionEnvironment: 'production',
      productionStage: 'production',
      deploymentId: 2,
      startedAt: '2026-11-22T00:00:00.000Z',
      bakeEndsAt: '2026-11-22T01:00:00.000Z',
      intervals: [],
      failures: 1,
      consecutiveErrors: 0,
      status: 'rolled_back',
    };
    const effect = {
      kind: 'deploy-previous' as const,
      version: '1.2.0',
      environment: 'production',
      description: 'Roll back gpt2 to 1.2.0: the guard failed',
    };
    const trust = { warn: () => {} } as unknown as AppTrust;
    const policy = {} as GuardPolicy;
    const report = 'https://github.com/acme/models/pull/42#issuecomment-1';
    await applyGuardStep(octokit, REPO, guard, [effect], { policy, report, trust, now: new Date() });
    // Before: it named models/gpt2-chat/model.yaml, which at gpt2@v1.2.0 is gpt2-chat 0.3.0's manifest.
    expect(github.deployments.at(-1)).toMatchObject({
      ref: 'gpt2@v1.2.0',
      environment: 'production',
      payload: { model: 'gpt2', version: '1.2.0', weight: 100, manifest: OLD },
    });
    expect(github.violations).toEqual([]);
  });
});
