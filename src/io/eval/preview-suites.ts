import { decodeUtf8 } from '../../core/bytes.js';
import type { BlueGreenPolicy } from '../../core/blue-green/policy.js';
import type { PreviewSuiteEvidence, PreviewSuiteRun } from '../../core/blue-green/suites.js';
import { loadEvalData } from '../../core/eval/load-eval.js';
import { runSuite } from '../../core/eval/runner.js';
import type { ScorerTools } from '../../core/eval/scorers.js';
import {
  concludeSuite,
  prepareSuite,
  previewSuiteRun,
  suiteSchemaRef,
  type SuiteFileRead,
  type SuiteSetting,
  type SuiteVerdict,
} from '../../core/eval/suite-outcome.js';
import { MANIFEST_MAX_BYTES, parseManifest, type ParsedManifest } from '../../core/manifest/parse.js';
import type { Manifest } from '../../core/manifest/schema.js';
import type { ModelFacts } from '../../core/model/facts.js';
import { resolveArtifactPath } from '../../core/repo-path.js';
import type { ArtifactSource } from '../../core/source.js';
import { openAiCompletion } from './openai-endpoint.js';

/** An OpenAI-compatible endpoint: from the app's environment, never from a manifest. */
export interface PreviewEndpoint {
  baseURL: string;
  apiKey?: string;
  /** The model name sent in each request (default: the model's name). */
  model?: string;
}

/** A manifest at a ref, read through a Source (the GitHub contents API in the app, the working tree in the CLI). */
export interface ManifestAt {
  source: ArtifactSource;
  manifestFile: string;
}

export interface PreviewSuitesInput {
  /** The release's manifest, at its tag: the suites and datasets to run. */
  release: ManifestAt;
  /** Production's manifest at its release commit, when a version is in production: its gates and results judge. */
  production?: ManifestAt & { label: string };
  policy: BlueGreenPolicy;
  /** The preview (green) endpoint. */
  endpoint: PreviewEndpoint;
  /** The judge of `llm_judge` scorers. */
  judge?: PreviewEndpoint;
  /** Requests in flight per suite (default 8). */
  concurrency?: number;
  /** Per request, after which the client retries (default 60). */
  timeoutSeconds?: number;
  /** Retries on 429, 5xx and timeouts (default 2). */
  retries?: number;
  /** One line per suite and per 10 % of its samples, for the app's log. */
  progress?: (line: string) => void;
}

/** Largest dataset read: a preview check is a smoke test, not a benchmark. */
const MAX_PREVIEW_DATASET_BYTES = 16 * 1024 * 1024;
/** Most samples run per suite: more would hold the rollout for hours. */
const MAX_PREVIEW_SAMPLES = 5_000;
const MAX_SCHEMA_BYTES = 1024 * 1024;

/**
 * Runs the pre-switch suites against the preview endpoint with the built-in
 * runner and gathers what judges them: the gates and recorded results of
 * production's manifest when there is a production version (the candidate
 * never decides how it is judged), else the release's own gates with no
 * baseline. Every failure is a suite that did not run, which the planner
 * fails closed; nothing here throws for bad input.
 */
export async function runPreviewSuites(input: PreviewSuitesInput): Promise<PreviewSuiteEvidence> {
  const release = await readManifest(input.release);
  if (!release.manifest)
    return {
      suites: [{ name: '(manifest)', notRun: `not run: the release's manifest ${release.problem}` }],
      gates: [],
      gatesFrom: "the release's manifest",
    };
  const manifest = release.manifest;
  const declared = manifest.eval?.suites ?? [];
  const selected = input.policy.pre_switch?.suites ?? declared.map((s) => s.name);
  const suites: PreviewSuiteRun[] = [];
  for (const name of selected) {
    const suite = declared.find((s) => s.name === name);
    if (!suite) {
      suites.push({
        name,
        notRun: `not run: ${name} is not one of eval.suites of ${input.release.manifestFile}`,
      });
      continue;
    }
    suites.push(await runOne(input, { manifest, parsed: release.parsed! }, declared.indexOf(suite)));
  }

  // Whose eval block judges: production's when there is one.
  let judgedBy: Manifest = manifest;
  let gatesFrom = "the release's manifest (no version in production)";
  let baseline: PreviewSuiteEvidence['baseline'];
  if (input.production) {
    const production = await readManifest(input.production);
    if (!production.manifest)
      return {
        suites: [
          ...suites,
          { name: '(production)', notRun: `not run: production's manifest ${production.problem}` },
        ],
        gates: [],
        gatesFrom: `${input.production.label}'s manifest`,
      };
    judgedBy = production.manifest;
    gatesFrom = `${input.production.label}'s manifest`;
    const data = await loadEvalData(
      input.production.source,
      evalFacts(production.manifest, production.parsed!, input.production.manifestFile),
    );
    baseline = {
      label: input.production.label,
      metrics: data.metrics,
      gates: production.manifest.eval?.gates ?? [],
    };
  }
  return {
    suites,
    gates: judgedBy.eval?.gates ?? [],
    gatesFrom,
    ...(baseline ? { baseline } : {}),
    ...(judgedBy.eval?.confidence !== undefined ? { confidence: judgedBy.eval.confidence } : {}),
    ...(judgedBy.eval?.min_samples !== undefined ? { minSamples: judgedBy.eval.min_samples } : {}),
  };
}

