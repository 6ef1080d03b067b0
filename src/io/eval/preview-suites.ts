import { createHash } from 'node:crypto';
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
import { planSuites, type PlannedSuite } from '../../core/eval/suite-plan.js';
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
  /** The release's manifest, at its tag: which suites it declares, and the datasets of those new in it. */
  release: ManifestAt;
  /**
   * Production's manifest at its release commit, when a version is in production: its gates and
   * results judge, and a suite it declares runs on its definition and dataset, read there.
   */
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
 * baseline. A suite production declares runs on production's definition
 * (dataset, scorer, max_tokens, temperature, schema file), read at its
 * release commit, as `modelgate check` plans it (planSuites); a suite new in
 * the release runs on the release's dataset, and the evidence says so. Every
 * failure is a suite that did not run, which the planner fails closed;
 * nothing here throws for bad input.
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
  // Production's manifest first: it decides which definition runs, so nothing is sent without it.
  let production:
    { at: ManifestAt & { label: string }; manifest: Manifest; parsed: ParsedManifest } | undefined;
  if (input.production) {
    const read = await readManifest(input.production);
    if (!read.manifest)
      return {
        suites: [{ name: '(production)', notRun: `not run: production's manifest ${read.problem}` }],
        gates: [],
        gatesFrom: `${input.production.label}'s manifest`,
      };
    production = { at: input.production, manifest: read.manifest, parsed: read.parsed! };
  }

  const facts = evalFacts(manifest, release.parsed!, input.release.manifestFile);
  const plan = await planSuites(
    facts,
    input.release.source,
    production
      ? {
          label: production.at.label,
          source: production.at.source,
          manifestFile: production.at.manifestFile,
          suites: production.manifest.eval?.suites ?? [],
        }
      : undefined,
  );
  // The plan's notes (a new suite, an edit not used yet) have no findings channel here: the app's log.
  for (const finding of plan.findings) input.progress?.(`preview suites: ${finding.message}`);

  const declared = manifest.eval?.suites ?? [];
  const selected = input.policy.pre_switch?.suites ?? declared.map((s) => s.name);
  const suites: PreviewSuiteRun[] = [];
  for (const name of selected) {
    const planned = plan.suites.find((p) => declared[p.index]?.name === name);
    if (!planned) {
      suites.push({
        name,
        notRun: `not run: ${name} is not one of eval.suites of ${input.release.manifestFile}`,
      });
      continue;
    }
    const run = await runOne(input, { manifest, parsed: release.parsed! }, planned, production?.at);
    const note =
      production && !planned.from
        ? `suite ${name} is new in the release (${production.at.label} does not declare it): it ran on the release's own ${planned.suite.dataset}`
        : undefined;
    suites.push({
      ...run,
      ...(planned.from ? { definedBy: planned.from } : {}),
      ...(note ? { note } : {}),
    });
  }

  if (!production)
    return {
      suites,
      gates: manifest.eval?.gates ?? [],
      gatesFrom: "the release's manifest (no version in production)",
      ...judgeOptions(manifest),
    };
  // Whose eval block judges: production's.
  const data = await loadEvalData(
    production.at.source,
    evalFacts(production.manifest, production.parsed, production.at.manifestFile),
  );
  return {
    suites,
    gates: production.manifest.eval?.gates ?? [],
    gatesFrom: `${production.at.label}'s manifest`,
    baseline: {
      label: production.at.label,
      metrics: data.metrics,
      gates: production.manifest.eval?.gates ?? [],
    },
    ...judgeOptions(production.manifest),
  };
}

/** `eval.confidence` and `eval.min_samples` of the manifest whose gates judge. */
function judgeOptions(judgedBy: Manifest): Pick<PreviewSuiteEvidence, 'confidence' | 'minSamples'> {
  return {
    ...(judgedBy.eval?.confidence !== undefined ? { confidence: judgedBy.eval.confidence } : {}),
    ...(judgedBy.eval?.min_samples !== undefined ? { minSamples: judgedBy.eval.min_samples } : {}),
  };
}

async function runOne(
  input: PreviewSuitesInput,
  release: { manifest: Manifest; parsed: ParsedManifest },
  planned: PlannedSuite,
  production: (ManifestAt & { label: string }) | undefined,
): Promise<PreviewSuiteRun> {
  const { manifest, parsed } = release;
  const { suite, index } = planned;
  const name = suite.name;
  const setting: SuiteSetting = {
    suite,
    index,
    model: manifest.name,
    manifestFile: input.release.manifestFile,
    lineOf: parsed.lineOf,
    answeredBy: 'the preview',
  };
  // The plan decided where the files are: production's commit for a suite it declares, relative
  // to the manifest that declares it; the release's tag for a suite new in the release.
  const files: ManifestAt & { label?: string } = planned.from && production ? production : input.release;
  const dataset = await readText(files, suite.dataset, MAX_PREVIEW_DATASET_BYTES);
  const schemaRef = suiteSchemaRef(suite);
  const schema =
    dataset.ok && schemaRef !== undefined ? await readText(files, schemaRef, MAX_SCHEMA_BYTES) : undefined;
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

/**
 * A repository file's path, text and the sha256 of the bytes read (the measurement carries it, so a
 * drop gate compares only runs of the same dataset), or why it cannot be read under the
 * containment rule; `label` names production when the file is read at its commit.
 */
async function readText(
  at: ManifestAt & { label?: string },
  ref: string,
  maxBytes: number,
): Promise<SuiteFileRead> {
  const path = resolveArtifactPath(at.manifestFile, ref);
  if (!path.ok) return { ok: false, problem: path.reason };
  const read = await at.source.read(path.path, maxBytes);
  if (!read.ok)
    return {
      ok: false,
      problem: `cannot be read${at.label ? ` at ${at.label}` : ''}: ${read.problem.detail}`,
    };
  return {
    ok: true,
    path: path.path,
    text: decodeUtf8(read.value),
    sha256: createHash('sha256').update(read.value).digest('hex'),
  };
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
