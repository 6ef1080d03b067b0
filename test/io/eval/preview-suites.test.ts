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
const dataset = QUESTIONS.map((q) =>
  JSON.stringify({
    id: q.id,
    prompt: `What is ${q.a} + ${q.b}? Answer with the number only.`,
    expected: String(q.a + q.b),
  }),
).join('\n');
/** Answers every question right except those `wrong` says. */
const arithmetic = (wrong: (a: number) => boolean) => (prompt: string) => {
  const [, a = '0', b = '0'] = /What is (\d+) \+ (\d+)/.exec(prompt) ?? [];
  return wrong(Number(a)) ? String(Number(a) + Number(b) + 1) : String(Number(a) + Number(b));
};
const manifest = (version: string, gates: object[]) => ({
  apiVersion: 'modelgate.dev/v1',
  kind: 'Model',
  name: 'support-bot',
  version,
  artifacts: { config: 'config.json', tokenizer: 'tokenizer.json', weights: [] },
  eval: {
    results: [{ path: 'evals/smoke-1.2.0.json' }],
    suites: [{ name: 'smoke', dataset: 'evals/smoke.jsonl', scorer: 'exact_match' }],
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
    registry.write('models/support-bot/evals/smoke.jsonl', `${dataset}\n`);
    registry.write('models/support-bot/evals/smoke-1.2.0.json', {
      format: 'modelgate-eval/v1',
      suite: 'smoke',
      model: 'support-bot',
      version: '1.2.0',
      summary: { accuracy: 57 / 60, n: 60, errors: 0 },
      samples: QUESTIONS.map((q, i) => ({ id: q.id, score: i < 3 ? 0 : 1, output: '', latency_ms: 10 })),
    });
    registry.write(
      MANIFEST,
      stringify(manifest('1.2.0', [{ metric: 'smoke/accuracy', min: 0.8, max_drop: 0.05 }])),
    );
    registry.commit('support-bot 1.2.0');
    registry.tag('support-bot@v1.2.0');
    // The release loosens its own gate: the preview must still be judged by production's.
    registry.write(
      MANIFEST,
      stringify(manifest('1.3.0', [{ metric: 'smoke/accuracy', min: 0.1, max_drop: 0.9 }])),
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
    const lines: string[] = [];
    const evidence = await runPreviewSuites({
      release: { source: at('support-bot@v1.3.0'), manifestFile: MANIFEST },
      production: { source: at('support-bot@v1.2.0'), manifestFile: MANIFEST, label: 'production 1.2.0' },
      policy: {},
      endpoint: { baseURL: llm.url },
      progress: (line) => lines.push(line),
    });
    expect(llm.requests).toBe(60);
    expect(lines[0]).toBe('support-bot 1.3.0 preview: suite smoke, 60 samples');
    expect(lines.at(-1)).toBe('support-bot preview smoke: 60/60');
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

  it("fails a worse preview even though the release's own manifest loosened the gate", async () => {
    const llm = await preview((a) => a < 23);
    const evidence = await runPreviewSuites({
      release: { source: at('support-bot@v1.3.0'), manifestFile: MANIFEST },
      production: { source: at('support-bot@v1.2.0'), manifestFile: MANIFEST, label: 'production 1.2.0' },
      policy: { pre_switch: { suites: ['smoke'] } },
      endpoint: { baseURL: llm.url },
    });
    const judged = judgePreviewSuites(evidence, '2026-11-30T10:00:00.000Z');
    expect(judged.verdict).toBe('fail');
    expect(judged.gates[0]).toMatchObject({
      verdict: 'fail',
      candidate: 40 / 60,
      reason: '0.6667 is below the minimum 0.8',
    });
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
        name: 'smoke',
        errors: 60,
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
