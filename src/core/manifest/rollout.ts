import { z } from 'zod';
import { INTERVAL_PATTERN, intervalProblem, parseInterval } from '../canary/interval.js';
import { parseGuardDuration } from '../guard/duration.js';
import { resolveArtifactPath } from '../repo-path.js';
import type { YamlPath } from './parse.js';

/** How a new version reaches production (`rollout.strategy`); `canary` when the manifest names none. */
const ROLLOUT_STRATEGIES = ['canary', 'blue_green', 'shadow', 'ab'] as const;
export type RolloutStrategy = (typeof ROLLOUT_STRATEGIES)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The defaults spec'd for every rollout field (issue 13, spec §1). The
 * strategies' `resolve…Policy` fill the same values; the schema needs them to
 * judge one field against another that was left out.
 */
export const ROLLOUT_DEFAULTS = {
  shadow: {
    mirror: 10,
    duration: '1h',
    interval: '10m',
    then: 'canary',
    outputs: { sample: 500, min_pairs: 100, confidence: 0.95 },
  },
  ab: {
    split: 50,
    interval: '1h',
    min_duration: '24h',
    min_samples: 1000,
    horizon: '14d',
    alpha: 0.05,
    auto_conclude: false,
  },
  blue_green: {
    pre_switch: { duration: '10m' },
    auto_switch: true,
    post_switch: { duration: '30m', interval: '5m' },
  },
} as const;

/** Any duration the rollout block accepts: a whole number of seconds, minutes, hours or days. */
const ROLLOUT_DURATION_PATTERN = /^(\d+)(s|m|h|d)$/;

/**
 * Milliseconds of any duration the rollout block accepts (`0s`, `30s`, `10m`,
 * `1h`, `2d`), or undefined when `text` is none. Intervals accept the
 * canary's syntax only (seconds to hours, read by `parseInterval` too);
 * windows accept all four units.
 */
