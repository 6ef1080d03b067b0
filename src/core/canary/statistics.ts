import { normalCdf } from '../eval/statistics.js';

/** The result of comparing canary samples with baseline samples. */
export interface MannWhitney {
  /** U of the canary sample. */
  u: number;
  /** z of the normal approximation (0 for the exact test). */
  z: number;
  /** One-sided p-value that the canary is stochastically greater than the baseline. */
  pGreater: number;
  /** One-sided p-value that it is smaller. */
  pLess: number;
  method: 'exact' | 'normal';
}

/** Above this many pairs the normal approximation is used (it is then very close to exact). */
const EXACT_LIMIT = 400;

/**
 * Mann–Whitney U test. Exact distribution for small samples without ties,
 * else the normal approximation with tie correction and continuity
 * correction. Sorts each sample once (native typed-array sort) and merges.
 */
export function mannWhitney(canary: Float64Array, baseline: Float64Array): MannWhitney {
  return mannWhitneySorted(Float64Array.from(canary).sort(), Float64Array.from(baseline).sort());
}

/** mannWhitney on samples already sorted ascending. */
export function mannWhitneySorted(x: Float64Array, y: Float64Array): MannWhitney {
  const n1 = x.length;
  const n2 = y.length;
  const n = n1 + n2;
  let rankSumCanary = 0;
  let tieTerm = 0;
  let i = 0;
  let j = 0;
  let position = 0; // values ranked so far
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    let fromX = 0;
    let fromY = 0;
    while (i < n1 && x[i] === value) {
      i += 1;
      fromX += 1;
    }
    while (j < n2 && y[j] === value) {
      j += 1;
      fromY += 1;
    }
    const ties = fromX + fromY;
    const rank = position + (ties + 1) / 2; // average of ranks position+1 .. position+ties
    rankSumCanary += fromX * rank;
    if (ties > 1) tieTerm += ties ** 3 - ties;
    position += ties;
  }
  const u = rankSumCanary - (n1 * (n1 + 1)) / 2;
  if (tieTerm === 0 && n1 * n2 <= EXACT_LIMIT) {
    const counts = exactDistribution(n1, n2);
    const total = counts.reduce((a, b) => a + b, 0);
    let atMost = 0;
    for (let k = 0; k <= u; k++) atMost += counts[k]!;
    let atLeast = 0;
    for (let k = Math.ceil(u); k < counts.length; k++) atLeast += counts[k]!;
    return { u, z: 0, pGreater: atLeast / total, pLess: atMost / total, method: 'exact' };
  }
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const sd = Math.sqrt(variance);
  if (!(sd > 0)) return { u, z: 0, pGreater: 1, pLess: 1, method: 'normal' };
  const zGreater = (u - mean - 0.5) / sd;
  const zLess = (u - mean + 0.5) / sd;
  return {
    u,
    z: (u - mean) / sd,
    pGreater: 1 - normalCdf(zGreater),
    pLess: normalCdf(zLess),
    method: 'normal',
  };
}

/** Number of arrangements giving each U = 0..n1*n2 (no ties). */
function exactDistribution(n1: number, n2: number): number[] {
  // f(i, j, u): arrangements of i canary and j baseline values with U = u.
  let previous: number[][] = Array.from({ length: n2 + 1 }, () => [1]);
  for (let i = 1; i <= n1; i++) {
    const current: number[][] = [[1]];
    for (let j = 1; j <= n2; j++) {
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      // The largest value is a canary one (adds j to U) or a baseline one.
      const withCanary = previous[j]!;
      for (let k = 0; k < withCanary.length; k++) row[k + j]! += withCanary[k]!;
      const withBaseline = current[j - 1]!;
      for (let k = 0; k < withBaseline.length; k++) row[k]! += withBaseline[k]!;
      current.push(row);
    }
    previous = current;
  }
  return previous[n2]!;
}

