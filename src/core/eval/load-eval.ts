import { decodeUtf8 } from '../bytes.js';
import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import { resolveArtifactPath } from '../repo-path.js';
import type { ArtifactSource } from '../source.js';
import {
  attachHarnessSamples,
  parsePythonJson,
  readResultsFile,
  readSamplesJsonl,
  type MetricSeries,
  type ResultsFile,
} from './results.js';

const MAX_RESULTS_BYTES = 256 * 1024 * 1024;

/** The recorded evaluation results of one model version, by metric name. */
export interface EvalData {
  results: ResultsFile[];
  metrics: Map<string, MetricSeries>;
  findings: Finding[];
}

/** Reads every `eval.results` file (and its per-document samples) of a model from `source`. */
export async function loadEvalData(source: ArtifactSource, facts: ModelFacts): Promise<EvalData> {
  const results: ResultsFile[] = [];
  const findings: Finding[] = [];
  const problem = (
    severity: Finding['severity'],
    path: (string | number)[],
    message: string,
    artifact?: string,
  ) =>
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

  for (const [index, entry] of (facts.manifest.eval?.results ?? []).entries()) {
    const text = await readText(source, facts.manifestFile, entry.path);
    if (text === undefined) continue; // validate reports missing files (ARTIFACT-MISSING)
    let parsed: ResultsFile;
    try {
      if (text.path.endsWith('.jsonl')) {
        const { badLines, ...samples } = readSamplesJsonl(text.text, text.path);
        if (badLines.length)
          problem(
            'warning',
            ['eval', 'results', index, 'path'],
            `${text.path}: ${badLines.length} line(s) are not {"id", metric: score} JSON and were skipped (first: line ${badLines[0]})`,
            text.path,
          );
        parsed = samples;
      } else parsed = readResultsFile(parsePythonJson(text.text), text.path);
    } catch (error) {
      problem(
        'error',
        ['eval', 'results', index, 'path'],
        `${text.path} is not a results file: ${(error as Error).message}`,
        text.path,
      );
      continue;
    }
    for (const [task, samplesPath] of Object.entries(entry.samples ?? {})) {
      const samples = await readText(source, facts.manifestFile, samplesPath);
      if (samples === undefined) continue;
      const { badLines } = attachHarnessSamples(parsed.metrics, task, samples.text);
      if (badLines.length) {
        problem(
          'warning',
          ['eval', 'results', index, 'samples', task],
          `${samples.path}: ${badLines.length} line(s) are not JSON and were skipped (first: line ${badLines[0]})`,
          samples.path,
        );
      }
    }
    results.push({ ...parsed, entry: index });
  }
  const metrics = new Map<string, MetricSeries>();
  for (const file of results) for (const series of file.metrics) metrics.set(series.name, series);
  return { results, metrics, findings };
}

async function readText(
  source: ArtifactSource,
  manifestFile: string,
  ref: string,
): Promise<{ path: string; text: string } | undefined> {
  const resolved = resolveArtifactPath(manifestFile, ref);
  if (!resolved.ok) return undefined;
  const read = await source.read(resolved.path, MAX_RESULTS_BYTES);
  return read.ok ? { path: resolved.path, text: decodeUtf8(read.value) } : undefined;
}
