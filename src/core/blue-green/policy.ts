import { parseRolloutDuration } from '../manifest/rollout.js';
/**
 * A blue-green rollout's policy: the manifest's `rollout.blue_green` block,
 * as merged at the release tag. Named after Argo Rollouts' blueGreen fields
 * (prePromotionAnalysis, autoPromotionEnabled, postPromotionAnalysis,
 * scaleDownDelaySeconds); docs/blue-green.md maps them one by one.
 */
export interface BlueGreenPolicy {
  pre_switch?: {
    /** Names from `eval.suites` run against the preview endpoint (default: all of them). */
    suites?: readonly string[];
    /** Health window of `canary.metrics` (their min/max) on the preview, 0s–24h (default 10m). */
    duration?: string;
  };
  /** Switch as soon as the pre-switch analysis passes (default true); false: `/promote` switches. */
  auto_switch?: boolean;
  post_switch?: {
    /** How long green is watched against blue after the switch, 1m–7d (default 30m). */
    duration?: string;
    /** Judged every, 10s–24h (default 5m). */
    interval?: string;
  };
  /** Blue stays warm this long after the switch; at least post_switch.duration (default: that duration). */
  scale_down_delay?: string;
}

/** A BlueGreenPolicy with every default filled in, durations in milliseconds. */
export interface ResolvedBlueGreenPolicy {
  preSwitch: { suites?: readonly string[]; durationMs: number };
  autoSwitch: boolean;
  postSwitch: { durationMs: number; intervalMs: number };
  scaleDownDelayMs: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The bounds of each duration (milliseconds), and its default. */
export const BLUE_GREEN_DURATIONS = {
  'pre_switch.duration': { min: 0, max: DAY, default: '10m' },
  'post_switch.duration': { min: MINUTE, max: 7 * DAY, default: '30m' },
  'post_switch.interval': { min: 10_000, max: DAY, default: '5m' },
  // Blue kept warm longer than a month is a second production, not a rollback plan.
  scale_down_delay: { min: MINUTE, max: 30 * DAY, default: undefined },
} as const;

/** 1800000 -> `30m`: the largest whole unit. */
export function formatBlueGreenDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
  ] as const)
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}

/** One problem of a blue_green block: the field (dotted, under `rollout.blue_green`) and what is wrong. */
export interface BlueGreenPolicyProblem {
  path: string;
  message: string;
}

/**
 * Every problem of a blue_green block: a duration that is not one or out of
 * its bounds, a scale_down_delay shorter than the post-switch window (blue
 * must still be there to switch back to), a suite named twice. The manifest
 * schema reports these as MANIFEST-SCHEMA; resolveBlueGreenPolicy refuses them.
 */
export function blueGreenPolicyProblems(block: BlueGreenPolicy = {}): BlueGreenPolicyProblem[] {
  const problems: BlueGreenPolicyProblem[] = [];
  const texts: Record<keyof typeof BLUE_GREEN_DURATIONS, string | undefined> = {
    'pre_switch.duration': block.pre_switch?.duration,
    'post_switch.duration': block.post_switch?.duration,
    'post_switch.interval': block.post_switch?.interval,
    scale_down_delay: block.scale_down_delay,
  };
  for (const [path, text] of Object.entries(texts) as [keyof typeof BLUE_GREEN_DURATIONS, string?][]) {
    if (text === undefined) continue;
    const bounds = BLUE_GREEN_DURATIONS[path];
    const ms = parseRolloutDuration(text);
    if (ms === undefined)
      problems.push({ path, message: `"${text}" is not a duration such as 30s, 10m, 1h or 2d` });
    else if (ms < bounds.min || ms > bounds.max)
      problems.push({
        path,
        message: `${text} is not between ${formatBlueGreenDuration(bounds.min)} and ${formatBlueGreenDuration(bounds.max)}`,
      });
  }
  const post = parseRolloutDuration(
    block.post_switch?.duration ?? BLUE_GREEN_DURATIONS['post_switch.duration'].default,
  );
  const interval = parseRolloutDuration(
    block.post_switch?.interval ?? BLUE_GREEN_DURATIONS['post_switch.interval'].default,
  );
  const delay =
    block.scale_down_delay === undefined ? undefined : parseRolloutDuration(block.scale_down_delay);
  if (post !== undefined && delay !== undefined && delay < post)
    problems.push({
      path: 'scale_down_delay',
      message: `${block.scale_down_delay} is shorter than post_switch.duration (${formatBlueGreenDuration(post)}): blue would be gone before the post-switch analysis could switch back to it`,
    });
  if (post !== undefined && interval !== undefined && interval > post)
    problems.push({
      path: 'post_switch.interval',
      message: `${formatBlueGreenDuration(interval)} is longer than post_switch.duration (${formatBlueGreenDuration(post)}): not one window would fit`,
    });
  const suites = block.pre_switch?.suites ?? [];
  const twice = suites.find((name, index) => suites.indexOf(name) !== index);
  if (twice !== undefined)
    problems.push({ path: 'pre_switch.suites', message: `suite ${twice} is named twice` });
  return problems;
}

/** A blue_green block that cannot be resolved: a manifest that passed the schema never has one. */
export class BlueGreenPolicyError extends Error {
  constructor(readonly problems: readonly BlueGreenPolicyProblem[]) {
    super(problems.map((p) => `rollout.blue_green.${p.path}: ${p.message}`).join('; '));
  }
}

/**
 * The policy with its defaults: pre-switch health 10m over every eval suite,
 * switch automatically, watch 30m judged every 5m, keep blue warm for the
 * post-switch window. Throws BlueGreenPolicyError for a block the schema
 * would refuse (see blueGreenPolicyProblems).
 */
export function resolveBlueGreenPolicy(block: BlueGreenPolicy = {}): ResolvedBlueGreenPolicy {
  const problems = blueGreenPolicyProblems(block);
  if (problems.length) throw new BlueGreenPolicyError(problems);
  const ms = (text: string | undefined, fallback: string) => parseRolloutDuration(text ?? fallback)!;
  const postDuration = ms(block.post_switch?.duration, BLUE_GREEN_DURATIONS['post_switch.duration'].default);
  return {
    preSwitch: {
      ...(block.pre_switch?.suites ? { suites: [...block.pre_switch.suites] } : {}),
      durationMs: ms(block.pre_switch?.duration, BLUE_GREEN_DURATIONS['pre_switch.duration'].default),
    },
    autoSwitch: block.auto_switch ?? true,
    postSwitch: {
      durationMs: postDuration,
      intervalMs: ms(block.post_switch?.interval, BLUE_GREEN_DURATIONS['post_switch.interval'].default),
    },
    scaleDownDelayMs:
      block.scale_down_delay === undefined ? postDuration : parseRolloutDuration(block.scale_down_delay)!,
  };
}
