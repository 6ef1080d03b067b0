import { readHarnessResults } from './lm-eval-results.js';
import { MEAN_OF_DOCUMENTS, NOT_PER_DOCUMENT_SCORES } from './lm-eval-metrics.js';
import { longJsonKey, longKeyProblem, MAX_HASHED_CHARACTERS } from '../hashed-string.js';
import { MalformedFileError } from '../user-file-error.js';

/** One metric of one evaluation run, with what is needed to compare it. */
export interface MetricSeries {
  /**
   * How gates name it. lm-evaluation-harness: `task/metric` for the "none"
   * filter, `task/metric,filter` otherwise (the harness's own key after the
   * task: `gsm8k/exact_match,strict-match`). Plain JSON: the key. The built-in
   * runner: `suite/accuracy`.
   */
  name: string;
  value: number;
  /**
   * The standard error as the file states it, unchecked: it may be negative,
   * huge, or NaN (Python's NaN, Infinity and a null all read as NaN). Absent
   * when the file has none ("N/A" is the harness's way of saying so).
   * Gates check it before they use it (standard-error.ts).
   */
  stderr?: number;
  /** Number of documents behind the value. */
  n?: number;
  /**
   * The direction the file states (lm-evaluation-harness `higher_is_better`);
   * absent when it states none. A claim, not a decision: gates take the
   * direction from the trusted side (direction.ts).
   */
  higherIsBetter?: boolean;
  /** Aggregated over subtasks (a harness group): its stderr is pooled, smaller than one task's. */
  group?: boolean;
  /** Task version (lm-evaluation-harness `versions`), for like-for-like comparisons. */
  taskVersion?: string;
  /** Per-document scores by document id, for paired tests. */
  samples?: Map<string, number>;
  /**
   * How the harness aggregates the metric, when the task's config in the
   * results file names it (`metric_list[].aggregation`): per-document values
   * are scores of the metric only when it is the mean.
   */
  aggregation?: string;
  /**
   * The dataset a suite's accuracy was measured on (the built-in runner's run, or its results file):
   * its path and the sha256 of its bytes. A drop is judged only between runs on the same bytes.
   */
  dataset?: { path: string; sha256?: string };
  /**
   * A training run's final value, read from its tracker (tracking/): one
   * recorded number with no standard error or per-document scores. A drop
   * between two such values is the difference of the values. Set only by
   * the run reader, never from a results file.
   */
  runMetric?: true;
  /** The file it came from. */
  source: string;
}

/** A document id scored twice in one file: the second score would silently replace the first. */
export interface DuplicateId {
  id: string;
  /** Where it repeats and where it was first: "line 7", or "samples[3]" in a runner file. */
  at: string;
  first: string;
}

/** What a harness run says about the model and tokenizer it evaluated. */
export interface HarnessProvenance {
  modelSha?: string;
  modelRevision?: string;
  /** `config.model_args`, a `k=v,k=v` string or a dict in the file: its `pretrained` and `revision` name the model. */
  modelArgs?: Record<string, string>;
  /** `config.limit` (`--limit`): a document count, or a share of each task below 1. */
  limit?: number;
  /** `tokenizer_*_token`: [content, id] as the harness logged them. */
  tokenizer: Partial<Record<'bos' | 'eos' | 'pad', { content: string | null; id: number | null }>>;
  /** sha256 of the chat template the harness applied (hex), if it applied one. */
  chatTemplateSha?: string;
  /** Tasks evaluated on fewer documents than they have (`n-samples`). */
  limited: { task: string; effective: number; original: number }[];
  /** Tasks (not groups) whose document counts the file does not record (no `n-samples`: v0.3, v0.4.0–0.4.2). */
  uncounted: string[];
}

/** A metric the file holds but not as a finite number: kept as written, so it is reported as such, never as missing. */
export interface NonFiniteMetric {
  name: string;
  written: 'Infinity' | '-Infinity' | 'NaN' | 'null';
  source: string;
}

export interface ResultsFile {
  format: 'lm-eval' | 'json' | 'modelgate';
  file: string;
  /** Index of the manifest's `eval.results` entry it was read for. */
  entry?: number;
  metrics: MetricSeries[];
  /** Metrics whose value is NaN, ±Infinity or null: not judged as numbers, reported as written. */
  nonFinite?: NonFiniteMetric[];
  provenance?: HarnessProvenance;
  /** Document ids scored more than once; the series they touch carry no samples. */
  duplicates?: DuplicateId[];
}

/** Lines of a samples file read at most: bounds memory (a map entry per document) on a hostile file. */
export const MAX_SAMPLE_LINES = 1_000_000;
/** Unreadable lines and repeated ids kept for messages (the counts are exact). */
const KEPT_PROBLEMS = 20;

