import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/core/eval/statistics.js';
import type { AbPolicy } from '../../../src/core/ab/policy.js';
import {
  accumulate,
  fixedHorizonP,
  mixingVariance,
  sequentialLook,
  type ArmCounts,
} from '../../../src/core/ab/sequential.js';
import { startAbRecord } from '../../../src/core/ab/state.js';
import { nextAbJudgment, planAbStep } from '../../../src/core/ab/step.js';
import type { CanaryState } from '../../../src/core/canary/state.js';

// The simulation: A/A tests (both arms the same version) looked at
// every interval, exactly as the app looks at them. A test that stays valid
// under continuous monitoring rejects at most alpha of them; the textbook
// z-test, peeked at the same looks, rejects far more. Seeded: the same
// numbers on every run.

const LIVE = new Date('2026-03-02T00:00:00Z');
const LOOKS = 48;
const TRIALS_PER_ARM_PER_LOOK = 100;
const RUNS = 1000;
const POLICY: AbPolicy = {
  split: 50,
  metric: {
    name: 'thumbs_up_rate',
    successes: 'sum(increase(up_total[{{interval}}]))',
    trials: 'sum(increase(votes_total[{{interval}}]))',
    higher_is_better: true,
  },
  interval: '1h',
  // Every look may conclude: the hardest case for the false-positive rate.
  min_duration: '1h',
  min_samples: 100,
  horizon: `${LOOKS}h`,
  alpha: 0.05,
};

function state(): CanaryState {
  return {
    v: 1,
    model: 'support-bot',
    version: '1.3.0',
    ref: 'support-bot@v1.3.0',
    sha: 'a'.repeat(40),
    manifest: 'models/support-bot/model.yaml',
    trigger: 'push',
    pr: 7,
    environment: 'canary',
    productionEnvironment: 'production',
    baselineVersion: '1.2.0',
    deploymentId: 11,
    weight: 50,
    stepStartedAt: LIVE.toISOString(),
    intervals: [],
    status: 'running',
    strategy: 'ab',
    ab: startAbRecord(LIVE),
  };
}

/** One interval's Bernoulli draws for an arm whose true rate is `p`. */
function draw(random: () => number, p: number): ArmCounts {
  let successes = 0;
  for (let i = 0; i < TRIALS_PER_ARM_PER_LOOK; i++) if (random() < p) successes += 1;
  return { successes, trials: TRIALS_PER_ARM_PER_LOOK };
}

/** Runs one A/B test through the app's planner; returns its outcome and whether a peeked z-test would have rejected. */
function simulate(random: () => number, rateA: number, rateB: number, policy = POLICY) {
  let current = state();
  const totals = { a: { successes: 0, trials: 0 }, b: { successes: 0, trials: 0 } };
  let naiveRejected = false;
  for (let look = 0; look < LOOKS; look++) {
    const window = nextAbJudgment(current, policy);
    if (!window) break;
    const a = draw(random, rateA);
    const b = draw(random, rateB);
    totals.a = { successes: totals.a.successes + a.successes, trials: totals.a.trials + a.trials };
    totals.b = { successes: totals.b.successes + b.successes, trials: totals.b.trials + b.trials };
    if (fixedHorizonP(totals.a, totals.b) < POLICY.alpha!) naiveRejected = true;
    const step = planAbStep(current, policy, undefined, { a, b }, window.due, { autoMerge: false });
    if (step.kind !== 'judged') throw new Error('a due interval was not judged');
    current = step.state;
  }
  return { outcome: current.ab!.proposal?.outcome, naiveRejected };
}

