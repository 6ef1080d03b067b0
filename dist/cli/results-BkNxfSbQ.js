import { l as longJsonKey, b as longKeyProblem, M as MAX_HASHED_CHARACTERS } from './hashed-string-BvNvQAaH.js';
import { M as MalformedFileError } from './user-file-error-DMsF1t5K.js';

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

export { HARNESS_DIRECTIONS as H, MAX_SAMPLE_LINES as M, readSamplesJsonl as a, attachHarnessSamples as b, parsePythonJson as p, readResultsFile as r };
