import type { CanaryState, Steer } from '../core/canary/state.js';
import { highestCounter, planStageAssignment } from '../core/registry/stage-assignment.js';
import { assignmentTag, nameInTag, parseRegistryTag } from '../core/registry/tag-names.js';
import type { Octokit } from '../io/github/octokit.js';
import { githubReleaseApi } from '../io/github/release-api.js';
import { mirrorWarnings } from '../core/tracking/mirror-report.js';
import { mirrorAssignmentOnGitHub } from '../io/tracking/mirror-on-github.js';
import { deployStep } from './deploy.js';

type Repo = { owner: string; repo: string };

/** A stage assignment the app writes: a promotion, or the guard putting the previous version back. */
export interface StageAssignment {
  model: string;
  version: string;
  stage: string;
  /** The version's release commit (the tag goes on it). */
  sha: string;
  reason: string;
  trigger: string;
  steer?: Steer;
  /** The manifest's path: with it, the assignment is mirrored to the MLflow Model Registry when that is set up. */
  manifest?: string;
  /** Where a mirror that could not happen is said (never silently dropped). */
  warn?: (message: string) => void;
}

/**
 * Tags `<model>#<stage>#N` on the version's commit, planned by
 * planStageAssignment like every stage tag, unless one of the stage's latest
 * tags is on that commit already (a run that died before saving finds its
 * own work). Returns the tag.
 */
export async function assignStage(
  octokit: Octokit,
  repo: Repo,
  assignment: StageAssignment,
): Promise<string> {
  const api = githubReleaseApi(octokit, repo);
  const { model, stage, sha } = assignment;
  // Every tag in the model's name: the counter goes past numbered registrations and deprecations too.
  const { data: refs } = await octokit.rest.git.listMatchingRefs({
    ...repo,
    ref: `tags/${nameInTag(model)}`,
  });
  const names = refs.map((r) => r.ref.replace(/^refs\/tags\//, ''));
  const numbers = names
    .flatMap((name) => {
      const t = parseRegistryTag(name);
      return t?.name === model && t.action === 'assign' && t.stage === stage && t.number !== undefined
        ? [t.number]
        : [];
    })
    .sort((x, y) => y - x);
  // Only the newest assignment counts: an older tag on this commit is history (promoted once, rolled back since).
  const newest = numbers[0];
  if (newest !== undefined) {
    const name = assignmentTag(model, stage, newest);
    if ((await api.tagCommit(name)) === sha) {
      await mirror(octokit, repo, assignment); // a run that died after tagging finishes the mirror too
      return name;
    }
  }
  const planned = planStageAssignment({
    action: 'assign',
    model,
    version: assignment.version,
    stage,
    commit: sha,
    lastNumber: highestCounter(model, names),
    reason: assignment.reason,
    requestedBy: assignment.steer ? { by: assignment.steer.by, link: assignment.steer.link } : undefined,
    trigger: assignment.trigger,
  });
  await api.createTag(planned.tag, planned.commit, planned.message);
  await mirror(octokit, repo, assignment);
  return planned.tag;
}

/** Mirrors an assignment to the MLflow Model Registry (opt-in under `tracking:`); never fails the assignment. */
async function mirror(octokit: Octokit, repo: Repo, assignment: StageAssignment): Promise<void> {
  if (!assignment.manifest) return;
  const outcomes = await mirrorAssignmentOnGitHub(
    octokit,
    repo,
    { ...assignment, manifest: assignment.manifest },
    process.env,
  );
  for (const warning of mirrorWarnings(outcomes)) (assignment.warn ?? console.warn)(warning);
}

/**
 * Promotes a canary: the GTO stage tag `<model>#<stage>#N` on the release
 * commit, then the production deployment. Safe to repeat: a promotion tag
 * already on the commit and its deployment are found, not made again. With
 * `steer` (a person's `/promote`), the tag records who asked with the same
 * `Requested-by:` line a release writes, and the deployment says so too.
 * `live`: the version is live in production already (a blue-green switch),
 * so only the tag is written.
 */
export async function promoteCanary(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  steer?: Steer,
  warn?: (message: string) => void,
  options: { live?: boolean } = {},
): Promise<{ tag: string; deploymentId: number }> {
  const tag = await assignStage(octokit, repo, {
    manifest: state.manifest,
    ...(warn ? { warn } : {}),
    model: state.model,
    version: state.version,
    stage: state.productionStage ?? 'production',
    sha: state.sha,
    reason: steer
      ? 'Promoted with /promote before every canary step had passed.'
      : `Canary passed every step (pull request #${state.pr}).`,
    trigger: state.trigger,
    steer,
  });
  // After a blue-green switch the production deployment is the live one: only the tag is missing.
  if (options.live) return { tag, deploymentId: state.deploymentId };
  const deploymentId = await deployStep(octokit, repo, state, {
    environment: state.productionEnvironment,
    weight: 100,
    description: `Promote ${state.model} ${state.version}${steer ? ` (asked by @${steer.by})` : ''}`,
    production: true,
    steer,
  });
  return { tag, deploymentId };
}
