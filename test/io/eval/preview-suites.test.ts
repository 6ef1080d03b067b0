import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { GitHubContentsSource } from '../../../src/app/github-source.js';
import { judgePreviewSuites } from '../../../src/core/blue-green/suites.js';
import { runPreviewSuites } from '../../../src/io/eval/preview-suites.js';
import { FileSystemSource } from '../../../src/io/fs-source.js';
import { createOctokit } from '../../../src/io/github/octokit.js';
import { FakeGitHub } from '../../helpers/fake-github.js';
import { FakeLlm } from '../../helpers/fake-llm.js';
import { TempRegistry } from '../../helpers/registry.js';

const MANIFEST = 'models/support-bot/model.yaml';
// 60 arithmetic questions; the answer is the sum.
const QUESTIONS = Array.from({ length: 60 }, (_, i) => ({ id: `q${i}`, a: 3 + i, b: 7 * i }));
const lines = (questions: typeof QUESTIONS) =>
  questions
    .map((q) =>
      JSON.stringify({
        id: q.id,
        prompt: `What is ${q.a} + ${q.b}? Answer with the number only.`,
        expected: String(q.a + q.b),
      }),
    )
    .join('\n');
const dataset = lines(QUESTIONS);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const DATASET = 'models/support-bot/evals/smoke.jsonl';
/** Production's dataset, as committed at support-bot@v1.2.0. */
const PRODUCTION_DATASET = `${dataset}\n`;
/** The release's edit: the 20 hardest-for-it questions (a < 23) dropped. */
const EASIER_DATASET = `${lines(QUESTIONS.filter((q) => q.a >= 23))}\n`;
/** A suite production does not declare, new in 1.3.0. */
const NEW_DATASET = `${lines(QUESTIONS.slice(30, 40))}\n`;
/** Answers every question right except those `wrong` says. */
const arithmetic = (wrong: (a: number) => boolean) => (prompt: string) => {
  const [, a = '0', b = '0'] = /What is (\d+) \+ (\d+)/.exec(prompt) ?? [];
  return wrong(Number(a)) ? String(Number(a) + Number(b) + 1) : String(Number(a) + Number(b));
};
const SMOKE = { name: 'smoke', dataset: 'evals/smoke.jsonl', scorer: 'exact_match' };
const manifest = (version: string, gates: object[], suites: object[] = [SMOKE]) => ({
  apiVersion: 'modelgate.dev/v1',
  kind: 'Model',
  name: 'support-bot',
  version,
  artifacts: { config: 'config.json', tokenizer: 'tokenizer.json', weights: [] },
  eval: {
    results: [{ path: 'evals/smoke-1.2.0.json' }],
    suites,
    gates,
  },
});

