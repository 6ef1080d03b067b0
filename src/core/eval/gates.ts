import type { Manifest } from '../manifest/schema.js';
import { metricDirection } from './direction.js';
import type { MetricSeries } from './results.js';
import { samplesProblem, stderrIsBounded, stderrProblem } from './standard-error.js';
import {
  mcnemar,
  pairedBootstrap,
  samplesToSettle,
  stderrToSettle,
  zTest,
  type Comparison,
} from './statistics.js';

/**
 * A gate of a manifest. `higher_is_better` states the metric's direction;
 * it counts from the baseline's manifest, and from the candidate's only when
 * nothing trusted states one (direction.ts).
 */
export type Gate = NonNullable<NonNullable<Manifest['eval']>['gates']>[number] & {
  higher_is_better?: boolean;
};
export type GateVerdict = 'pass' | 'fail' | 'inconclusive' | 'not-run';

/** A comparison as a gate judged it: the statistics, the bound it checked, and the pairing. */
export interface GateComparison extends Comparison {
  /**
   * The one-sided confidence bound of delta on the worse side, at
   * `confidence`: the lower bound when higher is better, the upper bound
   * when lower is better. The gate passes when it clears the tolerance.
   */
  bound: number;
  confidence: number;
  /** Per-document scores on both sides: how many ids matched, of how many on each side. */
  ids?: { matched: number; candidate: number; baseline: number };
}

/** What would settle an inconclusive comparison, if the observed difference holds. */
export type Settle =
  | { samples: number; more: number; paired: boolean }
  | { stderr: number; now: number }
  | { unsettleable: true };

/** The verdict of one gate, with its evidence. */
export interface GateResult {
  metric: string;
  verdict: GateVerdict;
  /** Why, in a sentence. */
  reason: string;
  candidate?: number;
  baseline?: number;
  comparison?: GateComparison;
  /** The allowed drop, in the metric's unit. */
  tolerance?: number;
  /** The direction the comparison used, and who stated it. */
  higherIsBetter?: boolean;
  direction?: string;
  /** A direction the candidate's side stated and the gate did not follow. */
  overruled?: string;
  /** For an inconclusive comparison: how much more evidence would decide it. */
  settle?: Settle;
  /**
   * The candidate's own results cannot serve as evidence (an impossible
   * stderr, or none and no per-document scores while the baseline has
   * them): the file the pull request brought is wrong, which is an error
   * whatever `on_inconclusive` says. `missing` when the evidence is absent
   * rather than implausible.
   */
  /** The candidate's evidence is at fault: implausible, `missing` (no stderr, no samples) or `partial` (fewer documents than the baseline's). */
  invalidCandidate?: {
    file: string;
    problem: string;
    missing?: true;
    partial?: true;
    /** The baseline states how many documents it covers, the candidate does not. */
    uncounted?: true;
    /** A stderr many times the baseline's, with a worse value. */
    inflated?: true;
  };
}

export interface GateOptions {
  confidence: number;
  minSamples: number;
  resamples: number;
  seed: number;
  /** Probability that the estimated number of samples settles an inconclusive gate. */
  power: number;
}

export const DEFAULT_GATE_OPTIONS: GateOptions = {
  confidence: 0.95,
  minSamples: 30,
  resamples: 1000,
  seed: 0x5eed,
  power: 0.8,
};

/** Pair per-document scores only when this share of the larger side's ids match. */
const PAIRED_SHARE = 0.9;

/** What the gate knows beyond the two series. */
export interface GateContext {
  /** The suite behind the metric could not run, and why. */
  notRun?: string;
  /** `higher_is_better` of the same gate in the baseline's manifest. */
  baselineGate?: boolean;
  /** Why the baseline's results cannot be read: a drop with nothing to compare with is then not run, never a warning. */
  baselineUnread?: string;
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : Number(v.toPrecision(4)).toString());
const signed = (v: number) => `${v >= 0 ? '+' : ''}${fmt(v)}`;
const percent = (confidence: number) => `${Number((confidence * 100).toPrecision(4))} %`;

/**
 * Judges one gate. Thresholds (min, max) apply to the candidate's value.
 * A drop against the baseline (max_drop, max_drop_pct) is a non-inferiority
 * question: the gate passes only when the one-sided bound of the change at
 * `confidence` shows the drop is at most the tolerance, fails when the other
 * one-sided bound shows it is more, and is inconclusive in between, with an
 * estimate of the samples that would decide it. The change comes from
 * McNemar on paired 0/1 scores, a paired bootstrap on paired continuous
 * ones, or the two aggregates' standard errors. Which way is worse comes
 * from the trusted side (direction.ts); a stated stderr must be plausible
 * (standard-error.ts). Nothing here passes for want of evidence.
 */
