import { decodeUtf8, formatBytes } from '../bytes.js';
import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import { resolveArtifactPath } from '../repo-path.js';
import type { ArtifactSource } from '../source.js';
import { MalformedFileError, parseJsonFile } from '../user-file-error.js';
import {
  attachHarnessSamples,
  MAX_SAMPLE_LINES,
  parsePythonJson,
  readResultsFile,
  readSamplesJsonl,
  type LineProblems,
  type MetricSeries,
  type NonFiniteMetric,
  type ResultsFile,
} from './results.js';

/** Largest results file read (lm-evaluation-harness results are a few MiB at most). */
export const MAX_RESULTS_BYTES = 64 * 1024 * 1024;
/** Largest per-document samples file read (the harness logs every prompt: these grow). */
const MAX_SAMPLES_BYTES = 256 * 1024 * 1024;

/** The recorded evaluation results of one model version, by metric name. */
export interface EvalData {
  results: ResultsFile[];
  metrics: Map<string, MetricSeries>;
  /** Metrics the files hold as NaN, ±Infinity or null, by name: not in `metrics`, but not missing either. */
  nonFinite?: Map<string, NonFiniteMetric>;
  findings: Finding[];
}

type YamlPath = (string | number)[];

/** Reads every `eval.results` file (and its per-document samples) of a model from `source`. */
export async function loadEvalData(source: ArtifactSource, facts: ModelFacts): Promise<EvalData> {
  const results: ResultsFile[] = [];
  const findings: Finding[] = [];
  const problem = (severity: Finding['severity'], path: YamlPath, message: string, artifact?: string) =>
    findings.push({
      rule: 'ARTIFACT-INVALID',
      severity,
      model: facts.name,
      file: facts.manifestFile,
      line: facts.lineOf(path),
      message,
      artifact,
      fix: 'Regenerate the file with the tool that produced it.',
    });
  const read = async (ref: string, path: YamlPath, maxBytes: number) => {
    const text = await readText(source, facts.manifestFile, ref, maxBytes);
    if (typeof text === 'string') {
      problem('error', path, text);
      return undefined;
    }
    return text;
  };
  // Lines that are not JSON, ids scored twice, files too long: each said once, naming file and line.
  const lineFindings = (file: string, path: YamlPath, found: LineProblems, expected: string) => {
    if (found.badLineCount)
      problem(
        'warning',
        path,
        `${file}: ${found.badLineCount} line(s) are not ${expected} and were skipped (first: line ${found.badLines[0]})`,
        file,
      );
    const duplicate = found.duplicates[0];
    if (duplicate)
      problem(
        'error',
        path,
        `${file}: document id ${JSON.stringify(duplicate.id)} on ${duplicate.at} was already scored on ${duplicate.first}${found.duplicateCount > 1 ? ` (${found.duplicateCount - 1} more repeated id(s))` : ''}; every document must be scored once, so this file's per-document scores are not used`,
        file,
      );
    if (found.tooLong)
      problem(
        'error',
        path,
        `${file} has more than ${MAX_SAMPLE_LINES.toLocaleString('en-US')} lines, the most modelgate reads from a samples file; none of it is used`,
        file,
      );
  };

  const gated = new Set((facts.manifest.eval?.gates ?? []).map((gate) => gate.metric));
  for (const [index, entry] of (facts.manifest.eval?.results ?? []).entries()) {
    const at: YamlPath = ['eval', 'results', index, 'path'];
    const jsonl = entry.path.endsWith('.jsonl');
    const text = await read(entry.path, at, jsonl ? MAX_SAMPLES_BYTES : MAX_RESULTS_BYTES);
    if (text === undefined) continue;
    let parsed: ResultsFile;
    if (jsonl) {
      const samples = readSamplesJsonl(text.text, text.path);
      lineFindings(text.path, at, samples, '{"id", metric: score} JSON');
      parsed = { format: samples.format, file: samples.file, metrics: samples.metrics };
    } else {
      try {
        parsed = readResultsFile(parseJsonFile(text.text, text.path, parsePythonJson), text.path);
      } catch (error) {
        // Only a file the reader refuses is the change's problem; a bug in the reader is not a finding.
        if (!(error instanceof MalformedFileError)) throw error;
        findings.push({
          rule: 'ARTIFACT-INVALID',
          severity: 'error',
          model: facts.name,
          file: facts.manifestFile,
          line: facts.lineOf(at),
          message: `${text.path} is not a results file: ${error.problem}`,
          artifact: text.path,
          fix: error.fix ?? 'Regenerate the file with the tool that produced it.',
        });
        continue;
      }
      const duplicate = parsed.duplicates?.[0];
      if (duplicate)
        problem(
          'error',
          at,
          `${text.path}: document id ${JSON.stringify(duplicate.id)} in ${duplicate.at} was already scored in ${duplicate.first}; every document must be scored once, so this file's per-document scores are not used`,
          text.path,
        );
    }
    for (const [task, samplesPath] of Object.entries(entry.samples ?? {})) {
      const samplesAt: YamlPath = ['eval', 'results', index, 'samples', task];
      const samples = await read(samplesPath, samplesAt, MAX_SAMPLES_BYTES);
      if (samples === undefined) continue;
      const attached = attachHarnessSamples(parsed.metrics, task, samples.text);
      lineFindings(samples.path, samplesAt, attached, 'JSON');
      for (const { metric, reason } of attached.notScores)
        if (gated.has(metric))
          findings.push({
            rule: 'EVAL-GATE',
            severity: 'info',
            model: facts.name,
            file: facts.manifestFile,
            line: facts.lineOf(samplesAt),
            message: `${samples.path}: the per-document values of ${metric} are not its scores (${reason}); the gate compares its aggregate and stderr instead`,
            artifact: samples.path,
          });
    }
    // A gated metric the file holds as NaN or ±Infinity is said as such, not left to read as missing.
    for (const { name, written } of parsed.nonFinite ?? [])
      if (gated.has(name))
        findings.push({
          rule: 'EVAL-GATE',
          severity: 'error',
          model: facts.name,
          file: facts.manifestFile,
          line: facts.lineOf(at),
          message: `${text.path}: ${name} is ${written}${written === 'null' ? '' : ' as the harness wrote it'}, not a finite number, so no gate can judge it`,
          artifact: text.path,
          fix: 'Fix the evaluation so the metric has a finite value (an Infinity perplexity or error is a model or task failure), or gate another metric.',
        });
    results.push({ ...parsed, entry: index });
  }
  const metrics = new Map<string, MetricSeries>();
  const nonFinite = new Map<string, NonFiniteMetric>();
  for (const file of results) {
    for (const series of file.metrics) {
      metrics.set(series.name, series);
      nonFinite.delete(series.name);
    }
    for (const value of file.nonFinite ?? []) {
      nonFinite.set(value.name, value);
      metrics.delete(value.name);
    }
  }
  return { results, metrics, nonFinite, findings };
}

/**
 * The file's text; a message when it exists but cannot be used (too large,
 * unreadable); undefined when it is missing or outside the repository, which
 * validate reports (ARTIFACT-MISSING).
 */
async function readText(
  source: ArtifactSource,
  manifestFile: string,
  ref: string,
  maxBytes: number,
): Promise<{ path: string; text: string } | string | undefined> {
  const resolved = resolveArtifactPath(manifestFile, ref);
  if (!resolved.ok) return undefined;
  const read = await source.read(resolved.path, maxBytes);
  if (read.ok) return { path: resolved.path, text: decodeUtf8(read.value) };
  if (read.problem.kind === 'too-large')
    return `${resolved.path} is larger than ${formatBytes(maxBytes)}, the most modelgate reads from an evaluation file; it was not read`;
  if (read.problem.kind === 'io') return `${resolved.path} cannot be read: ${read.problem.detail}`;
  return undefined;
}
