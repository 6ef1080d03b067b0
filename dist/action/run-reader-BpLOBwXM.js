import { l as longJsonKey, d as longKeyProblem, M as MAX_HASHED_CHARACTERS } from './annotate-C8PgitaW.js';
import { M as MalformedFileError } from './user-file-error-Ce2abkG1.js';
import { T as TRACKER_NAME, H as MODEL_TAG, a as runMetricOf, I as parseRunRef, J as runMetric, K as compareRuns, L as trackerRecord, t as object, x as string, N as array, O as union, P as number, Q as record, v as unknown, _ as _null } from './settings-B25yr-FP.js';

/**
 * What lm-evaluation-harness itself says about its metrics, for results files
 * that do not say it (v0.3 and v0.4.0/0.4.1 files have no `higher_is_better`;
 * none records how a metric is aggregated). Sources, read at
 * EleutherAI/lm-evaluation-harness 4e7e0d47 and v0.3.0:
 * `lm_eval/api/metrics.py` (register_metric: higher_is_better, aggregation),
 * `lm_eval/api/task.py` (process_results: what a per-document value is), the
 * tasks' own `metric_list` entries, and v0.3's `Task.higher_is_better()`.
 */
/**
 * Keys of a task's results that are not metrics (`_TaskMetrics` in
 * lm_eval/result_schema.py: `name`, `alias`, `sample_len`, `sample_count`;
 * v0.4.0–0.4.9 also kept a document count under `samples` on some paths).
 */
const NON_METRIC_KEYS = new Set([
    'name',
    'alias',
    'sample_len',
    'sample_count',
    'samples',
]);
/**
 * Metrics whose reported value is a placeholder, not a measurement: `bypass`
 * aggregates to 999 for tasks that only log their outputs.
 */
const PLACEHOLDER_METRICS = new Set(['bypass']);
/**
 * The harness's direction for the metrics it defines. Registered metrics
 * (api/metrics.py) plus the metrics v0.3's tasks declared; none of them
 * disagrees anywhere in the harness, except `ter`: the registry says
 * `higher_is_better=True`, but TER is an error rate, v0.3's translation
 * tasks said False and every task that reports it overrides it to `false`,
 * so the harness's files say false.
 * `score`, `accuracy`-like names of single tasks and anything custom are
 * deliberately absent: tasks disagree on them (`score` is true in 37 tasks,
 * false in one), so only a statement can decide.
 */
const HARNESS_DIRECTIONS = new Map([
    ...[
        // registered in lm_eval/api/metrics.py
        'acc',
        'acc_norm',
        'acc_mutual_info',
        'acc_bytes',
        'acc_all',
        'exact_match',
        'likelihood',
        'mcc',
        'f1',
        'bleu',
        'chrf',
        // declared by v0.3 tasks (Task.higher_is_better)
        'em',
        'exact',
        'best_exact',
        'best_f1',
        'HasAns_exact',
        'HasAns_f1',
        'NoAns_exact',
        'NoAns_f1',
        'f1_abstractive',
        'f1_yesno',
        'mc1',
        'mc2',
        'mrr',
        ...['bleu', 'bleurt', 'rouge1', 'rouge2', 'rougeL'].flatMap((m) => [`${m}_max`, `${m}_acc`, `${m}_diff`]),
        // modelgate's own runner
        'accuracy',
    ].map((m) => [m, true]),
    ...['perplexity', 'ppl', 'word_perplexity', 'byte_perplexity', 'bits_per_byte', 'brier_score', 'ter'].map((m) => [m, false]),
]);
/**
 * Why the per-document values the harness logs under a metric's name are not
 * that metric's per-document scores, for the metrics where they are not
 * (api/task.py process_results and the metric's aggregation in api/metrics.py).
 * A paired test on them would compare something else than the metric.
 */
const NOT_PER_DOCUMENT_SCORES = new Map([
    [
        'perplexity',
        'its per-document values are log-likelihoods (loglikelihood tasks), which the harness aggregates as exp(-mean)',
    ],
    ['ppl', 'its per-document values are log-likelihoods, which the harness aggregates as exp(-mean)'],
    ...['word_perplexity', 'byte_perplexity', 'bits_per_byte'].map((m) => [
        m,
        'its per-document values are [log-likelihood, length] pairs (loglikelihood_rolling tasks), aggregated over the whole corpus',
    ]),
    ...['f1', 'mcc', 'bleu', 'chrf', 'ter', 'brier_score'].map((m) => [m, 'it is computed over the whole corpus from per-document (gold, prediction) pairs']),
]);
/**
 * Metrics the harness aggregates as the mean of per-document scores, so the
 * per-document values are that metric's scores (api/metrics.py: aggregation
 * "mean"; v0.3 tasks: `mean`). Others count only when the task's own config
 * in the results file says `aggregation: mean`.
 */
const MEAN_OF_DOCUMENTS = new Set([
    'acc',
    'acc_norm',
    'acc_mutual_info',
    'acc_bytes',
    'exact_match',
    'likelihood',
    'em',
    'mc1',
    'mc2',
]);

const isObject$1 = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite$1 = (v) => typeof v === 'number' && Number.isFinite(v);
/** A document count: a whole number, at least 0. */
const count = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
/** How a value the harness wrote reads back: `Infinity`, `-Infinity`, `NaN`, `null`. */
const written = (v) => v === null ? 'null' : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
/**
 * A stated stderr, kept as stated (NaN, ±Infinity included: standard-error.ts
 * judges it); null (Python's None) reads as NaN; "N/A", the harness's way of
 * saying it has none, and any other string is none.
 */
function statedStderr(values, key) {
    if (!Object.hasOwn(values, key))
        return undefined;
    const raw = values[key];
    if (typeof raw === 'number')
        return raw;
    return raw === null ? Number.NaN : undefined;
}
/**
 * The metric and filter of a results key: `acc,none` (v0.4 on), or the bare
 * `acc` of v0.2/v0.3 files, whose stderr is `acc_stderr` instead of
 * `acc_stderr,none`.
 */
function splitKey(key) {
    const comma = key.indexOf(',');
    return comma < 0 ? { metric: key } : { metric: key.slice(0, comma), filter: key.slice(comma + 1) };
}
/**
 * `model_args` as the harness records it: a `key=value,key=value` string
 * (every version; split as the harness's simple_parse_args_string does) or,
 * from v0.4.2 on, the dict a caller passed to simple_evaluate.
 */
function parseModelArgs(raw) {
    if (typeof raw === 'string') {
        const args = {};
        for (const part of raw.split(',')) {
            const equals = part.indexOf('=');
            if (equals <= 0)
                continue;
            const key = part.slice(0, equals).trim();
            if (key && !Object.hasOwn(args, key))
                args[key] = part.slice(equals + 1).trim();
        }
        return args;
    }
    if (!isObject$1(raw))
        return undefined;
    const args = {};
    for (const [key, value] of Object.entries(raw)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
            args[key] = String(value);
    }
    return args;
}
/** `aggregation` of each metric in the task's own config (`configs[task].metric_list`), when it is a name. */
function aggregations(config) {
    const found = new Map();
    const list = isObject$1(config) ? config.metric_list : undefined;
    if (!Array.isArray(list))
        return found;
    for (const entry of list) {
        if (isObject$1(entry) && typeof entry.metric === 'string' && typeof entry.aggregation === 'string')
            found.set(entry.metric, entry.aggregation);
    }
    return found;
}
/**
 * Reads an lm-evaluation-harness results file, any version from v0.2's test
 * data (`{"results": {task: {"acc": …, "acc_stderr": …}}, "versions"}`)
 * through the current `EvalResults` schema (lm_eval/result_schema.py).
 * Only metric keys become series: the fixed keys (`name`, `alias`,
 * `sample_len`, `sample_count`, `samples`) and `_stderr` keys never do.
 * A metric the harness wrote as NaN, ±Infinity or null is kept aside as
 * written, never dropped silently and never judged as a number.
 */