export function parseRolloutDuration(text: string): number | undefined {
  const seconds = /^(\d+)s$/.exec(text);
  if (seconds) {
    const ms = Number(seconds[1]) * 1000;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  return parseGuardDuration(text);
}

/** An analysis interval: the canary's syntax and bounds exactly (10s to 24h). */
const interval = (what: string, fallback: string) =>
  z
    .string()
    .regex(INTERVAL_PATTERN, 'a duration such as 30s, 10m or 1h')
    .superRefine((text, context) => {
      // The pattern's own issue is reported already; this adds the bounds.
      const problem = INTERVAL_PATTERN.test(text) ? intervalProblem(text) : undefined;
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .describe(`${what}: 10s to 24h (default ${fallback})`);

/** Where a window's length must lie, in milliseconds. */
interface Bounds {
  min: number;
  max: number;
}

/** The bounds of every window of spec §1 (intervals share the canary's 10s to 24h). */
const WINDOWS = {
  shadowDuration: { min: 10 * MINUTE, max: 7 * DAY },
  abMinDuration: { min: 10 * MINUTE, max: 30 * DAY },
  abHorizon: { min: 10 * MINUTE, max: 90 * DAY },
  preSwitch: { min: 0, max: DAY },
  postSwitch: { min: MINUTE, max: 7 * DAY },
  // Blue kept warm for more than a month is a second production, not a way back.
  scaleDownDelay: { min: MINUTE, max: 30 * DAY },
} as const satisfies Record<string, Bounds>;

/** Milliseconds of a window within its bounds, or undefined (the schema refuses it). */
function windowMs(text: string, bounds: Bounds): number | undefined {
  const ms = ROLLOUT_DURATION_PATTERN.test(text) ? parseRolloutDuration(text) : undefined;
  return ms !== undefined && ms >= bounds.min && ms <= bounds.max ? ms : undefined;
}

/** A window field: any unit, within `bounds`; `docs` says the bounds and default as the docs do. */
const longWindow = (what: string, bounds: Bounds, docs: string) =>
  z
    .string()
    .regex(ROLLOUT_DURATION_PATTERN, 'a duration such as 30s, 10m, 1h or 2d')
    .superRefine((text, context) => {
      // The pattern's own issue is reported already; this adds the bounds.
      if (ROLLOUT_DURATION_PATTERN.test(text) && windowMs(text, bounds) === undefined)
        context.addIssue({
          code: 'custom',
          message: `${text} is not between ${formatBound(bounds.min)} and ${formatBound(bounds.max)}`,
        });
    })
    .describe(`${what}: ${docs}`);

/** 600000 -> `10m`, 86400000 -> `24h`, 0 -> `0s`: a bound as the docs write it. */
function formatBound(ms: number): string {
  if (ms > DAY && ms % DAY === 0) return `${ms / DAY}d`;
  if (ms >= HOUR && ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms >= MINUTE && ms % MINUTE === 0) return `${ms / MINUTE}m`;
  return `${ms / 1000}s`;
}

/** A whole percentage of requests within [min, max]. */
const percent = (min: number, max: number) => z.number().int().min(min).max(max);
/** A share (0 to 1) an output check compares with. */
const share = z.number().min(0).max(1);

const replayPath = z
  .string()
  .min(1)
  .max(1024)
  .superRefine((ref, context) => {
    const problem = replayPathProblem(ref);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  })
  .describe(
    'recorded production prompts (JSON lines), relative to the manifest folder; must stay inside the repository',
  );

/**
 * What the schema can say about a replay path without knowing where the
 * manifest is: absolute, NUL, `.git/`. A path of n segments climbs at most n
 * folders, so resolving it from n folders deep leaves only `..` out; the
 * loader checks that against the manifest's own folder (ARTIFACT-MISSING, as
 * for every artifact: rolloutFileReferences).
 */
function replayPathProblem(ref: string): string | undefined {
  const depth = ref.split(/[\\/]/).length;
  const resolved = resolveArtifactPath(`${'x/'.repeat(depth)}model.yaml`, ref);
  return resolved.ok
    ? undefined
    : `${ref} ${resolved.reason}: name a file inside the repository, relative to the manifest folder`;
}

const outputChecks = z
  .strictObject({
    exact_agreement: z
      .strictObject({ min: share.optional() })
      .optional()
      .describe(
        'share of requests whose two answers are identical, character for character: at least min (0 to 1)',
      ),
    similarity: z
      .strictObject({ min: share.optional() })
      .optional()
      .describe(
        "median normalised-text similarity of the shadow's answer to production's: at least min (0 to 1)",
      ),
    json_validity: z
      .strictObject({ max_drop: share.optional() })
      .optional()
      .describe("the shadow's share of valid JSON answers may fall at most max_drop below production's"),
    refusal_rate: z
      .strictObject({ max_increase: share.optional() })
      .optional()
      .describe("the shadow's refusal rate may rise at most max_increase above production's"),
    length_ratio: z
      .strictObject({
        min: z.number().positive().max(1).optional(),
        max: z.number().min(1).max(1000).optional(),
      })
      .optional()
      .describe("the shadow's answer length over production's: the median ratio within [min, max]"),
    judge: z
      .strictObject({ min: share.optional() })
      .optional()
      .describe(
        "pairwise LLM judge, both orders: the shadow's share of wins (ties count half) at least min; runs only when listed",
      ),
  })
  .describe('the output comparisons; each optional, with defaults (docs/shadow.md)');

const shadowOutputs = z
  .strictObject({
    source: z
      .enum(['postgres', 'replay'], {
        error: (issue) =>
          issue.input === undefined
            ? 'required: where the answers come from, postgres (the request log) or replay (recorded prompts)'
            : undefined,
      })
      .describe(
        'postgres: pairs from the request log the app is configured with; replay: recorded prompts sent to both versions',
      ),
    replay: replayPath.optional(),
    sample: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe('at most this many pairs per interval: 1 to 10000 (default 500)'),
    min_pairs: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('fewer pairs over the whole shadow leaves the outputs inconclusive (default 100)'),
    confidence: z
      .number()
      .min(0.5)
      .max(0.999)
      .optional()
      .describe('of every confidence interval: 0.5 to 0.999 (default 0.95)'),
    checks: outputChecks.optional(),
  })
  .superRefine((outputs, context) => {
    if (outputs.source === 'replay' && outputs.replay === undefined)
      context.addIssue({
        code: 'custom',
        path: ['source'],
        message:
          'source replay sends recorded prompts to both versions: name the file in rollout.shadow.outputs.replay (JSON lines, relative to the manifest folder)',
      });
    if (outputs.source !== 'replay' && outputs.replay !== undefined)
      context.addIssue({
        code: 'custom',
        path: ['replay'],
        message: `replay is read only with source: replay (the source is ${outputs.source}): remove replay or set source: replay`,
      });
  })
  .describe("compare the shadow's answers with production's, request by request");

const shadowBlock = z
  .strictObject({
    mirror: percent(1, 100)
      .optional()
      .describe('percent of production requests copied to the shadow: 1 to 100 (default 10)'),
    duration: longWindow(
      'the shadow runs at least this long',
      WINDOWS.shadowDuration,
      '10m to 7d (default 1h)',
    ).optional(),
    interval: interval('judged every', '10m').optional(),
    then: z
      .enum(['canary', 'promote'])
      .optional()
      .describe(
        "after a passing shadow: canary (default) runs the canary's steps (canary.steps, or 5, 25, 50, 100); promote promotes at once",
      ),
    outputs: shadowOutputs.optional(),
  })
  .superRefine((shadow, context) => {
    const defaults = ROLLOUT_DEFAULTS.shadow;
    const problem = longerThan(
      { text: shadow.interval, default: defaults.interval, key: 'interval', ms: parseInterval },
      {
        text: shadow.duration,
        default: defaults.duration,
        key: 'rollout.shadow.duration',
        ms: (text) => windowMs(text, WINDOWS.shadowDuration),
      },
      "the shadow's duration",
    );
    if (problem) context.addIssue({ code: 'custom', path: ['interval'], message: problem });
  })
  .describe('A shadow: production requests mirrored to the new version, whose answers users never see.');

/** Placeholders a product-metric query may use; `{{version}}` tells the arms apart. */
const metricQuery = (what: string) =>
  z
    .string()
    .min(1)
    .max(4096)
    .refine((query) => query.includes('{{version}}'), {
      message:
        'the query must contain {{version}}, so each arm is counted on its own (both arms would read the same number)',
    })
    .describe(`PromQL: ${what} over {{interval}}; {{model}}, {{version}} and {{interval}} are filled in`);

const abMetric = z.strictObject(
  {
    name: z.string().min(1).max(128).describe('what the metric is, for the report (thumbs_up_rate)'),
    successes: metricQuery('the successes (thumbs up, tasks solved, conversions)'),
    trials: metricQuery('the trials (votes, tasks, visits)'),
    higher_is_better: z
      .boolean({
        error: (issue) =>
          issue.input === undefined
            ? 'required: say whether a higher rate is better (true) or worse (false); modelgate never guesses a direction'
            : 'true or false',
      })
      .describe('required: the direction is never guessed'),
  },
  {
    error: (issue) =>
      issue.input === undefined
        ? 'required: an A/B test compares a product metric; add rollout.ab.metric with name, successes, trials and higher_is_better'
        : 'a mapping with name, successes, trials and higher_is_better',
  },
);

const abBlock = z
  .strictObject({
    split: percent(1, 99)
      .optional()
      .describe('percent of requests to the new version (B): 1 to 99 (default 50)'),
    metric: abMetric.describe('the product metric compared: successes out of trials per arm'),
    interval: interval('looked at every', '1h').optional(),
    min_duration: longWindow(
      'no conclusion before',
      WINDOWS.abMinDuration,
      '10m to 30d (default 24h)',
    ).optional(),
    min_samples: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .optional()
      .describe('trials per arm before any conclusion (default 1000)'),
    horizon: longWindow(
      'undecided by then: inconclusive',
      WINDOWS.abHorizon,
      'up to 90d, not before min_duration (default 14d)',
    ).optional(),
    alpha: z
      .number()
      .min(0.001)
      .max(0.2)
      .optional()
      .describe('false-positive rate under continuous monitoring: 0.001 to 0.2 (default 0.05)'),
    auto_conclude: z
      .boolean()
      .optional()
      .describe('true: the decision applies itself; false (default): a person confirms with /ab conclude'),
  })
  .superRefine((ab, context) => {
    const defaults = ROLLOUT_DEFAULTS.ab;
    const minDuration = {
      text: ab.min_duration,
      default: defaults.min_duration,
      ms: (text: string) => windowMs(text, WINDOWS.abMinDuration),
    };
    const early = longerThan(
      { text: ab.interval, default: defaults.interval, key: 'interval', ms: parseInterval },
      { ...minDuration, key: 'rollout.ab.min_duration' },
      'min_duration',
    );
    if (early) context.addIssue({ code: 'custom', path: ['interval'], message: early });
    const late = longerThan(
      { ...minDuration, key: 'min_duration' },
      {
        text: ab.horizon,
        default: defaults.horizon,
        key: 'rollout.ab.horizon',
        ms: (text) => windowMs(text, WINDOWS.abHorizon),
      },
      'the horizon',
    );
    if (late) context.addIssue({ code: 'custom', path: ['min_duration'], message: late });
  })
  .describe(
    'An A/B test: a fixed split, a product metric, a sequential test valid under continuous monitoring.',
  );

const suiteName = z.string().regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _ only');

const blueGreenBlock = z
  .strictObject({
    pre_switch: z
      .strictObject({
        suites: z
          .array(suiteName)
          .max(50)
          .superRefine((names, context) => {
            const twice = names.find((name, index) => names.indexOf(name) !== index);
            if (twice !== undefined)
              context.addIssue({
                code: 'custom',
                message: `suite ${twice} is named twice: name each suite once`,
              });
          })
          .optional()
          .describe('eval.suites run against the preview endpoint (default: all of them; [] for none)'),
        duration: longWindow(
          'health window of canary.metrics (their min and max) on the preview',
          WINDOWS.preSwitch,
          '0s to 24h (default 10m); 0s skips it',
        ).optional(),
      })
      .optional()
      .describe("before the switch (Argo Rollouts' prePromotionAnalysis)"),
    auto_switch: z
      .boolean()
      .optional()
      .describe(
        "true (default): switch once the preview passes; false: /promote switches (Argo's autoPromotionEnabled)",
      ),
    post_switch: z
      .strictObject({
        duration: longWindow(
          'watched this long after the switch',
          WINDOWS.postSwitch,
          '1m to 7d (default 30m)',
        ).optional(),
        interval: interval('judged every', '5m').optional(),
      })
      .optional()
      .describe("after the switch, against blue's recent history (Argo Rollouts' postPromotionAnalysis)"),
    scale_down_delay: longWindow(
      "blue stays warm this long after the switch (Argo's scaleDownDelaySeconds)",
      WINDOWS.scaleDownDelay,
      'at least post_switch.duration, up to 30d (default: post_switch.duration)',
    ).optional(),
  })
  .superRefine((blueGreen, context) => {
    const defaults = ROLLOUT_DEFAULTS.blue_green.post_switch;
    const duration = {
      text: blueGreen.post_switch?.duration,
      default: defaults.duration,
      ms: (text: string) => windowMs(text, WINDOWS.postSwitch),
    };
    const tooLong = longerThan(
      {
        text: blueGreen.post_switch?.interval,
        default: defaults.interval,
        key: 'interval',
        ms: parseInterval,
      },
      { ...duration, key: 'rollout.blue_green.post_switch.duration' },
      'post_switch.duration',
    );
    if (tooLong) context.addIssue({ code: 'custom', path: ['post_switch', 'interval'], message: tooLong });
    const delay = blueGreen.scale_down_delay;
    const watched = duration.ms(duration.text ?? duration.default);
    const delayMs = delay === undefined ? undefined : windowMs(delay, WINDOWS.scaleDownDelay);
    if (delayMs !== undefined && watched !== undefined && delayMs < watched)
      context.addIssue({
        code: 'custom',
        path: ['scale_down_delay'],
        message: `${delay} is shorter than post_switch.duration (${described(duration)}): blue must stay warm until the post-switch analysis ends, so a failure can switch straight back; set scale_down_delay to ${duration.text ?? duration.default} or more`,
      });
  })
  .describe('Blue-green: the new version deployed beside production, judged, then switched to at once.');

/** The manifest's `rollout` block: the strategy and its settings. */
export const rolloutSchema = z
  .strictObject({
    strategy: z.enum(ROLLOUT_STRATEGIES).optional().describe('canary (default) | blue_green | shadow | ab'),
    shadow: shadowBlock.optional(),
    ab: abBlock.optional(),
    blue_green: blueGreenBlock.optional(),
  })
  .superRefine((rollout, context) => {
    const strategy = rollout.strategy ?? 'canary';
    for (const block of ['shadow', 'ab', 'blue_green'] as const)
      if (rollout[block] !== undefined && block !== strategy)
        context.addIssue({
          code: 'custom',
          path: [block],
          message: `a ${block} block needs strategy: ${block} (the strategy is ${strategy}${rollout.strategy ? '' : ', the default'}): remove rollout.${block} or set rollout.strategy: ${block}`,
        });
    if (strategy === 'ab' && rollout.ab === undefined)
      context.addIssue({
        code: 'custom',
        path: ['strategy'],
        message:
          'strategy ab compares a product metric: add rollout.ab.metric with name, successes, trials and higher_is_better',
      });
  })
  .describe(
    'How a new version reaches production: the strategy and its settings (docs/manifest.md#the-rollout-block).',
  );

/** A parsed `rollout` block. */
export type RolloutBlock = z.infer<typeof rolloutSchema>;
export type ShadowBlock = z.infer<typeof shadowBlock>;
export type AbBlock = z.infer<typeof abBlock>;
export type BlueGreenBlock = z.infer<typeof blueGreenBlock>;

/** The parts of a manifest the rollout rules look at (schema.ts passes the whole manifest). */
export interface RolloutContext {
  rollout?: RolloutBlock;
  canary?: { metrics?: readonly { min?: number; max?: number }[] };
  eval?: { suites?: readonly { name: string }[] };
}

/** One problem a rollout has with the rest of the manifest, at a manifest path. */
export interface RolloutProblem {
  path: (string | number)[];
  message: string;
}

/**
 * What the rollout needs from the rest of the manifest. A shadow and a
 * blue-green rollout judge serving health with `canary.metrics` (the shadow
 * against production, green against blue after the switch): without a metric
 * they would judge nothing and pass, so they are refused. An A/B test judges
 * its own product metric and needs none. Blue-green's pre-switch suites must
 * be eval.suites, and the pre-switch analysis must judge something.
 */
export function rolloutProblems(manifest: RolloutContext): RolloutProblem[] {
  const rollout = manifest.rollout;
  const strategy = rollout?.strategy ?? 'canary';
  const problems: RolloutProblem[] = [];
  const metrics = manifest.canary?.metrics ?? [];
  const suites = (manifest.eval?.suites ?? []).map((suite) => suite.name);
  if ((strategy === 'shadow' || strategy === 'blue_green') && metrics.length === 0)
    problems.push({
      path: ['rollout', 'strategy'],
      message: `strategy ${strategy} judges serving health with canary.metrics (${strategy === 'shadow' ? "the shadow's against production's" : "green's against blue's"}), and none is listed: add canary.metrics (an error rate, a latency) or choose another strategy`,
    });
  if (strategy === 'blue_green') {
    const pre = rollout?.blue_green?.pre_switch;
    for (const [index, name] of (pre?.suites ?? []).entries())
      if (!suites.includes(name))
        problems.push({
          path: ['rollout', 'blue_green', 'pre_switch', 'suites', index],
          message: `suite ${name} is not in eval.suites (${suites.join(', ') || 'none'}): add it there or remove it from rollout.blue_green.pre_switch.suites`,
        });
    const running = pre?.suites ?? suites;
    const healthMs = parseRolloutDuration(pre?.duration ?? ROLLOUT_DEFAULTS.blue_green.pre_switch.duration);
    const bounded = metrics.some((metric) => metric.min !== undefined || metric.max !== undefined);
    if (running.length === 0 && !(healthMs && bounded))
      problems.push({
        path: ['rollout', 'blue_green', 'pre_switch'],
        message: `the pre-switch analysis judges nothing (no eval suite, ${healthMs ? 'and no canary metric with min or max' : 'and a 0s health window'}), so the switch would follow untested: list eval.suites, or give a canary metric a min or max and pre_switch.duration above 0s`,
      });
  }
  return problems;
}

/**
 * Files the rollout reads from the repository, with where the manifest names
 * them: the loader checks each like an artifact (exists, stays inside the
 * repository: ARTIFACT-MISSING), and a revert restores them.
 */
export function rolloutFileReferences(rollout: RolloutBlock | undefined): [YamlPath, string][] {
  const replay = rollout?.shadow?.outputs?.replay;
  return replay === undefined ? [] : [[['rollout', 'shadow', 'outputs', 'replay'], replay]];
}

interface DurationField {
  text: string | undefined;
  default: string;
  key: string;
  /** Milliseconds of a usable value; undefined for one its own field refuses. */
  ms: (text: string) => number | undefined;
}

/** Why `short` may not be longer than `long` (either may be its default), or undefined. */
function longerThan(short: DurationField, long: DurationField, longName: string): string | undefined {
  const shortMs = short.ms(short.text ?? short.default);
  const longMs = long.ms(long.text ?? long.default);
  // An unreadable duration is reported by its own field; only usable ones are compared.
  if (shortMs === undefined || longMs === undefined || shortMs <= longMs) return undefined;
  return `${described(short)} is longer than ${longName} (${described(long)}): shorten ${short.key} or lengthen ${long.key}`;
}

/** `2h`, or `the default 1h` when the manifest left the field out. */
function described(field: { text: string | undefined; default: string }): string {
  return field.text ?? `the default ${field.default}`;
}
