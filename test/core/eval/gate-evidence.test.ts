import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../../helpers/cli.js';
import { harnessResults } from '../../helpers/lm-eval.js';
import { addRealModel } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';

// The cases of issue 11 end to end: a real git repository, the baseline at the base ref, `modelgate check`.

const MANIFEST = 'models/gpt2/model.yaml';

function setEval(registry: TempRegistry, evalBlock: Record<string, unknown>, version: string) {
  const manifest = parse(registry.read(MANIFEST)) as Record<string, any>;
  manifest.version = version;
  manifest.eval = evalBlock;
  registry.write(MANIFEST, stringify(manifest));
}

/** gpt2 1.0.0 committed with `baseline` as its results; the working tree is the pull request (1.0.1). */
function pullRequest(
  evalBlock: Record<string, unknown>,
  files: { baseline: Record<string, string>; candidate: Record<string, string> },
) {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2');
  for (const [path, text] of Object.entries(files.baseline)) registry.write(`models/gpt2/${path}`, text);
  setEval(registry, evalBlock, '1.0.0');
  const base = registry.commit('gpt2 1.0.0 with evals');
  for (const [path, text] of Object.entries(files.candidate)) registry.write(`models/gpt2/${path}`, text);
  setEval(registry, evalBlock, '1.0.1');
  const check = async (command: 'check' | 'gate' = 'check') => {
    const { code, stdout } = await runCli(
      command,
      '--root',
      registry.root,
      '--base',
      base,
      '--format',
      'json',
    );
    const report = JSON.parse(stdout);
    // gpt2's own validation notes (no pad token) are not what these cases are about.
    const findings = report.findings.filter(
      (f: any) => f.rule.startsWith('EVAL-') || f.rule === 'ARTIFACT-INVALID',
    );
    return { code, gates: report.gates[0].gates, findings };
  };
  return { registry, check };
}

const HARNESS_GATE = {
  results: [{ path: 'evals/results.json' }],
  gates: [{ metric: 'arc_easy/acc', max_drop: 0.02 }],
};

/** lm-evaluation-harness results with arc_easy/acc edited. */
const arc = (value: number, stderr: number, edit: (json: any) => void = () => {}) =>
  harnessResults((j) => {
    j.results.arc_easy['acc,none'] = value;
    j.results.arc_easy['acc_stderr,none'] = stderr;
    edit(j);
  });

const jsonl = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

