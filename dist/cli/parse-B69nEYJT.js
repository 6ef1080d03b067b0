import { s as strictObject, b as _enum, e as boolean, a as array, n as number, c as string, o as object, u as union, l as literal, r as record, i as distExports, p as parseYamlDocument } from './yaml-document-D8lQUcRd.js';
import { a as resolveArtifactPath, D as tagNameProblem, d as releaseTag, V as VERSION_MAX_LENGTH, E as VERSION_TOO_LONG, H as VERSION_RULE, v as versionProblem, I as NAME_RULES, N as NAME_MAX_LENGTH, J as NAME_TOO_LONG } from './state-AWNhEueb.js';

/** Shorter intervals hold too few scrapes to judge; longer ones leave a bad canary serving for days. */
const INTERVAL_MIN_MS = 10_000;
const INTERVAL_MAX_MS = 24 * 3_600_000;
/** A whole number of seconds, minutes or hours. */
const INTERVAL_PATTERN = /^(\d+)(s|m|h)$/;
const UNIT_MS$1 = { s: 1000, m: 60_000, h: 3_600_000 };
/**
 * `10m` -> 600000: a canary interval in milliseconds, or undefined when the
 * text is not a duration within [10s, 24h] (the schema refuses those, so a
 * validated manifest always has one).
 */
function parseInterval(text) {
    const match = INTERVAL_PATTERN.exec(text);
    if (!match)
        return undefined;
    const ms = Number(match[1]) * UNIT_MS$1[match[2]];
    return ms >= INTERVAL_MIN_MS && ms <= INTERVAL_MAX_MS ? ms : undefined;
}
/** Why `text` is not a usable canary interval, or undefined when it is. */
function intervalProblem(text) {
    if (!INTERVAL_PATTERN.test(text))
        return 'a duration such as 30s, 10m or 1h';
    return parseInterval(text) === undefined ? `${text} is not between 10s and 24h` : undefined;
}
/** Why `steps` are not a usable sequence of traffic weights, or undefined when they are. */
function stepsProblem(steps) {
    // A step outside 1..100 is reported on its own; the order is judged on usable steps only.
    if (!steps.every((step) => Number.isInteger(step) && step >= 1 && step <= 100))
        return undefined;
    for (let i = 1; i < steps.length; i += 1)
        if (steps[i] <= steps[i - 1])
            return `each step must send more traffic than the one before (${steps[i - 1]} then ${steps[i]})`;
    if (steps.at(-1) !== 100)
        return 'the last step must be 100: the canary takes all traffic before it is promoted';
    return undefined;
}

/** A whole number of minutes, hours or days: a bake lasts hours to weeks, so seconds are not offered. */
const GUARD_DURATION_PATTERN = /^(\d+)(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 };
/** The shortest bake: less than an interval or two of production traffic proves nothing. */
const BAKE_MIN_MS = 10 * 60_000;
/** The longest bake (and the most `/guard extend` may reach): a guard is not a monitoring system. */
const BAKE_MAX_MS = 30 * 86_400_000;
/** Judgment intervals: a rate() needs minutes of data; a day is the longest useful gap. */
const GUARD_INTERVAL_MIN_MS = 5 * 60_000;
const GUARD_INTERVAL_MAX_MS = 86_400_000;
/** `24h` -> 86400000, or undefined when the text is not a duration of minutes, hours or days. */
function parseGuardDuration(text) {
    const match = GUARD_DURATION_PATTERN.exec(text);
    if (!match)
        return undefined;
    const ms = Number(match[1]) * UNIT_MS[match[2]];
    return Number.isSafeInteger(ms) ? ms : undefined;
}
/** Why `text` is not a duration within [min, max], or undefined when it is. */
function guardDurationProblem(text, min, max) {
    const ms = parseGuardDuration(text);
    if (ms === undefined)
        return 'a duration such as 30m, 6h or 2d';
    if (ms < min || ms > max)
        return `${text} is not between ${formatDuration(min)} and ${formatDuration(max)}`;
    return undefined;
}
/** 86400000 -> `1d`, 5400000 -> `90m`: the largest whole unit. */
function formatDuration(ms) {
    if (ms % UNIT_MS.d === 0)
        return `${ms / UNIT_MS.d}d`;
    if (ms % UNIT_MS.h === 0)
        return `${ms / UNIT_MS.h}h`;
    return `${Math.round(ms / UNIT_MS.m)}m`;
}

/** How a new version reaches production (`rollout.strategy`); `canary` when the manifest names none. */
const ROLLOUT_STRATEGIES = ['canary', 'blue_green', 'shadow', 'ab'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * The defaults spec'd for every rollout field (issue 13, spec §1). The
 * strategies' `resolve…Policy` fill the same values; the schema needs them to
 * judge one field against another that was left out.
 */
const ROLLOUT_DEFAULTS = {
    shadow: {
        duration: '1h',
        interval: '10m'},
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
        post_switch: { duration: '30m', interval: '5m' },
    },
};
/** Any duration the rollout block accepts: a whole number of seconds, minutes, hours or days. */
const ROLLOUT_DURATION_PATTERN = /^(\d+)(s|m|h|d)$/;
/**
 * Milliseconds of any duration the rollout block accepts (`0s`, `30s`, `10m`,
 * `1h`, `2d`), or undefined when `text` is none. Intervals accept the
 * canary's syntax only (seconds to hours, read by `parseInterval` too);
 * windows accept all four units.
 */
