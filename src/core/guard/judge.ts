import {
  countedSorted,
  finitePart,
  formatReading,
  hodgesLehmannSorted,
  mannWhitneySorted,
  sortedMedian,
} from '../canary/statistics.js';
import type { GuardMetric, GuardPolicy } from '../manifest/guard.js';
import { adjustPValues, type Correction } from './multiple-comparisons.js';

export type GuardVerdict = 'pass' | 'fail' | 'inconclusive' | 'error';

/** A segment's labels (`{language: "de"}`); `{}` for a metric that is not split. */
export type Segment = Record<string, string>;

/** One series a query returned, with its labels. */
export interface LabelledSeries {
  labels: Record<string, string>;
  values: number[];
}

/** What the metric provider returned for one side: labelled series, or why there are none. */
export type SegmentedSeries = { series: LabelledSeries[] } | { error: string };

/** One guard metric's data for one interval: the version in production, and the previous one over comparable windows. */
export interface GuardMetricData {
  metric: string;
  current: SegmentedSeries;
  /** The previous production version over the same hours of earlier days (absent: no previous version). */
  baseline?: SegmentedSeries;
}

/** One segment's verdict, with its evidence. */
export interface SegmentResult {
  segment: Segment;
  verdict: GuardVerdict;
  reason: string;
  current: { median: number; n: number };
  baseline?: { median: number; n: number };
  /** Mann–Whitney U in the bad direction: raw and adjusted p, Hodges–Lehmann shift (current − baseline). */
  test?: { p: number; adjusted: number; effect: number };
}

/** One metric's verdict over its segments: the worst segments kept as evidence. */
export interface GuardMeasurement {
  metric: string;
  verdict: GuardVerdict;
  reason: string;
  /** Segments judged (enough data), and how many breached. */
  judged: number;
  breached: number;
  /** The worst segments first (breached, then smallest adjusted p), at most WORST_SEGMENTS. */
  worst: SegmentResult[];
}

/** One judged window of the guard. */
export interface GuardInterval {
  /** ISO time the window ended. */
  at: string;
  verdict: GuardVerdict;
  measurements: GuardMeasurement[];
  reason?: string;
}

/** How many segments of a metric the report and the state keep (the worst). */
const WORST_SEGMENTS = 5;
/** The most segments one metric may have: more is a label with unbounded values (a user id), not a segment. */
const MAX_SEGMENTS = 200;

const GUARD_DEFAULTS = {
  confidence: 0.95,
  minSamples: 6,
  correction: 'holm' as Correction,
};

const keyOf = (segment: Segment) =>
  JSON.stringify(Object.entries(segment).sort(([a], [b]) => (a < b ? -1 : 1)));
/** `language=de, tenant=acme`, or `all traffic` for a metric that is not split. */
export function segmentName(segment: Segment): string {
  const entries = Object.entries(segment);
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : 'all traffic';
}

/**
 * Judges one window of production: each metric, in each segment, against its
 * absolute thresholds and (with a direction) against the previous version
 * over the same hours of earlier days. A segment is judged only with at
 * least `min_samples` values (on both sides for the comparison); the
 * comparisons of one metric's segments are adjusted together (Holm or
 * Benjamini–Hochberg), so many segments do not make a false breach likely.
 * The window fails when any metric fails; it passes only when every metric
 * passed; a failed query makes it an error, never a pass.
 */
export function judgeGuardInterval(
  policy: Pick<GuardPolicy, 'metrics' | 'confidence' | 'min_samples' | 'correction'>,
  data: readonly GuardMetricData[],
  at: string,
): GuardInterval {
  const measurements = policy.metrics.map((metric) =>
    judgeGuardMetric(
      metric,
      data.find((d) => d.metric === metric.name),
      policy,
    ),
  );
  let verdict: GuardVerdict;
  if (measurements.some((m) => m.verdict === 'fail')) verdict = 'fail';
  else if (measurements.some((m) => m.verdict === 'error')) verdict = 'error';
  else if (measurements.length && measurements.every((m) => m.verdict === 'pass')) verdict = 'pass';
  else verdict = 'inconclusive';
  return { at, verdict, measurements };
}

