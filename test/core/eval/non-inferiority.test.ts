import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_OPTIONS, judgeGate, type Gate } from '../../../src/core/eval/gates.js';
import {
  parsePythonJson,
  readResultsFile,
  readSamplesJsonl,
  type MetricSeries,
} from '../../../src/core/eval/results.js';
import { harnessResults } from '../../helpers/lm-eval.js';

/** A metric as modelgate reads it from a real lm-evaluation-harness results file, edited by `edit`. */
function harnessMetric(name: string, file: string, edit: (json: any) => void = () => {}): MetricSeries {
  const metrics = readResultsFile(parsePythonJson(harnessResults(edit)), file).metrics;
  const series = metrics.find((m) => m.name === name);
  if (!series) throw new Error(`${name} is not in ${file}`);
  return series;
}

/** arc_easy/acc with this value and stderr; without document counts unless `n` is given. */
function arcAcc(file: string, value: number, stderr: number | string | null, n?: number): MetricSeries {
  return harnessMetric('arc_easy/acc', file, (j) => {
    j.results.arc_easy['acc,none'] = value;
    j.results.arc_easy['acc_stderr,none'] = stderr;
    if (n === undefined) delete j['n-samples'].arc_easy;
    else j['n-samples'].arc_easy = { original: n, effective: n };
  });
}

/** A plain per-document JSONL file as a team would record it: `{"id", "correct"}` per line. */
function perDocument(file: string, ids: readonly string[], correct: (i: number) => number): MetricSeries {
  const text = ids.map((id, i) => JSON.stringify({ id, correct: correct(i) })).join('\n');
  return readSamplesJsonl(text, file).metrics[0]!;
}

const gate = (extra: Partial<Gate> = {}): Gate => ({ metric: 'arc_easy/acc', max_drop: 0.02, ...extra });

describe('a drop gate passes only when the evidence shows the drop within the tolerance (non-inferiority)', () => {
  it("the issue's case: baseline 0.80, candidate 0.75 (stderr 0.03 each), max_drop 0.02 is inconclusive, not a pass", () => {
    const result = judgeGate(
      gate(),
      arcAcc('evals/results.json', 0.75, 0.03),
      arcAcc('baseline/results.json', 0.8, 0.03),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result.verdict).toBe('inconclusive');
    expect(result.comparison).toMatchObject({ method: 'stderr', confidence: 0.95 });
    // One-sided 95 % bound of candidate - baseline: -0.05 - 1.645 * sqrt(0.03² + 0.03²).
    expect(result.comparison!.bound).toBeCloseTo(-0.05 - 1.644854 * Math.sqrt(0.0018), 6);
    expect(result.reason).toBe(
      'dropped 0.05 (allowed 0.02), but the evidence shows neither that it is within the tolerance nor beyond it: at 95 % confidence the drop is between -0.01979 and 0.1198; a standard error of the difference below 0.01207 (now 0.04243) would settle it; record the document counts or per-document scores to know how many samples that takes',
    );
  });

  it('with document counts it says how many more documents per version would settle it', () => {
    const result = judgeGate(
      gate(),
      arcAcc('evals/results.json', 0.75, 0.0217, 400),
      arcAcc('baseline/results.json', 0.8, 0.02, 400),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result).toMatchObject({
      verdict: 'inconclusive',
      settle: { samples: 2394, more: 1994, paired: false },
    });
    expect(result.reason).toContain(
      'about 1,994 more documents per version (2,394 in all, now 400) would settle it if the observed difference holds',
    );
  });

  it('passes when the bound clears the tolerance, and fails when the drop beyond it is significant', () => {
    const within = judgeGate(
      gate({ max_drop: 0.03 }),
      arcAcc('evals/results.json', 0.805, 0.0081, 2376),
      arcAcc('baseline/results.json', 0.8114, 0.008, 2376),
      DEFAULT_GATE_OPTIONS,
    );
    expect(within.verdict).toBe('pass');
    expect(within.reason).toBe('dropped 0.0064, within 0.03: at 95 % confidence the drop is at most 0.02513');
    const beyond = judgeGate(
      gate(),
      arcAcc('evals/results.json', 0.75, 0.0089, 2376),
      arcAcc('baseline/results.json', 0.8114, 0.008, 2376),
      DEFAULT_GATE_OPTIONS,
    );
    expect(beyond).toMatchObject({ verdict: 'fail' });
    expect(beyond.reason).toBe(
      'dropped 0.0614, more than the allowed 0.02: at 95 % confidence the drop is at least 0.04172',
    );
  });
});

