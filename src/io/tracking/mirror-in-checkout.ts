import { decodeUtf8 } from '../../core/bytes.js';
import { MANIFEST_MAX_BYTES, parseManifest } from '../../core/manifest/parse.js';
import type { Manifest } from '../../core/manifest/schema.js';
import type { Repository } from '../../core/repository.js';
import type { MirrorOutcome } from '../../core/tracking/mirror.js';
import { readTrackingSettings } from '../tracking-settings.js';
import { mirrorStageAssignments, type MirrorOptions } from './apply-mirror.js';
import type { TrackingEnvironment } from './run-reader.js';

/** A stage assignment made in a local clone (`modelgate promote`). */
export interface AssignmentInCheckout {
  model: string;
  version: string;
  stage: string;
  /** The version's release commit: its manifest there names the training run. */
  commit: string;
}

/**
 * Mirrors a stage assignment made in a clone to the MLflow Model Registry:
 * `tracking:` from the checkout's `.github/modelgate.yml`, the version's
 * `training.run` from its manifest at the release commit (found with the
 * manifest globs). An empty list when mirroring is off. A broken `tracking:`
 * section throws its CommandError (exit 2, the file named); anything after
 * that is a failed line, never an exception.
 */
export async function mirrorAssignmentInCheckout(
  root: string,
  repo: Repository,
  manifests: readonly string[],
  assignment: AssignmentInCheckout,
  env: TrackingEnvironment,
  options: MirrorOptions = {},
): Promise<MirrorOutcome[]> {
  const tracking = await readTrackingSettings(root);
  if (!tracking.registry.mirror) return [];
  const { model, version, stage, commit } = assignment;
  const failed = (text: string): MirrorOutcome[] => [
    {
      model,
      version,
      stage,
      lines: [
        {
          status: 'failed',
          text: `not mirrored: ${text}`,
          fix: 'Fetch the release commit and fix its manifest, then run the promotion again; nothing is set twice.',
        },
      ],
    },
  ];
  let manifest: Manifest | undefined;
  try {
    const source = repo.at(commit);
    for (const file of await repo.findManifestsAt(commit, manifests)) {
      const read = await source.read(file, MANIFEST_MAX_BYTES);
      const parsed = read.ok ? parseManifest(decodeUtf8(read.value), file).manifest : undefined;
      if (parsed?.name === model) {
        manifest = parsed;
        break;
      }
    }
  } catch (error) {
    return failed(`the manifests at ${commit.slice(0, 12)} cannot be read (${(error as Error).message})`);
  }
  // Not found is not "no training run": the outcome says which it is.
  if (!manifest)
    return failed(
      `no valid manifest of ${model} at ${commit.slice(0, 12)} (${manifests.join(', ')}), so its training run is unknown`,
    );
  const trainingRun = manifest.training?.run;
  return mirrorStageAssignments(
    [{ model, version, stage, ...(trainingRun !== undefined ? { trainingRun } : {}) }],
    tracking.registry,
    env,
    options,
  );
}
