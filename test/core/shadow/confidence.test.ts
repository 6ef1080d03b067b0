import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/core/eval/statistics.js';
import {
  medianRanks,
  pairedDifferenceInterval,
  wilsonInterval,
} from '../../../src/core/shadow/confidence.js';

describe('confidence intervals of the output checks', () => {
  it("Wilson's interval matches the published values and stays inside [0, 1]", () => {
    // Newcombe (1998), Stat Med 17:857, Table I: 81/263 -> 0.2553 to 0.3662; 0/10 -> 0 to 0.2775.
    const a = wilsonInterval(81, 263, 0.95);
    expect(a.low).toBeCloseTo(0.2553, 3);
    expect(a.high).toBeCloseTo(0.3662, 3);
    const b = wilsonInterval(0, 10, 0.95);
    expect(b.low).toBe(0);
    expect(b.high).toBeCloseTo(0.2775, 3);
    expect(wilsonInterval(0, 0, 0.95)).toMatchObject({ low: 0, high: 1 });
  });

  it('uses the pairing: concordant pairs give a narrower interval than independent samples would', () => {
    // 200 requests, both rates 90%: in one table the answers agree on all but 4 requests, in the
    // other they are as unrelated as independent samples (phi = 0).
    const concordant = pairedDifferenceInterval(
      { both: 178, productionOnly: 2, shadowOnly: 2, neither: 18 },
      0.95,
    );
    const unrelated = pairedDifferenceInterval(
      { both: 162, productionOnly: 18, shadowOnly: 18, neither: 2 },
      0.95,
    );
    expect(concordant.estimate).toBe(0);
    expect(unrelated.estimate).toBe(0);
    expect(concordant.high - concordant.low).toBeLessThan((unrelated.high - unrelated.low) / 2);
    // With phi = 0 it is Newcombe's hybrid score interval for independent rates: the root of the
    // summed squared Wilson half-widths.
    const wilson = wilsonInterval(180, 200, 0.95);
    expect(unrelated.high).toBeCloseTo(Math.hypot(wilson.high - 0.9, 0.9 - wilson.low), 10);
  });

  it('covers the true difference of paired rates at least about 95% of the time (2,000 simulated shadows)', () => {
    const random = seededRandom(13);
    let covered = 0;
    const runs = 2000;
    for (let run = 0; run < runs; run += 1) {
      // Production answers JSON 90% of the time; the shadow agrees on 95% of requests.
      const counts = { both: 0, productionOnly: 0, shadowOnly: 0, neither: 0 };
      for (let i = 0; i < 200; i += 1) {
        const production = random() < 0.9;
        const shadow = random() < 0.95 ? production : !production;
        if (production && shadow) counts.both += 1;
        else if (production) counts.productionOnly += 1;
        else if (shadow) counts.shadowOnly += 1;
        else counts.neither += 1;
      }
      const truth = 0.05 * 0.1 - 0.05 * 0.9; // P(shadow) - P(production)
      const ci = pairedDifferenceInterval(counts, 0.95);
      if (ci.low <= truth && truth <= ci.high) covered += 1;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
  });

  it('gives the order statistics of the distribution-free median interval (Conover, Table A3)', () => {
    expect(medianRanks(10, 0.95)).toEqual({ low: 2, high: 9 });
    expect(medianRanks(20, 0.95)).toEqual({ low: 6, high: 15 });
    expect(medianRanks(5, 0.95)).toBeUndefined();
    expect(medianRanks(6, 0.95)).toEqual({ low: 1, high: 6 });
    // Normal approximation above 1,000 values: within a rank of the exact answer.
    const large = medianRanks(10_000, 0.95)!;
    expect(large.low).toBeGreaterThanOrEqual(4900);
    expect(large.low).toBeLessThanOrEqual(4903);
  });
});
