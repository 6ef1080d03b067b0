import { normalCdf } from '../eval/statistics.js';

/**
 * The A/B test's sequential statistics: a mixture sequential probability
 * ratio test (mSPRT) on the difference of two rates, after Johari, Pekelis
 * and Walsh, "Always valid inference: continuous monitoring of A/B tests"
 * (Operations Research, 2022; arXiv:1512.04922).
 *
 * Why not a z-test at every look: a fixed-horizon test keeps its error rate
 * only when it is looked at once. Looked at every interval and stopped at
 * the first p < alpha, its false-positive rate climbs far above alpha (the
 * simulation in test/core/ab/sequential.test.ts shows it).
 *
 * The mSPRT: under H0 (B − A = 0) the estimated difference d is
 * approximately normal with variance V. Mixing the likelihood ratio of
 * H1: B − A = θ over a normal prior θ ~ N(0, τ²) gives, in closed form,
 *
 *   Λ = sqrt(V / (V + τ²)) · exp(d² τ² / (2 V (V + τ²)))
 *
 * Λ is a nonnegative martingale under H0 with mean 1, so by Ville's
 * inequality P(Λ ever reaches 1/α) ≤ α: stopping at any look, as often as
 * one likes, keeps the false-positive rate at α. The always-valid p-value is
 * the running minimum of 1/Λ; the confidence sequence is the set of
 * differences the same test would not reject, intersected over the looks,
 * so it excludes 0 exactly when p ≤ α.
 *
 * Choices (docs/ab.md):
 * - V is estimated from the running totals, each arm's rate shrunk by one
 *   success and one failure (Agresti–Caffo) so that V is never 0 (a run of
 *   all failures would otherwise look infinitely certain).
 * - τ² is set in units of the per-observation variance, τ² = τs² · V / (1/nA + 1/nB),
 *   so the test depends only on z = d/√V and the sample sizes, not on the
 *   rate's scale (a 2 % conversion rate and a 70 % thumbs-up rate alike).
 * - τs² tunes where the confidence sequence is tightest: at min_samples
 *   trials per arm (the first look that may conclude), by minimising its
 *   width there: r = τ²/V solves r = ln(1 + r) + 2 ln(1/α) (r ≈ 8.2 at α = 0.05).
 *   Any τ keeps the test valid; the choice only trades early against late power.
 */

/** One arm's successes and trials (running totals, or one interval's increments). */
export interface ArmCounts {
  successes: number;
  trials: number;
}

/** The sequential test's verdict on the totals so far. */
export interface SequentialEvidence {
  rateA: number;
  rateB: number;
  /** B − A, the estimated difference of the rates. */
  difference: number;
  /** ln Λ at this look (the mixture likelihood ratio). */
  logLambda: number;
  /** The always-valid p-value: the running minimum of 1/Λ over the looks counted. */
  p: number;
  /** The always-valid confidence sequence for B − A at 1 − alpha, intersected over the looks counted. */
  lower: number;
  upper: number;
}

/**
 * τs², the mixing variance in units of one observation's variance, for a
 * test tightest at `minSamples` trials per arm with false-positive rate `alpha`.
 */
export function mixingVariance(minSamples: number, alpha: number): number {
  const twoLog = 2 * Math.log(1 / alpha);
  let r = twoLog;
  // r ↦ ln(1 + r) + 2 ln(1/α) is a contraction (slope 1/(1+r) < 1): a few dozen steps reach double precision.
  for (let i = 0; i < 100; i++) r = Math.log(1 + r) + twoLog;
  return (r * 2) / Math.max(1, minSamples);
}

/** The mSPRT at one look on running totals, before the running minimum and intersection. */
export interface Look {
  rateA: number;
  rateB: number;
  difference: number;
  logLambda: number;
  /** 1/Λ, at most 1. */
  p: number;
  lower: number;
  upper: number;
}

/** The mSPRT on the running totals of both arms (A: the version in production, B: the new one). */
export function sequentialLook(a: ArmCounts, b: ArmCounts, tauStd2: number, alpha: number): Look {
  if (a.trials <= 0 || b.trials <= 0) {
    const rate = (arm: ArmCounts) => (arm.trials > 0 ? arm.successes / arm.trials : Number.NaN);
    return {
      rateA: rate(a),
      rateB: rate(b),
      difference: Number.NaN,
      logLambda: 0,
      p: 1,
      lower: -1,
      upper: 1,
    };
  }
  const rateA = a.successes / a.trials;
  const rateB = b.successes / b.trials;
  const difference = rateB - rateA;
  const shrunk = (arm: ArmCounts) => {
    const p = (arm.successes + 1) / (arm.trials + 2);
    return (p * (1 - p)) / arm.trials;
  };
  const variance = shrunk(a) + shrunk(b);
  const r = tauStd2 / (1 / a.trials + 1 / b.trials);
  const z2 = (difference * difference) / variance;
  const logLambda = -0.5 * Math.log1p(r) + (z2 * r) / (2 * (1 + r));
  const halfWidth = Math.sqrt(variance * ((1 + r) / r) * (Math.log1p(r) + 2 * Math.log(1 / alpha)));
  return {
    rateA,
    rateB,
    difference,
    logLambda,
    p: Math.min(1, Math.exp(-logLambda)),
    lower: Math.max(-1, difference - halfWidth),
    upper: Math.min(1, difference + halfWidth),
  };
}

/**
 * Folds one look into the evidence so far: the p-value is the running
 * minimum, the confidence sequence the running intersection. An
 * intersection that would be empty (the estimate moved across the
 * boundary, which the normal approximation allows) keeps the newer interval.
 */
export function accumulate(previous: SequentialEvidence | undefined, look: Look): SequentialEvidence {
  const p = Math.min(previous?.p ?? 1, look.p);
  let lower = Math.max(previous?.lower ?? -1, look.lower);
  let upper = Math.min(previous?.upper ?? 1, look.upper);
  if (lower > upper) ({ lower, upper } = look);
  return {
    rateA: look.rateA,
    rateB: look.rateB,
    difference: look.difference,
    logLambda: look.logLambda,
    p,
    lower,
    upper,
  };
}

/**
 * The naive fixed-horizon two-sided z-test on the same totals (pooled
 * variance). Not used to decide anything: the tests show why peeking at it
 * inflates false positives, and the report does not print it.
 */
export function fixedHorizonP(a: ArmCounts, b: ArmCounts): number {
  if (a.trials <= 0 || b.trials <= 0) return 1;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (se === 0) return 1;
  const z = Math.abs(b.successes / b.trials - a.successes / a.trials) / se;
  return 2 * (1 - normalCdf(z));
}