/**
 * Hodges–Lehmann estimate of the shift canary − baseline: the median of all
 * n·m pairwise differences, found without listing them (bisection on the
 * value, counting pairs below it with two pointers over the sorted samples).
 */
export function hodgesLehmann(canary: Float64Array, baseline: Float64Array): number {
  return hodgesLehmannSorted(Float64Array.from(canary).sort(), Float64Array.from(baseline).sort());
}

/** hodgesLehmann on samples already sorted ascending. */
export function hodgesLehmannSorted(x: Float64Array, y: Float64Array): number {
  const pairs = x.length * y.length;
  if (!pairs) return NaN;
  // Pairs with x_i - y_j <= d, i.e. y_j >= x_i - d: as x_i grows the first such j only moves right.
  const countAtMost = (d: number) => {
    let count = 0;
    let p = 0;
    for (let i = 0; i < x.length; i++) {
      while (p < y.length && y[p]! < x[i]! - d) p += 1;
      count += y.length - p;
    }
    return count;
  };
  const kth = (k: number) => {
    // the k-th smallest difference (1-based)
    let lo = x[0]! - y[y.length - 1]!;
    let hi = x[x.length - 1]! - y[0]!;
    for (
      let iteration = 0;
      iteration < 100 && hi - lo > 1e-9 * Math.max(1e-12, Math.abs(hi), Math.abs(lo));
      iteration++
    ) {
      const mid = (lo + hi) / 2;
      if (countAtMost(mid) >= k) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  return pairs % 2 ? kth((pairs + 1) / 2) : (kth(pairs / 2) + kth(pairs / 2 + 1)) / 2;
}

/**
 * A reading as Prometheus writes it (`"+Inf"`, `"-Inf"`, `"NaN"` or a
 * decimal) as a number; undefined for text that is no reading. `Number()`
 * alone reads `"+Inf"` as NaN, which would turn the worst reading (a
 * histogram quantile above its largest bucket) into "no data".
 */
export function readingOf(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^[+]?inf(inity)?$/i.test(trimmed)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(trimmed)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(trimmed)) return Number.NaN;
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  return Number.isNaN(value) ? undefined : value;
}

/**
 * The readings that count as measurements, sorted ascending. NaN (Prometheus'
 * 0/0) is no reading and is dropped; ±Inf stays: `x/0` errors over no
 * successes, or a quantile past the last histogram bucket, is the worst (or
 * best) reading there is, not a missing one. The one helper both the canary
 * and the guard judge use.
 */
export function countedSorted(values: readonly number[]): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (const v of values) if (!Number.isNaN(v)) out[n++] = v;
  return out.subarray(0, n).sort();
}

/**
 * The median of sorted readings: NaN for none, and NaN when the two middle
 * readings are -Inf and +Inf (there is no middle: a judge treats it as
 * outside every threshold).
 */
export function sortedMedian(sorted: Float64Array): number {
  if (!sorted.length) return Number.NaN;
  const mid = sorted.length >> 1;
  if (sorted.length % 2) return sorted[mid]!;
  const low = sorted[mid - 1]!;
  const high = sorted[mid]!;
  // Equal infinities are their own median; -Inf and +Inf average to NaN.
  return low === high ? low : (low + high) / 2;
}

/** The finite part of sorted readings: what a shift (Hodges–Lehmann) is estimated on, since Inf − Inf is NaN. */
export function finitePart(sorted: Float64Array): Float64Array {
  let from = 0;
  let to = sorted.length;
  while (from < to && sorted[from] === Number.NEGATIVE_INFINITY) from += 1;
  while (to > from && sorted[to - 1] === Number.POSITIVE_INFINITY) to -= 1;
  return sorted.subarray(from, to);
}

/** A reading for a report or a reason: four significant digits, `+Inf`/`-Inf` as Prometheus writes them. */
export function formatReading(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return Number(value.toPrecision(4)).toString();
}