function parseRolloutDuration(text) {
    const seconds = /^(\d+)s$/.exec(text);
    if (seconds) {
        const ms = Number(seconds[1]) * 1000;
        return Number.isSafeInteger(ms) ? ms : undefined;
    }
    return parseGuardDuration(text);
}
/** An analysis interval: the canary's syntax and bounds exactly (10s to 24h). */
const interval = (what, fallback) => string()
    .regex(INTERVAL_PATTERN, 'a duration such as 30s, 10m or 1h')
    .superRefine((text, context) => {
    // The pattern's own issue is reported already; this adds the bounds.
    const problem = INTERVAL_PATTERN.test(text) ? intervalProblem(text) : undefined;
    if (problem)
        context.addIssue({ code: 'custom', message: problem });
})
    .describe(`${what}: 10s to 24h (default ${fallback})`);
/** The bounds of every window of spec §1 (intervals share the canary's 10s to 24h). */
const WINDOWS = {
    shadowDuration: { min: 10 * MINUTE, max: 7 * DAY },
    abMinDuration: { min: 10 * MINUTE, max: 30 * DAY },
    abHorizon: { min: 10 * MINUTE, max: 90 * DAY },
    preSwitch: { min: 0, max: DAY },
    postSwitch: { min: MINUTE, max: 7 * DAY },
    // Blue kept warm for more than a month is a second production, not a way back.
    scaleDownDelay: { min: MINUTE, max: 30 * DAY },
};
/** Milliseconds of a window within its bounds, or undefined (the schema refuses it). */
function windowMs(text, bounds) {
    const ms = ROLLOUT_DURATION_PATTERN.test(text) ? parseRolloutDuration(text) : undefined;
    return ms !== undefined && ms >= bounds.min && ms <= bounds.max ? ms : undefined;
}
/** A window field: any unit, within `bounds`; `docs` says the bounds and default as the docs do. */
const longWindow = (what, bounds, docs) => string()
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
function formatBound(ms) {
    if (ms > DAY && ms % DAY === 0)
        return `${ms / DAY}d`;
    if (ms >= HOUR && ms % HOUR === 0)
        return `${ms / HOUR}h`;
    if (ms >= MINUTE && ms % MINUTE === 0)
        return `${ms / MINUTE}m`;
    return `${ms / 1000}s`;
}
/** A whole percentage of requests within [min, max]. */
const percent = (min, max) => number().int().min(min).max(max);
/** A share (0 to 1) an output check compares with. */
const share = number().min(0).max(1);
const replayPath = string()
    .min(1)
    .max(1024)
    .superRefine((ref, context) => {
    const problem = replayPathProblem(ref);
    if (problem)
        context.addIssue({ code: 'custom', message: problem });
})
    .describe('recorded production prompts (JSON lines), relative to the manifest folder; must stay inside the repository');
/**
 * What the schema can say about a replay path without knowing where the
 * manifest is: absolute, NUL, `.git/`. A path of n segments climbs at most n
 * folders, so resolving it from n folders deep leaves only `..` out; the
 * loader checks that against the manifest's own folder (ARTIFACT-MISSING, as
 * for every artifact: rolloutFileReferences).
 */
function replayPathProblem(ref) {
    const depth = ref.split(/[\\/]/).length;
    const resolved = resolveArtifactPath(`${'x/'.repeat(depth)}model.yaml`, ref);
    return resolved.ok
        ? undefined
        : `${ref} ${resolved.reason}: name a file inside the repository, relative to the manifest folder`;
}
const outputChecks = strictObject({
    exact_agreement: strictObject({ min: share.optional() })
        .optional()
        .describe('share of requests whose two answers are identical, character for character: at least min (0 to 1)'),
    similarity: strictObject({ min: share.optional() })
        .optional()
        .describe("median normalised-text similarity of the shadow's answer to production's: at least min (0 to 1)"),
    json_validity: strictObject({ max_drop: share.optional() })
        .optional()
        .describe("the shadow's share of valid JSON answers may fall at most max_drop below production's"),
    refusal_rate: strictObject({ max_increase: share.optional() })
        .optional()
        .describe("the shadow's refusal rate may rise at most max_increase above production's"),
    length_ratio: strictObject({
        min: number().positive().max(1).optional(),
        max: number().min(1).max(1000).optional(),
    })
        .optional()
        .describe("the shadow's answer length over production's: the median ratio within [min, max]"),
    judge: strictObject({ min: share.optional() })
        .optional()
        .describe("pairwise LLM judge, both orders: the shadow's share of wins (ties count half) at least min; runs only when listed"),
})
    .describe('the output comparisons; each optional, with defaults (docs/shadow.md)');
