import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../../helpers/cli.js';
import { FakeLlm } from '../../helpers/fake-llm.js';
import { addRealModel } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';

// A declared suite's metrics count only from its run in this check: a results file the pull request
// commits under the suite's name is a claim, never the measurement (the open question of issue 18).

const MANIFEST = 'models/gpt2/model.yaml';
const QA = { name: 'qa', dataset: 'evals/qa.jsonl', scorer: 'exact_match' };
const DATASET = ['Paris', 'Rome', 'Madrid', 'Berlin']
  .map((city, i) => JSON.stringify({ id: `q${i}`, prompt: `Capital number ${i}?`, expected: city }))
  .join('\n');

/** The endpoint answers "Paris" to everything: one of four right, accuracy 0.25. */
let llm: FakeLlm;
beforeAll(async () => {
  llm = await FakeLlm.start({ answer: () => 'Paris' });
});
afterAll(() => llm.close());

function setEval(registry: TempRegistry, evalBlock: Record<string, unknown>, version: string) {
  const manifest = parse(registry.read(MANIFEST)) as Record<string, any>;
  manifest.version = version;
  manifest.eval = evalBlock;
  registry.write(MANIFEST, stringify(manifest));
}

async function check(registry: TempRegistry, base: string, ...options: string[]) {
  const { code, stdout, stderr } = await runCli(
    'check',
    '--root',
    registry.root,
    '--base',
    base,
    '--format',
    'json',
    ...options,
  );
  expect(stderr).toBe('');
  const report = JSON.parse(stdout);
  return {
    code,
    gates: report.gates[0].gates,
    findings: report.findings.filter((f: any) => f.rule.startsWith('EVAL-')),
  };
}

/**
 * gpt2 1.0.0 on the base ref with the qa suite; the working tree is 1.0.1 with the runner's own
 * results file from an earlier run (against the endpoint, in this test) committed under eval.results.
 */
async function committedRun(candidateEval: (committed: string) => Record<string, unknown>) {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2');
  registry.write('models/gpt2/evals/qa.jsonl', `${DATASET}\n`);
  setEval(registry, { suites: [QA], gates: [{ metric: 'qa/accuracy', min: 0.9 }] }, '1.0.0');
  const base = registry.commit('gpt2 1.0.0 with the qa suite');
  setEval(registry, { suites: [QA], gates: [{ metric: 'qa/accuracy', min: 0.9 }] }, '1.0.1');
  const run = await runCli('gate', '--root', registry.root, '--endpoint', llm.url);
  expect(run.code).toBe(1); // 0.25 < 0.9: the real measurement fails
  // The pull request edits the runner's file to a perfect score and commits it as evidence.
  const written = JSON.parse(registry.read('.modelgate/results/gpt2-1.0.1-qa.json'));
  expect(written).toMatchObject({ format: 'modelgate-eval/v1', suite: 'qa', summary: { accuracy: 0.25 } });
  written.summary.accuracy = 1;
  for (const sample of written.samples) sample.score = 1;
  registry.write('models/gpt2/evals/qa-run.json', `${JSON.stringify(written, null, 2)}\n`);
  setEval(registry, candidateEval('evals/qa-run.json'), '1.0.1');
  registry.commit('gpt2 1.0.1 with its qa results');
  return { registry, base };
}

