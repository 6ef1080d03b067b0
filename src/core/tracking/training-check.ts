import type { Finding } from '../findings.js';
import type { Gate } from '../eval/gates.js';
import type { MetricSeries } from '../eval/results.js';
import type { Manifest } from '../manifest/schema.js';
import type { ModelFacts } from '../model/facts.js';
import { compareRuns, type RunComparison } from './compare.js';
import { reproducibilityFindings } from './reproducibility.js';
import { parseRunRef, runMetricOf, TRACKER_NAME, type RunRef, type Tracker } from './run-ref.js';
import { runMetric, type RunReader, type TrainingRun } from './run.js';

/** The training section of one model in the check comment and the release notes. */
export interface TrainingSection {
  model: string;
  version: string;
  /** The reference as the manifest writes it. */
  ref: string;
  tracker?: Tracker;
  run?: Pick<
    TrainingRun,
    'tracker' | 'id' | 'link' | 'name' | 'state' | 'stateText' | 'sourceCommit' | 'datasets'
  >;
  /** Why the run could not be read. */
  unread?: string;
  production?: { version: string; ref: string; run?: Pick<TrainingRun, 'id' | 'link'>; unread?: string };
  comparison?: RunComparison;
}

/** The production version's training reference, when there is a production version. */
export interface ProductionTraining {
  version: string;
  ref?: string;
  /** The weights its manifest lists (listedWeights); absent when they cannot be shown. */
  weights?: ReadonlySet<string>;
  /** Why its manifest could not be read at its tag (then it has no ref or weights). */
  unread?: string;
}

/** What to do when production's manifest cannot be read at its tag: the TRAINING-RUN finding's and its gates' fix. */
export const UNREAD_PRODUCTION_FIX =
  "Repair the production release's tag (it must point at a commit whose manifest declares that version), or promote a release modelgate can read.";

/** What reading a model's training run adds to the check. */
export interface TrainingCheck {
  section?: TrainingSection;
  findings: Finding[];
  /** Final run metrics the gates name (`mlflow/val_loss`), as measured series. */
  measured: MetricSeries[];
  /** The same metrics of the production version's run: the gates' baseline. */
  productionMetrics: MetricSeries[];
  /** Trackers that could not be read, and why: their gates are "not run". */
  notRun: Map<string, string>;
}

/**
 * Reads a model's training run (and the production version's, to compare),
 * judges reproducibility, and turns the run's final metrics into the series
 * its gates name. What cannot be read is a finding and "not run", never a pass.
 */