const shadowOutputs = strictObject({
    source: _enum(['postgres', 'replay'], {
        error: (issue) => issue.input === undefined
            ? 'required: where the answers come from, postgres (the request log) or replay (recorded prompts)'
            : undefined,
    })
        .describe('postgres: pairs from the request log the app is configured with; replay: recorded prompts sent to both versions'),
    replay: replayPath.optional(),
    sample: number()
        .int()
        .min(1)
        .max(10_000)
        .optional()
        .describe('at most this many pairs per interval: 1 to 10000 (default 500)'),
    min_pairs: number()
        .int()
        .min(1)
        .max(1_000_000)
        .optional()
        .describe('fewer pairs over the whole shadow leaves the outputs inconclusive (default 100)'),
    confidence: number()
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
            message: 'source replay sends recorded prompts to both versions: name the file in rollout.shadow.outputs.replay (JSON lines, relative to the manifest folder)',
        });
    if (outputs.source !== 'replay' && outputs.replay !== undefined)
        context.addIssue({
            code: 'custom',
            path: ['replay'],
            message: `replay is read only with source: replay (the source is ${outputs.source}): remove replay or set source: replay`,
        });
})
    .describe("compare the shadow's answers with production's, request by request");
const shadowBlock = strictObject({
    mirror: percent(1, 100)
        .optional()
        .describe('percent of production requests copied to the shadow: 1 to 100 (default 10)'),
    duration: longWindow('the shadow runs at least this long', WINDOWS.shadowDuration, '10m to 7d (default 1h)').optional(),
    interval: interval('judged every', '10m').optional(),
    then: _enum(['canary', 'promote'])
        .optional()
        .describe("after a passing shadow: canary (default) runs the canary's steps (canary.steps, or 5, 25, 50, 100); promote promotes at once"),
    outputs: shadowOutputs.optional(),
})
    .superRefine((shadow, context) => {
    const defaults = ROLLOUT_DEFAULTS.shadow;
    const problem = longerThan({ text: shadow.interval, default: defaults.interval, key: 'interval', ms: parseInterval }, {
        text: shadow.duration,
        default: defaults.duration,
        key: 'rollout.shadow.duration',
        ms: (text) => windowMs(text, WINDOWS.shadowDuration),
    }, "the shadow's duration");
    if (problem)
        context.addIssue({ code: 'custom', path: ['interval'], message: problem });
})
    .describe('A shadow: production requests mirrored to the new version, whose answers users never see.');
/** Placeholders a product-metric query may use; `{{version}}` tells the arms apart. */
const metricQuery = (what) => string()
    .min(1)
    .max(4096)
    .refine((query) => query.includes('{{version}}'), {
    message: 'the query must contain {{version}}, so each arm is counted on its own (both arms would read the same number)',
})
    .describe(`PromQL: ${what} over {{interval}}; {{model}}, {{version}} and {{interval}} are filled in`);
const abMetric = strictObject({
    name: string().min(1).max(128).describe('what the metric is, for the report (thumbs_up_rate)'),
    successes: metricQuery('the successes (thumbs up, tasks solved, conversions)'),
    trials: metricQuery('the trials (votes, tasks, visits)'),
    higher_is_better: boolean({
        error: (issue) => issue.input === undefined
            ? 'required: say whether a higher rate is better (true) or worse (false); modelgate never guesses a direction'
            : 'true or false',
    })
        .describe('required: the direction is never guessed'),
}, {
    error: (issue) => issue.input === undefined
        ? 'required: an A/B test compares a product metric; add rollout.ab.metric with name, successes, trials and higher_is_better'
        : 'a mapping with name, successes, trials and higher_is_better',
});
const abBlock = strictObject({
    split: percent(1, 99)
        .optional()
        .describe('percent of requests to the new version (B): 1 to 99 (default 50)'),
    metric: abMetric.describe('the product metric compared: successes out of trials per arm'),
    interval: interval('looked at every', '1h').optional(),
    min_duration: longWindow('no conclusion before', WINDOWS.abMinDuration, '10m to 30d (default 24h)').optional(),
    min_samples: number()
        .int()
        .min(1)
        .max(1_000_000_000)
        .optional()
        .describe('trials per arm before any conclusion (default 1000)'),
    horizon: longWindow('undecided by then: inconclusive', WINDOWS.abHorizon, 'up to 90d, not before min_duration (default 14d)').optional(),
    alpha: number()
        .min(0.001)
        .max(0.2)
        .optional()
        .describe('false-positive rate under continuous monitoring: 0.001 to 0.2 (default 0.05)'),
    auto_conclude: boolean()
        .optional()
        .describe('true: the decision applies itself; false (default): a person confirms with /ab conclude'),
})
    .superRefine((ab, context) => {
    const defaults = ROLLOUT_DEFAULTS.ab;
    const minDuration = {
        text: ab.min_duration,
        default: defaults.min_duration,
        ms: (text) => windowMs(text, WINDOWS.abMinDuration),
    };
    const early = longerThan({ text: ab.interval, default: defaults.interval, key: 'interval', ms: parseInterval }, { ...minDuration, key: 'rollout.ab.min_duration' }, 'min_duration');
    if (early)
        context.addIssue({ code: 'custom', path: ['interval'], message: early });
    const late = longerThan({ ...minDuration, key: 'min_duration' }, {
        text: ab.horizon,
        default: defaults.horizon,
        key: 'rollout.ab.horizon',
        ms: (text) => windowMs(text, WINDOWS.abHorizon),
    }, 'the horizon');
    if (late)
        context.addIssue({ code: 'custom', path: ['min_duration'], message: late });
})
    .describe('An A/B test: a fixed split, a product metric, a sequential test valid under continuous monitoring.');
