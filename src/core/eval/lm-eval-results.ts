import { NON_METRIC_KEYS, PLACEHOLDER_METRICS } from './lm-eval-metrics.js';
import type { HarnessProvenance, MetricSeries, NonFiniteMetric, ResultsFile } from './results.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A document count: a whole number, at least 0. */
const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;

/** How a value the harness wrote reads back: `Infinity`, `-Infinity`, `NaN`, `null`. */
const written = (v: number | null): NonFiniteMetric['written'] =>
  v === null ? 'null' : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';

/**
 * A stated stderr, kept as stated (NaN, ±Infinity included: standard-error.ts
 * judges it); null (Python's None) reads as NaN; "N/A", the harness's way of
 * saying it has none, and any other string is none.
 */
function statedStderr(values: Json, key: string): number | undefined {
  if (!Object.hasOwn(values, key)) return undefined;
  const raw = values[key];
  if (typeof raw === 'number') return raw;
  return raw === null ? Number.NaN : undefined;
}

/**
 * The metric and filter of a results key: `acc,none` (v0.4 on), or the bare
 * `acc` of v0.2/v0.3 files, whose stderr is `acc_stderr` instead of
 * `acc_stderr,none`.
 */
function splitKey(key: string): { metric: string; filter?: string } {
  const comma = key.indexOf(',');
  return comma < 0 ? { metric: key } : { metric: key.slice(0, comma), filter: key.slice(comma + 1) };
}

/**
 * `model_args` as the harness records it: a `key=value,key=value` string
 * (every version; split as the harness's simple_parse_args_string does) or,
 * from v0.4.2 on, the dict a caller passed to simple_evaluate.
 */
function parseModelArgs(raw: unknown): Record<string, string> | undefined {
  if (typeof raw === 'string') {
    const args: Record<string, string> = {};
    for (const part of raw.split(',')) {
      const equals = part.indexOf('=');
      if (equals <= 0) continue;
      const key = part.slice(0, equals).trim();
      if (key && !Object.hasOwn(args, key)) args[key] = part.slice(equals + 1).trim();
    }
    return args;
  }
  if (!isObject(raw)) return undefined;
  const args: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      args[key] = String(value);
  }
  return args;
}

/** `aggregation` of each metric in the task's own config (`configs[task].metric_list`), when it is a name. */
function aggregations(config: unknown): Map<string, string> {
  const found = new Map<string, string>();
  const list = isObject(config) ? config.metric_list : undefined;
  if (!Array.isArray(list)) return found;
  for (const entry of list as unknown[]) {
    if (isObject(entry) && typeof entry.metric === 'string' && typeof entry.aggregation === 'string')
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
export function readHarnessResults(json: Json, file: string): ResultsFile {
  // Groups (mmlu) aggregate their subtasks; v0.4.0–0.4.3 list some only under "groups".
  const results = { ...(isObject(json.groups) ? json.groups : {}), ...(json.results as Json) };
  const versions = isObject(json.versions) ? json.versions : {};
  const higher = isObject(json.higher_is_better) ? json.higher_is_better : {};
  const nSamples = isObject(json['n-samples']) ? json['n-samples'] : {};
  const subtasks = isObject(json.group_subtasks) ? json.group_subtasks : {};
  const groups = isObject(json.groups) ? json.groups : {};
  const configs = isObject(json.configs) ? json.configs : {};
  const metrics: MetricSeries[] = [];
  const nonFinite: NonFiniteMetric[] = [];
  const limited: HarnessProvenance['limited'] = [];
  const uncounted: string[] = [];
  for (const [task, values] of Object.entries(results)) {
    if (!isObject(values)) continue;
    const group =
      Object.hasOwn(groups, task) ||
      (Array.isArray(subtasks[task]) && (subtasks[task] as unknown[]).length > 0);
    const counts = nSamples[task];
    const effective = isObject(counts) ? count(counts.effective) : undefined;
    const original = isObject(counts) ? count(counts.original) : undefined;
    if (original !== undefined && effective !== undefined && effective < original)
      limited.push({ task, effective, original });
    // Groups have no n-samples of their own: their subtasks are counted.
    if (!group && effective === undefined) uncounted.push(task);
    // The current schema counts documents per metric for groups and per task otherwise.
    const perMetric = isObject(values.sample_count) ? values.sample_count : {};
    const taskCount = effective ?? count(values.sample_len);
    const taskHigher = isObject(higher[task]) ? higher[task] : {};
    const taskAggregations = aggregations(configs[task]);
    for (const [key, value] of Object.entries(values)) {
      if (NON_METRIC_KEYS.has(key)) continue;
      const { metric, filter } = splitKey(key);
      if (metric.endsWith('_stderr') || PLACEHOLDER_METRICS.has(metric)) continue;
      if (typeof value !== 'number' && value !== null) continue;
      const name = `${task}/${metric}${filter === undefined || filter === 'none' ? '' : `,${filter}`}`;
      if (!finite(value)) {
        nonFinite.push({ name, written: written(value), source: file });
        continue;
      }
      const stderr = statedStderr(
        values,
        filter === undefined ? `${metric}_stderr` : `${metric}_stderr,${filter}`,
      );
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
        ...(typeof versions[task] === 'string' || finite(versions[task])
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

function readProvenance(
  json: Json,
  limited: HarnessProvenance['limited'],
  uncounted: string[],
): HarnessProvenance {
  const config = isObject(json.config) ? json.config : {};
  const token = (value: unknown) => {
    if (!Array.isArray(value)) return undefined;
    const [content, id] = value as unknown[];
    // The harness writes the id as a number or its string; Number() of anything else could throw.
    const numeric = typeof id === 'number' || typeof id === 'string' ? Number(id) : Number.NaN;
    return {
      content: typeof content === 'string' ? content : null,
      id: id !== null && id !== 'None' && Number.isInteger(numeric) ? numeric : null,
    };
  };
  const tokenizer: HarnessProvenance['tokenizer'] = {};
  for (const role of ['bos', 'eos', 'pad'] as const) {
    const parsed = token(json[`tokenizer_${role}_token`]);
    if (parsed) tokenizer[role] = parsed;
  }
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const modelArgs = parseModelArgs(config.model_args);
  // `--limit 0.1` is a share of each task, `--limit 100` a count; 0 or less is no limit (the harness ignores it).
  const limit = finite(config.limit) && config.limit > 0 ? config.limit : undefined;
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