export function judgeGate(
  gate: Gate,
  candidate: MetricSeries | undefined,
  baseline: MetricSeries | undefined,
  options: GateOptions,
  context: GateContext = {},
): GateResult {
  const metric = gate.metric;
  if (context.notRun) return { metric, verdict: 'not-run', reason: context.notRun };
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
  const limits = [
    gate.min !== undefined ? `≥ ${gate.min}` : '',
    gate.max !== undefined ? `≤ ${gate.max}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (gate.max_drop === undefined && gate.max_drop_pct === undefined)
    return { metric, verdict: 'pass', candidate: value, reason: `${fmt(value)} ${limits}` };

  if (!baseline && context.baselineUnread)
    return { metric, verdict: 'not-run', candidate: value, reason: context.baselineUnread };
  if (!baseline)
    return {
      metric,
      verdict: 'inconclusive',
      candidate: value,
      reason: 'no baseline result to compare with',
    };
  const direction = metricDirection({
    metric,
    baselineGate: context.baselineGate,
    candidateGate: gate.higher_is_better,
    baseline,
    candidate,
  });
  // A guess could pass a regression: with no direction stated anywhere trusted, the gate cannot judge.
  if (direction.unstated)
    return {
      metric,
      verdict: 'inconclusive',
      candidate: value,
      baseline: baseline.value,
      reason: direction.unstated,
    };
  const base = {
    metric,
    candidate: value,
    baseline: baseline.value,
    higherIsBetter: direction.higherIsBetter,
    direction: direction.source,
    ...(direction.overruled ? { overruled: direction.overruled } : {}),
  };
  // The reason ends with the direction when the candidate's side stated another one.
  const said = (reason: string) => (direction.overruled ? `${reason}; ${direction.overruled}` : reason);
  if (
    candidate.taskVersion !== undefined &&
    baseline.taskVersion !== undefined &&
    candidate.taskVersion !== baseline.taskVersion
  ) {
    return {
      ...base,
      verdict: 'inconclusive',
      reason: said(
        `task version ${candidate.taskVersion} vs the baseline's ${baseline.taskVersion}: not like-for-like`,
      ),
    };
  }
  const otherDataset = datasetMismatch(candidate, baseline);
  if (otherDataset) return { ...base, verdict: 'inconclusive', reason: said(otherDataset) };
  const tolerances = [
    gate.max_drop,
    gate.max_drop_pct === undefined ? undefined : (gate.max_drop_pct / 100) * Math.abs(baseline.value),
  ].filter((t): t is number => t !== undefined);
  const tolerance = Math.min(...tolerances);
  if (candidate.runMetric && baseline.runMetric) {
    // Two training runs' final values: a tracker records one number, with no standard error or
    // per-document scores to test, so the drop is the difference of the values as recorded.
    const drop = (direction.higherIsBetter ? 1 : -1) * (baseline.value - value);
    const from = `the baseline run's ${fmt(baseline.value)}`;
    if (drop > tolerance)
      return {
        ...base,
        tolerance,
        verdict: 'fail',
        reason: said(`dropped ${fmt(drop)} from ${from}, more than the allowed ${fmt(tolerance)}`),
      };
    const observed =
      drop > 0 ? `dropped ${fmt(drop)} from ${from}, within ${fmt(tolerance)}` : `no drop from ${from}`;
    return { ...base, tolerance, verdict: 'pass', reason: said(observed) };
  }
  const compared = compare(candidate, baseline, direction.higherIsBetter, options);
  const note = compared.note ? `; ${compared.note}` : '';
  if ('cannot' in compared)
    return {
      ...base,
      tolerance,
      verdict: 'inconclusive',
      reason: said(`cannot compare: ${compared.cannot}${note}`),
      ...(compared.candidateFault
        ? {
            invalidCandidate: {
              file: candidate.source,
              problem: compared.cannot,
              ...(compared.candidateFault === 'missing' ? { missing: true as const } : {}),
              ...(compared.candidateFault === 'partial' ? { partial: true as const } : {}),
              ...(compared.candidateFault === 'uncounted' ? { uncounted: true as const } : {}),
              ...(compared.candidateFault === 'inflated' ? { inflated: true as const } : {}),
            },
          }
        : {}),
    };
  const comparison = compared.comparison;
  if (comparison.n > 0 && comparison.n < options.minSamples) {
    const unit = comparison.method === 'stderr' ? 'documents per version' : 'paired samples';
    return {
      ...base,
      tolerance,
      comparison,
      verdict: 'inconclusive',
      reason: said(`only ${comparison.n} ${unit} (at least ${options.minSamples} needed)${note}`),
    };
  }
  const sign = direction.higherIsBetter ? 1 : -1;
  const drop = -sign * comparison.delta;
  // The change in the "better" direction, at its worst and best plausible values.
  const worstDrop = direction.higherIsBetter ? -comparison.bounds.lower : comparison.bounds.upper;
  const leastDrop = direction.higherIsBetter ? -comparison.bounds.upper : comparison.bounds.lower;
  const at = `at ${percent(options.confidence)} confidence`;
  const evidence = { ...base, tolerance, comparison };
  if (worstDrop <= tolerance) {
    const observed =
      drop > 0 ? `dropped ${fmt(drop)}, within ${fmt(tolerance)}` : `no drop (${signed(comparison.delta)})`;
    const shown =
      worstDrop > 0
        ? `${at} the drop is at most ${fmt(worstDrop)}`
        : worstDrop === 0
          ? `${at} it is no worse than the baseline`
          : `${at} it is better by at least ${fmt(-worstDrop)}`;
    return { ...evidence, verdict: 'pass', reason: said(`${observed}: ${shown}${note}`) };
  }
  if (leastDrop > tolerance)
    return {
      ...evidence,
      verdict: 'fail',
      reason: said(
        `dropped ${fmt(drop)}, more than the allowed ${fmt(tolerance)}: ${at} the drop is at least ${fmt(leastDrop)}${note}`,
      ),
    };
  const settle = settleEstimate(comparison, drop, tolerance, options);
  const observed =
    drop > 0
      ? `dropped ${fmt(drop)} (allowed ${fmt(tolerance)})`
      : `no drop (${signed(comparison.delta)}, allowed ${fmt(tolerance)})`;
  return {
    ...evidence,
    verdict: 'inconclusive',
    settle,
    reason: said(
      `${observed}, but the evidence shows neither that it is within the tolerance nor beyond it: ${at} the drop is between ${fmt(leastDrop)} and ${fmt(worstDrop)}; ${settleText(settle, comparison)}${note}`,
    ),
  };
}

