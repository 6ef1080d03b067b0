import { describe, expect, it } from 'vitest';
import { hodgesLehmann, mannWhitney } from '../../../src/core/canary/statistics.js';

const f = (values: number[]) => Float64Array.from(values);

describe('Mann–Whitney U and Hodges–Lehmann against reference values', () => {
  it("SciPy's documented example: U = 17, exact two-sided p = 0.1111", () => {
    const result = mannWhitney(f([19, 22, 16, 29, 24]), f([20, 11, 17, 12]));
    expect(result.u).toBe(17);
    expect(result.method).toBe('exact');
    expect(2 * result.pGreater).toBeCloseTo(0.1111111111, 9);
  });

  it('complete separation of 3 and 3 gives the exact one-sided p = 1/C(6,3) = 0.05', () => {
    const result = mannWhitney(f([4, 5, 6]), f([1, 2, 3]));
    expect(result).toMatchObject({ u: 9, pGreater: 0.05, pLess: 1 });
  });

  it("Wikipedia's tortoise-and-hare example: U = 11 for the tortoises (finish order THHHHHTTTTTH)", () => {
    const order = 'THHHHHTTTTTH';
    const tortoise = [...order].flatMap((c, i) => (c === 'T' ? [i + 1] : []));
    const hare = [...order].flatMap((c, i) => (c === 'H' ? [i + 1] : []));
    // Finishing earlier is better: a tortoise beats each hare finishing after it.
    expect(mannWhitney(f(hare), f(tortoise)).u).toBe(11);
    expect(mannWhitney(f(tortoise), f(hare)).u).toBe(25);
  });

  it('uses the tie-corrected normal approximation for large or tied samples', () => {
    const canary = f(Array.from({ length: 50 }, (_, i) => Math.floor(i / 5)));
    const baseline = f(Array.from({ length: 50 }, (_, i) => Math.floor(i / 5) + 3));
    const result = mannWhitney(canary, baseline);
    expect(result.method).toBe('normal');
    expect(result.pLess).toBeLessThan(0.05);
    expect(result.pGreater).toBeGreaterThan(0.9);
  });

  it('Hodges–Lehmann is the median of all pairwise differences', () => {
    const x = [19, 22, 16, 29, 24];
    const y = [20, 11, 17, 12];
    const diffs = x.flatMap((a) => y.map((b) => a - b)).sort((a, b) => a - b);
    expect(hodgesLehmann(f(x), f(y))).toBeCloseTo((diffs[9]! + diffs[10]!) / 2, 6);
    expect(hodgesLehmann(f([1, 2, 3]), f([1, 2, 3]))).toBeCloseTo(0, 9);
    expect(hodgesLehmann(f([10.5, 11, 12.5]), f([1, 2]))).toBeCloseTo(9.75, 6);
  });
});