/** What a line-by-line reader could not use. */
export interface LineProblems {
  /** The first unreadable lines (1-based), at most 20. */
  badLines: number[];
  /** How many lines were unreadable in all. */
  badLineCount: number;
  /** The first ids scored twice, at most 20. */
  duplicates: DuplicateId[];
  /** How many lines repeated an id in all. */
  duplicateCount: number;
  /** The file has more than MAX_SAMPLE_LINES lines: nothing of it is used. */
  tooLong: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

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
export function parsePythonJson(text: string): unknown {
  const longKey = longJsonKey(text);
  if (longKey !== undefined) throw new SyntaxError(longKeyProblem(longKey));
  if (!text.includes('NaN') && !text.includes('Infinity')) return JSON.parse(text);
  const parts: string[] = [];
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
        if (d === BACKSLASH) i += 2;
        else if (d === QUOTE) break;
        else i += 1;
      }
      i += 1;
      continue;
    }
    // A bare word: not inside a longer name on either side ("-Infinity" starts with its sign).
    const word = c === 78 ? 'NaN' : c === 73 ? 'Infinity' : c === 45 ? '-Infinity' : undefined;
    if (
      word &&
      text.startsWith(word, i) &&
      !isWordChar(text.charCodeAt(i + word.length)) &&
      (c === 45 || !isWordChar(text.charCodeAt(i - 1)))
    ) {
      // 1e999 is JSON for a number that overflows to Infinity; NaN has no JSON spelling, so a marker stands in.
      parts.push(
        text.slice(copied, i),
        word === 'NaN' ? NAN_MARKER_JSON : word === 'Infinity' ? '1e999' : '-1e999',
      );
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
function restoreNaN(value: unknown): unknown {
  if (value === NAN_MARKER) return Number.NaN;
  const stack: unknown[] = [value];
  while (stack.length) {
    const container = stack.pop();
    if (typeof container !== 'object' || container === null) continue;
    const slots = container as Record<string, unknown>;
    for (const key of Array.isArray(container) ? container.keys() : Object.keys(container)) {
      const item = slots[key];
      if (item === NAN_MARKER) slots[key] = Number.NaN;
      else if (typeof item === 'object' && item !== null) stack.push(item);
    }
  }
  return value;
}

const NAN_MARKER = '\u0000modelgate:NaN';
const NAN_MARKER_JSON = JSON.stringify(NAN_MARKER);

const QUOTE = 34;

const BACKSLASH = 92;
const isWordChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Reads a results file: lm-evaluation-harness results, a modelgate runner file, or a plain `{ "metric": value }` object. */
export function readResultsFile(json: unknown, file: string): ResultsFile {
  if (!isObject(json))
    throw new MalformedFileError(
      file,
      `must be a JSON object, not ${Array.isArray(json) ? 'a list' : json === null ? 'null' : `a ${typeof json}`}`,
      'Pass a results file of lm-evaluation-harness (its "results" object), of modelgate\'s runner, or a {"metric": value} object.',
    );
  if (json.format === 'modelgate-eval/v1') return readRunnerFile(json, file);
  if (isObject(json.results)) return readHarnessResults(json, file);
  // A plain object states no direction: the gate takes it from the trusted side.
  const metrics: MetricSeries[] = [];
  const nonFinite: NonFiniteMetric[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (finite(value)) metrics.push({ name, value, source: file });
    else if (typeof value === 'number')
      nonFinite.push({
        name,
        written: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity',
        source: file,
      });
  }
  return { format: 'json', file, metrics, ...(nonFinite.length ? { nonFinite } : {}) };
}

function readRunnerFile(json: Json, file: string): ResultsFile {
  const suite = typeof json.suite === 'string' ? json.suite : 'suite';
  const samples = new Map<string, number>();
  const firstIndex = new Map<string, number>();
  const duplicates: DuplicateId[] = [];
  const list = Array.isArray(json.samples) ? json.samples : [];
  list.forEach((sample: unknown, index) => {
    if (!isObject(sample) || typeof sample.id !== 'string' || !finite(sample.score)) return;
    if (sample.id.length > MAX_HASHED_CHARACTERS) return; // as a Map key it would cost quadratic time
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
    metrics:
      value === undefined
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
function runnerDataset(value: unknown): MetricSeries['dataset'] {
  if (!isObject(value) || typeof value.path !== 'string') return undefined;
  const sha256 =
    typeof value.sha256 === 'string' && /^[0-9a-f]{64}$/.test(value.sha256) ? value.sha256 : undefined;
  return { path: value.path, ...(sha256 ? { sha256 } : {}) };
}

function mean(samples: Map<string, number>): number | undefined {
  if (!samples.size) return undefined;
  let sum = 0;
  for (const v of samples.values()) sum += v;
  return sum / samples.size;
}

/**
 * Calls `each` with every non-blank line and its 1-based number, at most
 * MAX_SAMPLE_LINES of them; returns false when the text has more.
 * No split: a hostile file never becomes one array of millions of strings.
 */
function eachLine(text: string, each: (line: string, number: number) => void): boolean {
  // Count first (indexOf is cheap): a file over the cap is refused before any line is parsed.
  let lines = 0;
  for (let at = text.indexOf('\n'); at >= 0 && lines <= MAX_SAMPLE_LINES; at = text.indexOf('\n', at + 1))
    lines += 1;
  if (lines > MAX_SAMPLE_LINES || (lines === MAX_SAMPLE_LINES && !text.endsWith('\n'))) return false;
  let start = 0;
  let number = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    number += 1;
    const line = text.slice(start, end);
    if (line.trim()) each(line, number);
    start = end + 1;
  }
  return true;
}

/** Empty problems, and the functions that count an unreadable line and a repeated id. */
function lineProblems(): {
  problems: LineProblems;
  bad: (line: number) => void;
  duplicate: (found: DuplicateId) => void;
} {
  const problems: LineProblems = {
    badLines: [],
    badLineCount: 0,
    duplicates: [],
    duplicateCount: 0,
    tooLong: false,
  };
  const bad = (line: number) => {
    problems.badLineCount += 1;
    if (problems.badLines.length < KEPT_PROBLEMS) problems.badLines.push(line);
  };
  const duplicate = (found: DuplicateId) => {
    problems.duplicateCount += 1;
    if (problems.duplicates.length < KEPT_PROBLEMS) problems.duplicates.push(found);
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
export function readSamplesJsonl(text: string, file: string): ResultsFile & LineProblems {
  const byMetric = new Map<string, Map<string, number>>();
  const firstLine = new Map<string, number>();
  const { problems, bad, duplicate } = lineProblems();
  const complete = eachLine(text, (line, number) => {
    let record: unknown;
    try {
      record = parsePythonJson(line);
    } catch {
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
      if (key === 'id' || !finite(score)) continue;
      const samples = byMetric.get(key) ?? new Map<string, number>();
      samples.set(id, score);
      byMetric.set(key, samples);
    }
  });
  problems.tooLong = !complete;
  const duplicated = problems.duplicates.length > 0;
  const metrics = (complete ? [...byMetric] : []).map(([name, samples]): MetricSeries => ({
    name,
    value: mean(samples)!,
    n: samples.size,
    ...(duplicated ? {} : { samples }),
    source: file,
  }));
  return { format: 'json', file, metrics, ...problems };
}

/** A series of the task whose per-document values in the samples file are not its scores, and why. */
export interface NotScores {
  metric: string;
  reason: string;
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
function perDocumentScores(series: MetricSeries): string | undefined {
  const key = series.name.slice(series.name.lastIndexOf('/') + 1).split(',')[0] ?? '';
  const known = NOT_PER_DOCUMENT_SCORES.get(key);
  if (known) return known;
  if (series.aggregation !== undefined)
    return series.aggregation === 'mean'
      ? undefined
      : `the task aggregates it with ${/^\w+$/.test(series.aggregation) ? JSON.stringify(series.aggregation) : 'a function of its own'}, not the mean of per-document scores`;
  if (MEAN_OF_DOCUMENTS.has(key)) return undefined;
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
export function attachHarnessSamples(
  metrics: MetricSeries[],
  task: string,
  jsonl: string,
): LineProblems & { notScores: NotScores[] } {
  const byName = new Map(metrics.map((m) => [m.name, m]));
  const found = new Map<MetricSeries, Map<string, number>>();
  const refused = new Map<string, string>();
  const spoiled = new Set<MetricSeries>();
  const firstLine = new Map<string, number>();
  const { problems, bad, duplicate } = lineProblems();
  const complete = eachLine(jsonl, (line, number) => {
    let sample: unknown;
    try {
      sample = parsePythonJson(line);
    } catch {
      bad(number);
      return;
    }
    if (!isObject(sample) || sample.doc_id === undefined) return;
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
      if (!series || refused.has(series.name)) continue;
      const reason = perDocumentScores(series);
      if (reason) {
        refused.set(series.name, reason);
        continue;
      }
      const score = typeof value === 'boolean' ? Number(value) : value;
      if (typeof score !== 'number') continue;
      if (!Number.isFinite(score)) {
        spoiled.add(series);
        continue;
      }
      const samples = found.get(series) ?? new Map<string, number>();
      samples.set(id, score);
      found.set(series, samples);
    }
  });
  if (complete && !problems.duplicates.length) {
    for (const [series, samples] of found) if (!spoiled.has(series)) series.samples = samples;
  }
  problems.tooLong = !complete;
  const notScores = [...refused].map(([metric, reason]) => ({ metric, reason }));
  for (const series of spoiled)
    notScores.push({ metric: series.name, reason: 'some documents score NaN or Infinity' });
  return { ...problems, notScores };
}
