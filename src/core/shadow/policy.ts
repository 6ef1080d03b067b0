import { parseInterval } from '../canary/interval.js';
import { parseRolloutDuration } from '../manifest/rollout.js';

/** One output check's limits as the manifest writes them (`rollout.shadow.outputs.checks`). */
export interface ShadowOutputChecks {
  /** Share of requests whose two answers are identical, character for character. */
  exact_agreement?: { min?: number };
  /** Median normalised-text similarity of the two answers (docs/shadow.md). */
  similarity?: { min?: number };
  /** How much the share of answers that are JSON may drop (shadow's rate minus production's). */
  json_validity?: { max_drop?: number };
  /** How much the share of refusals may rise (shadow's rate minus production's). */
  refusal_rate?: { max_increase?: number };
  /** Where the median of shadow length / production length must lie. */
  length_ratio?: { min?: number; max?: number };
  /** Pairwise LLM judge: the shadow's share of wins, ties counting half. Runs only when listed. */
  judge?: { min?: number };
}

/** `rollout.shadow.outputs`: where the answers come from and how they are compared. */
export interface ShadowOutputsPolicy {
  /** `postgres`: the gateway's request log; `replay`: modelgate sends recorded prompts to both versions. */
  source: 'postgres' | 'replay';
  /** Source `replay`: a JSONL file of recorded prompts, relative to the manifest's folder. */
  replay?: string;
  /** At most this many pairs per interval (default 500). */
  sample?: number;
  /** Fewer pairs over the whole shadow: the outputs are inconclusive (default 100). */
  min_pairs?: number;
  /** Confidence of every interval (default 0.95). */
  confidence?: number;
  /** The checks to run; without it, the default set (docs/shadow.md). */
  checks?: ShadowOutputChecks;
}

/** The manifest's `rollout.shadow` block as parsed: every field with a default is optional. */
export interface ShadowPolicy {
  /** Percent of production requests copied to the shadow, 1–100 (default 10). */
  mirror?: number;
  /** The shadow runs at least this long, 10m–7d (default 1h). */
  duration?: string;
  /** Judged every, 10s–24h (default 10m). */
  interval?: string;
  /** After a passing shadow: `canary` (the canary.steps follow, default) or `promote`. */
  then?: 'canary' | 'promote';
  outputs?: ShadowOutputsPolicy;
}

/** The checks modelgate knows, in report order. */
export const OUTPUT_CHECKS = [
  'exact_agreement',
  'similarity',
  'json_validity',
  'refusal_rate',
  'length_ratio',
  'judge',
] as const;
export type OutputCheckName = (typeof OUTPUT_CHECKS)[number];

/** Every check with its limits filled in. */
export interface ResolvedChecks {
  exact_agreement?: { min: number };
  similarity?: { min: number };
  json_validity?: { max_drop: number };
  refusal_rate?: { max_increase: number };
  length_ratio?: { min: number; max: number };
  judge?: { min: number };
}

/** The outputs part of a resolved policy. */
export interface ResolvedShadowOutputs {
  source: 'postgres' | 'replay';
  replay?: string;
  sample: number;
  minPairs: number;
  confidence: number;
  checks: ResolvedChecks;
}

/** A shadow policy with every default filled in and every duration in milliseconds. */
export interface ResolvedShadowPolicy {
  mirror: number;
  durationMs: number;
  intervalMs: number;
  then: 'canary' | 'promote';
  outputs?: ResolvedShadowOutputs;
  /** The durations as the manifest wrote them (or their defaults), for reports. */
  text: { duration: string; interval: string };
}

/** The limits a check uses when it is listed without them (`similarity: {}`). */
const CHECK_DEFAULTS = {
  exact_agreement: { min: 0.5 },
  similarity: { min: 0.6 },
  json_validity: { max_drop: 0.02 },
  refusal_rate: { max_increase: 0.02 },
  length_ratio: { min: 0.5, max: 2.0 },
  judge: { min: 0.45 },
} as const satisfies ResolvedChecks;

/**
 * The checks that run when `outputs` sets no `checks`: the ones that need no
 * judge and no assumption that answers are deterministic (exact agreement
 * and the judge run only when listed).
 */
