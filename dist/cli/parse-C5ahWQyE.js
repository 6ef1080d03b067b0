import { o as object, s as string, u as union, n as number, y as strictObject, b as array, H as _enum, I as literal, J as tagNameProblem, l as releaseTag, c as record, V as VERSION_MAX_LENGTH, K as VERSION_TOO_LONG, L as VERSION_RULE, v as versionProblem, M as boolean, O as NAME_RULES, N as NAME_MAX_LENGTH, P as NAME_TOO_LONG, j as distExports } from './settings-Baq8tPpu.js';
import { a as runRefProblem, R as RUN_REF_FORMS } from './run-ref-CuXzv_k1.js';

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
    weights: array(weight).default([]),
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
})
    .superRefine((manifest, context) => {
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
    description: 'One model version: its artifacts, lineage, evaluation gates and canary policy.',
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
    const doc = distExports.parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, strict: true });
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

export { MANIFEST_MAX_BYTES as M, parseManifest as p };