/** A sha256 as messages show it: enough hex digits to tell two files apart. */
const shortSha = (sha256: string) => sha256.slice(0, 12);

/**
 * Why a run of a suite cannot be compared with the baseline's result: the run records the sha256 of
 * the dataset it ran, and the baseline's result records another one, or none. A drop between two
 * datasets is a change of test, not of model; a pull request that edits the dataset could make it
 * look like no drop at all.
 */
function datasetMismatch(candidate: MetricSeries, baseline: MetricSeries): string | undefined {
  const ran = candidate.dataset?.sha256;
  if (ran === undefined) return undefined;
  const here = `this run's dataset ${candidate.dataset!.path} (sha256 ${shortSha(ran)}…)`;
  const there = baseline.dataset;
  if (there?.sha256 === undefined)
    return `not like-for-like: ${baseline.source} does not record the sha256 of the dataset it was measured on${there ? ` (${there.path})` : ''}, so it cannot be matched with ${here}`;
  if (there.sha256 !== ran)
    return `not like-for-like: ${baseline.source} was measured on ${there.path} (sha256 ${shortSha(there.sha256)}…), a different dataset from ${here}`;
  return undefined;
}

/** Why the candidate's side is to blame for a comparison that cannot be made: its evidence is implausible, or missing. */
type CandidateFault = false | 'implausible' | 'missing' | 'partial' | 'uncounted' | 'inflated';

type Compared =
  | { comparison: GateComparison; note?: string }
  | { cannot: string; candidateFault: CandidateFault; note?: string };

/**
 * The comparison a gate judges: paired on per-document scores when most
 * ids match, else the two aggregates. A side's aggregate comes from its
 * per-document scores when it has them, else from its stated value and a
 * plausible stderr; without either there is nothing to compare.
 */
