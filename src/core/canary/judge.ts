import type { Manifest } from '../manifest/schema.js';
import {
  countedSorted,
  finitePart,
  formatReading,
  hodgesLehmannSorted,
  mannWhitneySorted,
  sortedMedian,
} from './statistics.js';

export type CanaryPolicy = NonNullable<Manifest['canary']>;
export type CanaryMetric = NonNullable<CanaryPolicy['metrics']>[number];
export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'error';

/** What a metric provider returned for one side: the values, or why there are none. */
export type Series = { values: number[] } | { error: string };

/** One metric's data for one interval. */
export interface MetricData {
  metric: string;
  canary: Series;
  baseline?: Series;
}

/** One metric's verdict for one interval, with its evidence. */
export interface Measurement {
  metric: string;
  verdict: Verdict;
  reason: string;
  critical: boolean;
  canary?: { median: number; n: number };
  baseline?: { median: number; n: number };
  threshold?: { min?: number; max?: number };
  /** Mann–Whitney U, one-sided p-value in the metric's bad direction, Hodges–Lehmann shift (canary − baseline). */
  test?: { u: number; p: number; effect: number; method: 'exact' | 'normal' };
}

export interface IntervalResult {
  /** ISO time the interval ended. */
  at: string;
  verdict: Verdict;
  /** Kayenta-style score: 100 × passing / judged metrics. */
  score: number;
  measurements: Measurement[];
  /** Why the interval is not judged, when that is not what its measurements already say. */
  reason?: string;
}

export interface JudgeOptions {
  /** Confidence of the baseline comparison (default 0.95). */
  confidence: number;
  /** Fewer values on a side is too little to compare (default 3). */
  minSamples: number;
  /** Score at or above which an interval passes (default 95). */
  passScore: number;
  /** Score below which it fails; between the two it is marginal, i.e. inconclusive (default 75). */
  marginalScore: number;
}

export const DEFAULT_JUDGE_OPTIONS: JudgeOptions = {
  confidence: 0.95,
  minSamples: 3,
  passScore: 95,
  marginalScore: 75,
};

/**
 * Judges one interval: each metric against its thresholds and, when there is
 * a baseline, against it with a Mann–Whitney U test in the metric's bad
 * direction (Hodges–Lehmann shift as the effect size). A failing critical
 * metric fails the interval; otherwise the score decides (Kayenta's marginal
 * and pass levels). An interval passes only when at least one metric was
 * judged on canary data: `on_no_data: pass` may count a silent metric in the
 * score, never make a pass out of silence alone.
 */
export function judgeInterval(
  metrics: readonly CanaryMetric[],
  data: readonly MetricData[],
  policy: Pick<CanaryPolicy, 'on_no_data'>,
  at: string,
  options: JudgeOptions = DEFAULT_JUDGE_OPTIONS,
): IntervalResult {
  const measurements = metrics.map((metric) =>
    judgeMetric(
      metric,
      data.find((d) => d.metric === metric.name),
      policy.on_no_data ?? 'inconclusive',
      options,
    ),
  );
  const judged = measurements.filter((m) => m.verdict === 'pass' || m.verdict === 'fail');
  const score = judged.length ? (100 * judged.filter((m) => m.verdict === 'pass').length) / judged.length : 0;
  let verdict: Verdict;
  if (measurements.some((m) => m.critical && m.verdict === 'fail')) verdict = 'fail';
  else if (measurements.length && measurements.every((m) => m.verdict === 'error')) verdict = 'error';
  else if (!judged.length) verdict = 'inconclusive';
  else if (score >= options.passScore) verdict = 'pass';
  else if (score < options.marginalScore) verdict = 'fail';
  else verdict = 'inconclusive';
  if (verdict === 'pass' && !judged.some((m) => m.canary !== undefined)) {
    return {
      at,
      verdict: 'inconclusive',
      score,
      measurements,
      reason: 'no metric had canary data: nothing was judged, so the interval cannot pass',
    };
  }
  return { at, verdict, score, measurements };
}