function judgeGuardMetric(
  metric: GuardMetric,
  data: GuardMetricData | undefined,
  policy: Pick<GuardPolicy, 'confidence' | 'min_samples' | 'correction'>,
): GuardMeasurement {
  const none = { metric: metric.name, judged: 0, breached: 0, worst: [] };
  if (!data) return { ...none, verdict: 'error', reason: 'no data returned for the metric' };
  if ('error' in data.current)
    return { ...none, verdict: 'error', reason: `query failed: ${data.current.error}` };
  const current = segmentsOf(metric, data.current.series);
  if ('problem' in current) return { ...none, verdict: 'error', reason: current.problem };
  let baseline: Map<string, Float64Array> | undefined;
  if (metric.direction && data.baseline) {
    if ('error' in data.baseline)
      return {
        ...none,
        verdict: 'error',
        reason: `query of the previous version failed: ${data.baseline.error}`,
      };
    const found = segmentsOf(metric, data.baseline.series);
    if ('problem' in found)
      return { ...none, verdict: 'error', reason: `previous version: ${found.problem}` };
    baseline = new Map([...found.values()].map((s) => [keyOf(s.segment), s.values]));
  }
  const minSamples = policy.min_samples ?? GUARD_DEFAULTS.minSamples;
  const alpha = 1 - (policy.confidence ?? GUARD_DEFAULTS.confidence);
  const results: (SegmentResult & { p?: number; thin?: boolean })[] = [];
  for (const { segment, values } of current.values()) {
    const evidence = { segment, current: { median: sortedMedian(values), n: values.length } };
    const previous = baseline?.get(keyOf(segment));
    const withBaseline = previous?.length
      ? { ...evidence, baseline: { median: sortedMedian(previous), n: previous.length } }
      : evidence;
    if (values.length < minSamples) {
      results.push({
        ...withBaseline,
        verdict: 'inconclusive',
        reason: `not enough data (${values.length} values, at least ${minSamples})`,
        thin: true,
      });
      continue;
    }
    const m = evidence.current.median;
    // As many -Inf as +Inf readings around the middle: no median, so no threshold can hold.
    if ((metric.min !== undefined || metric.max !== undefined) && Number.isNaN(m)) {
      results.push({
        ...withBaseline,
        verdict: 'fail',
        reason: 'no median (its two middle readings are -Inf and +Inf)',
      });
      continue;
    }
    if (metric.max !== undefined && m > metric.max) {
      results.push({
        ...withBaseline,
        verdict: 'fail',
        reason: `median ${formatReading(m)} is above ${metric.max}`,
      });
      continue;
    }
    if (metric.min !== undefined && m < metric.min) {
      results.push({
        ...withBaseline,
        verdict: 'fail',
        reason: `median ${formatReading(m)} is below ${metric.min}`,
      });
      continue;
    }
    const hasThreshold = metric.min !== undefined || metric.max !== undefined;
    if (!metric.direction || !previous || previous.length < minSamples) {
      const why = !metric.direction
        ? ''
        : `the previous version has ${previous?.length ?? 0} values in this segment (at least ${minSamples})`;
      results.push(
        hasThreshold
          ? {
              ...withBaseline,
              verdict: 'pass',
              reason: `median ${formatReading(m)} within the threshold${why ? `; ${why}` : ''}`,
            }
          : { ...withBaseline, verdict: 'inconclusive', reason: why, thin: true },
      );
      continue;
    }
    const u = mannWhitneySorted(values, previous);
    const p =
      metric.direction === 'increase'
        ? u.pGreater
        : metric.direction === 'decrease'
          ? u.pLess
          : Math.min(1, 2 * Math.min(u.pGreater, u.pLess));
    results.push({
      ...withBaseline,
      verdict: 'pass',
      reason: '',
      p,
      test: {
        p,
        adjusted: Number.NaN,
        effect: hodgesLehmannSorted(finitePart(values), finitePart(previous)),
      },
    });
  }
  // The comparisons of this metric's segments are one family: adjust them together.
  const compared = results.filter((r) => r.p !== undefined);
  const adjusted = adjustPValues(
    compared.map((r) => r.p!),
    policy.correction ?? GUARD_DEFAULTS.correction,
  );
  const worse =
    metric.direction === 'increase' ? 'higher' : metric.direction === 'decrease' ? 'lower' : 'different';
  compared.forEach((r, i) => {
    const q = adjusted[i]!;
    r.test = { ...r.test!, adjusted: q };
    const shift = `shift ${formatReading(r.test.effect)}, p = ${r.test.p.toPrecision(2)}, adjusted ${q.toPrecision(2)}`;
    if (q < alpha) {
      r.verdict = 'fail';
      r.reason = `${worse} than the previous version (${shift})`;
    } else r.reason = `not ${worse} than the previous version (${shift})`;
  });
  const judged = results.filter((r) => !r.thin);
  const breached = results.filter((r) => r.verdict === 'fail');
  const worst = [...results]
    .sort((a, b) => rank(a) - rank(b) || (a.test?.adjusted ?? 1) - (b.test?.adjusted ?? 1))
    .slice(0, WORST_SEGMENTS)
    .map(({ p: _p, thin: _thin, ...rest }) => rest);
  const counted = `${judged.length} of ${results.length} segment(s) judged`;
  const family =
    compared.length > 1
      ? `, p adjusted for ${compared.length} segments (${policy.correction ?? GUARD_DEFAULTS.correction})`
      : '';
  if (breached.length)
    return {
      metric: metric.name,
      verdict: 'fail',
      reason: `${breached.length} segment(s) breached, worst ${segmentName(worst[0]!.segment)}: ${worst[0]!.reason} (${counted}${family})`,
      judged: judged.length,
      breached: breached.length,
      worst,
    };
  if (!judged.length)
    return {
      metric: metric.name,
      verdict: 'inconclusive',
      reason: results.length ? `nothing judged: ${counted}` : 'the query returned no series',
      judged: 0,
      breached: 0,
      worst,
    };
  return {
    metric: metric.name,
    verdict: 'pass',
    reason: `no segment breached (${counted}${family})`,
    judged: judged.length,
    breached: 0,
    worst,
  };
}

