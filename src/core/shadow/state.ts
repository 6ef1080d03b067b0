import { z } from 'zod';
import { intervalResultSchema, verdictSchema } from '../canary/interval-schema.js';
import type { IntervalResult, Verdict } from '../canary/judge.js';
import { RATIO_BINS, SIMILARITY_BINS, type OutputTally } from './compare.js';

/** How many of the latest serving intervals keep their full evidence (for the report). */
export const RECENT_SERVING = 3;
/** How many interval summaries the record keeps (the newest; older ones are counted in the tallies). */
export const HISTORY_LIMIT = 48;

/** The serving metrics' intervals so far, counted the way the canary's analysis counts them. */
export interface ServingTally {
  passed: number;
  failed: number;
  inconclusive: number;
  errors: number;
  consecutiveErrors: number;
}

/** One judged interval of the shadow, in a line. */
export interface ShadowIntervalSummary {
  at: string;
  serving: Verdict;
  /** Pairs compared in this interval. */
  pairs: number;
  /** The outputs' verdict after this interval (all pairs so far); `error` when the source failed; `none` without outputs. */
  outputs: 'pass' | 'fail' | 'inconclusive' | 'error' | 'none';
}

/** How the shadow ended. */
export interface ShadowOutcome {
  verdict: 'pass' | 'fail' | 'inconclusive';
  reason: string;
  at: string;
}

/**
 * A shadow's part of the rollout state (kept in the sealed sticky comment
 * with the rest). It holds counts and summaries only, never a prompt or an
 * answer: the state stays well under GitHub's comment size, and untrusted
 * text never enters it.
 */
export interface ShadowRecord {
  /**
   * `shadow` while the shadow is judged; `canary` once it passed and handed
   * over to the canary's steps (then planCanaryStep judges the rollout and
   * this record is the shadow's evidence, unchanged).
   */
  phase: 'shadow' | 'canary';
  /** Intervals judged since the shadow went live (state.stepStartedAt). */
  judged: number;
  serving: ServingTally;
  /** The latest serving intervals with their evidence, newest last. */
  recent: IntervalResult[];
  /** Every pair compared so far, summed (absent when the policy compares no outputs). */
  outputs?: OutputTally;
  /** Intervals whose output source failed, and the latest failure. */
  sourceErrors: number;
  lastSourceError?: string;
  /** The newest interval summaries, oldest first. */
  history: ShadowIntervalSummary[];
  outcome?: ShadowOutcome;
}

/** The record of a shadow that has not been judged yet. */
export function newShadowRecord(): ShadowRecord {
  return {
    phase: 'shadow',
    judged: 0,
    serving: { passed: 0, failed: 0, inconclusive: 0, errors: 0, consecutiveErrors: 0 },
    recent: [],
    sourceErrors: 0,
    history: [],
  };
}

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().max(max);
const verdict = verdictSchema;
const interval = intervalResultSchema(100);
const paired = z.strictObject({ both: count, productionOnly: count, shadowOnly: count, neither: count });
const tally: z.ZodType<OutputTally> = z.strictObject({
  pairs: count,
  overCap: count,
  duplicates: count,
  exact: count,
  similarity: z.array(count).length(SIMILARITY_BINS),
  lengthRatio: z.array(count).length(RATIO_BINS),
  json: paired,
  refusal: paired,
  judge: z.strictObject({ shadow: count, production: count, tie: count, unparsed: count }),
});

/** The shape a ShadowRecord read back from a comment must have: bounded everywhere. */
export const shadowRecordSchema: z.ZodType<ShadowRecord> = z.strictObject({
  phase: z.enum(['shadow', 'canary']),
  judged: count,
  serving: z.strictObject({
    passed: count,
    failed: count,
    inconclusive: count,
    errors: count,
    consecutiveErrors: count,
  }),
  recent: z.array(interval).max(RECENT_SERVING),
  outputs: tally.optional(),
  sourceErrors: count,
  lastSourceError: text(512).optional(),
  history: z
    .array(
      z.strictObject({
        at: text(64),
        serving: verdict,
        pairs: count,
        outputs: z.enum(['pass', 'fail', 'inconclusive', 'error', 'none']),
      }),
    )
    .max(HISTORY_LIMIT),
  outcome: z
    .strictObject({ verdict: z.enum(['pass', 'fail', 'inconclusive']), reason: text(2048), at: text(64) })
    .optional(),
});
