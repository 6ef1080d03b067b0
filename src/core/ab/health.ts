import { judgeInterval, type CanaryPolicy, type IntervalResult, type MetricData } from '../canary/judge.js';
import type { ServingTally } from '../shadow/state.js';
import { AB_RECENT_HEALTH, type AbHealth } from './state.js';

/** One look at B's serving health: the record after it, the interval judged, and why it ends the test (if it does). */
export interface AbHealthLook {
  health: AbHealth;
  interval: IntervalResult;
  /** Set when the limits are exceeded: B is taken out of traffic at once (keep A). */
  breach?: string;
}

const EMPTY_TALLY: ServingTally = { passed: 0, failed: 0, inconclusive: 0, errors: 0, consecutiveErrors: 0 };

/**
 * Judges one interval of B's serving health with the canary's judge
 * (canary.metrics, B as the canary, A as the baseline) and applies the
 * canary's limits across the test: more failed intervals than
 * `failure_limit` (default 0), or more consecutive intervals with errors
 * than `consecutive_error_limit` (default 4), is a breach. Inconclusive
 * intervals and errors within the limit are counted and shown, never a
 * breach: health can veto B, it never has to prove B. Undefined when the
 * manifest has no canary.metrics (the test is judged on its product metric
 * alone). `data` undefined means nothing was read: every metric is an error.
 */
export function judgeAbHealth(
  before: AbHealth | undefined,
  canary: CanaryPolicy | undefined,
  data: readonly MetricData[] | undefined,
  at: string,
): AbHealthLook | undefined {
  const metrics = canary?.metrics;
  if (!canary || !metrics?.length) return undefined;
  const judged = judgeInterval(metrics, data ?? [], canary, at);
  const interval: IntervalResult = data
    ? judged
    : { ...judged, reason: 'no serving metrics were read for B' };
  const tally = countInterval(before?.tally ?? EMPTY_TALLY, interval.verdict);
  const health: AbHealth = { tally, recent: [...(before?.recent ?? []), interval].slice(-AB_RECENT_HEALTH) };
  const breach = healthBreach(tally, canary, interval);
  return breach ? { health, interval, breach } : { health, interval };
}

function countInterval(tally: ServingTally, verdict: IntervalResult['verdict']): ServingTally {
  return {
    passed: tally.passed + (verdict === 'pass' ? 1 : 0),
    failed: tally.failed + (verdict === 'fail' ? 1 : 0),
    inconclusive: tally.inconclusive + (verdict === 'inconclusive' ? 1 : 0),
    errors: tally.errors + (verdict === 'error' ? 1 : 0),
    consecutiveErrors: verdict === 'error' ? tally.consecutiveErrors + 1 : 0,
  };
}

function healthBreach(tally: ServingTally, canary: CanaryPolicy, latest: IntervalResult): string | undefined {
  const failureLimit = canary.failure_limit ?? 0;
  const errorLimit = canary.consecutive_error_limit ?? 4;
  const why = latestProblems(latest);
  if (tally.failed > failureLimit)
    return `${tally.failed} failed interval(s), more than failure_limit ${failureLimit}${why}`;
  if (tally.consecutiveErrors > errorLimit)
    return `${tally.consecutiveErrors} consecutive intervals with errors, more than consecutive_error_limit ${errorLimit}${why}`;
  return undefined;
}

/** The latest interval's failing or erroring metrics, in a clause (the full evidence is in the report). */
function latestProblems(interval: IntervalResult): string {
  const bad = interval.measurements.filter((m) => m.verdict === interval.verdict);
  const listed = bad.map((m) => `${m.metric}: ${m.reason}`).join('; ');
  const text = listed || interval.reason;
  return text ? ` (interval ending ${interval.at}: ${text})`.slice(0, 600) : '';
}