describe('the baseline decides which way is worse', () => {
  const flipped = (j: any) => {
    j.results.arc_easy['acc,none'] = 0.7;
    j.results.arc_easy['acc_stderr,none'] = 0.0094;
    j.higher_is_better.arc_easy.acc = false;
  };

  it('a candidate file that says higher_is_better: false does not turn a drop into a gain', () => {
    const result = judgeGate(
      gate(),
      harnessMetric('arc_easy/acc', 'evals/results.json', flipped),
      harnessMetric('arc_easy/acc', 'baseline/results.json'),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result).toMatchObject({
      verdict: 'fail',
      higherIsBetter: true,
      direction: "the baseline's results (baseline/results.json)",
      overruled:
        "the candidate's results (evals/results.json) say lower is better, but the baseline's results (baseline/results.json) says higher is better: judged as higher is better",
    });
    expect(result.reason).toMatch(
      /^dropped 0\.1114, more than the allowed 0\.02: .*; the candidate's results/,
    );
  });

  it('without a trusted statement the harness default decides; the candidate gate only decides what nothing trusted states', () => {
    const plainBaseline = readResultsFile({ 'arc_easy/acc': 0.8114 }, 'baseline.json').metrics[0]!;
    const withStderr = { ...plainBaseline, stderr: 0.008 };
    const candidate = harnessMetric('arc_easy/acc', 'evals/results.json', flipped);
    expect(judgeGate(gate(), candidate, withStderr, DEFAULT_GATE_OPTIONS)).toMatchObject({
      verdict: 'fail',
      direction: "lm-evaluation-harness's default for acc",
    });
    // A gate in the baseline's manifest is the strongest statement; the pull request's own gate is not.
    const toxicity = (value: number, file: string) => ({
      ...readResultsFile({ 'safety/toxicity': value }, file).metrics[0]!,
      stderr: 0.004,
      n: 1000,
    });
    const rose = judgeGate(
      { metric: 'safety/toxicity', max_drop: 0.005, higher_is_better: true },
      toxicity(0.09, 'evals/metrics.json'),
      toxicity(0.05, 'baseline.json'),
      DEFAULT_GATE_OPTIONS,
      { baselineGate: false },
    );
    expect(rose).toMatchObject({
      verdict: 'fail',
      higherIsBetter: false,
      direction: "the gate in the baseline's manifest",
      overruled:
        "the gate says higher is better, but the gate in the baseline's manifest says lower is better: judged as lower is better",
    });
    const newMetric = judgeGate(
      { metric: 'safety/toxicity', max_drop: 0.005, higher_is_better: false },
      toxicity(0.09, 'evals/metrics.json'),
      toxicity(0.05, 'baseline.json'),
      DEFAULT_GATE_OPTIONS,
    );
    expect(newMetric).toMatchObject({ verdict: 'fail', direction: 'the gate' });
  });
  it("the candidate's file alone never sets the direction, even of a metric nothing else knows", () => {
    const safety = (value: number, stated?: boolean) => (j: any) => {
      j.results.safety = { alias: 'safety', 'toxicity,none': value, 'toxicity_stderr,none': 0.004 };
      if (stated !== undefined) j.higher_is_better.safety = { toxicity: stated };
    };
    const result = judgeGate(
      { metric: 'safety/toxicity', max_drop: 0.005 },
      harnessMetric('safety/toxicity', 'evals/results.json', safety(0.02, false)),
      harnessMetric('safety/toxicity', 'baseline/results.json', safety(0.05)),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result).toEqual({
      metric: 'safety/toxicity',
      verdict: 'inconclusive',
      candidate: 0.02,
      baseline: 0.05,
      reason:
        "nothing states whether higher or lower is better for safety/toxicity: not the baseline's gate or results, and lm-evaluation-harness has no default for toxicity (the candidate's results say lower is better, but they cannot decide how they are judged); add higher_is_better to the gate",
    });
  });
});

