import { parseManifest } from '../../core/manifest/parse.js';
import { CommandError } from '../../core/repository.js';
import type { MirrorOutcome } from '../../core/tracking/mirror.js';
import { statusOf, type Octokit } from '../github/octokit.js';
import { SETTINGS_FILE, SETTINGS_MAX_BYTES } from '../settings.js';
import { trackingSettingsOf } from '../tracking-settings.js';
import { mirrorStageAssignments, type MirrorOptions } from './apply-mirror.js';
import type { TrackingEnvironment } from './run-reader.js';

/** A stage assignment the app made: the version's release commit and its manifest's path. */
export interface AssignmentOnGitHub {
  model: string;
  version: string;
  stage: string;
  /** The release commit (the manifest is read there: the version's own training run). */
  sha: string;
  /** The manifest's path in the repository. */
  manifest: string;
}

/**
 * Mirrors a stage assignment the app made (a promotion, the guard putting
 * the previous version back) to the MLflow Model Registry, reading what it
 * needs through the GitHub API: `tracking:` from `.github/modelgate.yml` on
 * the default branch (trusted), the version's `training.run` from its
 * manifest at the release commit. Never throws: the assignment is done
 * already; what could not be mirrored is a failed line with its fix. An
 * empty list when mirroring is off.
 */
export async function mirrorAssignmentOnGitHub(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  assignment: AssignmentOnGitHub,
  env: TrackingEnvironment,
  options: MirrorOptions = {},
): Promise<MirrorOutcome[]> {
  const failed = (text: string, fix: string): MirrorOutcome[] => [
    {
      model: assignment.model,
      version: assignment.version,
      stage: assignment.stage,
      lines: [{ status: 'failed', text: `not mirrored: ${text}`, fix }],
    },
  ];
  try {
    const { data: repository } = await octokit.rest.repos.get(repo);
    const settingsText = await fileAt(octokit, repo, SETTINGS_FILE, repository.default_branch);
    if (settingsText === 'too large')
      return failed(`${SETTINGS_FILE} is larger than ${SETTINGS_MAX_BYTES / 1024} KiB`, 'Shorten the file.');
    const tracking = trackingSettingsOf(settingsText);
    if (!tracking.registry.mirror) return [];
    const manifestText = await fileAt(octokit, repo, assignment.manifest, assignment.sha);
    const manifest =
      typeof manifestText === 'string'
        ? parseManifest(manifestText, assignment.manifest).manifest
        : undefined;
    if (!manifest)
      return failed(
        `the manifest ${assignment.manifest} cannot be read at ${assignment.sha.slice(0, 12)}, so its training run is unknown`,
        'Re-run the promotion once the release commit and its manifest are readable.',
      );
    const run = manifest.training?.run;
    return await mirrorStageAssignments(
      [
        {
          model: assignment.model,
          version: assignment.version,
          stage: assignment.stage,
          ...(run !== undefined ? { trainingRun: run } : {}),
        },
      ],
      tracking.registry,
      env,
      options,
    );
  } catch (error) {
    const fix = error instanceof CommandError && error.fix ? error.fix : undefined;
    return failed(
      (error as Error).message,
      fix ?? 'Fix the cause, then assign the stage again; nothing is set twice.',
    );
  }
}

/** A file's text at a ref; undefined when it does not exist. */
async function fileAt(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  path: string,
  ref: string,
): Promise<string | undefined | 'too large'> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
    if (path === SETTINGS_FILE && data.size > SETTINGS_MAX_BYTES) return 'too large';
    return Buffer.from(data.content, 'base64').toString('utf8');
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
