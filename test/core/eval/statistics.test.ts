import { describe, expect, it } from 'vitest';
import {
  binomialUpperTail,
  mcnemar,
  normalCdf,
  normalQuantile,
  pairedBootstrap,
  samplesToSettle,
  seededRandom,
  stderrToSettle,
  zTest,
} from '../../../src/core/eval/statistics.js';

describe('statistics against published reference values', () => {
  it('normal CDF and quantiles (standard normal tables)', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-2)).toBeCloseTo(0.02275, 5);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 6);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 6);
  });

  it("McNemar: Wikipedia's example (b = 121, c = 59) gives chi-square 21.35 and p < 0.001", () => {
    const result = mcnemar(121, 59, 314, 0.95);
    expect(result.statistic).toBeCloseTo(21.355, 2); // (121 - 59)² / 180, published as 21.35
    expect(result.pWorse * 2).toBeLessThan(0.001);
    expect(result.delta).toBeCloseTo((59 - 121) / 314, 12);
  });

  it('McNemar exact: 5 discordant pairs all against the candidate give one-sided p = 1/32', () => {
    expect(mcnemar(5, 0, 100, 0.95).pWorse).toBeCloseTo(1 / 32, 12);
    expect(mcnemar(0, 5, 100, 0.95).pWorse).toBe(1);
    expect(binomialUpperTail(8, 10)).toBeCloseTo(56 / 1024, 12); // C(10,8)+C(10,9)+C(10,10) = 56
    expect(binomialUpperTail(5000, 10000)).toBeCloseTo(0.5039893, 6); // 0.5 + P(X = 5000)/2
  });

  it('z-test on standard errors: a drop of two standard errors has one-sided p = 0.02275', () => {
    const result = zTest(0.78, 0.006, 0.8, 0.008, 0.95, 1);
    expect(result.statistic).toBeCloseTo(-2, 10);
    expect(result.pWorse).toBeCloseTo(0.02275, 5);
    expect(result.ci[0]).toBeCloseTo(-0.02 - 1.959964 * 0.01, 6);
  });

  it('paired bootstrap agrees with the normal approximation on a large sample, and is reproducible', () => {
    const random = seededRandom(42);
    const diffs = Float64Array.from({ length: 20_000 }, () => random() - 0.52); // mean -0.02, sd 1/sqrt(12)
    const result = pairedBootstrap(diffs, 1000, 0.95, 1, 7);
    const se = Math.sqrt(1 / 12 / diffs.length);
    expect(result.ci[0]).toBeCloseTo(result.delta - 1.96 * se, 3);
    expect(result.ci[1]).toBeCloseTo(result.delta + 1.96 * se, 3);
    expect(result.pWorse).toBeLessThan(0.01);
    expect(pairedBootstrap(diffs, 1000, 0.95, 1, 7)).toEqual(result);
    const flat = pairedBootstrap(
      Float64Array.from({ length: 500 }, (_, i) => (i % 2 ? 0.1 : -0.1)),
      1000,
      0.95,
      1,
      7,
    );
    expect(flat.pWorse).toBeGreaterThan(0.3);
  });

  it('one-sided bounds at 95 % sit 1.645 standard errors from delta (the edges of the two-sided 90 % interval)', () => {
    const result = zTest(0.78, 0.006, 0.8, 0.008, 0.95, 1);
    expect(result.se).toBeCloseTo(0.01, 12);
    expect(result.bounds.lower).toBeCloseTo(-0.02 - 1.644854 * 0.01, 6);
    expect(result.bounds.upper).toBeCloseTo(-0.02 + 1.644854 * 0.01, 6);
    const paired = mcnemar(121, 59, 314, 0.95);
    expect(paired.bounds.lower).toBeCloseTo(paired.delta - 1.644854 * paired.se, 6);
  });

  it('sample size for a one-sided test: sd 1, difference 0.5, alpha 0.05, power 0.8 needs n = 25 (24.7 rounded up)', () => {
    // The textbook formula n = ((z_0.95 + z_0.8) * sd / difference)² = (2.4865 / 0.5)² = 24.73.
    expect(samplesToSettle(0.5, 1 / Math.sqrt(10), 10, 0.95, 0.8)).toBe(25);
    expect(samplesToSettle(-0.5, 1 / Math.sqrt(10), 10, 0.95, 0.8)).toBe(25);
    expect(samplesToSettle(0, 0.1, 10, 0.95)).toBeUndefined();
    expect(stderrToSettle(0.5, 0.95, 0.8)).toBeCloseTo(0.5 / (1.644854 + 0.841621), 5);
  });
});