async function runOne(
  input: PreviewSuitesInput,
  release: { manifest: Manifest; parsed: ParsedManifest },
  index: number,
): Promise<PreviewSuiteRun> {
  const { manifest, parsed } = release;
  const suite = manifest.eval!.suites![index]!;
  const name = suite.name;
  const setting: SuiteSetting = {
    suite,
    index,
    model: manifest.name,
    manifestFile: input.release.manifestFile,
    lineOf: parsed.lineOf,
    answeredBy: 'the preview',
  };
  const dataset = await readText(input.release, suite.dataset, MAX_PREVIEW_DATASET_BYTES);
  const schemaRef = suiteSchemaRef(suite);
  const schema =
    dataset.ok && schemaRef !== undefined
      ? await readText(input.release, schemaRef, MAX_SCHEMA_BYTES)
      : undefined;
  let judge: ScorerTools['judge'];
  if (input.judge) {
    const completeJudge = openAiCompletion({
      baseURL: input.judge.baseURL,
      apiKey: input.judge.apiKey,
      model: input.judge.model ?? 'judge',
      timeoutSeconds: input.timeoutSeconds ?? 60,
      retries: input.retries ?? 2,
    });
    judge = async (prompt) => (await completeJudge([{ role: 'user', content: prompt }])).text;
  }
  const prepared = prepareSuite(
    setting,
    { dataset, ...(schema ? { schema } : {}) },
    { judge, maxSamples: MAX_PREVIEW_SAMPLES },
  );
  if (!prepared.ready) return reported(input, name, prepared.verdict);
  const { samples } = prepared;
  const complete = openAiCompletion({
    baseURL: input.endpoint.baseURL,
    apiKey: input.endpoint.apiKey,
    model: input.endpoint.model ?? manifest.name,
    timeoutSeconds: input.timeoutSeconds ?? 60,
    retries: input.retries ?? 2,
    maxTokens: suite.max_tokens,
    temperature: suite.temperature,
  });
  input.progress?.(`${manifest.name} ${manifest.version} preview: suite ${name}, ${samples.length} samples`);
  const tenth = Math.max(1, Math.ceil(samples.length / 10));
  const outcome = await runSuite(samples, complete, prepared.scorer, {
    concurrency: input.concurrency ?? 8,
    now: () => performance.now(),
    progress: (done, total) => {
      if (done % tenth === 0 || done === total)
        input.progress?.(`${manifest.name} preview ${name}: ${done}/${total}`);
    },
  });
  return reported(input, name, concludeSuite(setting, prepared, outcome, { source: 'the preview endpoint' }));
}

/** The suite as the planner judges it; warnings, which have no place in the sealed state, go to the app's log. */
function reported(input: PreviewSuitesInput, name: string, verdict: SuiteVerdict): PreviewSuiteRun {
  for (const finding of verdict.findings)
    if (finding.severity !== 'error') input.progress?.(`preview suite ${name}: ${finding.message}`);
  return previewSuiteRun(name, verdict);
}

async function readManifest(
  at: ManifestAt,
): Promise<{ manifest?: Manifest; parsed?: ParsedManifest; problem?: string }> {
  const read = await at.source.read(at.manifestFile, MANIFEST_MAX_BYTES);
  if (!read.ok)
    return { problem: `${at.manifestFile} cannot be read at ${at.source.label}: ${read.problem.detail}` };
  const parsed = parseManifest(decodeUtf8(read.value), at.manifestFile);
  if (!parsed.manifest)
    return { problem: `${at.manifestFile} is not valid: ${parsed.findings[0]?.message ?? 'schema errors'}` };
  return { manifest: parsed.manifest, parsed };
}

async function readText(at: ManifestAt, ref: string, maxBytes: number): Promise<SuiteFileRead> {
  const path = resolveArtifactPath(at.manifestFile, ref);
  if (!path.ok) return { ok: false, problem: path.reason };
  const read = await at.source.read(path.path, maxBytes);
  return read.ok
    ? { ok: true, path: path.path, text: decodeUtf8(read.value) }
    : { ok: false, problem: `cannot be read: ${read.problem.detail}` };
}

/** What loadEvalData reads of a model: its name, manifest and lines; no artifact is loaded for a results read. */
function evalFacts(manifest: Manifest, parsed: ParsedManifest, manifestFile: string): ModelFacts {
  return {
    name: manifest.name,
    manifestFile,
    manifest,
    lineOf: parsed.lineOf,
    paths: {},
    files: new Set(),
    settings: { special: [], added: [], problems: [] },
    chatTemplates: [],
    weightFiles: new Map(),
  };
}