describe("a declared suite's gate counts only a run of the suite in this check", () => {
  it('with no endpoint, a committed runner file under the suite name does not pass the gate: it is "not run" and fails', async () => {
    const { registry, base } = await committedRun((committed) => ({
      results: [{ path: committed }],
      suites: [QA],
      gates: [{ metric: 'qa/accuracy', min: 0.9 }],
    }));
    const result = await check(registry, base);
    expect(result.code).toBe(1);
    expect(result.gates).toEqual([
      {
        metric: 'qa/accuracy',
        verdict: 'not-run',
        reason:
          "not run: no evaluation endpoint configured; models/gpt2/evals/qa-run.json holds qa/accuracy, but qa is a suite in eval.suites, and a suite's metrics count only from its run in this check",
      },
    ]);
    expect(result.findings).toEqual([
      {
        rule: 'EVAL-GATE',
        severity: 'error',
        model: 'gpt2',
        file: MANIFEST,
        line: expect.any(Number),
        message:
          "gate qa/accuracy did not run: not run: no evaluation endpoint configured; models/gpt2/evals/qa-run.json holds qa/accuracy, but qa is a suite in eval.suites, and a suite's metrics count only from its run in this check",
        fix: "Run the check where the evaluation endpoint and its key are available (--endpoint or MODELGATE_EVAL_BASE_URL; the Action's eval-endpoint). A committed results file cannot stand in for a suite's run; the runner's own file, kept under eval.results, is the next version's baseline.",
      },
    ]);
  });

  it('a plain {"metric": value} file under the suite name does not stand in either', async () => {
    const { registry, base } = await committedRun(() => ({
      results: [{ path: 'evals/metrics.json' }],
      suites: [QA],
      gates: [{ metric: 'qa/accuracy', min: 0.9 }],
    }));
    registry.write('models/gpt2/evals/metrics.json', '{"qa/accuracy": 0.99}\n');
    const result = await check(registry, base);
    expect(result.code).toBe(1);
    expect(result.gates[0]).toMatchObject({ verdict: 'not-run' });
    expect(result.gates[0].reason).toContain('models/gpt2/evals/metrics.json holds qa/accuracy');
  });

  it('with an endpoint, the run decides: the committed perfect score is not the candidate', async () => {
    const { registry, base } = await committedRun((committed) => ({
      results: [{ path: committed }],
      suites: [QA],
      gates: [{ metric: 'qa/accuracy', min: 0.9 }],
    }));
    const result = await check(registry, base, '--endpoint', llm.url);
    expect(result.code).toBe(1);
    expect(result.gates[0]).toMatchObject({
      verdict: 'fail',
      candidate: 0.25,
      reason: '0.25 is below the minimum 0.9',
    });
  });

  it('dropping the suite from eval.suites does not hand its name to a committed file: the base ref still declares it', async () => {
    const { registry, base } = await committedRun((committed) => ({
      results: [{ path: committed }],
      gates: [{ metric: 'qa/accuracy', min: 0.9 }],
    }));
    const result = await check(registry, base, '--endpoint', llm.url);
    expect(result.code).toBe(1);
    expect(result.gates[0]).toEqual({
      metric: 'qa/accuracy',
      verdict: 'not-run',
      reason: `not run: qa is a suite of the base ref ${base.slice(0, 12)} but not in this version's eval.suites, so nothing ran it; models/gpt2/evals/qa-run.json holds qa/accuracy, but qa is a suite of the base ref ${base.slice(0, 12)}, and a suite's metrics count only from its run in this check`,
    });
    expect(result.findings[0].fix).toMatch(
      /^Keep the suite in eval.suites so the check runs it, or gate a metric that is not under its name\. A committed results file cannot stand in/,
    );
  });

  it('a metric under the suite name that the runner does not measure is not taken from a committed file', async () => {
    const { registry, base } = await committedRun(() => ({
      results: [{ path: 'evals/metrics.json' }],
      suites: [QA],
      gates: [{ metric: 'qa/f1', min: 0.5 }],
    }));
    registry.write('models/gpt2/evals/metrics.json', '{"qa/f1": 0.99}\n');
    const result = await check(registry, base, '--endpoint', llm.url);
    expect(result.code).toBe(1);
    expect(result.gates[0]).toMatchObject({ verdict: 'not-run' });
    expect(result.gates[0].reason).toMatch(
      /^not measured: the built-in runner measures qa\/accuracy, not qa\/f1; models\/gpt2\/evals\/metrics.json holds qa\/f1/,
    );
  });

  it("the released side's committed runner file is still the baseline a drop gate compares the run with", async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.write('models/gpt2/evals/qa.jsonl', `${DATASET}\n`);
    setEval(registry, { suites: [QA], gates: [{ metric: 'qa/accuracy', max_drop: 0.5 }] }, '1.0.0');
    // 1.0.0's run, committed with it as the next version's baseline (the flow the docs recommend).
    expect((await runCli('gate', '--root', registry.root, '--endpoint', llm.url)).code).toBe(0);
    const baselineRun = JSON.parse(registry.read('.modelgate/results/gpt2-1.0.0-qa.json'));
    registry.write('models/gpt2/evals/qa-1.0.0.json', JSON.stringify(baselineRun));
    const evalBlock = {
      results: [{ path: 'evals/qa-1.0.0.json' }],
      suites: [QA],
      gates: [{ metric: 'qa/accuracy', max_drop: 0.5 }],
    };
    setEval(registry, evalBlock, '1.0.0');
    const base = registry.commit('gpt2 1.0.0 with its qa run');
    setEval(registry, evalBlock, '1.0.1');
    const result = await check(registry, base, '--endpoint', llm.url);
    // Same answers on the same four documents: paired, no change; four documents are too few to decide.
    expect(result.gates[0]).toMatchObject({
      verdict: 'inconclusive',
      baseline: 0.25,
      candidate: 0.25,
      comparison: { method: 'mcnemar', n: 4 },
    });
  });
});
