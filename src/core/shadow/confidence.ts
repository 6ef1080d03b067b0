import { normalQuantile } from '../eval/statistics.js';

/** A two-sided confidence interval around an estimate. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

const zOf = (confidence: number) => normalQuantile(1 - (1 - confidence) / 2);

/**
 * Wilson's score interval for a proportion `successes / n` (Wilson 1927): it
 * stays inside [0, 1] and keeps its coverage near 0 and 1, where the normal
 * (Wald) interval collapses. `successes` may be fractional (a judge's ties
 * count half): a score in {0, ½, 1} with mean p has variance at most
 * p(1 − p), so the interval is then conservative. n = 0 is [0, 1].
 */
export function wilsonInterval(successes: number, n: number, confidence: number): Interval {
  if (n <= 0) return { estimate: Number.NaN, low: 0, high: 1 };
  const z = zOf(confidence);
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + z2n);
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** A 2×2 table of paired yes/no outcomes: production's answer and the shadow's answer to one request. */
export interface PairedCounts {
  /** Both answers have the property. */
  both: number;
  /** Only production's answer has it. */
  productionOnly: number;
  /** Only the shadow's answer has it. */
  shadowOnly: number;
  /** Neither answer has it. */
  neither: number;
}

/**
 * Newcombe's hybrid score interval for the difference of two *paired*
 * proportions (Newcombe 1998, "Improved confidence intervals for the
 * difference between binomial proportions based on paired data", method 10):
 * Wilson intervals of each rate, combined with the phi correlation of the
 * pairs. Returns shadow's rate minus production's. No pairs: [−1, 1].
 */
export function pairedDifferenceInterval(counts: PairedCounts, confidence: number): Interval {
  const { both: a, productionOnly: b, shadowOnly: c, neither: d } = counts;
  const n = a + b + c + d;
  if (n <= 0) return { estimate: Number.NaN, low: -1, high: 1 };
  const production = wilsonInterval(a + b, n, confidence);
  const shadow = wilsonInterval(a + c, n, confidence);
  const p1 = production.estimate;
  const p2 = shadow.estimate;
  const denominator = Math.sqrt((a + b) * (c + d) * (a + c) * (b + d));
  const phi = denominator > 0 ? (a * d - b * c) / denominator : 0;
  const difference = p2 - p1;
  const below = Math.sqrt(
    Math.max(
      0,
      (p2 - shadow.low) ** 2 -
        2 * phi * (p2 - shadow.low) * (production.high - p1) +
        (production.high - p1) ** 2,
    ),
  );
  const above = Math.sqrt(
    Math.max(
      0,
      (shadow.high - p2) ** 2 -
        2 * phi * (shadow.high - p2) * (p1 - production.low) +
        (p1 - production.low) ** 2,
    ),
  );
  return {
    estimate: difference,
    low: Math.max(-1, difference - below),
    high: Math.min(1, difference + above),
  };
}

/** Above this many values the binomial is replaced by its normal approximation (then within a rank). */
const EXACT_RANKS_LIMIT = 1000;

/**
 * The ranks (1-based) of the distribution-free confidence interval for a
 * median from n sorted values: [x(l), x(n+1−l)] covers the median with
 * probability at least `confidence` (order statistics and the Binomial(n, ½)
 * distribution, e.g. Conover, Practical Nonparametric Statistics, §3.2).
 * Undefined when n is too small for any interval at that confidence.
 */
export function medianRanks(n: number, confidence: number): { low: number; high: number } | undefined {
  if (n < 1) return undefined;
  const tail = (1 - confidence) / 2;
  let l: number;
  if (n <= EXACT_RANKS_LIMIT) {
    // Largest l with P(B <= l - 1) <= tail, B ~ Binomial(n, 1/2).
    let logPmf = -n * Math.LN2; // P(B = 0)
    let cdf = 0;
    l = 0;
    for (let k = 0; k < n; k += 1) {
      cdf += Math.exp(logPmf);
      if (cdf > tail) break;
      l = k + 1;
      logPmf += Math.log(n - k) - Math.log(k + 1);
    }
  } else {
    l = Math.floor(n / 2 - (zOf(confidence) * Math.sqrt(n)) / 2);
  }
  if (l < 1) return undefined;
  return { low: l, high: n + 1 - l };
}
