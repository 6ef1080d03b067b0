import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import { TRACKER_NAME } from './run-ref.js';
import { MODEL_TAG, type TrainingRun } from './run.js';

/**
 * What the run says against what the manifest says: the run finished, it
 * trained this model, from the commit and the dataset the manifest names.
 * A statement the run does not record is not a disagreement, but a manifest
 * that pins a commit or a digest the run cannot confirm is said (warning).
 */
export function reproducibilityFindings(facts: ModelFacts, run: TrainingRun): Finding[] {
  const training = facts.manifest.training ?? {};
  const findings: Finding[] = [];
  const at = (
    key: string,
    rule: Finding['rule'],
    severity: Finding['severity'],
    message: string,
    fix: string,
  ) =>
    findings.push({
      rule,
      severity,
      model: facts.name,
      file: facts.manifestFile,
      line: facts.lineOf(['training', key]),
      message,
      fix,
    });
  const tracker = TRACKER_NAME[run.tracker];
  if (run.state === 'running' || run.state === 'scheduled')
    at(
      'run',
      'TRAINING-STATUS',
      'error',
      `${tracker} run ${run.id} is still ${run.stateText}: its metrics are not final`,
      'Wait for the run to finish, then re-run the check.',
    );
  else if (run.state !== 'finished')
    at(
      'run',
      'TRAINING-STATUS',
      'error',
      `${tracker} run ${run.id} ended ${run.stateText}, not finished: this version did not come from a completed training`,
      'Point training.run at the run that finished and produced these weights.',
    );
  if (run.model !== undefined && run.model !== facts.name)
    at(
      'run',
      'TRAINING-MODEL',
      'error',
      `${tracker} run ${run.id} is tagged ${MODEL_TAG}=${run.model}: it trained another model, not ${facts.name}`,
      `Point training.run at a run of ${facts.name}, or correct the run's ${MODEL_TAG} tag.`,
    );
  const commit = training.commit === undefined ? undefined : String(training.commit).toLowerCase();
  if (commit !== undefined) {
    const source = run.sourceCommit?.toLowerCase();
    if (source === undefined)
      at(
        'commit',
        'TRAINING-COMMIT',
        'warning',
        `${tracker} run ${run.id} records no source commit, so training.commit ${commit} cannot be confirmed`,
        run.tracker === 'mlflow'
          ? 'Start the run from a git checkout (MLflow records mlflow.source.git.commit), or remove training.commit.'
          : 'Start the run from a git checkout (W&B records the commit), or remove training.commit.',
      );
    else if (!sameCommit(commit, source))
      at(
        'commit',
        'TRAINING-COMMIT',
        'error',
        `training.commit is ${commit}, but ${tracker} run ${run.id} ran the code at ${source}`,
        'Set training.commit to the commit the run trained from, or point training.run at the run that trained this commit.',
      );
  }
  const digest = training.dataset_digest;
  if (digest !== undefined) {
    const recorded = run.datasets.filter((d) => d.digest !== undefined);
    if (!recorded.length)
      at(
        'dataset_digest',
        'TRAINING-DATASET',
        'warning',
        `${tracker} run ${run.id} records no dataset digest, so training.dataset_digest ${digest} cannot be confirmed`,
        'Log the dataset as a run input (mlflow.log_input), or remove training.dataset_digest.',
      );
    else if (!recorded.some((d) => d.digest === digest))
      at(
        'dataset_digest',
        'TRAINING-DATASET',
        'error',
        `training.dataset_digest is ${digest}, but ${tracker} run ${run.id} trained on ${recorded.map((d) => `${d.name} (digest ${d.digest})`).join(', ')}`,
        'Set training.dataset_digest to the digest of the dataset the run used, or point training.run at the run that used this dataset.',
      );
  }
  return findings;
}

/** Two commits agree when one is a prefix of the other and the shorter has at least 7 hex digits. */
function sameCommit(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return /^[0-9a-f]{7,}$/.test(short) && long.startsWith(short);
}
