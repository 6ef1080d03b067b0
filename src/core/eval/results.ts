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
  stderr?: number;
  /** Number of documents behind the value. */
  n?: number;
  higherIsBetter: boolean;
  /** Task version (lm-evaluation-harness `versions`), for like-for-like comparisons. */
  taskVersion?: string;
  /** Per-document scores by document id, for paired tests. */
  samples?: Map<string, number>;
  /** The file it came from. */
  source: string;
}

/** What a harness run says about the model and tokenizer it evaluated. */
export interface HarnessProvenance {
  modelSha?: string;
  modelRevision?: string;
  modelArgs?: string;
  limit?: number;
  /** `tokenizer_*_token`: [content, id] as the harness logged them. */
  tokenizer: Partial<Record<'bos' | 'eos' | 'pad', { content: string | null; id: number | null }>>;
  /** sha256 of the chat template the harness applied (hex), if it applied one. */
  chatTemplateSha?: string;
  /** Tasks evaluated on fewer documents than they have. */
  limited: { task: string; effective: number; original: number }[];
}

export interface ResultsFile {
  format: 'lm-eval' | 'json' | 'modelgate';
  file: string;
  /** Index of the manifest's `eval.results` entry it was read for. */
  entry?: number;
  metrics: MetricSeries[];
  provenance?: HarnessProvenance;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Parses JSON as Python writes it: lm-evaluation-harness emits bare NaN and
 * Infinity for undefined statistics, which JSON.parse refuses. They become
 * null (a value that is not a number is a value we do not have).
 */
export function parsePythonJson(text: string): unknown {
  const cleaned = text.replace(/"(?:[^"\\]|\\.)*"|-?\bInfinity\b|\bNaN\b/g, (token) =>
    token.startsWith('"') ? token : 'null',
  );
  return JSON.parse(cleaned);
}

/** Reads a results file: lm-evaluation-harness results, a modelgate runner file, or a plain `{ "metric": value }` object. */
export function readResultsFile(json: unknown, file: string): ResultsFile {
  if (!isObject(json)) throw new Error(`${file} must be a JSON object`);
  if (json.format === 'modelgate-eval/v1') return readRunnerFile(json, file);
  if (isObject(json.results)) return readHarness(json, file);
  const metrics = Object.entries(json)
    .filter((entry): entry is [string, number] => finite(entry[1]))
    .map(([name, value]): MetricSeries => ({ name, value, higherIsBetter: true, source: file }));
  return { format: 'json', file, metrics };
}

function readHarness(json: Json, file: string): ResultsFile {
  // Groups (mmlu) aggregate their subtasks; older harness versions list them only under "groups".
  const results = { ...(isObject(json.groups) ? json.groups : {}), ...(json.results as Json) };
  const versions = isObject(json.versions) ? json.versions : {};
  const higher = isObject(json.higher_is_better) ? json.higher_is_better : {};
  const nSamples = isObject(json['n-samples']) ? json['n-samples'] : {};
  const metrics: MetricSeries[] = [];
  const limited: HarnessProvenance['limited'] = [];
  for (const [task, values] of Object.entries(results)) {
    if (!isObject(values)) continue;
    const counts = nSamples[task];
    const effective = isObject(counts) && finite(counts.effective) ? counts.effective : undefined;
    if (
      isObject(counts) &&
      finite(counts.original) &&
      effective !== undefined &&
      effective < counts.original
    ) {
      limited.push({ task, effective, original: counts.original });
    }
    const taskHigher = isObject(higher[task]) ? (higher[task] as Json) : {};
    for (const [key, value] of Object.entries(values)) {
      const [metric = '', filter = 'none'] = key.split(',');
      if (!finite(value) || metric.endsWith('_stderr') || metric === 'alias' || metric === 'samples')
        continue;
      const stderr = values[`${metric}_stderr,${filter}`]; // may be "N/A"
      metrics.push({
        name: `${task}/${metric}${filter === 'none' ? '' : `,${filter}`}`,
        value,
        ...(finite(stderr) ? { stderr } : {}),
        ...(effective !== undefined ? { n: effective } : {}),
        higherIsBetter: taskHigher[metric] !== false,
        ...(versions[task] !== undefined ? { taskVersion: String(versions[task]) } : {}),
        source: file,
      });
    }
  }
  const config = isObject(json.config) ? json.config : {};
  const token = (value: unknown) => {
    if (!Array.isArray(value)) return undefined;
    const [content, id] = value as unknown[];
    const numeric = Number(id);
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
  return {
    format: 'lm-eval',
    file,
    metrics,
    provenance: {
      modelSha: text(config.model_sha),
      modelRevision: text(config.model_revision),
      modelArgs: text(config.model_args),
      ...(finite(config.limit) ? { limit: config.limit } : {}),
      tokenizer,
      chatTemplateSha: text(json.chat_template_sha),
      limited,
    },
  };
}

function readRunnerFile(json: Json, file: string): ResultsFile {
  const suite = typeof json.suite === 'string' ? json.suite : 'suite';
  const samples = new Map<string, number>();
  for (const sample of Array.isArray(json.samples) ? json.samples : []) {
    if (isObject(sample) && typeof sample.id === 'string' && finite(sample.score))
      samples.set(sample.id, sample.score);
  }
  const summary = isObject(json.summary) ? json.summary : {};
  const value = finite(summary.accuracy) ? summary.accuracy : mean(samples);
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
              higherIsBetter: true,
              samples,
              source: file,
            },
          ],
  };
}