function readHarnessResults(json, file) {
    // Groups (mmlu) aggregate their subtasks; v0.4.0–0.4.3 list some only under "groups".
    const results = { ...(isObject$1(json.groups) ? json.groups : {}), ...json.results };
    const versions = isObject$1(json.versions) ? json.versions : {};
    const higher = isObject$1(json.higher_is_better) ? json.higher_is_better : {};
    const nSamples = isObject$1(json['n-samples']) ? json['n-samples'] : {};
    const subtasks = isObject$1(json.group_subtasks) ? json.group_subtasks : {};
    const groups = isObject$1(json.groups) ? json.groups : {};
    const configs = isObject$1(json.configs) ? json.configs : {};
    const metrics = [];
    const nonFinite = [];
    const limited = [];
    const uncounted = [];
    for (const [task, values] of Object.entries(results)) {
        if (!isObject$1(values))
            continue;
        const group = Object.hasOwn(groups, task) ||
            (Array.isArray(subtasks[task]) && subtasks[task].length > 0);
        const counts = nSamples[task];
        const effective = isObject$1(counts) ? count(counts.effective) : undefined;
        const original = isObject$1(counts) ? count(counts.original) : undefined;
        if (original !== undefined && effective !== undefined && effective < original)
            limited.push({ task, effective, original });
        // Groups have no n-samples of their own: their subtasks are counted.
        if (!group && effective === undefined)
            uncounted.push(task);
        // The current schema counts documents per metric for groups and per task otherwise.
        const perMetric = isObject$1(values.sample_count) ? values.sample_count : {};
        const taskCount = effective ?? count(values.sample_len);
        const taskHigher = isObject$1(higher[task]) ? higher[task] : {};
        const taskAggregations = aggregations(configs[task]);
        for (const [key, value] of Object.entries(values)) {
            if (NON_METRIC_KEYS.has(key))
                continue;
            const { metric, filter } = splitKey(key);
            if (metric.endsWith('_stderr') || PLACEHOLDER_METRICS.has(metric))
                continue;
            if (typeof value !== 'number' && value !== null)
                continue;
            const name = `${task}/${metric}${filter === undefined || filter === 'none' ? '' : `,${filter}`}`;
            if (!finite$1(value)) {
                nonFinite.push({ name, written: written(value), source: file });
                continue;
            }
            const stderr = statedStderr(values, filter === undefined ? `${metric}_stderr` : `${metric}_stderr,${filter}`);
            const n = count(perMetric[key]) ?? taskCount;
            const stated = taskHigher[metric];
            const aggregation = taskAggregations.get(metric);
            metrics.push({
                name,
                value,
                ...(stderr !== undefined ? { stderr } : {}),
                ...(n !== undefined ? { n } : {}),
                ...(typeof stated === 'boolean' ? { higherIsBetter: stated } : {}),
                ...(group ? { group } : {}),
                // Only a name or a number is a version: String() of {"toString": 1} would throw.
                ...(typeof versions[task] === 'string' || finite$1(versions[task])
                    ? { taskVersion: String(versions[task]) }
                    : {}),
                ...(aggregation !== undefined ? { aggregation } : {}),
                source: file,
            });
        }
    }
    return {
        format: 'lm-eval',
        file,
        metrics,
        ...(nonFinite.length ? { nonFinite } : {}),
        provenance: readProvenance(json, limited, uncounted),
    };
}
function readProvenance(json, limited, uncounted) {
    const config = isObject$1(json.config) ? json.config : {};
    const token = (value) => {
        if (!Array.isArray(value))
            return undefined;
        const [content, id] = value;
        // The harness writes the id as a number or its string; Number() of anything else could throw.
        const numeric = typeof id === 'number' || typeof id === 'string' ? Number(id) : Number.NaN;
        return {
            content: typeof content === 'string' ? content : null,
            id: id !== null && id !== 'None' && Number.isInteger(numeric) ? numeric : null,
        };
    };
    const tokenizer = {};
    for (const role of ['bos', 'eos', 'pad']) {
        const parsed = token(json[`tokenizer_${role}_token`]);
        if (parsed)
            tokenizer[role] = parsed;
    }
    const text = (v) => (typeof v === 'string' && v ? v : undefined);
    const modelArgs = parseModelArgs(config.model_args);
    // `--limit 0.1` is a share of each task, `--limit 100` a count; 0 or less is no limit (the harness ignores it).
    const limit = finite$1(config.limit) && config.limit > 0 ? config.limit : undefined;
    return {
        modelSha: text(config.model_sha),
        modelRevision: text(config.model_revision),
        ...(modelArgs ? { modelArgs } : {}),
        ...(limit !== undefined ? { limit } : {}),
        tokenizer,
        chatTemplateSha: text(json.chat_template_sha),
        limited,
        uncounted,
    };
}

/** Lines of a samples file read at most: bounds memory (a map entry per document) on a hostile file. */
const MAX_SAMPLE_LINES = 1_000_000;
/** Unreadable lines and repeated ids kept for messages (the counts are exact). */
const KEPT_PROBLEMS = 20;
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v) => typeof v === 'number' && Number.isFinite(v);
/**
 * Parses JSON as Python writes it: lm-evaluation-harness emits bare NaN and
 * Infinity (a perplexity that overflowed, an undefined stderr), which
 * JSON.parse refuses. They read back as the numbers they are, NaN, Infinity
 * and -Infinity, so a report can say "Infinity" instead of "missing"; every
 * reader keeps them out of comparisons (only finite values are judged).
 * One pass over the text, strings copied as they are: linear time on any
 * input, an unterminated string included. A key longer than 16,000
 * characters is a SyntaxError (see longJsonKey).
 */
function parsePythonJson(text) {
    const longKey = longJsonKey(text);
    if (longKey !== undefined)
        throw new SyntaxError(longKeyProblem(longKey));
    if (!text.includes('NaN') && !text.includes('Infinity'))
        return JSON.parse(text);
    const parts = [];
    let copied = 0;
    let nan = false;
    let i = 0;
    const length = text.length;
    while (i < length) {
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
            i += 1;
            while (i < length) {
                const d = text.charCodeAt(i);
                if (d === BACKSLASH)
                    i += 2;
                else if (d === QUOTE)
                    break;
                else
                    i += 1;
            }
            i += 1;
            continue;
        }
        // A bare word: not inside a longer name on either side ("-Infinity" starts with its sign).
        const word = c === 78 ? 'NaN' : c === 73 ? 'Infinity' : c === 45 ? '-Infinity' : undefined;
        if (word &&
            text.startsWith(word, i) &&
            !isWordChar(text.charCodeAt(i + word.length)) &&
            (c === 45 || !isWordChar(text.charCodeAt(i - 1)))) {
            // 1e999 is JSON for a number that overflows to Infinity; NaN has no JSON spelling, so a marker stands in.
            parts.push(text.slice(copied, i), word === 'NaN' ? NAN_MARKER_JSON : word === 'Infinity' ? '1e999' : '-1e999');
            nan ||= word === 'NaN';
            i += word.length;
            copied = i;
            continue;
        }
        i += 1;
    }
    parts.push(text.slice(copied));
    const joined = parts.join('');
    // A string that spells the marker reads as NaN too: a value that is never judged, so nothing passes by it.
    return nan ? restoreNaN(JSON.parse(joined)) : JSON.parse(joined);
}
/**
 * Puts NaN back where the marker stands, in place. One walk with its own
 * stack: a reviver costs a call per value (12x JSON.parse on a file dense
 * with NaN) and recurses, where readers take any depth.
 */