describe('a standard error must be one before it is compared', () => {
  const judge = (candidateStderr: number | string | null, n?: number) =>
    judgeGate(
      gate({ max_drop: 0.03 }),
      arcAcc('evals/results.json', 0.805, candidateStderr, n),
      arcAcc('baseline/results.json', 0.8114, 0.008, n),
      DEFAULT_GATE_OPTIONS,
    );

  it.each([
    [-0.008, "the candidate's stderr of arc_easy/acc is -0.008; a standard error is never negative"],
    [1e300, "the candidate's stderr of arc_easy/acc is 1e+300, implausibly large for a value of 0.805"],
    [null, "the candidate's stderr of arc_easy/acc is not a number (NaN, Infinity or null in the file)"],
    [
      0.6,
      "the candidate's stderr of arc_easy/acc is 0.6, more than any score between 0 and 1 can have (at most 0.5)",
    ],
  ])('stderr %s cannot be compared: inconclusive with the reason, and the file is named', (stderr, why) => {
    const result = judge(stderr);
    expect(result).toMatchObject({
      verdict: 'inconclusive',
      reason: `cannot compare: ${why}`,
      invalidCandidate: { file: 'evals/results.json', problem: why },
    });
  });

  it('NaN as Python writes it reads as "not a number", not as a missing stderr', () => {
    const series = harnessMetric('arc_easy/acc', 'evals/results.json', (j) => {
      j.results.arc_easy['acc_stderr,none'] = '__NaN__';
    });
    expect(series.stderr).toBeNaN();
  });

  it('checks the stderr of a 0/1 metric against the document count, both ways', () => {
    expect(judge(0.2, 2376).reason).toBe(
      "cannot compare: the candidate's stderr of arc_easy/acc is 0.2, more than scores between 0 and 1 averaging 0.805 over 2376 documents can have (at most 0.00813)",
    );
    expect(judge(0.0001, 2376).reason).toBe(
      "cannot compare: the candidate's stderr of arc_easy/acc is 0.0001, less than 0/1 scores averaging 0.805 over 2376 documents have (0.00813)",
    );
    expect(judge(0.0081, 2376).verdict).toBe('pass');
  });

  it("a broken baseline stderr is inconclusive too, but is not the pull request's fault", () => {
    const result = judgeGate(
      gate(),
      arcAcc('evals/results.json', 0.805, 0.008),
      arcAcc('baseline/results.json', 0.8114, -1),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toBe(
      "cannot compare: the baseline's stderr of arc_easy/acc is -1; a standard error is never negative",
    );
    expect(result.invalidCandidate).toBeUndefined();
  });
});

describe('paired comparisons need matching document ids', () => {
  const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it('renaming every document id does not hide a 1 -> 0 accuracy drop: the aggregates are compared', () => {
    const result = judgeGate(
      { metric: 'correct', max_drop: 0.02, higher_is_better: true },
      perDocument('evals/samples.jsonl', ids('renamed-', 100), () => 0),
      perDocument('baseline/samples.jsonl', ids('doc-', 100), () => 1),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result).toMatchObject({
      verdict: 'fail',
      comparison: { method: 'stderr', delta: -1, ids: { matched: 0, candidate: 100, baseline: 100 } },
    });
    expect(result.reason).toBe(
      "dropped 1, more than the allowed 0.02: at 95 % confidence the drop is at least 1; only 0 of the candidate's 100 and the baseline's 100 document ids match, too few to pair: compared the aggregates",
    );
  });

  it('pairs on every document the baseline was measured on, and says how many more the candidate has', () => {
    const baseline = ids('doc-', 400);
    const candidate = [...baseline, ...ids('new-', 20)];
    const result = judgeGate(
      { metric: 'correct', max_drop: 0.02, higher_is_better: true },
      perDocument('evals/samples.jsonl', candidate, () => 1),
      perDocument('baseline/samples.jsonl', baseline, () => 1),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result).toMatchObject({
      verdict: 'pass',
      comparison: { method: 'mcnemar', n: 400, ids: { matched: 400, candidate: 420, baseline: 400 } },
    });
    expect(result.reason).toBe(
      'no drop (+0): at 95 % confidence it is no worse than the baseline; paired on the 400 of 420 documents whose ids match',
    );
  });

  it('a candidate that leaves out documents the baseline was measured on is at fault, even within the share that pairs', () => {
    // The cherry-pick: 90 of 1,000 documents regressed, and the candidate's file drops those 90 lines.
    const baseline = ids('doc-', 1000);
    const result = judgeGate(
      { metric: 'correct', max_drop: 0.02, higher_is_better: true },
      perDocument('evals/samples.jsonl', baseline.slice(90), () => 1),
      perDocument('baseline/samples.jsonl', baseline, () => 1),
      DEFAULT_GATE_OPTIONS,
    );
    // Before: pass, "no drop (+0) … paired on the 910 of 1000 documents whose ids match".
    expect(result).toMatchObject({
      verdict: 'inconclusive',
      reason:
        "cannot compare: the candidate's per-document scores leave out 90 of the 1000 documents the baseline was measured on",
      invalidCandidate: { file: 'evals/samples.jsonl', partial: true },
    });
  });
});