function mean(samples: Map<string, number>): number | undefined {
  if (!samples.size) return undefined;
  let sum = 0;
  for (const v of samples.values()) sum += v;
  return sum / samples.size;
}

/**
 * Reads a plain per-sample JSONL file: one `{"id": ..., "<metric>": score, ...}`
 * per line. Each numeric key becomes a metric whose value is the mean, with
 * its per-sample scores for paired tests.
 */
export function readSamplesJsonl(text: string, file: string): ResultsFile & { badLines: number[] } {
  const byMetric = new Map<string, Map<string, number>>();
  const badLines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let record: unknown;
    try {
      record = parsePythonJson(line);
    } catch {
      badLines.push(index + 1);
      return;
    }
    if (!isObject(record) || (typeof record.id !== 'string' && typeof record.id !== 'number')) {
      badLines.push(index + 1);
      return;
    }
    for (const [key, value] of Object.entries(record)) {
      const score = typeof value === 'boolean' ? Number(value) : value;
      if (key === 'id' || !finite(score)) continue;
      const samples = byMetric.get(key) ?? new Map<string, number>();
      samples.set(String(record.id), score);
      byMetric.set(key, samples);
    }
  });
  const metrics = [...byMetric].map(([name, samples]): MetricSeries => ({
    name,
    value: mean(samples)!,
    n: samples.size,
    higherIsBetter: true,
    samples,
    source: file,
  }));
  return { format: 'json', file, metrics, badLines };
}

/**
 * Attaches lm-evaluation-harness per-document scores (`samples_<task>_*.jsonl`:
 * `doc_id`, `filter`, one key per metric) to the task's series.
 * Returns the number of lines that were not JSON.
 */
export function attachHarnessSamples(
  metrics: MetricSeries[],
  task: string,
  jsonl: string,
): { badLines: number[] } {
  const badLines: number[] = [];
  const byName = new Map(metrics.map((m) => [m.name, m]));
  jsonl.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let sample: unknown;
    try {
      sample = parsePythonJson(line);
    } catch {
      badLines.push(index + 1);
      return;
    }
    if (!isObject(sample) || sample.doc_id === undefined) return;
    const filter = typeof sample.filter === 'string' ? sample.filter : 'none';
    for (const [key, value] of Object.entries(sample)) {
      const score = typeof value === 'boolean' ? Number(value) : value;
      if (!finite(score)) continue;
      const series = byName.get(`${task}/${key}${filter === 'none' ? '' : `,${filter}`}`);
      if (!series) continue;
      series.samples ??= new Map();
      series.samples.set(String(sample.doc_id), score);
    }
  });
  return { badLines };
}
