/**
 * Multiple-comparison control across the segments of one metric. Judging 40
 * tenants at α = 0.05 each would flag two healthy ones by chance every
 * interval; these adjust each segment's p-value for the others.
 *
 * - `holm` (Holm 1979, step-down Bonferroni): controls the family-wise error
 *   rate, the chance of flagging any healthy segment, at α. The default: a
 *   breach rolls production back, so a false one is expensive.
 * - `benjamini-hochberg` (Benjamini & Hochberg 1995, step-up): controls the
 *   false discovery rate, the expected share of flagged segments that are
 *   healthy, at α. More power with many segments; for teams that alert.
 *
 * Both return adjusted p-values in the input's order (R's `p.adjust`
 * definition): a segment breaches when its adjusted p is below α.
 */
export type Correction = 'holm' | 'benjamini-hochberg';

/** Adjusted p-values, in the order given. NaN stays NaN and takes no part (it is not a test). */
export function adjustPValues(pValues: readonly number[], method: Correction): number[] {
  const tested = pValues.flatMap((p, index) => (Number.isFinite(p) ? [{ p, index }] : []));
  const adjusted = pValues.map(() => Number.NaN);
  const m = tested.length;
  if (!m) return adjusted;
  if (method === 'holm') {
    tested.sort((a, b) => a.p - b.p);
    let running = 0;
    tested.forEach(({ p, index }, rank) => {
      // Step-down: the k-th smallest is multiplied by m - k + 1, and never below the ones before it.
      running = Math.max(running, Math.min(1, (m - rank) * p));
      adjusted[index] = running;
    });
  } else {
    tested.sort((a, b) => b.p - a.p);
    let running = 1;
    tested.forEach(({ p, index }, fromTop) => {
      // Step-up: the k-th smallest is multiplied by m / k, and never above the ones after it.
      const rank = m - fromTop;
      running = Math.min(running, Math.min(1, (m / rank) * p));
      adjusted[index] = running;
    });
  }
  return adjusted;
}