const suiteName = string().regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _ only');
const blueGreenBlock = strictObject({
    pre_switch: strictObject({
        suites: array(suiteName)
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
        duration: longWindow('health window of canary.metrics (their min and max) on the preview', WINDOWS.preSwitch, '0s to 24h (default 10m); 0s skips it').optional(),
    })
        .optional()
        .describe("before the switch (Argo Rollouts' prePromotionAnalysis)"),
    auto_switch: boolean()
        .optional()
        .describe("true (default): switch once the preview passes; false: /promote switches (Argo's autoPromotionEnabled)"),
    post_switch: strictObject({
        duration: longWindow('watched this long after the switch', WINDOWS.postSwitch, '1m to 7d (default 30m)').optional(),
        interval: interval('judged every', '5m').optional(),
    })
        .optional()
        .describe("after the switch, against blue's recent history (Argo Rollouts' postPromotionAnalysis)"),
    scale_down_delay: longWindow("blue stays warm this long after the switch (Argo's scaleDownDelaySeconds)", WINDOWS.scaleDownDelay, 'at least post_switch.duration, up to 30d (default: post_switch.duration)').optional(),
})
    .superRefine((blueGreen, context) => {
    const defaults = ROLLOUT_DEFAULTS.blue_green.post_switch;
    const duration = {
        text: blueGreen.post_switch?.duration,
        default: defaults.duration,
        ms: (text) => windowMs(text, WINDOWS.postSwitch),
    };
    const tooLong = longerThan({
        text: blueGreen.post_switch?.interval,
        default: defaults.interval,
        key: 'interval',
        ms: parseInterval,
    }, { ...duration, key: 'rollout.blue_green.post_switch.duration' }, 'post_switch.duration');
    if (tooLong)
        context.addIssue({ code: 'custom', path: ['post_switch', 'interval'], message: tooLong });
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
const rolloutSchema = strictObject({
    strategy: _enum(ROLLOUT_STRATEGIES).optional().describe('canary (default) | blue_green | shadow | ab'),
    shadow: shadowBlock.optional(),
    ab: abBlock.optional(),
    blue_green: blueGreenBlock.optional(),
})
    .superRefine((rollout, context) => {
    const strategy = rollout.strategy ?? 'canary';
    for (const block of ['shadow', 'ab', 'blue_green'])
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
            message: 'strategy ab compares a product metric: add rollout.ab.metric with name, successes, trials and higher_is_better',
        });
})
    .describe('How a new version reaches production: the strategy and its settings (docs/manifest.md#the-rollout-block).');
/**
 * What the rollout needs from the rest of the manifest. A shadow and a
 * blue-green rollout judge serving health with `canary.metrics` (the shadow
 * against production, green against blue after the switch): without a metric
 * they would judge nothing and pass, so they are refused. An A/B test judges
 * its own product metric and needs none. Blue-green's pre-switch suites must
 * be eval.suites, and the pre-switch analysis must judge something.
 */
function rolloutProblems(manifest) {
    const rollout = manifest.rollout;
    const strategy = rollout?.strategy ?? 'canary';
    const problems = [];
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
function rolloutFileReferences(rollout) {
    const replay = rollout?.shadow?.outputs?.replay;
    return replay === undefined ? [] : [[['rollout', 'shadow', 'outputs', 'replay'], replay]];
}
/** Why `short` may not be longer than `long` (either may be its default), or undefined. */
function longerThan(short, long, longName) {
    const shortMs = short.ms(short.text ?? short.default);
    const longMs = long.ms(long.text ?? long.default);
    // An unreadable duration is reported by its own field; only usable ones are compared.
    if (shortMs === undefined || longMs === undefined || shortMs <= longMs)
        return undefined;
    return `${described(short)} is longer than ${longName} (${described(long)}): shorten ${short.key} or lengthen ${long.key}`;
}
/** `2h`, or `the default 1h` when the manifest left the field out. */
function described(field) {
    return field.text ?? `the default ${field.default}`;
}

/** MLflow run ids are uuid4 hex; W&B run ids are short base-36. Neither needs more than this. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** W&B entity and project names. */
const WANDB_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** A host, an optional port and an optional path: no credentials (`user@`), no query, no spaces. */
const SERVER = /^[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~%/-]*)?$/;
/** The forms `training.run` accepts, for messages. */
const RUN_REF_FORMS = 'mlflow://<tracking-server>/#/experiments/<experiment>/runs/<run-id>, runs:/<run-id> (the server from MLFLOW_TRACKING_URI) or wandb://<entity>/<project>/runs/<run-id>';
/**
 * Parses a run reference. Undefined: the text does not claim to be one
 * (free text from before run references existed); a string: it claims a
 * tracker's scheme but is malformed, and says why.
 */