describe('the pre-switch suites, run against the preview endpoint', () => {
  let registry: TempRegistry;
  let github: FakeGitHub;
  const llms: FakeLlm[] = [];
  const at = (ref: string) =>
    new GitHubContentsSource(
      createOctokit('ghs_installation', () => {}, {
        GITHUB_API_URL: github.url,
        MODELGATE_TEST_FAST_GITHUB: '1',
      }),
      { owner: 'acme', repo: 'models' },
      ref,
    );
  const preview = async (wrong: (a: number) => boolean) => {
    const llm = await FakeLlm.start({ answer: arithmetic(wrong) });
    llms.push(llm);
    return llm;
  };

  beforeAll(async () => {
    registry = TempRegistry.create('file');
    // Production 1.2.0 got 57 of 60 right (q0..q2 wrong), as its committed runner results say.
    registry.write(DATASET, PRODUCTION_DATASET);
    registry.write('models/support-bot/evals/smoke-1.2.0.json', {
      format: 'modelgate-eval/v1',
      suite: 'smoke',
      model: 'support-bot',
      version: '1.2.0',
      dataset: { path: DATASET, sha256: sha256(PRODUCTION_DATASET) },
      summary: { accuracy: 57 / 60, n: 60, errors: 0 },
      samples: QUESTIONS.map((q, i) => ({ id: q.id, score: i < 3 ? 0 : 1, output: '', latency_ms: 10 })),
    });
    registry.write(
      MANIFEST,
      stringify(manifest('1.2.0', [{ metric: 'smoke/accuracy', min: 0.8, max_drop: 0.05 }])),
    );
    registry.commit('support-bot 1.2.0');
    registry.tag('support-bot@v1.2.0');
    // The release loosens its own gate and makes its own test easier: the preview must still be
    // judged by production's gates, on production's dataset. It also adds a suite of its own.
    registry.write(DATASET, EASIER_DATASET);
    registry.write('models/support-bot/evals/smoke-v2.jsonl', NEW_DATASET);
    registry.write(
      MANIFEST,
      stringify(
        manifest(
          '1.3.0',
          [{ metric: 'smoke/accuracy', min: 0.1, max_drop: 0.9 }],
          [SMOKE, { name: 'smoke-v2', dataset: 'evals/smoke-v2.jsonl', scorer: 'exact_match' }],
        ),
      ),
    );
    registry.commit('support-bot 1.3.0');
    registry.tag('support-bot@v1.3.0');
    github = await FakeGitHub.start();
    github.localRepo = registry.root;
  });
  afterAll(async () => {
    await github.close();
    await Promise.all(llms.map((l) => l.close()));
  });

  it("passes a preview as good as production, judged by production's gates against its recorded results", async () => {
    const llm = await preview((a) => a < 6);
    const log: string[] = [];
    const evidence = await runPreviewSuites({
      release: { source: at('support-bot@v1.3.0'), manifestFile: MANIFEST },
      production: { source: at('support-bot@v1.2.0'), manifestFile: MANIFEST, label: 'production 1.2.0' },
      policy: { pre_switch: { suites: ['smoke'] } },
      endpoint: { baseURL: llm.url },
      progress: (line) => log.push(line),
    });
    expect(llm.requests).toBe(60);
    expect(log).toContain('support-bot 1.3.0 preview: suite smoke, 60 samples');
    expect(log.at(-1)).toBe('support-bot preview smoke: 60/60');
    expect(evidence.gates).toEqual([{ metric: 'smoke/accuracy', min: 0.8, max_drop: 0.05 }]);
    const judged = judgePreviewSuites(evidence, '2026-11-30T10:00:00.000Z');
    expect(judged).toMatchObject({
      verdict: 'pass',
      gatesFrom: "production 1.2.0's manifest",
      baseline: 'production 1.2.0',
      suites: [{ name: 'smoke', accuracy: 0.95, n: 60, errors: 0 }],
      gates: [{ metric: 'smoke/accuracy', verdict: 'pass', candidate: 0.95, baseline: 0.95 }],
    });
  });

  it("fails a worse preview on production's dataset, though the release loosened the gate and dropped the questions it gets wrong", async () => {
    // Wrong on q0..q19: 40 of 60 on production's dataset, 40 of 40 on the release's easier one.
    const llm = await preview((a) => a < 23);
    const log: string[] = [];
    const evidence = await runPreviewSuites({
      release: { source: at('support-bot@v1.3.0'), manifestFile: MANIFEST },
      production: { source: at('support-bot@v1.2.0'), manifestFile: MANIFEST, label: 'production 1.2.0' },
      policy: { pre_switch: { suites: ['smoke'] } },
      endpoint: { baseURL: llm.url },
      progress: (line) => log.push(line),
    });
    expect(llm.requests).toBe(60);
    expect(evidence.suites[0]).toMatchObject({
      name: 'smoke',
      definedBy: 'production 1.2.0',
      measured: { value: 40 / 60, n: 60, dataset: { path: DATASET, sha256: sha256(PRODUCTION_DATASET) } },
    });
    expect(evidence.suites[0]?.note).toBeUndefined();
    expect(log[0]).toMatch(
      /^preview suites: suite smoke is measured as production 1\.2\.0 declares it: this change edits the contents of models\/support-bot\/evals\/smoke\.jsonl \(sha256 [0-9a-f]{12}… here, sha256 [0-9a-f]{12}… at the baseline\)/,
    );
    const judged = judgePreviewSuites(evidence, '2026-11-30T10:00:00.000Z');
    expect(judged.verdict).toBe('fail');
    expect(judged.gates[0]).toMatchObject({
      verdict: 'fail',
      candidate: 40 / 60,
      reason: '0.6667 is below the minimum 0.8',
    });
  });

  it("runs a suite new in the release on the release's own dataset, and the verdict says so", async () => {
    const llm = await preview(() => false);
    const evidence = await runPreviewSuites({
      release: { source: at('support-bot@v1.3.0'), manifestFile: MANIFEST },
      production: { source: at('support-bot@v1.2.0'), manifestFile: MANIFEST, label: 'production 1.2.0' },
      policy: {},
      endpoint: { baseURL: llm.url },
    });
    expect(llm.requests).toBe(70);
    const note =
      "suite smoke-v2 is new in the release (production 1.2.0 does not declare it): it ran on the release's own evals/smoke-v2.jsonl";
    expect(evidence.suites).toMatchObject([
      { name: 'smoke', definedBy: 'production 1.2.0', measured: { value: 1, n: 60 } },
      {
        name: 'smoke-v2',
        note,
        measured: {
          value: 1,
          n: 10,
          dataset: { path: 'models/support-bot/evals/smoke-v2.jsonl', sha256: sha256(NEW_DATASET) },
        },
      },
    ]);
    expect(evidence.suites[1]?.definedBy).toBeUndefined();
    const judged = judgePreviewSuites(evidence, '2026-11-30T10:00:00.000Z');
    // Production's gates judge smoke only: a suite nothing judges is not evidence.
    expect(judged.verdict).toBe('inconclusive');
    expect(judged.reason).toBe(
      `no gate judges suite smoke-v2 (add a gate on smoke-v2/accuracy to eval.gates): a suite nothing judges is not evidence. Note: ${note}`,
    );
  });

  it("finds a drop against production's results inconclusive when they do not record the sha256 of the dataset they ran", async () => {
    const old = TempRegistry.create('file');
    old.write(DATASET, PRODUCTION_DATASET);
    old.write('models/support-bot/evals/smoke-1.2.0.json', {
      format: 'modelgate-eval/v1',
      suite: 'smoke',
      model: 'support-bot',
      version: '1.2.0',
      summary: { accuracy: 57 / 60, n: 60, errors: 0 },
      samples: QUESTIONS.map((q, i) => ({ id: q.id, score: i < 3 ? 0 : 1, output: '', latency_ms: 10 })),
    });
    old.write(MANIFEST, stringify(manifest('1.2.0', [{ metric: 'smoke/accuracy', max_drop: 0.05 }])));
    const llm = await preview((a) => a < 6);
    const source = new FileSystemSource(old.root);
    const evidence = await runPreviewSuites({
      release: { source, manifestFile: MANIFEST },
      production: { source, manifestFile: MANIFEST, label: 'production 1.2.0' },
      policy: {},
      endpoint: { baseURL: llm.url },
    });
    const judged = judgePreviewSuites(evidence, '2026-11-30T10:00:00.000Z');
    expect(judged.verdict).toBe('inconclusive');
    expect(judged.gates[0]?.reason).toContain(
      `not like-for-like: models/support-bot/evals/smoke-1.2.0.json does not record the sha256 of the dataset it was measured on, so it cannot be matched with this run's dataset ${DATASET} (sha256 ${sha256(PRODUCTION_DATASET).slice(0, 12)}…)`,
    );
  });

  it("sends nothing when production's manifest cannot be read: it decides which dataset runs", async () => {
    const llm = await preview(() => false);
    const evidence = await runPreviewSuites({
      release: { source: at('support-bot@v1.3.0'), manifestFile: MANIFEST },
      production: { source: at('support-bot@v9.9.9'), manifestFile: MANIFEST, label: 'production 9.9.9' },
      policy: {},
      endpoint: { baseURL: llm.url },
    });
    expect(llm.requests).toBe(0);
    expect(evidence.suites).toHaveLength(1);
    expect(evidence.suites[0]?.name).toBe('(production)');
    expect(evidence.suites[0]?.notRun).toMatch(
      /^not run: production's manifest models\/support-bot\/model\.yaml cannot be read at /,
    );
    expect(judgePreviewSuites(evidence, 'x').verdict).toBe('fail');
  });

  it('does not run (and so fails) a suite whose preview does not answer, one not in eval.suites, and a dataset outside the repository', async () => {
    const down = await runPreviewSuites({
      release: { source: at('support-bot@v1.3.0'), manifestFile: MANIFEST },
      policy: { pre_switch: { suites: ['smoke', 'safety'] } },
      endpoint: { baseURL: 'http://127.0.0.1:9/v1' },
      retries: 0,
      timeoutSeconds: 5,
    });
    expect(down.gatesFrom).toBe("the release's manifest (no version in production)");
    expect(down.suites).toEqual([
      {
        // No version in production: the release's own (easier) dataset, 40 questions.
        name: 'smoke',
        errors: 40,
        notRun: 'not run: every request to the preview failed (Connection error.)',
      },
      { name: 'safety', notRun: `not run: safety is not one of eval.suites of ${MANIFEST}` },
    ]);
    expect(judgePreviewSuites(down, 'x').verdict).toBe('fail');

    const escaping = TempRegistry.create();
    escaping.write(
      MANIFEST,
      stringify({
        ...manifest('1.3.0', []),
        eval: { suites: [{ name: 'smoke', dataset: '../../../secrets.jsonl', scorer: 'exact_match' }] },
      }),
    );
    escaping.write('secrets.jsonl', `${dataset}\n`);
    const outside = await runPreviewSuites({
      release: {
        source: new FileSystemSource(`${escaping.root}/models`),
        manifestFile: 'support-bot/model.yaml',
      },
      policy: {},
      endpoint: { baseURL: 'http://127.0.0.1:9/v1' },
    });
    expect(outside.suites).toEqual([
      { name: 'smoke', notRun: 'not run: dataset ../../../secrets.jsonl points outside the repository' },
    ]);
  });
});
