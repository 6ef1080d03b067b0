import { blueGreenPolicyProblems, type BlueGreenPolicy } from '../../core/blue-green/policy.js';
import { readRecordedBlueGreen, replayBlueGreen } from '../../core/blue-green/recorded.js';
import { renderBlueGreenSection, renderBlueGreenText } from '../../core/blue-green/report.js';
import type { PreviewSuiteEvidence } from '../../core/blue-green/suites.js';
import { resolveBaseline } from '../../core/eval/baseline.js';
import type { JudgingSettings } from '../../core/eval/gate-model.js';
import {
  parsePythonJson,
  readResultsFile,
  type MetricSeries,
  type ResultsFile,
} from '../../core/eval/results.js';
import type { Manifest } from '../../core/manifest/schema.js';
import { loadModel } from '../../core/model/load-model.js';
import { readRegistry, type ModelRegistry, type TagRecord } from '../../core/registry/state.js';
import { inertJson, inertText } from '../../core/report/escape.js';
import { CommandError } from '../../core/repository.js';
import { ModelManifests } from '../../core/semver/model-manifests.js';
import { GitRepository } from '../../io/git-repository.js';
import { readSettings } from '../../io/settings.js';
import { formatOf, listOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { readUserJsonFile, RESULTS_MAX_BYTES } from '../user-file.js';
import { findModelManifest, readRecordedAnalysis, requireAnalyze } from './recorded-analysis.js';

/** `modelgate bluegreen analyze`: the app's blue-green planner replayed on a recording. */
export async function runBlueGreen(args: CommandArgs, out: Output): Promise<number> {
  requireAnalyze(args, 'bluegreen', 'modelgate bluegreen analyze --metrics FILE [--suites RESULTS]');
  const format = formatOf(args, ['text', 'json', 'markdown'] as const);
  const { recorded, name, root } = await readRecordedAnalysis(
    args,
    { name: 'bluegreen', option: 'metrics', records: 'rollout' },
    readRecordedBlueGreen,
  );
  const found = await findModelManifest(args, name);
  if (!found)
    throw new CommandError(
      `no manifest of ${name} under ${root}`,
      'Pass --root, the registry the model is in.',
    );
  const settings = await readSettings(root);
  const repo = new GitRepository(root);
  const policy = blueGreenBlockOf(found.manifest);
  const problems = blueGreenPolicyProblems(policy);
  if (problems.length)
    throw new CommandError(
      `${found.path}: rollout.blue_green.${problems[0]!.path}: ${problems[0]!.message}`,
      'Fix the blue_green block (docs/blue-green.md lists every field and its bounds).',
    );
  const results = await Promise.all(
    listOf(args, 'suites').map((path) =>
      readUserJsonFile<ResultsFile>({
        path,
        label: `--suites ${path}`,
        root,
        maxBytes: RESULTS_MAX_BYTES,
        read: readResultsFile,
        parse: parsePythonJson,
        fix: "Pass the results file modelgate's runner wrote for a suite run against the preview (format modelgate-eval/v1).",
      }),
    ),
  );
  const suites = await suiteEvidence(
    repo,
    found,
    policy,
    results,
    settings.stages.at(-1) ?? 'production',
    settings.manifests,
  );
  const replay = replayBlueGreen(recorded, name, policy, found.manifest.canary, suites);
  const { state } = replay;
  if (format === 'json')
    out.stdout(
      `${inertJson({
        model: name,
        green: recorded.green,
        ...(recorded.blue ? { blue: recorded.blue } : {}),
        status: state.status,
        blueGreen: state.blueGreen,
        intervals: state.intervals,
        decisions: replay.decisions,
        ...(replay.stopped ? { stopped: replay.stopped } : {}),
      })}\n`,
    );
  else out.stdout(format === 'markdown' ? renderBlueGreenSection(state, policy) : renderBlueGreenText(state));
  if (replay.stopped && state.status === 'running')
    out.stderr(`modelgate: the rollout did not finish: ${inertText(replay.stopped)} (not a pass)\n`);
  return state.status === 'promoted' ? 0 : 1;
}

/** The manifest's `rollout.blue_green` block, or the defaults. */
function blueGreenBlockOf(manifest: Manifest): BlueGreenPolicy {
  return manifest.rollout?.blue_green ?? {};
}

/**
 * What the app would have judged the pre-switch suites with: each selected
 * suite's recorded accuracy (from --suites), the gates and judging settings
 * of the version in production (found by the model's name at its tag, else
 * the working tree's) and production's recorded results.
 */
async function suiteEvidence(
  repo: GitRepository,
  found: { path: string; manifest: Manifest },
  policy: BlueGreenPolicy,
  results: readonly ResultsFile[],
  productionStage: string,
  manifestGlobs: readonly string[],
): Promise<PreviewSuiteEvidence> {
  const measured = new Map<string, MetricSeries>();
  for (const file of results) for (const series of file.metrics) measured.set(series.name, series);
  const selected = policy.pre_switch?.suites ?? (found.manifest.eval?.suites ?? []).map((s) => s.name);
  const suites = selected.map((name) => {
    const series = measured.get(`${name}/accuracy`);
    return series
      ? { name, measured: series }
      : { name, notRun: `not run: no --suites results file holds ${name}/accuracy` };
  });
  if (!suites.length) return { suites: [], gates: [], gatesFrom: "the release's manifest" };
  let tags: TagRecord[] = [];
  let registry: Map<string, ModelRegistry>;
  try {
    tags = await repo.readTags();
    registry = readRegistry(tags);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    registry = new Map();
  }
  const loaded = await loadModel(repo.worktree, found.path);
  const manifests = new ModelManifests(repo, { globs: manifestGlobs, tags });
  const baseline = loaded.facts
    ? await resolveBaseline(manifests, loaded.facts, registry, productionStage)
    : undefined;
  if (baseline?.unreadable !== undefined)
    throw new CommandError(
      `cannot judge the pre-switch suites of ${found.manifest.name} against ${baseline.label}: ${inertText(baseline.unreadable)}`,
      `Make ${baseline.label} hold exactly one readable manifest declaring name ${found.manifest.name}.`,
    );
  const gatesOf = baseline?.gates ? baseline : undefined;
  const evalBlock = found.manifest.eval;
  return {
    suites,
    gates: gatesOf?.gates ?? evalBlock?.gates ?? [],
    gatesFrom: gatesOf
      ? `${baseline!.label}'s manifest`
      : "the release's manifest (no version in production)",
    ...(baseline
      ? { baseline: { label: baseline.label, metrics: baseline.data.metrics, gates: baseline.gates ?? [] } }
      : {}),
    // The judging settings of the manifest whose gates judge: production's when it is the baseline.
    ...judgingOptions(baseline?.judging ?? evalBlock),
  };
}

/** `eval.confidence` and `eval.min_samples` of the manifest whose gates judge, as the preview evidence takes them. */
function judgingOptions(
  judging: JudgingSettings | undefined,
): Pick<PreviewSuiteEvidence, 'confidence' | 'minSamples'> {
  return {
    ...(judging?.confidence !== undefined ? { confidence: judging.confidence } : {}),
    ...(judging?.min_samples !== undefined ? { minSamples: judging.min_samples } : {}),
  };
}
