import { Ajv } from 'ajv';
import type { PreviewSuiteRun } from '../blue-green/suites.js';
import type { Finding } from '../findings.js';
import type { Manifest } from '../manifest/schema.js';
import type { YamlPath } from '../manifest/parse.js';
import type { MetricSeries } from './results.js';
import type { SampleResult, SuiteOutcome } from './runner.js';
import {
  makeScorer,
  PatternError,
  readDataset,
  scorerProblems,
  type DatasetSample,
  type Scorer,
  type ScorerTools,
  schemaRegExpEngine,
} from './scorers.js';

/**
 * What one `eval.suites` entry comes to, decided once for both runners of the
 * built-in scorers (`modelgate check` and a blue-green preview), so the two
 * cannot drift: why a suite did not run, the EVAL-GATE findings, the measured
 * `<suite>/accuracy` and the runner's results document. Adapters read the
 * files, call the endpoint and write the results file; nothing else.
 */

export type EvalSuite = NonNullable<NonNullable<Manifest['eval']>['suites']>[number];

/** A repository file as an adapter read it (under the containment rule), or why it could not be. */
export type SuiteFileRead =
  { ok: true; path: string; text: string; sha256?: string } | { ok: false; problem: string };

/** A suite, where its manifest declares it, and who answers its requests. */
export interface SuiteSetting {
  suite: EvalSuite;
  /** Its position in `eval.suites`: findings point at its line. */
  index: number;
  model: string;
  manifestFile: string;
  lineOf(path: YamlPath): number | undefined;
  /** Who answers, as the "every request failed" reason names it: "the endpoint", "the preview". */
  answeredBy: string;
}

/** What a suite comes to. */
export interface SuiteVerdict {
  measured?: MetricSeries;
  /** Why the suite did not run ("not run: …"); a gate on it is then not run, never a pass. */
  notRun?: string;
  /** Requests that failed and scored 0, once requests were sent. */
  errors?: number;
  findings: Finding[];
  /** The runner's results file (format modelgate-eval/v1), when the adapter records one. */
  resultsDocument?: SuiteResultsDocument;
}

/** The runner's results file: what `--baseline-results` and `eval.results` read back. */
export interface SuiteResultsDocument {
  format: 'modelgate-eval/v1';
  suite: string;
  model: string;
  version: string;
  /** The dataset's path and the sha256 of its bytes, as read. */
  dataset: { path: string; sha256?: string };
  endpoint_model: string;
  summary: { accuracy: number; n: number; errors: number };
  samples: SampleResult[];
}

/** A suite ready to send: its samples and scorer, and the findings met on the way. */
export interface ReadySuite {
  ready: true;
  samples: DatasetSample[];
  scorer: Scorer;
  findings: Finding[];
  /** The dataset as read: the results document names it. */
  dataset: { path: string; sha256?: string };
}

/** The schema file a suite's scorer needs read, if any (json_schema's `schema`). */
export function suiteSchemaRef(suite: EvalSuite): string | undefined {
  return typeof suite.scorer === 'object' ? suite.scorer.schema : undefined;
}

/**
 * Decides, before any request, whether a suite can run: its dataset read and
 * has a usable line (and at most `maxSamples`), its schema read and compiles,
 * its scorer builds and every pattern it will meet compiles on RE2. Otherwise
 * the verdict says why it did not run.
 */
export function prepareSuite(
  setting: SuiteSetting,
  reads: { dataset: SuiteFileRead; schema?: SuiteFileRead },
  options: { judge?: ScorerTools['judge']; maxSamples?: number } = {},
): ReadySuite | { ready: false; verdict: SuiteVerdict } {
  const { suite } = setting;
  const findings: Finding[] = [];
  const notRun = (reason: string) => ({
    ready: false as const,
    verdict: { notRun: `not run: ${reason}`, findings },
  });
  const stop = (reason: string, key: 'dataset' | 'scorer') => {
    findings.push(evalFinding(setting, 'error', `${suite.name}: ${reason}`, key));
    return notRun(reason);
  };

  if (!reads.dataset.ok) return notRun(`dataset ${suite.dataset} ${reads.dataset.problem}`);
  const { samples, problems } = readDataset(reads.dataset.text);
  if (problems.length)
    findings.push(
      evalFinding(
        setting,
        'warning',
        `${suite.dataset}: ${problems.length} line(s) skipped (${problems.slice(0, 3).join('; ')})`,
      ),
    );
  // No sample is no measurement: an accuracy of 0 over nothing must not reach a gate.
  if (!samples.length)
    return notRun(`dataset ${suite.dataset} has no usable line${problems[0] ? ` (${problems[0]})` : ''}`);
  if (options.maxSamples !== undefined && samples.length > options.maxSamples)
    return notRun(
      `dataset ${suite.dataset} has ${samples.length} samples, more than the ${options.maxSamples} a pre-switch suite runs; select a smaller suite in pre_switch.suites`,
    );

  const tools: ScorerTools = {};
  const schemaRef = suiteSchemaRef(suite);
  if (schemaRef !== undefined) {
    const schema = reads.schema ?? { ok: false, problem: 'was not read' };
    if (!schema.ok) return notRun(`schema ${schemaRef} ${schema.problem}`);
    try {
      const validate = new Ajv({ strict: false, code: { regExp: schemaRegExpEngine } }).compile(
        JSON.parse(schema.text) as object,
      );
      tools.validateSchema = (value) => validate(value);
    } catch (error) {
      return stop(`schema ${schemaRef} is not a usable JSON Schema (${(error as Error).message})`, 'scorer');
    }
  }
  if (options.judge) tools.judge = options.judge;

  let scorer: Scorer;
  try {
    scorer = makeScorer(suite.scorer, tools);
  } catch (error) {
    if (error instanceof PatternError) return stop(error.message, 'scorer');
    return notRun((error as Error).message);
  }
  // A pattern that cannot compile fails every sample: say so once, before any request.
  const patterns = scorerProblems(suite.scorer, samples);
  if (patterns.length)
    return stop(
      `${patterns[0]}${patterns.length > 1 ? ` (and ${patterns.length - 1} more)` : ''}`,
      'dataset',
    );
  const { path, sha256 } = reads.dataset;
  return { ready: true, samples, scorer, findings, dataset: { path, ...(sha256 ? { sha256 } : {}) } };
}