function compare(
  candidate: MetricSeries,
  baseline: MetricSeries,
  higherIsBetter: boolean,
  options: GateOptions,
): Compared {
  const sign = higherIsBetter ? 1 : -1;
  const judged = (comparison: Comparison, ids?: GateComparison['ids']): GateComparison => ({
    ...comparison,
    bound: higherIsBetter ? comparison.bounds.lower : comparison.bounds.upper,
    confidence: options.confidence,
    ...(ids ? { ids } : {}),
  });
  // Evidence the candidate's file cannot hold: per-document scores outside what the metric scores, or a
  // spread many times the baseline's while it is worse (either widens the interval until a drop reads
  // as inconclusive).
  const impossible = samplesProblem(candidate, 'the candidate');
  if (impossible) return { cannot: impossible, candidateFault: 'implausible' };
  const widened = inflatedStderr(candidate, baseline, sign);
  if (widened) return { cannot: widened, candidateFault: 'inflated' };
  let note: string | undefined;
  let ids: GateComparison['ids'];
  if (candidate.samples?.size && baseline.samples?.size) {
    const pairs: [number, number][] = [];
    for (const [id, score] of candidate.samples) {
      const other = baseline.samples.get(id);
      if (other !== undefined) pairs.push([score, other]);
    }
    ids = { matched: pairs.length, candidate: candidate.samples.size, baseline: baseline.samples.size };
    const larger = Math.max(ids.candidate, ids.baseline);
    if (pairs.length > 0 && pairs.length >= PAIRED_SHARE * larger) {
      // Every document the baseline was measured on must be scored: leaving out the ones it got wrong
      // (within the share that still pairs) turned a failing drop into a pass.
      if (pairs.length < ids.baseline)
        return {
          cannot: `the candidate's per-document scores leave out ${ids.baseline - pairs.length} of the ${ids.baseline} documents the baseline was measured on`,
          candidateFault: 'partial',
        };
      const partly =
        pairs.length < larger
          ? `paired on the ${pairs.length} of ${larger} documents whose ids match`
          : undefined;
      return { comparison: judged(paired(pairs, sign, options), ids), ...(partly ? { note: partly } : {}) };
    }
    note = `only ${ids.matched} of the candidate's ${ids.candidate} and the baseline's ${ids.baseline} document ids match, too few to pair: compared the aggregates`;
  }
  const c = aggregate(candidate, 'the candidate');
  const b = aggregate(baseline, 'the baseline');
  if ('problem' in c) {
    // Evidence the candidate's file lacks while the baseline's has it is the file's fault, not a lack of
    // data: a pull request must not turn a failing drop into a warning by deleting its own stderr. When
    // the baseline has none either, no candidate file could have settled it: inconclusive, as before.
    const fault: CandidateFault = c.invalid ? 'implausible' : 'problem' in b ? false : 'missing';
    return { cannot: c.problem, candidateFault: fault, ...(note ? { note } : {}) };
  }
  if ('problem' in b) return { cannot: b.problem, candidateFault: false, ...(note ? { note } : {}) };
  // Fewer documents than the baseline's (lm_eval --limit, an edited n-samples, deleted lines) is the
  // candidate's fault: a drop measured on 10 documents was "inconclusive", a warning the check passed.
  if (c.n !== undefined && b.n !== undefined && c.n < b.n)
    return {
      cannot: `the candidate's ${candidate.name} covers ${c.n} documents, the baseline's ${b.n}`,
      candidateFault: 'partial',
      ...(note ? { note } : {}),
    };
  // A count the baseline's results state and the candidate's leave out (a deleted n-samples entry) would
  // leave its stderr unchecked against it: the file lacks evidence the baseline has.
  if (c.n === undefined && b.n !== undefined)
    return {
      cannot: `the candidate's results do not say how many documents ${candidate.name} covers (the baseline's: ${b.n})`,
      candidateFault: 'uncounted',
      ...(note ? { note } : {}),
    };
  const comparison = zTest(
    c.value,
    c.se,
    b.value,
    b.se,
    options.confidence,
    sign,
    Math.min(c.n ?? 0, b.n ?? 0),
  );
  return { comparison: judged(comparison, ids), ...(note ? { note } : {}) };
}

/**
 * How many times the baseline's standard error a candidate's may be on as many documents while its
 * value is worse: 16 times the variance per document, far beyond two models' scores on one task.
 */
const MAX_STDERR_RATIO = 4;

/**
 * Why the candidate's standard error (stated, or from its per-document
 * scores) is no measurement of the task: many times the baseline's on as many
 * documents while its value is worse. A score bounded per document (0 to 1,
 * with a count or checked per-document scores) is held to its bound instead
 * (standard-error.ts), and a better value cannot hide a drop.
 */
