import { metricKey } from './direction.js';
import type { MetricSeries } from './results.js';

/** Metrics scored 0 or 1 per document (lm-evaluation-harness, the runner): the value and n fix the stderr. */
const ZERO_ONE = new Set(['acc', 'acc_norm', 'acc_mutual_info', 'exact_match', 'accuracy']);
/** Metrics scored between 0 and 1 per document: the value and n cap the stderr. */
const UNIT_INTERVAL = new Set([...ZERO_ONE, 'acc_all', 'mc1', 'mc2']);

/** Slack for rounding and the harness's bootstrap noise above the exact cap. */
const CEILING_SLACK = 1.05;
/**
 * A 0/1 task's stderr is sqrt(p(1-p)/(n-1)) exactly; a pooled group's is
 * smaller. Below half of it (a quarter of the variance) is not a rounding.
 */
const FLOOR_SHARE = 0.5;
/** Larger than this many times the value (or 1) is no standard error of a mean. */
const HUGE = 1e3;

const fmt = (v: number) => Number(v.toPrecision(3)).toString();

/**
 * Why a stated standard error cannot be used, or undefined when it can.
 * A standard error is a finite number ≥ 0; for a score between 0 and 1 per
 * document at most sqrt(v(1-v)/(n-1)) (a variable in [0, 1] with mean v has
 * variance at most v(1-v)), at most 0.5 when n is unknown; for 0/1 scores of
 * one task at least half of that; and never astronomically larger than the
 * value. `who` names the side: "the candidate", "the baseline".
 */
export function stderrProblem(series: MetricSeries, who: string): string | undefined {
  const se = series.stderr;
  if (se === undefined) return undefined;
  const what = `${who}'s stderr of ${series.name}`;
  if (Number.isNaN(se)) return `${what} is not a number (NaN, Infinity or null in the file)`;
  if (!Number.isFinite(se)) return `${what} is ${se}, not a finite number`;
  if (se < 0) return `${what} is ${fmt(se)}; a standard error is never negative`;
  const value = series.value;
  if (se > HUGE * Math.max(1, Math.abs(value)))
    return `${what} is ${fmt(se)}, implausibly large for a value of ${fmt(value)}`;
  const key = metricKey(series.name);
  if (!UNIT_INTERVAL.has(key) || value < 0 || value > 1) return undefined;
  const n = series.n;
  if (n === undefined || n < 2) {
    return se > 0.5
      ? `${what} is ${fmt(se)}, more than any score between 0 and 1 can have (at most 0.5)`
      : undefined;
  }
  const exact = Math.sqrt((value * (1 - value)) / (n - 1));
  if (se > exact * CEILING_SLACK + 1e-9)
    return `${what} is ${fmt(se)}, more than scores between 0 and 1 averaging ${fmt(value)} over ${n} documents can have (at most ${fmt(exact)})`;
  if (ZERO_ONE.has(key) && !series.group && se < exact * FLOOR_SHARE)
    return `${what} is ${fmt(se)}, less than 0/1 scores averaging ${fmt(value)} over ${n} documents have (${fmt(exact)})`;
  return undefined;
}

/**
 * Whether the spread of a score is held to a bound: a score between 0 and 1
 * per document, from per-document scores (checked by samplesProblem) or from a
 * stated stderr with a document count (checked by stderrProblem). Any other
 * stderr is checked only for being a number, not astronomically large.
 */
export function stderrIsBounded(series: MetricSeries): boolean {
  if (!UNIT_INTERVAL.has(metricKey(series.name))) return false;
  if (series.samples?.size) return true;
  const value = series.value;
  return value >= 0 && value <= 1 && (series.n ?? 0) >= 2;
}

/**
 * Why per-document scores cannot be the metric's: a score between 0 and 1 per
 * document (`acc`, `exact_match`, the runner's `accuracy`) outside that range.
 * Within it, their spread is bounded as a 0/1 metric's is (a mean v has at most
 * the variance v(1-v)), so partial credit is fine: truthfulqa_mc2's `acc` and an
 * `llm_judge` scorer's `accuracy` give it. Undefined for any other metric,
 * whose per-document scores nothing bounds.
 */
export function samplesProblem(series: MetricSeries, who: string): string | undefined {
  if (!series.samples?.size || !UNIT_INTERVAL.has(metricKey(series.name))) return undefined;
  for (const [id, score] of series.samples)
    if (!(score >= 0 && score <= 1))
      return `${who}'s per-document score of ${series.name} for document ${JSON.stringify(id)} is ${fmt(score)}, where each document scores between 0 and 1`;
  return undefined;
}
