import { countBySeverity, sortFindings, type Finding } from './findings.js';
import { resolveBaseline } from './eval/baseline.js';
import { changedBaselineGates, gateModel, judgedGates, type ModelGates } from './eval/gate-model.js';
import { currentRegistration, wasAssigned } from './registry/registration-tags.js';
import { loadEvalData } from './eval/load-eval.js';
import { planSuites, type SuitePlan } from './eval/suite-plan.js';
import type { MetricSeries, ResultsFile } from './eval/results.js';
import type { ModelFacts } from './model/facts.js';
import { readRegistry, type ModelRegistry } from './registry/state.js';
import { CommandError, type Repository } from './repository.js';
import { validateModels, type ValidateOptions, type ValidationReport } from './validate.js';
import { productionTraining } from './tracking/production.js';
import { noTracking, type RunReader } from './tracking/run.js';
import { checkTraining, type TrainingSection } from './tracking/training-check.js';

/** What the built-in runner measured for one model, and the suites it could not run. */
export interface SuiteRun {
  measured: MetricSeries[];
  notRun: Map<string, string>;
  findings: Finding[];
}

/**
 * Runs a model's `eval.suites` (an adapter: it talks to an endpoint) as `plan` says: which
 * definition runs and where its files are read. Without a plan, every suite runs as the model
 * declares it, on its own files.
 */
export type SuiteRunner = (facts: ModelFacts, plan?: SuitePlan) => Promise<SuiteRun>;

export interface CheckOptions extends ValidateOptions {
  /** Stages in order: the last one is production, the baseline. */
  stages: readonly string[];
  runSuites?: SuiteRunner;
  /** Baseline results given by hand (a previous run's results file), over the resolved baseline's. */
  baselineResults?: readonly ResultsFile[];
  /** Reads training runs (MLflow, W&B); without one, run metrics and reproducibility are "not run". */
  readRun?: RunReader;
}

/** validate + gate: one report. */
export interface CheckReport extends ValidationReport {
  gates: ModelGates[];
  /** Each model's training run, compared with the production version's. */
  training: TrainingSection[];
}

/** Suites that cannot run here say so: a gate on them is "not run", never a pass. */
export const noEndpoint: SuiteRunner = async (facts) => ({
  measured: [],
  notRun: new Map(
    (facts.manifest.eval?.suites ?? []).map((s) => [s.name, 'not run: no evaluation endpoint configured']),
  ),
  findings: [],
});

/**
 * Validates the registry (every model, or the changed ones with a base), then
 * judges each validated model's evaluation gates against its baseline: the
 * production version, else the base ref.
 */
export async function check(repo: Repository, options: CheckOptions): Promise<CheckReport> {
  const { report, facts, base, tags, byName } = await validateModels(repo, options);
  // validate read the tags already when it had a base; read them once otherwise.
  const registry = tags ? readRegistry(tags) : await readRegistryIfAny(repo);
  const gates: ModelGates[] = [];
  const findings: Finding[] = [...report.findings];
  const training: TrainingSection[] = [];
  const readRun = options.readRun ?? noTracking('no experiment tracker is configured');
  // A model's baseline is found by the name it declares (validate's lookup, with the trees it read
  // already and the globs it is judged by): a moved folder keeps it.
  for (const model of facts) {
    let baseline = await resolveBaseline(byName, model, registry, options.stages.at(-1)!, base);
    const production = model.manifest.training?.run
      ? await productionTraining(byName, model, registry, options.stages.at(-1)!)
      : undefined;
    // The run is read for every gate that judges this version: its own, and the baseline's it changed or removed.
    // A rollback (the version restores a release exactly) is judged by the gates it was released with.
    // A deregistered release is no release to roll back to (rollback and promote refuse it too).
    const registered = registry.get(model.name);
    const registration = currentRegistration(registered, model.manifest.version);
    const restored =
      registration?.deregistered === false &&
      report.changes.some((c) => c.model === model.name && c.status === 'restored');
    // A rollback proper: the restored content ran in production. Only then is no drop judged against the
    // version it replaces; restoring a release that never ran there is held to production's values.
    const rollsBack = restored && wasAssigned(registered!, registration, options.stages.at(-1));
    const judging = judgedGates(model, baseline, restored).map(({ gate }) => gate);
    const tracked = await checkTraining(model, readRun, production, judging);
    if (tracked.section) training.push(tracked.section);
    findings.push(...tracked.findings);
    // The baseline's gates judge this version too (gateModel): only with none on either side is nothing judged,
    // and a baseline that cannot be read is said (changedBaselineGates), never taken for one without gates.
    // `gate` reports what its models' gates say, so the finding travels as one.
    if (!judging.length) {
      const said = changedBaselineGates(model, [], baseline, restored);
      if (said.length)
        gates.push({ model: model.name, version: model.manifest.version, gates: [], findings: said });
      findings.push(...said);
      continue;
    }
    options.progress?.(`gates of ${model.name}`);
    const candidate = await loadEvalData(repo.worktree, model);
    if (options.baselineResults?.length) {
      // Results given by hand win over the resolved baseline's, metric by metric.
      const given = baselineFrom(options.baselineResults);
      if (baseline) for (const [name, series] of given.metrics) baseline.data.metrics.set(name, series);
      baseline ??= { label: 'the given baseline results', data: given };
    }
    if (tracked.productionMetrics.length) {
      // The production version's run is the baseline of run-metric gates.
      const runs = baselineFrom([
        { format: 'json', file: 'training run', metrics: tracked.productionMetrics },
      ]);
      if (baseline) for (const [name, series] of runs.metrics) baseline.data.metrics.set(name, series);
      baseline ??= {
        label: `${options.stages.at(-1)} ${production!.version} (training run)`,
        version: production!.version,
        data: runs,
      };
    }
    // A suite the baseline declares runs on the baseline's dataset and scorer: the change is judged, not its test.
    const plan = await planSuites(model, repo.worktree, baseline?.suiteFiles, baseline?.baseSuiteFiles);
    const ran = await (options.runSuites ?? noEndpoint)(model, plan);
    const suites = { ...ran, findings: [...plan.findings, ...ran.findings] };
    const judged = gateModel({
      facts: model,
      candidate,
      baseline,
      measured: [...suites.measured, ...tracked.measured],
      notRun: new Map([...suites.notRun, ...tracked.notRun]),
      restored,
      rollsBack,
    });
    // The gate's own evidence findings (results, samples, suites) travel with it: `gate` reports exactly these.
    gates.push({ ...judged, findings: [...suites.findings, ...judged.findings] });
    findings.push(...suites.findings, ...judged.findings);
  }
  const counts = countBySeverity(findings);
  return {
    ...report,
    findings: sortFindings(findings),
    gates,
    training,
    summary: { ...report.summary, errors: counts.error, warnings: counts.warning, info: counts.info },
  };
}

function baselineFrom(files: readonly ResultsFile[]) {
  const metrics = new Map<string, MetricSeries>();
  for (const file of files) for (const series of file.metrics) metrics.set(series.name, series);
  return { results: [...files], metrics, findings: [] };
}

/** The registry from tags, or an empty one outside a git repository (validation without a base needs no git). */
async function readRegistryIfAny(repo: Repository): Promise<Map<string, ModelRegistry>> {
  try {
    return readRegistry(await repo.readTags());
  } catch (error) {
    if (error instanceof CommandError) return new Map();
    throw error;
  }
}