describe('the A/B test under continuous monitoring', () => {
  it('rejects at most alpha of 1,000 A/A tests looked at every interval; a peeked z-test rejects several times more', () => {
    const random = seededRandom(20_260_302);
    let rejected = 0;
    let naive = 0;
    let inconclusive = 0;
    for (let run = 0; run < RUNS; run++) {
      const { outcome, naiveRejected } = simulate(random, 0.3, 0.3);
      if (outcome === 'promote_b' || outcome === 'keep_a') rejected += 1;
      if (outcome === 'inconclusive') inconclusive += 1;
      if (naiveRejected) naive += 1;
    }
    // Every run ends: either a (false) conclusion or inconclusive at the horizon.
    expect(rejected + inconclusive).toBe(RUNS);
    expect(rejected / RUNS).toBeLessThanOrEqual(0.05);
    // Stopping at the first of 48 looks with p < 0.05 is the classic peeking error: about a quarter of A/A tests "win".
    expect(naive / RUNS).toBeGreaterThan(0.15);
    expect(naive).toBeGreaterThan(3 * rejected);
  });

  it('detects a real effect: B at 35 % thumbs-up against A at 30 % is promoted in 9 of 10 runs, never kept out', () => {
    const random = seededRandom(7);
    const outcomes = { promote_b: 0, keep_a: 0, inconclusive: 0 };
    for (let run = 0; run < 200; run++) outcomes[simulate(random, 0.3, 0.35).outcome!] += 1;
    expect(outcomes.keep_a).toBe(0);
    expect(outcomes.promote_b / 200).toBeGreaterThan(0.9);
  });

  it('keeps A when B is worse, and promotes a lower B when lower is better', () => {
    expect(simulate(seededRandom(11), 0.3, 0.24).outcome).toBe('keep_a');
    const lowerIsBetter = { ...POLICY, metric: { ...POLICY.metric, higher_is_better: false } };
    expect(simulate(seededRandom(11), 0.3, 0.24, lowerIsBetter).outcome).toBe('promote_b');
  });
});

describe('the mixture SPRT', () => {
  it('tunes the mixing variance so the boundary is tightest at min_samples per arm', () => {
    const tau = mixingVariance(1000, 0.05);
    // r = τ²/V at 1,000 per arm solves r = ln(1 + r) + 2 ln 20.
    const r = tau / (2 / 1000);
    expect(r).toBeCloseTo(Math.log1p(r) + 2 * Math.log(20), 10);
    expect(r).toBeCloseTo(8.21, 2);
    const width = (n: number) => {
      const look = sequentialLook(
        { successes: n * 0.3, trials: n },
        { successes: n * 0.3, trials: n },
        tau,
        0.05,
      );
      return (look.upper - look.lower) * Math.sqrt(n);
    };
    // Scaled by √n, the sequence is narrowest around the tuning point.
    expect(width(1000)).toBeLessThan(width(100));
    expect(width(1000)).toBeLessThan(width(100_000));
  });

  it('excludes 0 from the confidence sequence exactly when the look rejects', () => {
    const tau = mixingVariance(500, 0.05);
    for (const b of [330, 340, 345, 350, 360, 400]) {
      const look = sequentialLook(
        { successes: 300, trials: 1000 },
        { successes: b, trials: 1000 },
        tau,
        0.05,
      );
      expect(look.lower > 0).toBe(look.p < 0.05);
    }
  });

  it('is wider than a fixed-horizon interval (the price of looking at any time)', () => {
    const look = sequentialLook(
      { successes: 3000, trials: 10_000 },
      { successes: 3150, trials: 10_000 },
      mixingVariance(1000, 0.05),
      0.05,
    );
    const fixedHalfWidth = 1.96 * Math.sqrt((0.3 * 0.7 + 0.315 * 0.685) / 10_000);
    expect((look.upper - look.lower) / 2).toBeGreaterThan(fixedHalfWidth);
    expect(look.difference).toBeCloseTo(0.015, 10);
  });

  it('has no evidence without trials, and a finite one when an arm has no successes at all', () => {
    const tau = mixingVariance(100, 0.05);
    expect(
      sequentialLook({ successes: 0, trials: 0 }, { successes: 5, trials: 10 }, tau, 0.05),
    ).toMatchObject({
      p: 1,
      lower: -1,
      upper: 1,
    });
    const none = sequentialLook({ successes: 0, trials: 500 }, { successes: 0, trials: 500 }, tau, 0.05);
    expect(none.p).toBe(1);
    expect(Number.isFinite(none.lower)).toBe(true);
  });

  it('keeps the running minimum p and the running intersection across looks', () => {
    const first = accumulate(undefined, {
      rateA: 0.3,
      rateB: 0.33,
      difference: 0.03,
      logLambda: 2,
      p: 0.1,
      lower: -0.01,
      upper: 0.07,
    });
    const second = accumulate(first, {
      rateA: 0.3,
      rateB: 0.31,
      difference: 0.01,
      logLambda: 0.5,
      p: 0.6,
      lower: -0.02,
      upper: 0.04,
    });
    expect(second).toMatchObject({ p: 0.1, lower: -0.01, upper: 0.04, difference: 0.01 });
  });
});