function parseRunRef(text) {
    if (text.startsWith('runs:/'))
        return mlflowRunId(text, text.slice('runs:/'.length).split('/')[0] ?? '');
    if (text.startsWith('mlflow://')) {
        const rest = text.slice('mlflow://'.length);
        // The short form `mlflow://runs/<id>` (earlier manifests) names a run on the environment's server.
        if (rest.startsWith('runs/'))
            return mlflowRunId(text, rest.slice('runs/'.length));
        const hash = rest.indexOf('/#/');
        if (hash < 0)
            return `"${text}" is not a run reference: expected ${RUN_REF_FORMS}`;
        const server = rest.slice(0, hash).replace(/\/+$/, '');
        const route = /^experiments\/([0-9A-Za-z_-]{1,64})\/runs\/([^/?#]+)\/?$/.exec(rest.slice(hash + 3));
        if (!SERVER.test(server))
            return `"${text}": "${server}" is not a tracking server (host[:port][/path])`;
        if (!route)
            return `"${text}" is not a run reference: expected ${RUN_REF_FORMS}`;
        const parsed = mlflowRunId(text, route[2]);
        return typeof parsed === 'string' ? parsed : { ...parsed, server, experimentId: route[1] };
    }
    if (text.startsWith('wandb://')) {
        const parts = text.slice('wandb://'.length).replace(/\/+$/, '').split('/');
        const [entity, project, runs, runId] = parts;
        if (parts.length !== 4 || runs !== 'runs' || !entity || !project || !runId)
            return `"${text}" is not a run reference: expected ${RUN_REF_FORMS}`;
        if (!WANDB_NAME.test(entity) || !WANDB_NAME.test(project))
            return `"${text}": entity and project are letters, digits, ".", "-" and "_"`;
        if (!RUN_ID.test(runId))
            return `"${text}": "${runId}" is not a run id (letters, digits, "-" and "_")`;
        return { tracker: 'wandb', entity, project, runId, text };
    }
    return undefined;
}
function mlflowRunId(text, runId) {
    if (!RUN_ID.test(runId))
        return `"${text}": "${runId}" is not a run id (letters, digits, "-" and "_")`;
    return { tracker: 'mlflow', runId, text };
}
/** The schema check: a text that claims a tracker's scheme must parse. */
function runRefProblem(text) {
    const parsed = parseRunRef(text);
    return typeof parsed === 'string' ? parsed : undefined;
}
/** The tracker a gate's metric reads from (`mlflow/val_loss`, `wandb/eval/accuracy`), and the run's own key. */
function runMetricOf(metric) {
    const slash = metric.indexOf('/');
    const prefix = metric.slice(0, slash);
    const key = metric.slice(slash + 1);
    if (slash < 0 || !key || (prefix !== 'mlflow' && prefix !== 'wandb'))
        return undefined;
    return { tracker: prefix, key };
}
/** Display names. */
const TRACKER_NAME = { mlflow: 'MLflow', wandb: 'W&B' };

// Earlier manifests wrote any key with a string or number (`training: {dataset, run, commit}`): still valid.
const scalar = union([string(), number()]);
/**
 * The manifest's `training` block: the run that produced this version and
 * what it was trained from. modelgate reads the run (credentials from the
 * environment only) and checks it against the rest of the block.
 */
const trainingBlock = object({
    run: string()
        .min(1)
        .max(2048)
        .superRefine((text, context) => {
        const problem = runRefProblem(text);
        if (problem)
            context.addIssue({ code: 'custom', message: problem });
    })
        .optional()
        .describe(`the training run: ${RUN_REF_FORMS}`),
    commit: scalar.optional().describe("the training code's git commit (a prefix of 7 or more hex digits)"),
    dataset: scalar.optional().describe('the dataset name (and version) the run trained on'),
    dataset_digest: string()
        .min(1)
        .max(256)
        .optional()
        .describe("the dataset's digest as the tracker records it (MLflow dataset digest)"),
})
    .catchall(scalar)
    .describe('Where this version was trained: the run reference, the source commit, the dataset.');

/** A Prometheus label name (the data model's rule), not one of its reserved `__` names. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
function duration(min, max) {
    return string()
        .regex(GUARD_DURATION_PATTERN, 'a duration such as 30m, 6h or 2d')
        .superRefine((text, context) => {
        // The pattern's own issue is reported already; this adds the bounds.
        const problem = GUARD_DURATION_PATTERN.test(text) ? guardDurationProblem(text, min, max) : undefined;
        if (problem)
            context.addIssue({ code: 'custom', message: problem });
    });
}
const guardMetric = strictObject({
    name: string().min(1).max(128),
    query: string()
        .min(1)
        .max(4096)
        .describe('PromQL, as a canary metric: {{model}} and {{version}} are filled in; {{by}} becomes the `by` labels joined with commas'),
    min: number().optional(),
    max: number().optional(),
    direction: _enum(['increase', 'decrease', 'either'])
        .optional()
        .describe('which change from the previous version is bad; compared over the same hours of earlier days'),
    by: array(string()
        .regex(LABEL_NAME, 'a Prometheus label name')
        .refine((label) => !label.startsWith('__'), 'labels starting with __ are reserved by Prometheus'))
        .min(1)
        .max(4)
        .optional()
        .describe('split the metric into segments by these labels; the query must return one series per segment'),
})
    .refine((m) => m.min !== undefined || m.max !== undefined || m.direction !== undefined, {
    message: 'a guard metric needs a threshold (min or max) or a direction to compare with the previous version',
});
/** The `guard` block: how production is watched after a promotion, and what a breach does. */
const guardSchema = strictObject({
    bake: duration(BAKE_MIN_MS, BAKE_MAX_MS).describe('how long the new version is watched after promotion: 10m to 30d'),
    interval: duration(GUARD_INTERVAL_MIN_MS, GUARD_INTERVAL_MAX_MS)
        .optional()
        .describe('how long each judged window is: 5m to 1d (default 1h)'),
    on_breach: _enum(['rollback', 'alert'])
        .optional()
        .describe('rollback (default): the previous version back to production, its stage tag, a revert pull request; alert: only alert'),
    baseline_days: number()
        .int()
        .min(1)
        .max(28)
        .optional()
        .describe('the previous version is read over the same hours of this many earlier days (default 7)'),
    failure_limit: number()
        .int()
        .nonnegative()
        .optional()
        .describe('failed intervals tolerated (default 0)'),
    confidence: number().gt(0.5).lt(1).optional().describe('confidence of each comparison (default 0.95)'),
    correction: _enum(['holm', 'benjamini-hochberg'])
        .optional()
        .describe('multiple-comparison control across segments (default holm)'),
    min_samples: number()
        .int()
        .min(3)
        .optional()
        .describe('fewer values than this in a segment (either side) is not enough data to judge it (default 6)'),
    metrics: array(guardMetric).min(1).max(50),
})
    .describe('The production guard after promotion.');

const SHA256 = /^[a-f0-9]{64}$/;
const relPath = string()
    .min(1)
    .max(1024)
    .describe('Path relative to the manifest folder; must stay inside the repository.');
// names.ts's version rule: the length first and alone (a megabyte never meets the
// pattern), then the pattern, then semver's numeric limit.
const semver = string()
    .max(VERSION_MAX_LENGTH, { abort: true, message: VERSION_TOO_LONG })
    .regex(VERSION_RULE.pattern, VERSION_RULE.message)
    .superRefine((version, context) => {
    const problem = versionProblem(version);
    // The pattern's own issue is already reported; this adds only what lies beyond it.
    if (problem && VERSION_RULE.pattern.test(version))
        context.addIssue({ code: 'custom', message: problem });
});
const modelName = NAME_RULES.reduce((schema, rule) => schema.regex(rule.pattern, rule.message), string().min(1).max(NAME_MAX_LENGTH, { abort: true, message: NAME_TOO_LONG }));
/**
 * The most `weights` entries a manifest may list: every entry names a file to
 * hash, and real models have a few hundred shards at most (Llama 3.1 405B has
 * 191, DeepSeek V3 163), so a list longer than this is not a model.
 */
const MAX_WEIGHT_ENTRIES = 4096;
const WEIGHTS_TOO_MANY = `lists more than ${MAX_WEIGHT_ENTRIES} weights files; a model has a few hundred at most (Llama 3.1 405B has 191 shards): list each file once`;
const weight = strictObject({
    uri: string().min(1).describe('Where the weights live (s3://, gs://, hf://, https://).'),
    sha256: string().regex(SHA256, 'must be 64 lowercase hex characters'),
    size: number().int().nonnegative().optional().describe('Size in bytes.'),
    path: relPath.optional().describe('The file or its Git LFS pointer in the repository.'),
});
const artifacts = strictObject({
    config: relPath.describe('config.json'),
    generation_config: relPath.optional(),
    tokenizer: relPath.describe('tokenizer.json, vocab.json (with merges), vocab.txt or a SentencePiece tokenizer.model'),
    merges: relPath.optional().describe('merges.txt, for a vocab.json tokenizer'),
    tokenizer_config: relPath.optional(),
    special_tokens_map: relPath.optional(),
    added_tokens: relPath.optional().describe('added_tokens.json'),
    chat_template: relPath.optional().describe('chat_template.jinja'),
    tokenizer_corpus: relPath
        .optional()
        .describe('Extra tokenizer corpus: text (one example per line) or JSON lines ({"text": ...}), encoded on top of the reference corpus'),
    weights_index: relPath.optional().describe('model.safetensors.index.json'),
    weights: array(weight)
        .max(MAX_WEIGHT_ENTRIES, { abort: true, message: WEIGHTS_TOO_MANY })
        .default([])
        .describe(`The weights files, at most ${MAX_WEIGHT_ENTRIES}.`),
});
const gate = strictObject({
    metric: string()
        .min(1)
        .describe('task/metric (lm-evaluation-harness), task/metric,filter, a plain JSON key, or suite/accuracy'),
    min: number().optional(),
    max: number().optional(),
    max_drop: number()
        .nonnegative()
        .optional()
        .describe('largest allowed drop against the baseline, in the metric unit'),
    max_drop_pct: number()
        .nonnegative()
        .optional()
        .describe('largest allowed drop against the baseline, in percent of it'),
    higher_is_better: boolean()
        .optional()
        .describe("the metric's direction; counts from the baseline's manifest, and from this one only when nothing trusted states one"),
})
    .refine((g) => [g.min, g.max, g.max_drop, g.max_drop_pct].some((v) => v !== undefined), {
    message: 'a gate needs at least one of min, max, max_drop, max_drop_pct',
});
const scorer = union([
    _enum(['exact_match', 'contains', 'regex', 'json_valid', 'numeric']),
    strictObject({
        type: _enum(['exact_match', 'contains', 'regex', 'json_valid', 'json_schema', 'numeric', 'llm_judge']),
        ignore_case: boolean().optional(),
        ignore_punctuation: boolean().optional(),
        ignore_whitespace: boolean().optional(),
        pattern: string().optional(),
        schema: relPath.optional().describe('a JSON Schema file, for json_schema'),
        tolerance: number().nonnegative().optional(),
        rubric: string().optional().describe('what the judge scores, for llm_judge'),
    }),
]);
const evalBlock = strictObject({
    revision: string()
        .min(1)
        .optional()
        .describe('the model revision recorded results must come from (model_sha / model_revision / revision= of lm-evaluation-harness)'),
    results: array(strictObject({
        path: relPath,
        samples: record(string(), relPath)
            .optional()
            .describe('task -> samples_<task>_*.jsonl, for paired comparisons'),
    }))
        .optional(),
    suites: array(strictObject({
        name: string().regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _ only'),
        dataset: relPath,
        scorer,
        max_tokens: number().int().positive().optional(),
        temperature: number().min(0).max(2).optional(),
    }))
        .optional(),
    gates: array(gate).optional(),
    confidence: number().gt(0.5).lt(1).optional().describe('confidence of every comparison (default 0.95)'),
    min_samples: number()
        .int()
        .positive()
        .optional()
        .describe('fewer paired samples than this is inconclusive (default 30)'),
    on_inconclusive: _enum(['fail', 'warn']).optional().describe('default warn'),
});
const canaryMetric = strictObject({
    name: string().min(1),
    query: string().min(1),
    min: number().optional(),
    max: number().optional(),
    direction: _enum(['increase', 'decrease', 'either']).optional(),
    critical: boolean().optional(),
});
/** A custom issue from one of the shared checks, when it has something to say. */
function check(problem) {
    return (value, context) => {
        const message = problem(value);
        if (message)
            context.addIssue({ code: 'custom', message });
    };
}
const canary = strictObject({
    steps: array(number().int().min(1).max(100))
        .min(1)
        .max(100)
        .superRefine(check(stepsProblem))
        .optional()
        .describe('traffic percent per step, rising strictly, ending at 100'),
    interval: string()
        .regex(INTERVAL_PATTERN, 'a duration such as 30s, 10m or 1h')
        .superRefine((text, context) => {
        // The pattern's own issue is reported already; this adds the bounds.
        if (INTERVAL_PATTERN.test(text))
            check(intervalProblem)(text, context);
    })
        .optional()
        .describe('how long each analysis interval is: 10s to 24h (default 10m)'),
    failure_limit: number().int().nonnegative().optional(),
    consecutive_error_limit: number().int().positive().optional(),
    on_no_data: _enum(['fail', 'inconclusive', 'pass']).optional(),
    metrics: array(canaryMetric).optional(),
});
/** The `modelgate.dev/v1` model manifest. */
const manifestSchema = strictObject({
    $schema: string().optional(),
    apiVersion: literal('modelgate.dev/v1'),
    kind: literal('Model'),
    name: modelName,
    version: semver,
    description: string().optional(),
    lineage: strictObject({ base: string().optional(), parent: semver.optional() }).optional(),
    artifacts,
    training: trainingBlock.optional(),
    eval: evalBlock.optional(),
    canary: canary.optional(),
    rollback: strictObject({ mode: _enum(['pull_request', 'auto_merge']) }).optional(),
    guard: guardSchema.optional(),
    rollout: rolloutSchema.optional(),
})
    .superRefine((manifest, context) => {
    // A rollout leans on canary.metrics and eval.suites: what it needs from them is judged here, where both are seen.
    for (const problem of rolloutProblems(manifest))
        context.addIssue({ code: 'custom', ...problem });
    // Valid name and valid version can still make a tag git refuses to write: say so here, not at release.
    const problem = tagNameProblem(releaseTag(manifest.name, manifest.version));
    if (problem)
        context.addIssue({
            code: 'custom',
            path: ['version'],
            message: `${problem}: shorten the version or the name`,
        });
})
    .meta({
    title: 'modelgate model manifest',
    description: 'One model version: its artifacts, lineage, evaluation gates and rollout policy.',
});

/** Manifests larger than this are refused before they are read. */
const MANIFEST_MAX_BYTES = 1024 * 1024;
/** YAML aliases allowed in one manifest: enough for anchors, far too few for a "billion laughs". */
const MAX_ALIAS_COUNT = 100;
/**
 * Parses a manifest safely: duplicate keys are errors, alias expansion is
 * bounded, every error keeps its line. Pure: the caller reads the file.
 */
function parseManifest(text, file) {
    const lineCounter = new distExports.LineCounter();
    const doc = parseYamlDocument(text, { lineCounter, prettyErrors: true, strict: true });
    const lineOfOffset = (offset) => lineCounter.linePos(offset).line;
    const lineOf = (path) => lineOfPath(doc, path, lineOfOffset);
    const fail = (message, line, fix) => ({
        file,
        findings: [{ rule: 'MANIFEST-SCHEMA', severity: 'error', model: file, file, line, message, fix }],
        lineOf,
    });
    const yamlError = doc.errors[0];
    if (yamlError) {
        return fail(`${file} is not valid YAML: ${firstLine(yamlError.message)}`, yamlError.linePos?.[0].line, 'Fix the YAML syntax (duplicate keys are not allowed).');
    }
    let value;
    try {
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    }
    catch (error) {
        return fail(`${file} could not be expanded: ${firstLine(String(error.message))}`, undefined, `Use fewer YAML aliases (at most ${MAX_ALIAS_COUNT} expansions).`);
    }
    const rawName = value && typeof value === 'object' && typeof value.name === 'string'
        ? value.name
        : undefined;
    const model = rawName ?? file;
    const result = manifestSchema.safeParse(value, { reportInput: true });
    if (!result.success) {
        const findings = result.error.issues.map((issue) => {
            const path = issue.path.filter((p) => typeof p !== 'symbol');
            const where = path.length ? `${path.join('.')}: ` : '';
            const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys : [];
            const linePath = keys.length ? [...path, String(keys[0])] : path;
            return {
                rule: 'MANIFEST-SCHEMA',
                severity: 'error',
                model,
                file,
                line: lineOf(linePath),
                message: `${file}: ${where}${describeIssue(issue, keys)}`,
                fix: 'See schema/model.schema.json for the manifest format.',
            };
        });
        return { file, rawName, findings, lineOf };
    }
    return { file, manifest: result.data, rawName, findings: [], lineOf };
}
function describeIssue(issue, keys) {
    if (issue.code === 'unrecognized_keys')
        return `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${String(k)}"`).join(', ')}`;
    // `version: 1.3` is a YAML number: say so, rather than zod's "expected string, received number".
    if (issue.code === 'invalid_type' &&
        issue.expected === 'string' &&
        (typeof issue.input === 'number' || typeof issue.input === 'boolean')) {
        return `YAML read ${String(issue.input)} as a ${typeof issue.input}; write it as a quoted string ("${String(issue.input)}")`;
    }
    return issue.message;
}
function lineOfPath(doc, path, lineOfOffset) {
    let node = doc.contents;
    let line = rangeLine(node, lineOfOffset);
    for (const key of path) {
        if (distExports.isMap(node)) {
            const pair = node.items.find((p) => String(p.key?.value ?? p.key) === String(key));
            if (!pair)
                break;
            line = rangeLine(pair.key, lineOfOffset) ?? line;
            node = pair.value;
        }
        else if (distExports.isSeq(node) && typeof key === 'number') {
            node = node.items[key];
            line = rangeLine(node, lineOfOffset) ?? line;
        }
        else
            break;
    }
    return line;
}
function rangeLine(node, lineOfOffset) {
    const range = node?.range;
    return range ? lineOfOffset(range[0]) : undefined;
}
function firstLine(message) {
    return message.split('\n')[0] ?? message;
}

export { MANIFEST_MAX_BYTES as M, ROLLOUT_DEFAULTS as R, TRACKER_NAME as T, parseInterval as a, parseRunRef as b, parseManifest as c, rolloutFileReferences as d, formatDuration as f, parseRolloutDuration as p, runMetricOf as r };