function restoreNaN(value) {
    if (value === NAN_MARKER)
        return Number.NaN;
    const stack = [value];
    while (stack.length) {
        const container = stack.pop();
        if (typeof container !== 'object' || container === null)
            continue;
        const slots = container;
        for (const key of Array.isArray(container) ? container.keys() : Object.keys(container)) {
            const item = slots[key];
            if (item === NAN_MARKER)
                slots[key] = Number.NaN;
            else if (typeof item === 'object' && item !== null)
                stack.push(item);
        }
    }
    return value;
}
const NAN_MARKER = '\u0000modelgate:NaN';
const NAN_MARKER_JSON = JSON.stringify(NAN_MARKER);
const QUOTE = 34;
const BACKSLASH = 92;
const isWordChar = (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** Reads a results file: lm-evaluation-harness results, a modelgate runner file, or a plain `{ "metric": value }` object. */
function readResultsFile(json, file) {
    if (!isObject(json))
        throw new MalformedFileError(file, `must be a JSON object, not ${Array.isArray(json) ? 'a list' : json === null ? 'null' : `a ${typeof json}`}`, 'Pass a results file of lm-evaluation-harness (its "results" object), of modelgate\'s runner, or a {"metric": value} object.');
    if (json.format === 'modelgate-eval/v1')
        return readRunnerFile(json, file);
    if (isObject(json.results))
        return readHarnessResults(json, file);
    // A plain object states no direction: the gate takes it from the trusted side.
    const metrics = [];
    const nonFinite = [];
    for (const [name, value] of Object.entries(json)) {
        if (finite(value))
            metrics.push({ name, value, source: file });
        else if (typeof value === 'number')
            nonFinite.push({
                name,
                written: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity',
                source: file,
            });
    }
    return { format: 'json', file, metrics, ...(nonFinite.length ? { nonFinite } : {}) };
}
function readRunnerFile(json, file) {
    const suite = typeof json.suite === 'string' ? json.suite : 'suite';
    const samples = new Map();
    const firstIndex = new Map();
    const duplicates = [];
    const list = Array.isArray(json.samples) ? json.samples : [];
    list.forEach((sample, index) => {
        if (!isObject(sample) || typeof sample.id !== 'string' || !finite(sample.score))
            return;
        if (sample.id.length > MAX_HASHED_CHARACTERS)
            return; // as a Map key it would cost quadratic time
        const first = firstIndex.get(sample.id);
        if (first !== undefined) {
            if (duplicates.length < KEPT_PROBLEMS)
                duplicates.push({ id: sample.id, at: `samples[${index}]`, first: `samples[${first}]` });
            return;
        }
        firstIndex.set(sample.id, index);
        samples.set(sample.id, sample.score);
    });
    const summary = isObject(json.summary) ? json.summary : {};
    const value = finite(summary.accuracy) ? summary.accuracy : mean(samples);
    const dataset = runnerDataset(json.dataset);
    return {
        format: 'modelgate',
        file,
        metrics: value === undefined
            ? []
            : [
                {
                    name: `${suite}/accuracy`,
                    value,
                    n: samples.size,
                    // modelgate's own runner: accuracy, higher is better by construction.
                    higherIsBetter: true,
                    ...(duplicates.length ? {} : { samples }),
                    ...(dataset ? { dataset } : {}),
                    source: file,
                },
            ],
        ...(duplicates.length ? { duplicates } : {}),
    };
}
/** The dataset a runner file says it ran: a path, and a sha256 only when it is 64 hex digits. */
function runnerDataset(value) {
    if (!isObject(value) || typeof value.path !== 'string')
        return undefined;
    const sha256 = typeof value.sha256 === 'string' && /^[0-9a-f]{64}$/.test(value.sha256) ? value.sha256 : undefined;
    return { path: value.path, ...(sha256 ? { sha256 } : {}) };
}
function mean(samples) {
    if (!samples.size)
        return undefined;
    let sum = 0;
    for (const v of samples.values())
        sum += v;
    return sum / samples.size;
}
/**
 * Calls `each` with every non-blank line and its 1-based number, at most
 * MAX_SAMPLE_LINES of them; returns false when the text has more.
 * No split: a hostile file never becomes one array of millions of strings.
 */
function eachLine(text, each) {
    // Count first (indexOf is cheap): a file over the cap is refused before any line is parsed.
    let lines = 0;
    for (let at = text.indexOf('\n'); at >= 0 && lines <= MAX_SAMPLE_LINES; at = text.indexOf('\n', at + 1))
        lines += 1;
    if (lines > MAX_SAMPLE_LINES || (lines === MAX_SAMPLE_LINES && !text.endsWith('\n')))
        return false;
    let start = 0;
    let number = 0;
    while (start < text.length) {
        let end = text.indexOf('\n', start);
        if (end < 0)
            end = text.length;
        number += 1;
        const line = text.slice(start, end);
        if (line.trim())
            each(line, number);
        start = end + 1;
    }
    return true;
}
/** Empty problems, and the functions that count an unreadable line and a repeated id. */
function lineProblems() {
    const problems = {
        badLines: [],
        badLineCount: 0,
        duplicates: [],
        duplicateCount: 0,
        tooLong: false,
    };
    const bad = (line) => {
        problems.badLineCount += 1;
        if (problems.badLines.length < KEPT_PROBLEMS)
            problems.badLines.push(line);
    };
    const duplicate = (found) => {
        problems.duplicateCount += 1;
        if (problems.duplicates.length < KEPT_PROBLEMS)
            problems.duplicates.push(found);
    };
    return { problems, bad, duplicate };
}
/**
 * Reads a plain per-sample JSONL file: one `{"id": ..., "<metric>": score, ...}`
 * per line. Each numeric key becomes a metric whose value is the mean, with
 * its per-sample scores for paired tests. An id on two lines is a duplicate
 * (reported; the file's metrics then carry no samples), a file longer than
 * MAX_SAMPLE_LINES yields no metrics.
 */
function readSamplesJsonl(text, file) {
    const byMetric = new Map();
    const firstLine = new Map();
    const { problems, bad, duplicate } = lineProblems();
    const complete = eachLine(text, (line, number) => {
        let record;
        try {
            record = parsePythonJson(line);
        }
        catch {
            bad(number);
            return;
        }
        if (!isObject(record) || (typeof record.id !== 'string' && typeof record.id !== 'number')) {
            bad(number);
            return;
        }
        const id = String(record.id);
        if (id.length > MAX_HASHED_CHARACTERS) {
            bad(number); // as a Map key it would cost quadratic time
            return;
        }
        const first = firstLine.get(id);
        if (first !== undefined) {
            duplicate({ id, at: `line ${number}`, first: `line ${first}` });
            return;
        }
        firstLine.set(id, number);
        for (const [key, value] of Object.entries(record)) {
            const score = typeof value === 'boolean' ? Number(value) : value;
            if (key === 'id' || !finite(score))
                continue;
            const samples = byMetric.get(key) ?? new Map();
            samples.set(id, score);
            byMetric.set(key, samples);
        }
    });
    problems.tooLong = !complete;
    const duplicated = problems.duplicates.length > 0;
    const metrics = (complete ? [...byMetric] : []).map(([name, samples]) => ({
        name,
        value: mean(samples),
        n: samples.size,
        ...(duplicated ? {} : { samples }),
        source: file,
    }));
    return { format: 'json', file, metrics, ...problems };
}
/**
 * Whether the values the harness logs per document under a series' metric
 * are that metric's per-document scores (so their mean is the metric and a
 * paired test compares the metric): a reason when they are not.
 * What the harness logs for its own non-mean metrics decides first (a
 * loglikelihood task's `perplexity` is a log-likelihood, whatever the
 * config says), then the task's config in the results file (`aggregation:
 * mean` or not), then the harness's mean-aggregated metrics; a metric none
 * of them knows is not paired.
 */
function perDocumentScores(series) {
    const key = series.name.slice(series.name.lastIndexOf('/') + 1).split(',')[0] ?? '';
    const known = NOT_PER_DOCUMENT_SCORES.get(key);
    if (known)
        return known;
    if (series.aggregation !== undefined)
        return series.aggregation === 'mean'
            ? undefined
            : `the task aggregates it with ${/^\w+$/.test(series.aggregation) ? JSON.stringify(series.aggregation) : 'a function of its own'}, not the mean of per-document scores`;
    if (MEAN_OF_DOCUMENTS.has(key))
        return undefined;
    return 'neither the results file (configs.<task>.metric_list) nor the harness says it is the mean of per-document scores';
}
/**
 * Attaches lm-evaluation-harness per-document scores (`samples_<task>_*.jsonl`:
 * `doc_id`, `filter`, one key per metric) to the task's series. Only fields
 * that are per-document scores of their metric count (perDocumentScores):
 * a loglikelihood task logs the log-likelihood under `perplexity`, which is
 * not a perplexity. A document logged twice for the same filter is a
 * duplicate: reported, and the task's series get no samples from this file
 * (never last-wins). A document whose score is NaN or ±Infinity leaves its
 * series without samples, so no document silently drops out of a pairing.
 */
function attachHarnessSamples(metrics, task, jsonl) {
    const byName = new Map(metrics.map((m) => [m.name, m]));
    const found = new Map();
    const refused = new Map();
    const spoiled = new Set();
    const firstLine = new Map();
    const { problems, bad, duplicate } = lineProblems();
    const complete = eachLine(jsonl, (line, number) => {
        let sample;
        try {
            sample = parsePythonJson(line);
        }
        catch {
            bad(number);
            return;
        }
        if (!isObject(sample) || sample.doc_id === undefined)
            return;
        const filter = typeof sample.filter === 'string' ? sample.filter : 'none';
        const id = String(sample.doc_id);
        if (id.length + filter.length > MAX_HASHED_CHARACTERS) {
            bad(number); // as a Map key it would cost quadratic time
            return;
        }
        // The harness logs a document once per filter; the key is both.
        const key = `${filter}\u0000${id}`;
        const first = firstLine.get(key);
        if (first !== undefined) {
            duplicate({ id, at: `line ${number}`, first: `line ${first}` });
            return;
        }
        firstLine.set(key, number);
        for (const [metric, value] of Object.entries(sample)) {
            const series = byName.get(`${task}/${metric}${filter === 'none' ? '' : `,${filter}`}`);
            if (!series || refused.has(series.name))
                continue;
            const reason = perDocumentScores(series);
            if (reason) {
                refused.set(series.name, reason);
                continue;
            }
            const score = typeof value === 'boolean' ? Number(value) : value;
            if (typeof score !== 'number')
                continue;
            if (!Number.isFinite(score)) {
                spoiled.add(series);
                continue;
            }
            const samples = found.get(series) ?? new Map();
            samples.set(id, score);
            found.set(series, samples);
        }
    });
    if (complete && !problems.duplicates.length) {
        for (const [series, samples] of found)
            if (!spoiled.has(series))
                series.samples = samples;
    }
    problems.tooLong = !complete;
    const notScores = [...refused].map(([metric, reason]) => ({ metric, reason }));
    for (const series of spoiled)
        notScores.push({ metric: series.name, reason: 'some documents score NaN or Infinity' });
    return { ...problems, notScores };
}

/** The identity of the workflow's GITHUB_TOKEN: what its comments and pull requests show as author. */
const GITHUB_ACTIONS_BOT = { login: 'github-actions[bot]', type: 'Bot' };
const ACCOUNT_TYPES = new Set(['User', 'Bot', 'Organization']);
/**
 * Who a token acts as, so the Action recognises its own comments and pull
 * requests. GraphQL's `viewer` answers for every kind of token (the
 * workflow's GITHUB_TOKEN, an app installation token, a personal token),
 * where REST `GET /user` refuses installation tokens. When GitHub does not
 * answer, the workflow token's bot is assumed: the cost of a wrong guess is a
 * second comment, never editing someone else's.
 */
async function tokenIdentity(octokit, warn = () => { }) {
    try {
        const { viewer } = await octokit.graphql('query { viewer { login __typename } }');
        if (typeof viewer?.login === 'string' && viewer.login) {
            const type = typeof viewer.__typename === 'string' ? viewer.__typename : '';
            return { login: viewer.login, type: ACCOUNT_TYPES.has(type) ? type : 'User' };
        }
        warn(`GitHub did not say who the token acts as; assuming ${GITHUB_ACTIONS_BOT.login}`);
    }
    catch (error) {
        warn(`could not ask GitHub who the token acts as (${error instanceof Error ? error.message : String(error)}); assuming ${GITHUB_ACTIONS_BOT.login}`);
    }
    return GITHUB_ACTIONS_BOT;
}

/** The hidden marker that finds a sticky comment again: `<!-- modelgate:KIND:MODEL -->` (DESIGN.md). */
function stickyMarker(kind, model) {
    return `<!-- modelgate:${kind}:${model} -->`;
}
/** GitHub caps comment bodies at 65,536 characters; longer reports are cut with a note. */
const MAX_BODY = 65_000;
/** A comment body: the marker first (so it survives any edit of the text after it), then the report. */
function stickyBody(marker, markdown) {
    const body = `${marker}\n${markdown}`;
    return body.length <= MAX_BODY
        ? body
        : `${body.slice(0, MAX_BODY)}\n\n…the report was cut; the job summary has all of it.`;
}
/** A GitHub login: letters, digits and dashes, `[bot]` for apps (nothing that can break a line or a mention). */
const LOGIN = /^[A-Za-z0-9-]{1,39}(\[bot\])?$/;
/**
 * Whether GitHub says `author` wrote the comment. The login alone is not
 * enough for a person's account; with the type, `name[bot]` can only be the
 * app of that name (GitHub reserves the suffix for apps).
 */
function writtenBy(comment, author) {
    return comment.user?.login === author.login && comment.user.type === author.type;
}
/**
 * The sticky comment `author` wrote (the first carrying the marker, by the
 * id order GitHub returns) and every comment before it that carries the
 * marker but was written by someone else: those are never read or edited.
 */
function findSticky(comments, marker, author) {
    const strangers = [];
    for (const comment of comments) {
        if (!(comment.body?.startsWith(marker) ?? false))
            continue;
        if (writtenBy(comment, author))
            return { own: comment, strangers };
        strangers.push(comment);
    }
    return { strangers };
}

/**
 * What the run says against what the manifest says: the run finished, it
 * trained this model, from the commit and the dataset the manifest names.
 * A statement the run does not record is not a disagreement, but a manifest
 * that pins a commit or a digest the run cannot confirm is said (warning).
 */
function reproducibilityFindings(facts, run) {
    const training = facts.manifest.training ?? {};
    const findings = [];
    const at = (key, rule, severity, message, fix) => findings.push({
        rule,
        severity,
        model: facts.name,
        file: facts.manifestFile,
        line: facts.lineOf(['training', key]),
        message,
        fix,
    });
    const tracker = TRACKER_NAME[run.tracker];
    if (run.state === 'running' || run.state === 'scheduled')
        at('run', 'TRAINING-STATUS', 'error', `${tracker} run ${run.id} is still ${run.stateText}: its metrics are not final`, 'Wait for the run to finish, then re-run the check.');
    else if (run.state !== 'finished')
        at('run', 'TRAINING-STATUS', 'error', `${tracker} run ${run.id} ended ${run.stateText}, not finished: this version did not come from a completed training`, 'Point training.run at the run that finished and produced these weights.');
    if (run.model !== undefined && run.model !== facts.name)
        at('run', 'TRAINING-MODEL', 'error', `${tracker} run ${run.id} is tagged ${MODEL_TAG}=${run.model}: it trained another model, not ${facts.name}`, `Point training.run at a run of ${facts.name}, or correct the run's ${MODEL_TAG} tag.`);
    const commit = training.commit === undefined ? undefined : String(training.commit).toLowerCase();
    if (commit !== undefined) {
        const source = run.sourceCommit?.toLowerCase();
        if (source === undefined)
            at('commit', 'TRAINING-COMMIT', 'warning', `${tracker} run ${run.id} records no source commit, so training.commit ${commit} cannot be confirmed`, run.tracker === 'mlflow'
                ? 'Start the run from a git checkout (MLflow records mlflow.source.git.commit), or remove training.commit.'
                : 'Start the run from a git checkout (W&B records the commit), or remove training.commit.');
        else if (!sameCommit(commit, source))
            at('commit', 'TRAINING-COMMIT', 'error', `training.commit is ${commit}, but ${tracker} run ${run.id} ran the code at ${source}`, 'Set training.commit to the commit the run trained from, or point training.run at the run that trained this commit.');
    }
    const digest = training.dataset_digest;
    if (digest !== undefined) {
        const recorded = run.datasets.filter((d) => d.digest !== undefined);
        if (!recorded.length)
            at('dataset_digest', 'TRAINING-DATASET', 'warning', `${tracker} run ${run.id} records no dataset digest, so training.dataset_digest ${digest} cannot be confirmed`, 'Log the dataset as a run input (mlflow.log_input), or remove training.dataset_digest.');
        else if (!recorded.some((d) => d.digest === digest))
            at('dataset_digest', 'TRAINING-DATASET', 'error', `training.dataset_digest is ${digest}, but ${tracker} run ${run.id} trained on ${recorded.map((d) => `${d.name} (digest ${d.digest})`).join(', ')}`, 'Set training.dataset_digest to the digest of the dataset the run used, or point training.run at the run that used this dataset.');
    }
    return findings;
}
/** Two commits agree when one is a prefix of the other and the shorter has at least 7 hex digits. */
function sameCommit(a, b) {
    const [short, long] = a.length <= b.length ? [a, b] : [b, a];
    return /^[0-9a-f]{7,}$/.test(short) && long.startsWith(short);
}

/** What to do when production's manifest cannot be read at its tag: the TRAINING-RUN finding's and its gates' fix. */
const UNREAD_PRODUCTION_FIX = "Repair the production release's tag (it must point at a commit whose manifest declares that version), or promote a release modelgate can read.";
/**
 * Reads a model's training run (and the production version's, to compare),
 * judges reproducibility, and turns the run's final metrics into the series
 * its gates name. What cannot be read is a finding and "not run", never a pass.
 */
async function checkTraining(facts, readRun, production, 
/** The gates that judge the version: its own and the baseline's it does not keep (gateModel). */
gates = facts.manifest.eval?.gates ?? []) {
    // One read per run metric, however many gates name it.
    const gated = [
        ...new Map(gates.flatMap((g) => {
            const metric = runMetricOf(g.metric);
            return metric ? [[g.metric, { ...metric, name: g.metric }]] : [];
        })).values(),
    ];
    const result = { findings: [], measured: [], productionMetrics: [], notRun: new Map() };
    const text = facts.manifest.training?.run;
    const notLinked = (reason) => {
        for (const g of gated)
            result.notRun.set(g.tracker, `not run: ${reason}`);
    };
    const at = facts.lineOf(['training', 'run']);
    if (text === undefined) {
        if (gated.length)
            notLinked('the manifest has no training.run to read run metrics from');
        return result;
    }
    const ref = parseRunRef(text);
    if (ref === undefined || typeof ref === 'string') {
        // A malformed tracker reference is a schema error already; free text is said here once.
        if (ref === undefined)
            result.findings.push({
                rule: 'TRAINING-RUN',
                severity: gated.length ? 'error' : 'info',
                model: facts.name,
                file: facts.manifestFile,
                line: at,
                message: `training.run "${text}" is not a run reference modelgate can read, so the run is not linked or checked`,
                fix: 'Write it as mlflow://<server>/#/experiments/<e>/runs/<id>, runs:/<id> or wandb://<entity>/<project>/runs/<id>.',
            });
        notLinked(`training.run is not a run reference modelgate can read`);
        return result;
    }
    for (const g of gated)
        if (g.tracker !== ref.tracker)
            result.notRun.set(g.tracker, `not run: the training run is a ${TRACKER_NAME[ref.tracker]} run, not ${TRACKER_NAME[g.tracker]}`);
    const keys = gated.filter((g) => g.tracker === ref.tracker).map((g) => g.key);
    const read = await readRun(ref, keys);
    const section = {
        model: facts.name,
        version: facts.manifest.version,
        ref: text,
        tracker: ref.tracker,
    };
    result.section = section;
    if (!read.ok) {
        section.unread = read.reason;
        result.findings.push({
            rule: 'TRAINING-RUN',
            // Nothing configured here (a fork, a laptop) is a note; a configured tracker that fails is a warning; a
            // run that does not exist or an answer that is not a run is an error. Gates on it fail either way.
            severity: read.kind === 'unconfigured' ? 'info' : read.kind === 'unreachable' ? 'warning' : 'error',
            model: facts.name,
            file: facts.manifestFile,
            line: at,
            message: `${TRACKER_NAME[ref.tracker]} run ${ref.runId} was not read: ${read.reason}; its reproducibility is not checked${keys.length ? ' and its gates do not run' : ''}`,
            fix: read.kind === 'unreachable' || read.kind === 'unconfigured'
                ? ref.tracker === 'mlflow'
                    ? 'Run the check where MLFLOW_TRACKING_URI (and MLFLOW_TRACKING_TOKEN) reach the tracking server.'
                    : 'Run the check where WANDB_API_KEY is set and the W&B API is reachable.'
                : 'Point training.run at a run that exists on the tracker.',
        });
        if (keys.length)
            result.notRun.set(ref.tracker, `not run: ${read.reason}`);
        return result;
    }
    const run = read.run;
    section.run = pick(run);
    result.findings.push(...reproducibilityFindings(facts, run));
    for (const g of gated) {
        if (g.tracker !== ref.tracker)
            continue;
        const value = runMetric(run, g.key);
        if (value !== undefined)
            result.measured.push({ name: g.name, value, runMetric: true, source: run.link });
    }
    /** The run read is not known to be this version's evidence (`why`): its run-metric gates do not run. */
    const notEvidence = (why, message, fix) => {
        result.measured = [];
        for (const g of gated)
            if (g.tracker === ref.tracker)
                result.notRun.set(g.tracker, `not run: ${why}`);
        result.findings.push({
            rule: 'TRAINING-RUN',
            severity: keys.length ? 'error' : 'warning',
            model: facts.name,
            file: facts.manifestFile,
            line: at,
            message: `${message}${keys.length ? '; its run-metric gates do not run' : ''}`,
            fix,
        });
    };
    if (production?.unread !== undefined) {
        // Whether the candidate names production's own run is not known: its run-metric gates do not
        // run on a run that may have trained other weights (as an unreadable eval baseline is an error).
        const why = `the manifest of ${facts.name} ${production.version} in production cannot be read at its tag (${production.unread})`;
        section.production = { version: production.version, ref: '', unread: why };
        notEvidence(why, `${why}, so whether training.run is the run that trained production's weights is not known`, UNREAD_PRODUCTION_FIX);
        section.comparison = compareRuns(run);
        return result;
    }
    let productionRun;
    if (production?.ref !== undefined) {
        const productionRef = parseRunRef(production.ref);
        section.production = { version: production.version, ref: production.ref };
        if (productionRef === undefined || typeof productionRef === 'string')
            section.production.unread = 'its training.run is not a run reference';
        else if (productionRef.tracker !== ref.tracker)
            section.production.unread = `it was trained in ${TRACKER_NAME[productionRef.tracker]}, not ${TRACKER_NAME[ref.tracker]}`;
        else {
            const itself = sameRun(ref, productionRef) ? otherWeights(facts, production) : undefined;
            if (itself) {
                // The candidate names the run that trained production: its metrics are not this version's
                // evidence, and they would pass its gates for weights they never measured. Decided from the
                // references, so a production reference this environment cannot read still counts.
                const named = `the run of ${facts.name} ${production.version} in production (${TRACKER_NAME[ref.tracker]} run ${ref.runId}), ${itself}`;
                section.production.unread = named;
                notEvidence(named, `training.run names ${named}`, 'Point training.run at the run that trained these weights. A release that keeps its weights keeps its run when both manifests list the weights with their sha256 (artifacts.weights, no weights_index).');
            }
            else {
                const readProduction = await readRun(productionRef, keys);
                if (readProduction.ok) {
                    productionRun = readProduction.run;
                    section.production.run = { id: productionRun.id, link: productionRun.link };
                    for (const g of gated) {
                        const value = g.tracker === ref.tracker ? runMetric(productionRun, g.key) : undefined;
                        if (value !== undefined)
                            result.productionMetrics.push({
                                name: g.name,
                                value,
                                runMetric: true,
                                source: productionRun.link,
                            });
                    }
                }
                else
                    section.production.unread = readProduction.reason;
            }
        }
    }
    else if (production)
        section.production = {
            version: production.version,
            ref: '',
            unread: 'its manifest names no training run',
        };
    section.comparison = compareRuns(run, productionRun);
    return result;
}
/** Whether two references name one run: MLflow by its run id (on whatever server spelling), W&B by entity, project and run. */
function sameRun(a, b) {
    const same = (x, y) => x.toLowerCase() === y.toLowerCase();
    if (a.tracker === 'mlflow' || b.tracker === 'mlflow')
        return a.tracker === b.tracker && same(a.runId, b.runId);
    return same(a.entity, b.entity) && same(a.project, b.project) && same(a.runId, b.runId);
}
/**
 * The sha256 of each weights file a manifest lists, or undefined when the
 * list cannot show what the weights are: none listed, or shards behind a
 * weights_index (a changed shard the list does not name would go unseen).
 */
function listedWeights(manifest) {
    const { weights, weights_index } = manifest.artifacts;
    if (!weights.length || weights_index !== undefined)
        return undefined;
    return new Set(weights.map((w) => w.sha256));
}
/**
 * Why production's run is not this version's evidence, or undefined when
 * both manifests show the same weights (a metadata-only release keeps its
 * run). Weights that cannot be shown the same count as other weights.
 */
function otherWeights(facts, production) {
    const ours = listedWeights(facts.manifest);
    const theirs = production.weights;
    if (!ours || !theirs)
        return 'and the manifests do not show that these are the weights it trained';
    const same = ours.size === theirs.size && [...ours].every((digest) => theirs.has(digest));
    return same ? undefined : 'which trained other weights';
}
function pick(run) {
    return {
        tracker: run.tracker,
        id: run.id,
        link: run.link,
        ...(run.name ? { name: run.name } : {}),
        state: run.state,
        stateText: run.stateText,
        ...(run.sourceCommit ? { sourceCommit: run.sourceCommit } : {}),
        datasets: run.datasets,
    };
}

/**
 * The training reference (and the weights' digests) of the version in the production stage, read from
 * its manifest at its release tag (trusted: the baseline's side), found by
 * the model's name wherever that version kept it, or undefined when no
 * version is in production. A manifest that cannot be found or read there
 * is `unread`, with why: whether the candidate names production's run is
 * then not known.
 */
async function productionTraining(manifests, facts, registry, productionStage) {
    const model = registry.get(facts.name);
    const production = model?.stages.find((s) => s.stage === productionStage);
    // The registration that holds the stage: a version registered on two commits is read where it runs.
    const released = production &&
        model?.versions.find((v) => v.version === production.version && v.stages.includes(productionStage));
    if (!released)
        return undefined;
    let found;
    try {
        found = await manifests.release(facts.name, released.version, [facts.manifestFile], released.tag);
    }
    catch (error) {
        // A release git cannot read at its tag (a damaged tag or object).
        return {
            version: released.version,
            unread: `its release tag cannot be read (${error.message})`,
        };
    }
    // A tag with no manifest of the model (released by another tool before modelgate) names no run, as
    // it gives no eval baseline: only a manifest that is there and cannot be read is unknown.
    if (found.kind === 'absent')
        return { version: released.version };
    if (found.kind === 'unknown')
        return { version: released.version, unread: found.reason };
    const { manifest } = found.facts;
    const ref = manifest.training?.run;
    const weights = listedWeights(manifest);
    return {
        version: released.version,
        ...(ref !== undefined ? { ref } : {}),
        ...(weights ? { weights } : {}),
    };
}

/**
 * MLflow at MLFLOW_TRACKING_URI, authenticated with MLFLOW_TRACKING_TOKEN
 * (bearer) or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (basic).
 * `server`: the server a run reference names; another one than the
 * configured server is refused before any request, so the repository never
 * decides where the credentials go.
 */
function mlflowEndpoint(env, server, options = {}) {
    const uri = env.MLFLOW_TRACKING_URI;
    if (!uri)
        return { ok: false, kind: 'unconfigured', reason: 'no credentials: MLFLOW_TRACKING_URI is not set' };
    let base;
    try {
        base = new URL(uri);
    }
    catch {
        return { ok: false, kind: 'unconfigured', reason: 'MLFLOW_TRACKING_URI is not a URL' };
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:')
        return {
            ok: false,
            kind: 'unreachable',
            reason: `MLFLOW_TRACKING_URI is ${base.protocol} , not an http(s) tracking server`,
        };
    const configured = `${base.host}${base.pathname.replace(/\/+$/, '')}`;
    if (server !== undefined && server.toLowerCase() !== configured.toLowerCase())
        return {
            ok: false,
            kind: 'unreachable',
            reason: `the run is on ${server}, but MLFLOW_TRACKING_URI is ${configured}: modelgate sends credentials only to the configured server`,
        };
    return {
        ok: true,
        endpoint: {
            base: `${base.origin}${base.pathname.replace(/\/+$/, '')}`,
            ...mlflowAuthorization(env),
            ...options,
        },
    };
}
function mlflowAuthorization(env) {
    if (env.MLFLOW_TRACKING_TOKEN)
        return { authorization: `Bearer ${env.MLFLOW_TRACKING_TOKEN}` };
    if (env.MLFLOW_TRACKING_USERNAME && env.MLFLOW_TRACKING_PASSWORD)
        return {
            authorization: `Basic ${Buffer.from(`${env.MLFLOW_TRACKING_USERNAME}:${env.MLFLOW_TRACKING_PASSWORD}`).toString('base64')}`,
        };
    return {};
}

/** Largest answer read from a tracker: a run with its params and metrics is kilobytes. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** How long one request may take. */
const DEFAULT_TIMEOUT_MS = 15_000;
/** Thrown when the service cannot be reached or answers with a server error: "not reachable", never a pass. */
class TrackerUnreachable extends Error {
}
/**
 * Sends one planned request. The credential goes only to the configured
 * base URL; redirects are not followed (a redirect could carry it elsewhere).
 * The message of a failure never includes the credential.
 */
async function sendTrackerRequest(endpoint, request) {
    const url = `${endpoint.base.replace(/\/+$/, '')}${request.path}`;
    let response;
    try {
        response = await (endpoint.fetch ?? fetch)(url, {
            method: request.method,
            redirect: 'manual',
            headers: {
                accept: 'application/json',
                ...(request.body ? { 'content-type': 'application/json' } : {}),
                ...(endpoint.authorization ? { authorization: endpoint.authorization } : {}),
            },
            ...(request.body ? { body: JSON.stringify(request.body) } : {}),
            signal: AbortSignal.timeout(endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        });
    }
    catch (error) {
        const cause = error.name === 'TimeoutError' ? 'no answer in time' : error.message;
        throw new TrackerUnreachable(`${hostOf(endpoint.base)} is not reachable (${cause})`);
    }
    if (response.status >= 500 || (response.status >= 300 && response.status < 400))
        throw new TrackerUnreachable(`${hostOf(endpoint.base)} answered HTTP ${response.status}`);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_ANSWER_BYTES)
        throw new TrackerUnreachable(`${hostOf(endpoint.base)} answered more than 16 MiB`);
    const text = await readCapped(response);
    let body;
    try {
        body = JSON.parse(text);
    }
    catch {
        body = undefined;
    }
    return { status: response.status, body };
}
async function readCapped(response) {
    if (!response.body)
        return '';
    const chunks = [];
    let size = 0;
    for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > MAX_ANSWER_BYTES)
            throw new TrackerUnreachable('the tracker answered more than 16 MiB');
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
}
/** The host of a base URL, for messages (never the path, which may carry a workspace token). */
function hostOf(base) {
    try {
        return new URL(base).host;
    }
    catch {
        return 'the tracker';
    }
}
/** The `error_code` of an MLflow error answer (`RESOURCE_DOES_NOT_EXIST`), if it has one. */
function trackerErrorCode(body) {
    return body && typeof body === 'object' && 'error_code' in body ? String(body.error_code) : undefined;
}
/** The `message` of an error answer, cut short for a log line. */
function trackerErrorMessage(body) {
    const message = body && typeof body === 'object' && 'message' in body ? String(body.message) : '';
    return message.slice(0, 200) || 'no message';
}

const API = '/api/2.0/mlflow';
const query = (params) => new URLSearchParams(params).toString();
/** runs/get: info, params, latest metrics, tags and dataset inputs. */
function getRunRequest(runId) {
    return { method: 'GET', path: `${API}/runs/get?${query({ run_id: runId })}` };
}
/** metrics/get-history: every logged value of one metric, one page. */
function metricHistoryRequest(runId, key, pageToken) {
    return {
        method: 'GET',
        path: `${API}/metrics/get-history?${query({ run_id: runId, metric_key: key, ...(pageToken ? { page_token: pageToken } : {}) })}`,
    };
}
const keyValue = object({ key: string(), value: string().optional() });
const metric = object({
    key: string(),
    // proto2 JSON writes NaN and infinities as strings.
    value: union([number(), string()]).optional(),
    timestamp: union([number(), string()]).optional(),
    step: union([number(), string()]).optional(),
});
const runResponse = object({
    run: object({
        info: object({
            run_id: string().optional(),
            run_uuid: string().optional(),
            run_name: string().optional(),
            experiment_id: string().optional(),
            status: string().optional(),
            lifecycle_stage: string().optional(),
        }),
        data: object({
            metrics: array(metric).optional(),
            params: array(keyValue).optional(),
            tags: array(keyValue).optional(),
        })
            .optional(),
        inputs: object({
            dataset_inputs: array(object({
                tags: array(keyValue).optional(),
                dataset: object({ name: string(), digest: string().optional() }),
            }))
                .optional(),
        })
            .optional(),
    }),
});
const historyResponse = object({
    metrics: array(metric).optional(),
    next_page_token: string().optional(),
});
const STATES$1 = {
    RUNNING: 'running',
    SCHEDULED: 'scheduled',
    FINISHED: 'finished',
    FAILED: 'failed',
    KILLED: 'killed',
};
/** Reads a runs/get answer. Throws a message when it is not one. */
function readMlflowRun(ref, serverUrl, body, histories = new Map()) {
    const parsed = runResponse.safeParse(body);
    if (!parsed.success)
        throw new Error(`runs/get answered something that is not a run (${parsed.error.issues[0]?.message})`);
    const { info, data, inputs } = parsed.data.run;
    const id = info.run_id ?? info.run_uuid ?? ref.runId;
    if (id !== ref.runId)
        throw new Error(`runs/get answered run ${id}, not ${ref.runId}`);
    const tags = Object.fromEntries((data?.tags ?? []).map((t) => [t.key, t.value ?? '']));
    const metrics = trackerRecord();
    for (const m of data?.metrics ?? []) {
        const value = numberOf(m.value);
        if (value !== undefined)
            metrics[m.key] = value;
    }
    for (const [key, points] of histories) {
        const last = finalPoint(points);
        if (last === undefined)
            delete metrics[key];
        else
            metrics[key] = last;
    }
    const datasets = (inputs?.dataset_inputs ?? []).map((input) => {
        const context = input.tags?.find((t) => t.key === 'mlflow.data.context')?.value;
        return {
            name: input.dataset.name,
            ...(input.dataset.digest ? { digest: input.dataset.digest } : {}),
            ...(context ? { context } : {}),
        };
    });
    const status = info.status ?? 'UNKNOWN';
    // The link is built from checked ids only: an answer's odd experiment id is not put in a URL.
    const experiment = [info.experiment_id, ref.experimentId].find((e) => e && /^[0-9A-Za-z_-]{1,64}$/.test(e));
    const base = serverUrl.replace(/\/+$/, '');
    return {
        tracker: 'mlflow',
        id,
        link: experiment
            ? `${base}/#/experiments/${experiment}/runs/${ref.runId}`
            : `${base}/#/runs/${ref.runId}`,
        ...(info.run_name ? { name: info.run_name } : {}),
        state: info.lifecycle_stage === 'deleted' ? 'killed' : (STATES$1[status] ?? 'unknown'),
        stateText: info.lifecycle_stage === 'deleted' ? `${status} (deleted)` : status,
        params: trackerRecord((data?.params ?? []).map((p) => [p.key, p.value ?? ''])),
        metrics,
        datasets,
        ...(tags['mlflow.source.git.commit'] ? { sourceCommit: tags['mlflow.source.git.commit'] } : {}),
        ...(tags[MODEL_TAG] ? { model: tags[MODEL_TAG] } : {}),
        tags,
    };
}
/** Reads one page of a metrics/get-history answer. */
function readMetricHistory(body) {
    const parsed = historyResponse.safeParse(body);
    if (!parsed.success)
        throw new Error('metrics/get-history answered something that is not a metric history');
    return {
        points: parsed.data.metrics ?? [],
        ...(parsed.data.next_page_token ? { next: parsed.data.next_page_token } : {}),
    };
}
/**
 * The final value: the highest step, then the latest timestamp, then (as
 * MLflow does) the largest value. A final NaN or infinity is undefined, not
 * the last finite value before it: a diverged run has no final metric.
 */
function finalPoint(points) {
    let best;
    for (const p of points) {
        const value = typeof p.value === 'string' ? Number(p.value) : (p.value ?? Number.NaN);
        const step = Number(p.step ?? 0);
        const time = Number(p.timestamp ?? 0);
        if (!best ||
            step > best.step ||
            (step === best.step && (time > best.time || (time === best.time && value > best.value))))
            best = { step, time, value };
    }
    return best && Number.isFinite(best.value) ? best.value : undefined;
}
/** A finite number, or undefined (NaN and infinities cannot be judged). */
function numberOf(value) {
    const n = typeof value === 'string' ? Number(value) : value;
    return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/**
 * The W&B public GraphQL API, planned as values. The query selects only
 * fields W&B's own public client (wandb/apis/public/runs.py, RunFragment)
 * selects on `project(name, entityName) { run(name) }`.
 */
const WANDB_RUN_QUERY = `query Run($project: String!, $entity: String!, $name: String!) {
  project(name: $project, entityName: $entity) {
    run(name: $name) {
      id
      name
      displayName
      state
      config
      summaryMetrics
      tags
      commit
    }
  }
}`;
/** The one request that reads a run. */
function wandbRunRequest(ref) {
    return {
        method: 'POST',
        path: '/graphql',
        body: {
            query: WANDB_RUN_QUERY,
            variables: { project: ref.project, entity: ref.entity, name: ref.runId },
        },
    };
}
// config and summaryMetrics are JSONString scalars: JSON text inside the JSON answer.
const jsonString = union([string(), record(string(), unknown()), _null()]).optional();
const answer = object({
    data: object({
        project: object({
            run: object({
                name: string(),
                displayName: string().nullable().optional(),
                state: string().nullable().optional(),
                config: jsonString,
                summaryMetrics: jsonString,
                tags: array(string()).nullable().optional(),
                commit: string().nullable().optional(),
            })
                .nullable(),
        })
            .nullable(),
    })
        .nullable()
        .optional(),
    errors: array(object({ message: string() })).optional(),
});
const STATES = {
    running: 'running',
    pending: 'scheduled',
    finished: 'finished',
    failed: 'failed',
    crashed: 'crashed',
    killed: 'killed',
    preempted: 'killed',
};
/** Reads the answer to WANDB_RUN_QUERY; undefined when the run does not exist. Throws a message when it is not an answer. */
function readWandbRun(ref, appUrl, body) {
    const parsed = answer.safeParse(body);
    if (!parsed.success)
        throw new Error('the GraphQL API answered something that is not a run');
    if (parsed.data.errors?.length)
        throw new Error(`the GraphQL API answered: ${parsed.data.errors[0].message}`);
    const run = parsed.data.data?.project?.run;
    if (!run)
        return undefined;
    const config = objectOf(run.config, 'config');
    const summary = objectOf(run.summaryMetrics, 'summaryMetrics');
    const params = trackerRecord();
    for (const [key, entry] of Object.entries(config)) {
        if (key === '_wandb' || key === 'wandb_version')
            continue;
        // The client writes each config value as {value, desc}.
        const value = entry && typeof entry === 'object' && 'value' in entry ? entry.value : entry;
        params[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    const metrics = trackerRecord();
    for (const [key, value] of Object.entries(summary))
        if (typeof value === 'number' && Number.isFinite(value) && !key.startsWith('_'))
            metrics[key] = value;
    const tags = run.tags ?? [];
    const model = tags.find((t) => t.startsWith(`${MODEL_TAG}:`))?.slice(MODEL_TAG.length + 1);
    const state = run.state ?? 'unknown';
    return {
        tracker: 'wandb',
        id: run.name,
        // Built from the reference's checked names only, not from the answer.
        link: `${appUrl.replace(/\/+$/, '')}/${ref.entity}/${ref.project}/runs/${ref.runId}`,
        ...(run.displayName ? { name: run.displayName } : {}),
        state: STATES[state] ?? 'unknown',
        stateText: state,
        params,
        metrics,
        datasets: [],
        ...(run.commit ? { sourceCommit: run.commit } : {}),
        ...(model ? { model } : {}),
        tags: Object.fromEntries(tags.map((t) => [t, ''])),
    };
}
function objectOf(value, field) {
    if (value === null || value === undefined)
        return {};
    if (typeof value === 'object')
        return value;
    try {
        const parsed = JSON.parse(value);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
            return parsed;
    }
    catch {
        // fall through to the message below
    }
    throw new Error(`the run's ${field} is not a JSON object`);
}

/** Pages of a metric history read at most (MLflow pages hold thousands of points). */
const MAX_HISTORY_PAGES = 100;
/**
 * A run reader from the environment: MLflow at MLFLOW_TRACKING_URI (token
 * or basic auth), W&B at WANDB_BASE_URL (default api.wandb.ai) with
 * WANDB_API_KEY. A reference naming another MLflow server than the
 * configured one is refused before any request: the repository never
 * decides where the credentials go.
 */
function runReaderFromEnvironment(env, options = {}) {
    return async (ref, metrics) => {
        if (options.refuse)
            return { ok: false, kind: 'unconfigured', reason: options.refuse };
        try {
            return ref.tracker === 'mlflow'
                ? await readMlflow(ref, metrics, env, options)
                : await readWandb(ref, env, options);
        }
        catch (error) {
            if (error instanceof TrackerUnreachable)
                return { ok: false, kind: 'unreachable', reason: error.message };
            return { ok: false, kind: 'invalid', reason: error.message };
        }
    };
}
async function readMlflow(ref, metrics, env, options) {
    const configured = mlflowEndpoint(env, ref.server, options);
    if (!configured.ok)
        return configured;
    const endpoint = configured.endpoint;
    const answer = await sendTrackerRequest(endpoint, getRunRequest(ref.runId));
    if (answer.status === 404 || trackerErrorCode(answer.body) === 'RESOURCE_DOES_NOT_EXIST')
        return {
            ok: false,
            kind: 'not-found',
            reason: `run ${ref.runId} does not exist on ${hostOf(endpoint.base)}`,
        };
    if (answer.status === 401 || answer.status === 403)
        return {
            ok: false,
            kind: 'unreachable',
            reason: `${hostOf(endpoint.base)} refused the credentials (HTTP ${answer.status})`,
        };
    if (answer.status !== 200)
        return {
            ok: false,
            kind: 'invalid',
            reason: `runs/get answered HTTP ${answer.status}: ${trackerErrorMessage(answer.body)}`,
        };
    const histories = new Map();
    for (const key of metrics) {
        const points = [];
        let page;
        for (let n = 0; n < MAX_HISTORY_PAGES; n += 1) {
            const history = await sendTrackerRequest(endpoint, metricHistoryRequest(ref.runId, key, page));
            if (history.status !== 200)
                return {
                    ok: false,
                    kind: 'invalid',
                    reason: `metrics/get-history of ${key} answered HTTP ${history.status}`,
                };
            const read = readMetricHistory(history.body);
            points.push(...read.points);
            page = read.next;
            if (!page)
                break;
        }
        histories.set(key, points);
    }
    return { ok: true, run: readMlflowRun(ref, endpoint.base, answer.body, histories) };
}
async function readWandb(ref, env, options) {
    if (!env.WANDB_API_KEY)
        return { ok: false, kind: 'unconfigured', reason: 'no credentials: WANDB_API_KEY is not set' };
    const base = (env.WANDB_BASE_URL || 'https://api.wandb.ai').replace(/\/+$/, '');
    const endpoint = {
        base,
        // The public API authenticates with HTTP basic auth, user "api", the key as password.
        authorization: `Basic ${Buffer.from(`api:${env.WANDB_API_KEY}`).toString('base64')}`,
        ...options,
    };
    const answer = await sendTrackerRequest(endpoint, wandbRunRequest(ref));
    if (answer.status === 401 || answer.status === 403)
        return {
            ok: false,
            kind: 'unreachable',
            reason: `${hostOf(base)} refused WANDB_API_KEY (HTTP ${answer.status})`,
        };
    if (answer.status !== 200)
        return { ok: false, kind: 'invalid', reason: `the GraphQL API answered HTTP ${answer.status}` };
    // The UI lives at wandb.ai for the hosted API; a dedicated server serves both from one host.
    const app = base === 'https://api.wandb.ai' ? 'https://wandb.ai' : base;
    const run = readWandbRun(ref, app, answer.body);
    if (!run)
        return {
            ok: false,
            kind: 'not-found',
            reason: `run ${ref.entity}/${ref.project}/${ref.runId} does not exist on ${hostOf(base)}`,
        };
    return { ok: true, run };
}

export { HARNESS_DIRECTIONS as H, LOGIN as L, MAX_SAMPLE_LINES as M, TrackerUnreachable as T, UNREAD_PRODUCTION_FIX as U, readResultsFile as a, attachHarnessSamples as b, productionTraining as c, checkTraining as d, runReaderFromEnvironment as e, findSticky as f, stickyMarker as g, sendTrackerRequest as h, hostOf as i, trackerErrorMessage as j, mlflowEndpoint as m, parsePythonJson as p, readSamplesJsonl as r, stickyBody as s, tokenIdentity as t };