const rank = (r: SegmentResult & { thin?: boolean }) => (r.verdict === 'fail' ? 0 : r.thin ? 2 : 1);

/** The series grouped into segments by the metric's `by` labels (several series of one segment are one sample). */
function segmentsOf(
  metric: GuardMetric,
  series: readonly LabelledSeries[],
): Map<string, { segment: Segment; values: Float64Array }> | { problem: string } {
  const by = metric.by ?? [];
  if (!by.length && series.length > 1)
    return {
      problem: `the query returned ${series.length} series; aggregate it to one, or split it with \`by\` (and {{by}} in the query)`,
    };
  const grouped = new Map<string, { segment: Segment; values: number[] }>();
  for (const s of series) {
    const segment: Segment = {};
    for (const label of by) {
      const value = s.labels[label];
      if (value === undefined)
        return {
          problem: `a series has no ${label} label (${JSON.stringify(s.labels).slice(0, 200)}): aggregate with \`sum by ({{by}})\``,
        };
      segment[label] = value;
    }
    const key = keyOf(segment);
    const entry = grouped.get(key) ?? { segment, values: [] };
    entry.values.push(...s.values);
    grouped.set(key, entry);
  }
  if (grouped.size > MAX_SEGMENTS)
    return {
      problem: `${grouped.size} segments by ${by.join(', ')}, more than ${MAX_SEGMENTS}: split by a label with fewer values`,
    };
  return new Map(
    [...grouped].map(([key, { segment, values }]) => [key, { segment, values: countedSorted(values) }]),
  );
}
