import { parseInterval } from '../canary/interval.js';
import { parseRolloutDuration, ROLLOUT_DEFAULTS } from '../manifest/rollout.js';

/** The product metric an A/B test compares: a rate, successes over trials, per version. */
export interface AbMetric {
  name: string;
  /** PromQL for one version's successes in one interval; `{{model}}`, `{{version}}`, `{{interval}}` are filled in. */
  successes: string;
  /** PromQL for the same version's trials in the same interval (the denominator of the rate). */
  trials: string;
  /** Which way is better: required, a direction is never guessed. */
  higher_is_better: boolean;
}

/** The manifest's `rollout.ab` block as parsed: every field with a default is optional. */
export interface AbPolicy {
  /** Percent of requests to the new version (B), 1–99 (default 50). */
  split?: number;
  metric: AbMetric;
  /** How often the counts are read and the test looked at (default 1h). */
  interval?: string;
  /** No conclusion before this long after the split went live (default 24h). */
  min_duration?: string;
  /** Trials per arm before any conclusion (default 1000). */
  min_samples?: number;
  /** Undecided by then: inconclusive (default 14d). */
  horizon?: string;
  /** The false-positive rate under continuous monitoring (default 0.05). */
  alpha?: number;
  /** true: the decision applies itself; false (default): a person confirms it with `/ab conclude`. */
  auto_conclude?: boolean;
}

/** An A/B policy with every default filled in and every duration in milliseconds. */
export interface ResolvedAbPolicy {
  split: number;
  metric: AbMetric;
  intervalMs: number;
  minDurationMs: number;
  minSamples: number;
  horizonMs: number;
  alpha: number;
  autoConclude: boolean;
  /** The durations as the manifest wrote them (or their defaults), for reports. */
  text: { interval: string; minDuration: string; horizon: string };
}

/** The defaults of `rollout.ab` (docs/ab.md), shared with the manifest schema. */
export const AB_DEFAULTS = ROLLOUT_DEFAULTS.ab;

/**
 * Fills the defaults of an `ab` block. The manifest schema bounds every
 * field, so a duration that does not parse here never came from a valid
 * manifest: it falls back to the default rather than to something shorter.
 */
export function resolveAbPolicy(block: AbPolicy): ResolvedAbPolicy {
  const interval = block.interval ?? AB_DEFAULTS.interval;
  const minDuration = block.min_duration ?? AB_DEFAULTS.min_duration;
  const horizon = block.horizon ?? AB_DEFAULTS.horizon;
  return {
    split: block.split ?? AB_DEFAULTS.split,
    metric: block.metric,
    intervalMs: parseInterval(interval) ?? parseRolloutDuration(AB_DEFAULTS.interval)!,
    minDurationMs: parseRolloutDuration(minDuration) ?? parseRolloutDuration(AB_DEFAULTS.min_duration)!,
    minSamples: block.min_samples ?? AB_DEFAULTS.min_samples,
    horizonMs: parseRolloutDuration(horizon) ?? parseRolloutDuration(AB_DEFAULTS.horizon)!,
    alpha: block.alpha ?? AB_DEFAULTS.alpha,
    autoConclude: block.auto_conclude ?? AB_DEFAULTS.auto_conclude,
    text: { interval, minDuration, horizon },
  };
}