const DEFAULT_CHECKS: ResolvedChecks = {
  similarity: CHECK_DEFAULTS.similarity,
  json_validity: CHECK_DEFAULTS.json_validity,
  refusal_rate: CHECK_DEFAULTS.refusal_rate,
  length_ratio: CHECK_DEFAULTS.length_ratio,
};

/** The defaults of `rollout.shadow` (docs/shadow.md). */
export const SHADOW_DEFAULTS = {
  mirror: 10,
  duration: '1h',
  interval: '10m',
  then: 'canary',
  sample: 500,
  min_pairs: 100,
  confidence: 0.95,
} as const;

/** The bounds the manifest schema enforces (spec: 10m–7d, 10s–24h). */
const SHADOW_DURATION_MIN_MS = 10 * 60_000;
const SHADOW_DURATION_MAX_MS = 7 * 86_400_000;

/**
 * Fills the defaults of a `shadow` block. The manifest schema bounds every
 * field, so a duration that does not parse here never came from a valid
 * manifest: it falls back to the default, never to something shorter.
 */
export function resolveShadowPolicy(block: ShadowPolicy): ResolvedShadowPolicy {
  const durationText = block.duration ?? SHADOW_DEFAULTS.duration;
  const intervalText = block.interval ?? SHADOW_DEFAULTS.interval;
  const parsedDuration = parseRolloutDuration(durationText);
  const durationMs =
    parsedDuration !== undefined &&
    parsedDuration >= SHADOW_DURATION_MIN_MS &&
    parsedDuration <= SHADOW_DURATION_MAX_MS
      ? parsedDuration
      : parseRolloutDuration(SHADOW_DEFAULTS.duration)!;
  const intervalMs = parseInterval(intervalText) ?? parseInterval(SHADOW_DEFAULTS.interval)!;
  return {
    mirror: block.mirror ?? SHADOW_DEFAULTS.mirror,
    durationMs,
    intervalMs,
    then: block.then ?? SHADOW_DEFAULTS.then,
    ...(block.outputs ? { outputs: resolveOutputs(block.outputs) } : {}),
    text: {
      duration: durationMs === parsedDuration ? durationText : SHADOW_DEFAULTS.duration,
      interval: parseInterval(intervalText) !== undefined ? intervalText : SHADOW_DEFAULTS.interval,
    },
  };
}

function resolveOutputs(outputs: ShadowOutputsPolicy): ResolvedShadowOutputs {
  return {
    source: outputs.source,
    ...(outputs.replay !== undefined ? { replay: outputs.replay } : {}),
    sample: outputs.sample ?? SHADOW_DEFAULTS.sample,
    minPairs: outputs.min_pairs ?? SHADOW_DEFAULTS.min_pairs,
    confidence: outputs.confidence ?? SHADOW_DEFAULTS.confidence,
    checks: outputs.checks ? resolveChecks(outputs.checks) : DEFAULT_CHECKS,
  };
}

function resolveChecks(checks: ShadowOutputChecks): ResolvedChecks {
  const out: ResolvedChecks = {};
  if (checks.exact_agreement)
    out.exact_agreement = { ...CHECK_DEFAULTS.exact_agreement, ...defined(checks.exact_agreement) };
  if (checks.similarity) out.similarity = { ...CHECK_DEFAULTS.similarity, ...defined(checks.similarity) };
  if (checks.json_validity)
    out.json_validity = { ...CHECK_DEFAULTS.json_validity, ...defined(checks.json_validity) };
  if (checks.refusal_rate)
    out.refusal_rate = { ...CHECK_DEFAULTS.refusal_rate, ...defined(checks.refusal_rate) };
  if (checks.length_ratio)
    out.length_ratio = { ...CHECK_DEFAULTS.length_ratio, ...defined(checks.length_ratio) };
  if (checks.judge) out.judge = { ...CHECK_DEFAULTS.judge, ...defined(checks.judge) };
  return out;
}

/** The fields that are set: `{ min: undefined }` from a parser must not erase a default. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** How many intervals a shadow of this policy judges: its duration in whole intervals, at least one. */
export function shadowIntervalCount(policy: ResolvedShadowPolicy): number {
  return Math.max(1, Math.ceil(policy.durationMs / policy.intervalMs));
}
