import type { Manifest } from '../manifest/schema.js';
import type { MetricSeries } from './results.js';
import { mcnemar, pairedBootstrap, zTest, type Comparison } from './statistics.js';

export type Gate = NonNullable<NonNullable<Manifest['eval']>['gates']>[number];
export type GateVerdict = 'pass' | 'fail' | 'inconclusive' | 'not-run';

/** The verdict of one gate, with its evidence. */
export interface GateResult {
  metric: string;
  verdict: GateVerdict;
  /** Why, in a sentence. */
  reason: string;
  candidate?: number;
  baseline?: number;
  comparison?: Comparison;
  /** The allowed drop, in the metric's unit. */
  tolerance?: number;
}

export interface GateOptions {
  confidence: number;
  minSamples: number;
  resamples: number;
  seed: number;
}

export const DEFAULT_GATE_OPTIONS: GateOptions = {
  confidence: 0.95,
  minSamples: 30,
  resamples: 1000,
  seed: 0x5eed,
};

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : Number(v.toPrecision(4)).toString());

/**
 * Judges one gate. Thresholds (min, max) apply to the candidate's value.
 * A drop against the baseline (max_drop, max_drop_pct) fails only when it is
 * larger than the tolerance and significant at the configured confidence:
 * McNemar's exact test for paired binary scores, a paired bootstrap for
 * paired continuous ones, a z-test on the reported standard errors otherwise.
 * Too little evidence is inconclusive, never a pass in disguise.
 */
export function judgeGate(
  gate: Gate,
  candidate: MetricSeries | undefined,
  baseline: MetricSeries | undefined,
  options: GateOptions,
  notRun?: string,
): GateResult {
  const metric = gate.metric;
  if (notRun) return { metric, verdict: 'not-run', reason: notRun };
  if (!candidate) return { metric, verdict: 'fail', reason: `${metric} is not in the candidate's results` };
  const value = candidate.value;
  if (gate.min !== undefined && value < gate.min)
    return {
      metric,
      verdict: 'fail',
      candidate: value,
      reason: `${fmt(value)} is below the minimum ${gate.min}`,
    };
  if (gate.max !== undefined && value > gate.max)
    return {
      metric,
      verdict: 'fail',
      candidate: value,
      reason: `${fmt(value)} is above the maximum ${gate.max}`,
    };
  const bounds = [
    gate.min !== undefined ? `≥ ${gate.min}` : '',
    gate.max !== undefined ? `≤ ${gate.max}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (gate.max_drop === undefined && gate.max_drop_pct === undefined)
    return { metric, verdict: 'pass', candidate: value, reason: `${fmt(value)} ${bounds}` };

  if (!baseline)
    return {
      metric,
      verdict: 'inconclusive',
      candidate: value,
      reason: 'no baseline result to compare with',
    };
  const base = { metric, candidate: value, baseline: baseline.value };
  if (
    candidate.taskVersion !== undefined &&
    baseline.taskVersion !== undefined &&
    candidate.taskVersion !== baseline.taskVersion
  ) {
    return {
      ...base,
      verdict: 'inconclusive',
      reason: `task version ${candidate.taskVersion} vs the baseline's ${baseline.taskVersion}: not like-for-like`,
    };
  }
  const tolerances = [
    gate.max_drop,
    gate.max_drop_pct === undefined ? undefined : (gate.max_drop_pct / 100) * Math.abs(baseline.value),
  ].filter((t): t is number => t !== undefined);
  const tolerance = Math.min(...tolerances);
  const comparison = compare(candidate, baseline, options);
  if (!comparison)
    return {
      ...base,
      tolerance,
      verdict: 'inconclusive',
      reason: 'neither per-sample results nor standard errors to compare',
    };
  if (comparison.n > 0 && comparison.n < options.minSamples) {
    return {
      ...base,
      tolerance,
      comparison,
      verdict: 'inconclusive',
      reason: `only ${comparison.n} paired samples (at least ${options.minSamples} needed)`,
    };
  }
  const sign = candidate.higherIsBetter ? 1 : -1;
  const drop = -sign * comparison.delta;
  const alpha = 1 - options.confidence;
  const significant = comparison.pWorse < alpha;
  const evidence = { ...base, tolerance, comparison };
  if (drop > tolerance && significant) {
    return {
      ...evidence,
      verdict: 'fail',
      reason: `dropped ${fmt(drop)} (allowed ${fmt(tolerance)}), p = ${comparison.pWorse.toPrecision(2)} < ${fmt(alpha)}`,
    };
  }
  if (drop > tolerance)
    return {
      ...evidence,
      verdict: 'pass',
      reason: `dropped ${fmt(drop)} but not significantly (p = ${comparison.pWorse.toPrecision(2)})`,
    };
  return {
    ...evidence,
    verdict: 'pass',
    reason:
      drop > 0
        ? `dropped ${fmt(drop)}, within ${fmt(tolerance)}`
        : `no drop (${comparison.delta >= 0 ? '+' : ''}${fmt(comparison.delta)})`,
  };
}

function compare(
  candidate: MetricSeries,
  baseline: MetricSeries,
  options: GateOptions,
): Comparison | undefined {
  const sign = candidate.higherIsBetter ? 1 : -1;
  if (candidate.samples?.size && baseline.samples?.size) {
    const pairs: [number, number][] = [];
    for (const [id, score] of candidate.samples) {
      const other = baseline.samples.get(id);
      if (other !== undefined) pairs.push([score, other]);
    }
    if (pairs.length) {
      const binary = pairs.every(([a, b]) => (a === 0 || a === 1) && (b === 0 || b === 1));
      if (binary) {
        let worse = 0;
        let better = 0;
        for (const [c, b] of pairs) {
          if (c < b) worse += 1;
          else if (c > b) better += 1;
        }
        // McNemar counts the pairs that moved the wrong way for the metric's direction.
        return sign === 1
          ? mcnemar(worse, better, pairs.length, options.confidence)
          : flip(mcnemar(better, worse, pairs.length, options.confidence));
      }
      const diffs = Float64Array.from(pairs, ([c, b]) => c - b);
      return pairedBootstrap(diffs, options.resamples, options.confidence, sign, options.seed);
    }
  }
  if (candidate.stderr !== undefined && baseline.stderr !== undefined) {
    return zTest(
      candidate.value,
      candidate.stderr,
      baseline.value,
      baseline.stderr,
      options.confidence,
      sign,
      Math.min(candidate.n ?? 0, baseline.n ?? 0),
    );
  }
  return undefined;
}

// McNemar above was run with the roles swapped (lower is better): put delta back as candidate - baseline.
function flip(comparison: Comparison): Comparison {
  return { ...comparison, delta: -comparison.delta, ci: [-comparison.ci[1], -comparison.ci[0]] };
}
