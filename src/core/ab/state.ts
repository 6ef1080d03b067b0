import { z } from 'zod';
import { intervalResultSchema } from '../canary/interval-schema.js';
import type { IntervalResult } from '../canary/judge.js';
import type { Steer } from '../canary/state.js';
import { steerSchema } from '../canary/steer.js';
import type { ServingTally } from '../shadow/state.js';
import type { Look, SequentialEvidence } from './sequential.js';

/** One arm's counts in one interval, as read from the metric's queries. */
export interface ArmIncrement {
  successes: number;
  trials: number;
}

/** One interval's reading: both arms' increments, or why they could not be used. */
export type AbObservation = { at: string; a: ArmIncrement; b: ArmIncrement } | { at: string; error: string };

/** What the test concluded: B is better (promote it), B is worse (keep A), or neither by the horizon. */
export type AbOutcome = 'promote_b' | 'keep_a' | 'inconclusive';

/** A conclusion, waiting for a person (`/ab conclude`) unless the policy applies it itself. */
export interface AbProposal {
  outcome: AbOutcome;
  /** The end of the interval that reached it. */
  at: string;
  reason: string;
  /** `health`: B's serving health ended the test (keep A at once, whatever the product metric said). */
  basis?: 'health';
}

/**
 * B's serving health over the test (the manifest's canary.metrics, B against
 * A), kept only when the manifest has canary.metrics: the intervals counted
 * the canary's way, and the latest few with their evidence for the report.
 */
export interface AbHealth {
  tally: ServingTally;
  /** The latest health intervals, oldest first (at most AB_RECENT_HEALTH). */
  recent: IntervalResult[];
}

/**
 * An A/B test's part of the rollout state (kept in the sealed sticky comment
 * with the rest). Bounded: the running totals and evidence, and only the
 * latest observations, so a 90-day test fits in a comment as well as a day's.
 */
export interface AbRecord {
  /** When the split went live: intervals, min_duration and horizon count from here (never from `now`). */
  startedAt: string;
  /** Intervals looked at so far, errors included: the next is due at startedAt + interval × (looks + 1). */
  looks: number;
  /** Intervals whose counts could not be used (query errors, missing or impossible counts). */
  errors: number;
  /** Running totals over the usable intervals: A is the version in production, B the new one. */
  totals: { a: ArmIncrement; b: ArmIncrement };
  /** The latest observations, oldest first (at most AB_RECENT_OBSERVATIONS). */
  recent: AbObservation[];
  /** The test on the totals at the latest usable look, whether or not it may conclude yet. */
  latest?: Look;
  /** The always-valid evidence over the looks that may conclude (after min_duration and min_samples). */
  evidence?: SequentialEvidence;
  /** B's serving health, when the manifest has canary.metrics. */
  health?: AbHealth;
  proposal?: AbProposal;
  /**
   * Looks at B's serving health since the proposal, while it waits for
   * `/ab conclude` (only when the test watches health): the next is due at
   * proposal.at + interval × (waitingLooks + 1).
   */
  waitingLooks?: number;
  /** The proposal B's serving health overruled while it waited (the proposal is then keep A on health). */
  overruled?: AbProposal;
  /** Who confirmed the proposal with `/ab conclude`. */
  confirmedBy?: Steer;
  /** When the proposal was applied (by the policy or by a person). */
  concludedAt?: string;
}

/** Observations kept in the state: two days of hourly intervals; older ones live on in the totals. */
export const AB_RECENT_OBSERVATIONS = 48;
/** Health intervals kept with their full evidence; older ones live on in the tally. */
export const AB_RECENT_HEALTH = 3;
/** Metrics per health interval a state may hold (a manifest lists a handful). */
const MAX_HEALTH_METRICS = 100;

/** Starts an A/B test's record when its split goes live. */
export function startAbRecord(liveAt: Date): AbRecord {
  return {
    startedAt: liveAt.toISOString(),
    looks: 0,
    errors: 0,
    totals: { a: { successes: 0, trials: 0 }, b: { successes: 0, trials: 0 } },
    recent: [],
  };
}

const text = (max = 1024) => z.string().max(max);
// JSON writes NaN (a rate of no trials) as null: read it back as NaN.
const evidenceNumber = z.union([z.number(), z.null()]).transform((v) => v ?? Number.NaN);
const count = z.number().nonnegative().max(1e15);
const arm = z
  .strictObject({ successes: count, trials: count })
  .refine((a) => a.successes <= a.trials, 'successes cannot exceed trials');
const look = z.strictObject({
  rateA: evidenceNumber,
  rateB: evidenceNumber,
  difference: evidenceNumber,
  logLambda: evidenceNumber,
  p: z.number().min(0).max(1),
  lower: z.number().min(-1).max(1),
  upper: z.number().min(-1).max(1),
});

const tallyCount = z.number().int().nonnegative().max(10_000_000);
const health = z.strictObject({
  tally: z.strictObject({
    passed: tallyCount,
    failed: tallyCount,
    inconclusive: tallyCount,
    errors: tallyCount,
    consecutiveErrors: tallyCount,
  }),
  recent: z.array(intervalResultSchema(MAX_HEALTH_METRICS)).max(AB_RECENT_HEALTH),
});

const proposal = z.strictObject({
  outcome: z.enum(['promote_b', 'keep_a', 'inconclusive']),
  at: text(64),
  reason: text(1024),
  basis: z.literal('health').optional(),
});

/** The shape an AbRecord read back from a comment must have: bounded, checked before use. */
export const abRecordSchema: z.ZodType<AbRecord> = z.strictObject({
  startedAt: text(64),
  looks: z.number().int().nonnegative().max(10_000_000),
  errors: z.number().int().nonnegative().max(10_000_000),
  totals: z.strictObject({ a: arm, b: arm }),
  recent: z
    .array(
      z.union([
        z.strictObject({ at: text(64), a: arm, b: arm }),
        z.strictObject({ at: text(64), error: text(512) }),
      ]),
    )
    .max(AB_RECENT_OBSERVATIONS),
  latest: look.optional(),
  evidence: look.optional(),
  health: health.optional(),
  proposal: proposal.optional(),
  waitingLooks: z.number().int().nonnegative().max(10_000_000).optional(),
  overruled: proposal.optional(),
  confirmedBy: steerSchema.optional(),
  concludedAt: text(64).optional(),
});