export async function checkTraining(
  facts: ModelFacts,
  readRun: RunReader,
  production?: ProductionTraining,
  /** The gates that judge the version: its own and the baseline's it does not keep (gateModel). */
  gates: readonly Gate[] = facts.manifest.eval?.gates ?? [],
): Promise<TrainingCheck> {
  // One read per run metric, however many gates name it.
  const gated = [
    ...new Map(
      gates.flatMap((g) => {
        const metric = runMetricOf(g.metric);
        return metric ? [[g.metric, { ...metric, name: g.metric }] as const] : [];
      }),
    ).values(),
  ];
  const result: TrainingCheck = { findings: [], measured: [], productionMetrics: [], notRun: new Map() };
  const text = facts.manifest.training?.run;
  const notLinked = (reason: string) => {
    for (const g of gated) result.notRun.set(g.tracker, `not run: ${reason}`);
  };
  const at = facts.lineOf(['training', 'run']);
  if (text === undefined) {
    if (gated.length) notLinked('the manifest has no training.run to read run metrics from');
    return result;
  }
  const ref = parseRunRef(text);
  if (ref === undefined || typeof ref === 'string') {
    // A malformed tracker reference is a schema error already; free text is said here once.
    if (ref === undefined)
      result.findings.push({
        rule: 'TRAINING-RUN',
        severity: gated.length ? 'error' : 'info',
        model: facts.name,
        file: facts.manifestFile,
        line: at,
        message: `training.run "${text}" is not a run reference modelgate can read, so the run is not linked or checked`,
        fix: 'Write it as mlflow://<server>/#/experiments/<e>/runs/<id>, runs:/<id> or wandb://<entity>/<project>/runs/<id>.',
      });
    notLinked(`training.run is not a run reference modelgate can read`);
    return result;
  }
  for (const g of gated)
    if (g.tracker !== ref.tracker)
      result.notRun.set(
        g.tracker,
        `not run: the training run is a ${TRACKER_NAME[ref.tracker]} run, not ${TRACKER_NAME[g.tracker]}`,
      );
  const keys = gated.filter((g) => g.tracker === ref.tracker).map((g) => g.key);
  const read = await readRun(ref, keys);
  const section: TrainingSection = {
    model: facts.name,
    version: facts.manifest.version,
    ref: text,
    tracker: ref.tracker,
  };
  result.section = section;
  if (!read.ok) {
    section.unread = read.reason;
    result.findings.push({
      rule: 'TRAINING-RUN',
      // Nothing configured here (a fork, a laptop) is a note; a configured tracker that fails is a warning; a
      // run that does not exist or an answer that is not a run is an error. Gates on it fail either way.
      severity: read.kind === 'unconfigured' ? 'info' : read.kind === 'unreachable' ? 'warning' : 'error',
      model: facts.name,
      file: facts.manifestFile,
      line: at,
      message: `${TRACKER_NAME[ref.tracker]} run ${ref.runId} was not read: ${read.reason}; its reproducibility is not checked${keys.length ? ' and its gates do not run' : ''}`,
      fix:
        read.kind === 'unreachable' || read.kind === 'unconfigured'
          ? ref.tracker === 'mlflow'
            ? 'Run the check where MLFLOW_TRACKING_URI (and MLFLOW_TRACKING_TOKEN) reach the tracking server.'
            : 'Run the check where WANDB_API_KEY is set and the W&B API is reachable.'
          : 'Point training.run at a run that exists on the tracker.',
    });
    if (keys.length) result.notRun.set(ref.tracker, `not run: ${read.reason}`);
    return result;
  }
  const run = read.run;
  section.run = pick(run);
  result.findings.push(...reproducibilityFindings(facts, run));
  for (const g of gated) {
    if (g.tracker !== ref.tracker) continue;
    const value = runMetric(run, g.key);
    if (value !== undefined) result.measured.push({ name: g.name, value, runMetric: true, source: run.link });
  }
  /** The run read is not known to be this version's evidence (`why`): its run-metric gates do not run. */
  const notEvidence = (why: string, message: string, fix: string) => {
    result.measured = [];
    for (const g of gated) if (g.tracker === ref.tracker) result.notRun.set(g.tracker, `not run: ${why}`);
    result.findings.push({
      rule: 'TRAINING-RUN',
      severity: keys.length ? 'error' : 'warning',
      model: facts.name,
      file: facts.manifestFile,
      line: at,
      message: `${message}${keys.length ? '; its run-metric gates do not run' : ''}`,
      fix,
    });
  };
  if (production?.unread !== undefined) {
    // Whether the candidate names production's own run is not known: its run-metric gates do not
    // run on a run that may have trained other weights (as an unreadable eval baseline is an error).
    const why = `the manifest of ${facts.name} ${production.version} in production cannot be read at its tag (${production.unread})`;
    section.production = { version: production.version, ref: '', unread: why };
    notEvidence(
      why,
      `${why}, so whether training.run is the run that trained production's weights is not known`,
      UNREAD_PRODUCTION_FIX,
    );
    section.comparison = compareRuns(run);
    return result;
  }
  let productionRun: TrainingRun | undefined;
  if (production?.ref !== undefined) {
    const productionRef = parseRunRef(production.ref);
    section.production = { version: production.version, ref: production.ref };
    if (productionRef === undefined || typeof productionRef === 'string')
      section.production.unread = 'its training.run is not a run reference';
    else if (productionRef.tracker !== ref.tracker)
      section.production.unread = `it was trained in ${TRACKER_NAME[productionRef.tracker]}, not ${TRACKER_NAME[ref.tracker]}`;
    else {
      const itself = sameRun(ref, productionRef) ? otherWeights(facts, production) : undefined;
      if (itself) {
        // The candidate names the run that trained production: its metrics are not this version's
        // evidence, and they would pass its gates for weights they never measured. Decided from the
        // references, so a production reference this environment cannot read still counts.
        const named = `the run of ${facts.name} ${production.version} in production (${TRACKER_NAME[ref.tracker]} run ${ref.runId}), ${itself}`;
        section.production.unread = named;
        notEvidence(
          named,
          `training.run names ${named}`,
          'Point training.run at the run that trained these weights. A release that keeps its weights keeps its run when both manifests list the weights with their sha256 (artifacts.weights, no weights_index).',
        );
      } else {
        const readProduction = await readRun(productionRef, keys);
        if (readProduction.ok) {
          productionRun = readProduction.run;
          section.production.run = { id: productionRun.id, link: productionRun.link };
          for (const g of gated) {
            const value = g.tracker === ref.tracker ? runMetric(productionRun, g.key) : undefined;
            if (value !== undefined)
              result.productionMetrics.push({
                name: g.name,
                value,
                runMetric: true,
                source: productionRun.link,
              });
          }
        } else section.production.unread = readProduction.reason;
      }
    }
  } else if (production)
    section.production = {
      version: production.version,
      ref: '',
      unread: 'its manifest names no training run',
    };
  section.comparison = compareRuns(run, productionRun);
  return result;
}

/** Whether two references name one run: MLflow by its run id (on whatever server spelling), W&B by entity, project and run. */
export function sameRun(a: RunRef, b: RunRef): boolean {
  const same = (x: string, y: string) => x.toLowerCase() === y.toLowerCase();
  if (a.tracker === 'mlflow' || b.tracker === 'mlflow')
    return a.tracker === b.tracker && same(a.runId, b.runId);
  return same(a.entity, b.entity) && same(a.project, b.project) && same(a.runId, b.runId);
}

/**
 * The sha256 of each weights file a manifest lists, or undefined when the
 * list cannot show what the weights are: none listed, or shards behind a
 * weights_index (a changed shard the list does not name would go unseen).
 */
export function listedWeights(manifest: Manifest): ReadonlySet<string> | undefined {
  const { weights, weights_index } = manifest.artifacts;
  if (!weights.length || weights_index !== undefined) return undefined;
  return new Set(weights.map((w) => w.sha256));
}

/**
 * Why production's run is not this version's evidence, or undefined when
 * both manifests show the same weights (a metadata-only release keeps its
 * run). Weights that cannot be shown the same count as other weights.
 */
function otherWeights(facts: ModelFacts, production: ProductionTraining): string | undefined {
  const ours = listedWeights(facts.manifest);
  const theirs = production.weights;
  if (!ours || !theirs) return 'and the manifests do not show that these are the weights it trained';
  const same = ours.size === theirs.size && [...ours].every((digest) => theirs.has(digest));
  return same ? undefined : 'which trained other weights';
}

function pick(run: TrainingRun): TrainingSection['run'] {
  return {
    tracker: run.tracker,
    id: run.id,
    link: run.link,
    ...(run.name ? { name: run.name } : {}),
    state: run.state,
    stateText: run.stateText,
    ...(run.sourceCommit ? { sourceCommit: run.sourceCommit } : {}),
    datasets: run.datasets,
  };
}

export type { RunRef };
