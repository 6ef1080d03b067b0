import { describe, expect, it } from 'vitest';
import { adjustPValues } from '../../../src/core/guard/multiple-comparisons.js';

// Benjamini & Hochberg (1995), "Controlling the false discovery rate", J. R. Statist. Soc. B 57(1),
// its worked example: the 15 p-values of a myocardial-infarction trial. At q = 0.05 the FDR procedure
// rejects the four smallest (up to 0.0095); Bonferroni-type procedures reject only the three up to 0.0019.
const BH_1995 = [
  0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528,
  0.759, 1.0,
];
// Holm's procedure as Wikipedia's "Holm–Bonferroni method" example states it: four hypotheses,
// p = 0.01, 0.04, 0.03, 0.005 at α = 0.05: H1 and H4 are rejected, H2 and H3 are not.
const HOLM_EXAMPLE = [0.01, 0.04, 0.03, 0.005];

const rejected = (adjusted: number[], alpha = 0.05) => adjusted.flatMap((q, i) => (q < alpha ? [i] : []));

describe('multiple-comparison control across segments', () => {
  it('Benjamini–Hochberg rejects the four hypotheses of the 1995 paper’s example, Holm the three Bonferroni-type ones', () => {
    expect(rejected(adjustPValues(BH_1995, 'benjamini-hochberg'))).toEqual([0, 1, 2, 3]);
    expect(rejected(adjustPValues(BH_1995, 'holm'))).toEqual([0, 1, 2]);
  });

  it('gives the adjusted p-values of the definitions (R’s p.adjust): step-up for BH, step-down for Holm', () => {
    const bh = adjustPValues(BH_1995, 'benjamini-hochberg');
    expect(bh[3]).toBeCloseTo((0.0095 * 15) / 4, 12); // 0.035625
    expect(bh[4]).toBeCloseTo(0.0201 * 3, 12); // 15/5: smaller than every later m/k·p
    expect(bh[14]).toBe(1);
    const holm = adjustPValues(HOLM_EXAMPLE, 'holm');
    expect(holm.map((q) => Number(q.toFixed(10)))).toEqual([0.03, 0.06, 0.06, 0.02]);
    expect(rejected(holm)).toEqual([0, 3]);
  });

  it('one test is not adjusted; NaN (no test) takes no part and stays NaN', () => {
    expect(adjustPValues([0.02], 'holm')).toEqual([0.02]);
    const out = adjustPValues([Number.NaN, 0.02, 0.03], 'holm');
    expect(out[0]).toBeNaN();
    expect(out.slice(1)).toEqual([0.04, 0.04]);
  });
});