describe('a drop gate passes only on evidence', () => {
  it('0.80 -> 0.75 with stderr 0.03 and max_drop 0.02 is inconclusive (a warning by default, an error with on_inconclusive: fail)', async () => {
    const noCounts = (j: any) => delete j['n-samples'].arc_easy;
    const { registry, check } = pullRequest(HARNESS_GATE, {
      baseline: { 'evals/results.json': arc(0.8, 0.03, noCounts) },
      candidate: { 'evals/results.json': arc(0.75, 0.03, noCounts) },
    });
    const warned = await check();
    expect(warned.code).toBe(0);
    expect(warned.gates[0]).toMatchObject({ verdict: 'inconclusive', comparison: { method: 'stderr' } });
    expect(warned.gates[0].comparison.bound).toBeCloseTo(-0.1198, 4);
    expect(warned.findings).toEqual([
      expect.objectContaining({
        rule: 'EVAL-GATE',
        severity: 'warning',
        message:
          'gate arc_easy/acc is inconclusive: dropped 0.05 (allowed 0.02), but the evidence shows neither that it is within the tolerance nor beyond it: at 95 % confidence the drop is between -0.01979 and 0.1198; a standard error of the difference below 0.01207 (now 0.04243) would settle it; record the document counts or per-document scores to know how many samples that takes',
      }),
    ]);
    setEval(registry, { ...HARNESS_GATE, on_inconclusive: 'fail' }, '1.0.1');
    const failed = await check();
    expect(failed.code).toBe(1);
    expect(failed.findings[0]).toMatchObject({ rule: 'EVAL-GATE', severity: 'error' });
  });

  it('a candidate results file that flips higher_is_better does not turn a drop into a pass', async () => {
    const { check } = pullRequest(HARNESS_GATE, {
      baseline: { 'evals/results.json': harnessResults() },
      candidate: {
        'evals/results.json': arc(0.7, 0.0094, (j) => (j.higher_is_better.arc_easy.acc = false)),
      },
    });
    const { code, gates, findings } = await check();
    expect(code).toBe(1);
    expect(gates[0]).toMatchObject({
      verdict: 'fail',
      higherIsBetter: true,
      direction: "the baseline's results (models/gpt2/evals/results.json)",
    });
    expect(findings.map((f: any) => `${f.severity} ${f.rule}: ${f.message}`)).toEqual([
      expect.stringMatching(
        /^error EVAL-GATE: gate arc_easy\/acc: dropped 0\.1114, more than the allowed 0\.02/,
      ),
      "warning EVAL-GATE: gate arc_easy/acc: the candidate's results (models/gpt2/evals/results.json) say lower is better, but the baseline's results (models/gpt2/evals/results.json) says higher is better: judged as higher is better",
    ]);
  });

  it('a negative stderr in the candidate is an invalid results file, not a comparison', async () => {
    const { check } = pullRequest(
      { ...HARNESS_GATE, gates: [{ metric: 'arc_easy/acc', max_drop: 0.03 }] },
      {
        baseline: { 'evals/results.json': harnessResults() },
        candidate: { 'evals/results.json': arc(0.805, -0.008) },
      },
    );
    const { code, gates, findings } = await check();
    expect(code).toBe(1);
    expect(gates[0]).toMatchObject({
      verdict: 'inconclusive',
      reason:
        "cannot compare: the candidate's stderr of arc_easy/acc is -0.008; a standard error is never negative",
    });
    expect(findings).toContainEqual(
      expect.objectContaining({
        rule: 'ARTIFACT-INVALID',
        severity: 'error',
        artifact: 'models/gpt2/evals/results.json',
        message:
          "models/gpt2/evals/results.json: the candidate's stderr of arc_easy/acc is -0.008; a standard error is never negative, so gate arc_easy/acc cannot compare",
      }),
    );
  });

  const PER_DOCUMENT = {
    results: [{ path: 'evals/samples.jsonl' }],
    gates: [{ metric: 'correct', max_drop: 0.02, higher_is_better: true }],
  };
  const docs = (prefix: string, correct: number) =>
    jsonl(Array.from({ length: 100 }, (_, i) => ({ id: `${prefix}${i}`, correct })));

  it('renaming every document id does not turn a 1 -> 0 accuracy drop into a warning', async () => {
    const { check } = pullRequest(PER_DOCUMENT, {
      baseline: { 'evals/samples.jsonl': docs('doc-', 1) },
      candidate: { 'evals/samples.jsonl': docs('renamed-', 0) },
    });
    const { code, gates } = await check();
    expect(code).toBe(1);
    expect(gates[0]).toMatchObject({
      verdict: 'fail',
      comparison: { method: 'stderr', delta: -1, ids: { matched: 0, candidate: 100, baseline: 100 } },
      reason:
        "dropped 1, more than the allowed 0.02: at 95 % confidence the drop is at least 1; only 0 of the candidate's 100 and the baseline's 100 document ids match, too few to pair: compared the aggregates",
    });
  });

  it('a document id scored twice is an error naming the file, the id and the line', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: `doc-${i}`, correct: 1 }));
    const { check } = pullRequest(PER_DOCUMENT, {
      baseline: { 'evals/samples.jsonl': jsonl(rows) },
      candidate: { 'evals/samples.jsonl': jsonl([...rows, { id: 'doc-3', correct: 1 }]) },
    });
    // `gate` fails on it as `check` does: it is the gate's evidence that is broken.
    for (const command of ['check', 'gate'] as const) {
      const { code, findings } = await check(command);
      expect(code).toBe(1);
      expect(findings).toContainEqual(
        expect.objectContaining({
          rule: 'ARTIFACT-INVALID',
          severity: 'error',
          artifact: 'models/gpt2/evals/samples.jsonl',
          message:
            'models/gpt2/evals/samples.jsonl: document id "doc-3" on line 41 was already scored on line 4; every document must be scored once, so this file\'s per-document scores are not used',
        }),
      );
    }
  });
});