function judgeMetric(
  metric: CanaryMetric,
  data: MetricData | undefined,
  onNoData: 'fail' | 'inconclusive' | 'pass',
  options: JudgeOptions,
): Measurement {
  const base = {
    metric: metric.name,
    critical: metric.critical === true,
    threshold: {
      ...(metric.min !== undefined ? { min: metric.min } : {}),
      ...(metric.max !== undefined ? { max: metric.max } : {}),
    },
  };
  if (!data || 'error' in data.canary)
    return {
      ...base,
      verdict: 'error',
      reason:
        data && 'error' in data.canary
          ? `canary query failed: ${data.canary.error}`
          : 'no data returned for the metric',
    };
  const canary = countedSorted(data.canary.values);
  if (!canary.length)
    return { ...base, verdict: onNoData, reason: `no canary data (on_no_data: ${onNoData})` };
  const canaryMedian = sortedMedian(canary);
  // The baseline is part of the evidence even when a threshold already decides.
  const baselineValues =
    data.baseline && !('error' in data.baseline) ? countedSorted(data.baseline.values) : undefined;
  const evidence = {
    ...base,
    canary: { median: canaryMedian, n: canary.length },
    ...(baselineValues?.length
      ? { baseline: { median: sortedMedian(baselineValues), n: baselineValues.length } }
      : {}),
  };
  // As many -Inf as +Inf readings around the middle: no median, so no threshold can hold.
  if ((metric.min !== undefined || metric.max !== undefined) && Number.isNaN(canaryMedian))
    return {
      ...evidence,
      verdict: 'fail',
      reason: 'the canary has no median (its two middle readings are -Inf and +Inf)',
    };
  if (metric.min !== undefined && canaryMedian < metric.min)
    return {
      ...evidence,
      verdict: 'fail',
      reason: `canary median ${formatReading(canaryMedian)} is below ${metric.min}`,
    };
  if (metric.max !== undefined && canaryMedian > metric.max)
    return {
      ...evidence,
      verdict: 'fail',
      reason: `canary median ${formatReading(canaryMedian)} is above ${metric.max}`,
    };
  const hasThreshold = metric.min !== undefined || metric.max !== undefined;
  const within = hasThreshold ? `canary median ${formatReading(canaryMedian)} within the threshold` : '';

  if (!metric.direction || !data.baseline) {
    return hasThreshold
      ? { ...evidence, verdict: 'pass', reason: within }
      : { ...evidence, verdict: 'inconclusive', reason: 'no threshold and no baseline comparison' };
  }
  if ('error' in data.baseline)
    return { ...evidence, verdict: 'error', reason: `baseline query failed: ${data.baseline.error}` };
  const baseline = baselineValues!;
  if (canary.length < options.minSamples || baseline.length < options.minSamples) {
    const reason = `too few values to compare (canary ${canary.length}, baseline ${baseline.length}; at least ${options.minSamples} each)`;
    return hasThreshold
      ? { ...evidence, verdict: 'pass', reason: `${within}; ${reason}` }
      : { ...evidence, verdict: 'inconclusive', reason };
  }
  const u = mannWhitneySorted(canary, baseline);
  const effect = hodgesLehmannSorted(finitePart(canary), finitePart(baseline));
  const p =
    metric.direction === 'increase'
      ? u.pGreater
      : metric.direction === 'decrease'
        ? u.pLess
        : Math.min(1, 2 * Math.min(u.pGreater, u.pLess));
  const test = { u: u.u, p, effect, method: u.method };
  const alpha = 1 - options.confidence;
  const worse =
    metric.direction === 'increase' ? 'higher' : metric.direction === 'decrease' ? 'lower' : 'different';
  if (p < alpha)
    return {
      ...evidence,
      test,
      verdict: 'fail',
      reason: `canary is ${worse} than the baseline (shift ${formatReading(effect)}, p = ${p.toPrecision(2)})`,
    };
  return {
    ...evidence,
    test,
    verdict: 'pass',
    reason: `${within ? `${within}; ` : ''}not ${worse} than the baseline (p = ${p.toPrecision(2)})`,
  };
}

/** Where a canary analysis stands after its intervals so far. */
export interface AnalysisState {
  status: 'running' | 'passed' | 'failed';
  reason: string;
  failures: number;
  consecutiveErrors: number;
}

/**
 * Applies the limits across intervals (Argo Rollouts' semantics): the
 * analysis fails when failed intervals exceed `failure_limit` (default 0) or
 * consecutive errors exceed `consecutive_error_limit` (default 4); it passes
 * when `required` intervals passed or failed within the limit.
 */
export function judgeAnalysis(
  intervals: readonly IntervalResult[],
  policy: Pick<CanaryPolicy, 'failure_limit' | 'consecutive_error_limit'>,
  required: number,
): AnalysisState {
  const failureLimit = policy.failure_limit ?? 0;
  const errorLimit = policy.consecutive_error_limit ?? 4;
  let failures = 0;
  let consecutiveErrors = 0;
  for (const interval of intervals) {
    if (interval.verdict === 'fail') failures += 1;
    consecutiveErrors = interval.verdict === 'error' ? consecutiveErrors + 1 : 0;
    if (failures > failureLimit)
      return {
        status: 'failed',
        reason: `${failures} failed interval(s), more than failure_limit ${failureLimit}`,
        failures,
        consecutiveErrors,
      };
    if (consecutiveErrors > errorLimit)
      return {
        status: 'failed',
        reason: `${consecutiveErrors} consecutive intervals with errors, more than consecutive_error_limit ${errorLimit}`,
        failures,
        consecutiveErrors,
      };
  }
  // Inconclusive and error intervals do not count: an analysis never passes on missing evidence,
  // and never on none at all (zero intervals required is still one).
  const judged = intervals.filter((i) => i.verdict === 'pass' || i.verdict === 'fail').length;
  const needed = Math.max(1, required);
  if (judged >= needed)
    return {
      status: 'passed',
      reason: `${judged} interval(s) judged, ${failures} failed (failure_limit ${failureLimit})`,
      failures,
      consecutiveErrors,
    };
  return {
    status: 'running',
    reason: `${judged} of ${needed} interval(s) judged`,
    failures,
    consecutiveErrors,
  };
}