function inflatedStderr(candidate: MetricSeries, baseline: MetricSeries, sign: 1 | -1): string | undefined {
  if (stderrIsBounded(candidate)) return undefined;
  const c = aggregate(candidate, 'the candidate');
  const b = aggregate(baseline, 'the baseline');
  if ('problem' in c || 'problem' in b || b.se <= 0) return undefined;
  const worse = sign * (c.value - b.value) < 0;
  const asMany = c.n === undefined || b.n === undefined || c.n >= b.n;
  if (!worse || !asMany || c.se <= MAX_STDERR_RATIO * b.se) return undefined;
  return `the candidate's stderr of ${candidate.name} is ${fmt(c.se)}, ${(c.se / b.se).toFixed(1)} times the baseline's ${fmt(b.se)} on as many documents, with a worse value (at most ${MAX_STDERR_RATIO} times)`;
}

/** McNemar on 0/1 pairs, counted in the metric's direction; a paired bootstrap otherwise. */
function paired(pairs: [number, number][], sign: 1 | -1, options: GateOptions): Comparison {
  const binary = pairs.every(([a, b]) => (a === 0 || a === 1) && (b === 0 || b === 1));
  if (binary) {
    let lower = 0;
    let higher = 0;
    for (const [c, b] of pairs) {
      if (c < b) lower += 1;
      else if (c > b) higher += 1;
    }
    // McNemar counts the pairs that moved the wrong way for the metric's direction.
    return sign === 1
      ? mcnemar(lower, higher, pairs.length, options.confidence)
      : flip(mcnemar(higher, lower, pairs.length, options.confidence));
  }
  const diffs = Float64Array.from(pairs, ([c, b]) => c - b);
  return pairedBootstrap(diffs, options.resamples, options.confidence, sign, options.seed);
}

/** A side's mean and its standard error: from its per-document scores, else as stated (when plausible). */
function aggregate(
  series: MetricSeries,
  who: string,
): { value: number; se: number; n?: number } | { problem: string; invalid?: boolean } {
  const samples = series.samples;
  if (samples?.size) {
    let sum = 0;
    for (const v of samples.values()) sum += v;
    const mean = sum / samples.size;
    let squares = 0;
    for (const v of samples.values()) squares += (v - mean) ** 2;
    const n = samples.size;
    return { value: mean, se: n > 1 ? Math.sqrt(squares / (n - 1) / n) : 0, n };
  }
  if (series.stderr === undefined)
    return { problem: `${who} has neither per-document scores nor a standard error for ${series.name}` };
  const problem = stderrProblem(series, who);
  if (problem) return { problem, invalid: true };
  return { value: series.value, se: series.stderr, ...(series.n !== undefined ? { n: series.n } : {}) };
}

// McNemar above was run with the roles swapped (lower is better): put delta back as candidate - baseline.
function flip(comparison: Comparison): Comparison {
  return {
    ...comparison,
    delta: -comparison.delta,
    ci: [-comparison.ci[1], -comparison.ci[0]],
    bounds: { lower: -comparison.bounds.upper, upper: -comparison.bounds.lower },
  };
}

function settleEstimate(
  comparison: Comparison,
  drop: number,
  tolerance: number,
  options: GateOptions,
): Settle {
  // The distance between the observed change and the edge of the tolerance.
  const gap = tolerance - drop;
  if (comparison.n > 0) {
    const samples = samplesToSettle(gap, comparison.se, comparison.n, options.confidence, options.power);
    if (samples === undefined) return { unsettleable: true };
    return { samples, more: Math.max(1, samples - comparison.n), paired: comparison.method !== 'stderr' };
  }
  if (gap === 0) return { unsettleable: true };
  return { stderr: stderrToSettle(gap, options.confidence, options.power), now: comparison.se };
}

function settleText(settle: Settle, comparison: Comparison): string {
  if ('unsettleable' in settle)
    return 'the observed change sits on the tolerance, so more samples would not settle it';
  if ('stderr' in settle)
    return `a standard error of the difference below ${fmt(settle.stderr)} (now ${fmt(settle.now)}) would settle it; record the document counts or per-document scores to know how many samples that takes`;
  const what = settle.paired ? 'paired documents' : 'documents per version';
  return `about ${settle.more.toLocaleString('en-US')} more ${what} (${settle.samples.toLocaleString('en-US')} in all, now ${comparison.n.toLocaleString('en-US')}) would settle it if the observed difference holds`;
}
