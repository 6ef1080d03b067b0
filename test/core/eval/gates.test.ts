import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_OPTIONS, judgeGate } from '../../../src/core/eval/gates.js';
import type { MetricSeries } from '../../../src/core/eval/results.js';

const series = (value: number, extra: Partial<MetricSeries> = {}): MetricSeries => ({
  name: 'arc_easy/acc',
  value,
  higherIsBetter: true,
  source: 'r.json',
  ...extra,
});
const paired = (values: number[]) => new Map(values.map((v, i) => [String(i), v]));

describe('judging a gate', () => {
  it('fails a threshold, passes it with evidence', () => {
    expect(
      judgeGate({ metric: 'arc_easy/acc', min: 0.7 }, series(0.65), undefined, DEFAULT_GATE_OPTIONS),
    ).toMatchObject({ verdict: 'fail', reason: '0.65 is below the minimum 0.7' });
    expect(
      judgeGate({ metric: 'arc_easy/acc', min: 0.7 }, series(0.8), undefined, DEFAULT_GATE_OPTIONS),
    ).toMatchObject({ verdict: 'pass' });
  });

  it('a missing metric fails; a suite that could not run is "not run"', () => {
    expect(judgeGate({ metric: 'x/y', min: 0 }, undefined, undefined, DEFAULT_GATE_OPTIONS).verdict).toBe(
      'fail',
    );
    expect(
      judgeGate({ metric: 'smoke/accuracy', min: 0.9 }, undefined, undefined, DEFAULT_GATE_OPTIONS, {
        notRun: 'not run: no credentials',
      }),
    ).toMatchObject({ verdict: 'not-run', reason: 'not run: no credentials' });
  });

  it('fails a significant drop beyond the tolerance (McNemar on paired binary scores)', () => {
    const base = Array.from({ length: 400 }, (_, i) => (i < 320 ? 1 : 0));
    const cand = base.map((v, i) => (i < 40 ? 0 : v)); // 40 regressions, no improvement: -0.10
    const result = judgeGate(
      { metric: 'arc_easy/acc', max_drop: 0.02 },
      series(0.7, { samples: paired(cand) }),
      series(0.8, { samples: paired(base) }),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result.verdict).toBe('fail');
    expect(result.comparison).toMatchObject({ method: 'mcnemar', n: 400, delta: -0.1 });
    expect(result.comparison!.pWorse).toBeCloseTo(2 ** -40, 15);
  });

  // Changed with non-inferiority: this used to pass as "dropped 0.005 but not significantly (p = 0.31)".
  it('a drop beyond the tolerance that may be noise is inconclusive, never a pass, and says what would settle it', () => {
    const base = Array.from({ length: 400 }, (_, i) => (i < 320 ? 1 : 0));
    const cand = base.map((v, i) => (i < 3 ? 0 : i === 399 ? 1 : v));
    const result = judgeGate(
      { metric: 'arc_easy/acc', max_drop_pct: 0.1 },
      series(0.795, { samples: paired(cand) }),
      series(0.8, { samples: paired(base) }),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result).toMatchObject({
      verdict: 'inconclusive',
      tolerance: 0.0008,
      settle: { samples: 3497, more: 3097, paired: true },
      comparison: { method: 'mcnemar', n: 400, ids: { matched: 400, candidate: 400, baseline: 400 } },
    });
    expect(result.reason).toBe(
      'dropped 0.005 (allowed 0.0008), but the evidence shows neither that it is within the tolerance nor beyond it: at 95 % confidence the drop is between -0.003214 and 0.01321; about 3,097 more paired documents (3,497 in all, now 400) would settle it if the observed difference holds',
    );
  });

  it('uses the reported standard errors when there are no samples', () => {
    const result = judgeGate(
      { metric: 'arc_easy/acc', max_drop: 0.005 },
      series(0.77, { stderr: 0.008 }),
      series(0.81, { stderr: 0.008 }),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result).toMatchObject({ verdict: 'fail', comparison: { method: 'stderr' } });
  });

  it('is inconclusive without a baseline, with too few samples, or across task versions', () => {
    expect(
      judgeGate({ metric: 'arc_easy/acc', max_drop: 0.01 }, series(0.8), undefined, DEFAULT_GATE_OPTIONS)
        .verdict,
    ).toBe('inconclusive');
    const few = judgeGate(
      { metric: 'arc_easy/acc', max_drop: 0.01 },
      series(0, { samples: paired([0, 0]) }),
      series(1, { samples: paired([1, 1]) }),
      DEFAULT_GATE_OPTIONS,
    );
    expect(few).toMatchObject({
      verdict: 'inconclusive',
      reason: 'only 2 paired samples (at least 30 needed)',
    });
    const versions = judgeGate(
      { metric: 'arc_easy/acc', max_drop: 0.01 },
      series(0.8, { taskVersion: '2', stderr: 0.01 }),
      series(0.8, { taskVersion: '1', stderr: 0.01 }),
      DEFAULT_GATE_OPTIONS,
    );
    expect(versions.reason).toBe("task version 2 vs the baseline's 1: not like-for-like");
  });

  it('reads "worse" in the metric\'s direction (lower is better)', () => {
    const base = Array.from({ length: 200 }, (_, i) => (i < 20 ? 1 : 0)); // error indicator: 10 %
    const cand = base.map((v, i) => (i >= 20 && i < 60 ? 1 : v)); // 30 %
    const result = judgeGate(
      { metric: 'errors/rate', max_drop: 0.05 },
      series(0.3, { higherIsBetter: false, samples: paired(cand) }),
      series(0.1, { higherIsBetter: false, samples: paired(base) }),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result.verdict).toBe('fail');
    expect(result.comparison!.delta).toBeCloseTo(0.2, 12);
  });

  it('bootstraps paired continuous scores', () => {
    const base = Array.from({ length: 300 }, (_, i) => 0.5 + ((i * 37) % 10) / 100);
    const cand = base.map((v) => v - 0.05);
    const result = judgeGate(
      { metric: 'judge/score', max_drop: 0.01 },
      series(0.5, { name: 'judge/score', samples: paired(cand) }),
      series(0.55, { name: 'judge/score', samples: paired(base) }),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result).toMatchObject({ verdict: 'fail', comparison: { method: 'bootstrap', n: 300 } });
    expect(result.comparison!.delta).toBeCloseTo(-0.05, 10);
  });

  it('refuses per-document scores outside 0 to 1 for a metric scored between them: they widen the interval until a drop is inconclusive', () => {
    const base = Array.from({ length: 400 }, (_, i) => (i % 5 === 0 ? 0 : 1)); // 0.8
    const cand = base.map((_, i) => (i % 2 ? 20.5 : -19.5)); // mean 0.5, spread 20
    const result = judgeGate(
      { metric: 'arc_easy/acc', max_drop: 0.02 },
      series(0.5, { samples: new Map(cand.map((v, i) => [`c${i}`, v])) }),
      series(0.8, { samples: new Map(base.map((v, i) => [`b${i}`, v])) }),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result.invalidCandidate?.problem).toBe(
      `the candidate's per-document score of arc_easy/acc for document "c0" is -19.5, where each document scores between 0 and 1`,
    );
  });

  it("refuses a worse score whose per-document spread is many times the baseline's on as many documents", () => {
    const base = Array.from({ length: 400 }, (_, i) => 0.9 + (i % 2 ? 0.01 : -0.01));
    const cand = base.map((_, i) => 0.5 + (i % 2 ? 20 : -20));
    const result = judgeGate(
      { metric: 'judge/score', max_drop: 0.01 },
      series(0.5, { name: 'judge/score', samples: new Map(cand.map((v, i) => [`c${i}`, v])) }),
      series(0.9, { name: 'judge/score', samples: new Map(base.map((v, i) => [`b${i}`, v])) }),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result.invalidCandidate).toMatchObject({ inflated: true });
    expect(result.invalidCandidate!.problem).toMatch(
      /^the candidate's stderr of judge\/score is 1\.001, 2000\.0 times the baseline's 0\.0005006 on as many documents, with a worse value/,
    );
  });

  it("leaves a better score's honestly wider spread alone: it hides no drop", () => {
    // A rare success becoming common: 0.01 -> 0.25, each stderr as the harness computes it (4.3 times as wide).
    const se = (p: number) => Math.sqrt((p * (1 - p)) / 2375);
    const result = judgeGate(
      { metric: 'arc_easy/score', max_drop: 0.01 },
      series(0.25, { name: 'arc_easy/score', stderr: se(0.25), n: 2376 }),
      series(0.01, { name: 'arc_easy/score', stderr: se(0.01), n: 2376 }),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result.invalidCandidate).toBeUndefined();
    expect(result.verdict).toBe('pass');
  });

  it("takes a suite's accuracy scored with partial credit (llm_judge) as scores between 0 and 1", () => {
    const base = Array.from({ length: 200 }, (_, i) => (i % 4) / 4 + 0.2); // 0.2 .. 0.95
    const result = judgeGate(
      { metric: 'qa/accuracy', max_drop: 0.05 },
      series(0.575, { name: 'qa/accuracy', samples: paired(base) }),
      series(0.575, { name: 'qa/accuracy', samples: paired(base) }),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result.invalidCandidate).toBeUndefined();
    expect(result.verdict).toBe('pass');
  });

  it("takes truthfulqa_mc2's acc, a probability per document, as scores between 0 and 1", () => {
    const base = Array.from({ length: 200 }, (_, i) => 0.3 + (i % 5) / 10); // 0.3 .. 0.7
    const result = judgeGate(
      { metric: 'truthfulqa_mc2/acc', max_drop: 0.05 },
      series(0.5, { name: 'truthfulqa_mc2/acc', samples: paired(base) }),
      series(0.5, { name: 'truthfulqa_mc2/acc', samples: paired(base) }),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result.invalidCandidate).toBeUndefined();
    expect(result.verdict).toBe('pass');
  });
});