/**
 * Decides what a suite's answers come to: not run when every request failed
 * (a dead endpoint is not a model scoring 0), an error when some did (their
 * zeros are in the accuracy, but the evidence is incomplete), else the
 * measured `<suite>/accuracy` with per-sample scores for a paired comparison.
 * With `record`, the results document to write.
 */
export function concludeSuite(
  setting: SuiteSetting,
  ready: ReadySuite,
  outcome: SuiteOutcome,
  evidence: {
    /** Where the measurement is said to come from: the results file, or the preview endpoint. */
    source: string;
    record?: { version: string; endpointModel: string };
  },
): SuiteVerdict {
  const { suite } = setting;
  const n = ready.samples.length;
  const findings = [...ready.findings];
  if (outcome.errors >= n)
    return {
      notRun: `not run: every request to ${setting.answeredBy} failed (${outcome.samples[0]?.error ?? 'no answer'})`,
      errors: outcome.errors,
      findings,
    };
  if (outcome.errors)
    findings.push(
      evalFinding(
        setting,
        'error',
        `${suite.name}: ${outcome.errors} of ${n} requests failed and scored 0 (first: ${outcome.samples.find((s) => s.error)?.error})`,
      ),
    );
  const { record } = evidence;
  return {
    measured: {
      name: `${suite.name}/accuracy`,
      value: outcome.accuracy,
      n,
      higherIsBetter: true,
      samples: new Map(outcome.samples.map((s) => [s.id, s.score])),
      dataset: ready.dataset,
      source: evidence.source,
    },
    errors: outcome.errors,
    findings,
    ...(record
      ? {
          resultsDocument: {
            format: 'modelgate-eval/v1',
            suite: suite.name,
            model: setting.model,
            version: record.version,
            // What was asked and who answered, for a reader of the file: the endpoint's URL is left out
            // (it may carry credentials), and none of this makes the file evidence for a later check.
            dataset: ready.dataset,
            endpoint_model: record.endpointModel,
            summary: { accuracy: outcome.accuracy, n, errors: outcome.errors },
            samples: outcome.samples,
          },
        }
      : {}),
  };
}

/** The results file's name: one per model, version and suite; a `/` in the model's name cannot make a folder. */
export function resultsFileName(model: string, version: string, suite: string): string {
  return `${model.replaceAll('/', '__')}-${version}-${suite}.json`;
}

/** The finding for a results file the containment rule refused to write. */
export function resultsNotWritten(setting: SuiteSetting, path: string, reason: string): Finding {
  return evalFinding(
    setting,
    'error',
    `${setting.suite.name}: the results file ${path} was not written: it ${reason}`,
  );
}

/**
 * A suite as the blue-green planner judges it. The preview has no findings
 * channel, so an error finding that would fail `modelgate check` fails the
 * switch too: the suite counts as not run, with the finding's text.
 */
export function previewSuiteRun(name: string, verdict: SuiteVerdict): PreviewSuiteRun {
  const blocking = verdict.findings.find((f) => f.severity === 'error');
  const notRun = verdict.notRun ?? (blocking ? `not run: ${blocking.message}` : undefined);
  return {
    name,
    ...(verdict.measured ? { measured: verdict.measured } : {}),
    ...(verdict.errors !== undefined ? { errors: verdict.errors } : {}),
    ...(notRun ? { notRun } : {}),
  };
}

function evalFinding(
  setting: SuiteSetting,
  severity: Finding['severity'],
  message: string,
  key: 'dataset' | 'scorer' = 'dataset',
): Finding {
  return {
    rule: 'EVAL-GATE',
    severity,
    model: setting.model,
    file: setting.manifestFile,
    line: setting.lineOf(['eval', 'suites', setting.index, key]),
    message,
    fix: 'Fix the dataset or the endpoint.',
  };
}
