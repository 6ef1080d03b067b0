import { describe, expect, it } from 'vitest';
import {
  judgeAnalysis,
  judgeInterval,
  type CanaryMetric,
  type IntervalResult,
} from '../../../src/core/canary/judge.js';

const ERROR_RATE: CanaryMetric = { name: 'error_rate', query: 'q', max: 0.05, direction: 'increase' };
const LATENCY: CanaryMetric = { name: 'latency_p95', query: 'q', direction: 'increase' };
const around = (center: number, n = 12) =>
  Array.from({ length: n }, (_, i) => center + ((i % 4) - 1.5) * center * 0.02);

describe('judging one interval', () => {
  it('passes a canary like its baseline, with the evidence', () => {
    const result = judgeInterval(
      [ERROR_RATE],
      [{ metric: 'error_rate', canary: { values: around(0.01) }, baseline: { values: around(0.01) } }],
      {},
      '2026-11-22T10:10:00Z',
    );
    expect(result).toMatchObject({ verdict: 'pass', score: 100 });
    expect(result.measurements[0]).toMatchObject({
      verdict: 'pass',
      canary: { n: 12 },
      baseline: { n: 12 },
      test: { method: 'normal' },
    });
    expect(result.measurements[0]!.test!.p).toBeGreaterThan(0.3);
  });

  it('fails a threshold breach, and a significant increase against the baseline', () => {
    const breach = judgeInterval(
      [ERROR_RATE],
      [{ metric: 'error_rate', canary: { values: around(0.08) }, baseline: { values: around(0.01) } }],
      {},
      't',
    );
    expect(breach.measurements[0]!.reason).toBe('canary median 0.08 is above 0.05');
    const worse = judgeInterval(
      [LATENCY],
      [{ metric: 'latency_p95', canary: { values: around(450) }, baseline: { values: around(300) } }],
      {},
      't',
    );
    expect(worse.verdict).toBe('fail');
    expect(worse.measurements[0]!.reason).toMatch(/^canary is higher than the baseline \(shift 150, p = /);
  });

  it('treats NaN (0/0) as no data and applies on_no_data; +Inf (x/0) is a reading, the worst one', () => {
    const silent = [
      { metric: 'error_rate', canary: { values: [NaN, NaN] }, baseline: { values: around(0.01) } },
    ];
    expect(judgeInterval([ERROR_RATE], silent, {}, 't').measurements[0]!.verdict).toBe('inconclusive');
    expect(judgeInterval([ERROR_RATE], silent, { on_no_data: 'fail' }, 't').verdict).toBe('fail');
    const infinite = [
      { metric: 'error_rate', canary: { values: [NaN, Infinity] }, baseline: { values: around(0.01) } },
    ];
    expect(judgeInterval([ERROR_RATE], infinite, { on_no_data: 'pass' }, 't').measurements[0]).toMatchObject({
      verdict: 'fail',
      reason: 'canary median +Inf is above 0.05',
      canary: { median: Infinity, n: 1 },
    });
  });

  it('never passes an interval in which no metric had data, whatever on_no_data says', () => {
    const silent = [
      { metric: 'error_rate', canary: { values: [NaN] } },
      { metric: 'latency_p95', canary: { values: [] } },
    ];
    const result = judgeInterval([ERROR_RATE, LATENCY], silent, { on_no_data: 'pass' }, 't');
    expect(result.measurements.map((m) => m.verdict)).toEqual(['pass', 'pass']);
    expect(result).toMatchObject({
      verdict: 'inconclusive',
      reason: 'no metric had canary data: nothing was judged, so the interval cannot pass',
    });
    // One metric judged on data is evidence; on_no_data: pass then counts the silent one in the score.
    const oneMeasured = judgeInterval(
      [ERROR_RATE, LATENCY],
      [{ metric: 'error_rate', canary: { values: around(0.01) } }, silent[1]!],
      { on_no_data: 'pass' },
      't',
    );
    expect(oneMeasured).toMatchObject({ verdict: 'pass', score: 100 });
    expect(oneMeasured.reason).toBeUndefined();
  });

  it('a failed query is an error; a critical metric fails the interval on its own', () => {
    const metrics: CanaryMetric[] = [
      { ...ERROR_RATE, critical: true },
      LATENCY,
      { ...LATENCY, name: 'ttft' },
      { ...LATENCY, name: 'tokens' },
    ];
    const data = [
      { metric: 'error_rate', canary: { values: around(0.09) } },
      ...['latency_p95', 'ttft', 'tokens'].map((m) => ({
        metric: m,
        canary: { values: around(1) },
        baseline: { values: around(1) },
      })),
    ];
    const result = judgeInterval(metrics, data, {}, 't');
    expect(result.score).toBe(75);
    expect(result.verdict).toBe('fail');
    const errored = judgeInterval(
      [ERROR_RATE],
      [{ metric: 'error_rate', canary: { error: 'bad_data: parse error' } }],
      {},
      't',
    );
    expect(errored).toMatchObject({
      verdict: 'error',
      measurements: [{ reason: 'canary query failed: bad_data: parse error' }],
    });
  });
});

describe('the analysis across intervals', () => {
  const interval = (verdict: IntervalResult['verdict']): IntervalResult => ({
    at: 't',
    verdict,
    score: 0,
    measurements: [],
  });

  it('fails when failures exceed failure_limit (Argo semantics)', () => {
    expect(judgeAnalysis([interval('fail')], { failure_limit: 1 }, 3).status).toBe('running');
    expect(judgeAnalysis([interval('fail'), interval('fail')], { failure_limit: 1 }, 3)).toMatchObject({
      status: 'failed',
      failures: 2,
    });
    expect(judgeAnalysis([interval('fail')], {}, 3).status).toBe('failed');
  });

  it('fails after more consecutive errors than consecutive_error_limit (default 4)', () => {
    expect(
      judgeAnalysis(
        Array.from({ length: 4 }, () => interval('error')),
        {},
        10,
      ).status,
    ).toBe('running');
    expect(
      judgeAnalysis(
        Array.from({ length: 5 }, () => interval('error')),
        {},
        10,
      ).status,
    ).toBe('failed');
  });

  it('never passes with no judged interval, even when none was required', () => {
    expect(judgeAnalysis([], {}, 0)).toMatchObject({
      status: 'running',
      reason: '0 of 1 interval(s) judged',
    });
    expect(judgeAnalysis([interval('inconclusive'), interval('error')], {}, 0).status).toBe('running');
    expect(judgeAnalysis([interval('pass')], {}, 0).status).toBe('passed');
  });

  it('passes only on judged intervals: inconclusive ones never make a pass', () => {
    expect(judgeAnalysis([interval('pass'), interval('inconclusive')], {}, 2).status).toBe('running');
    expect(judgeAnalysis([interval('pass'), interval('inconclusive'), interval('pass')], {}, 2).status).toBe(
      'passed',
    );
  });
});
