import { takesAllTraffic } from '../core/deploy/plan.js';
import { releaseTag } from '../core/registry/tag-names.js';
import {
  COMMIT_ID,
  parseDeploymentPayload,
  readDeploymentPayload,
  type DeploymentPayload,
} from '../core/release/plan.js';
import type { Octokit } from '../io/github/octokit.js';
import { newestDeployments, pullRequestOf, type Deployment } from './canaries.js';
import { readGuardComment, type GuardComment } from './guard-comment.js';
import type { AppTrust, GuardTarget } from './trust.js';

type Repo = { owner: string; repo: string };

/** The trigger of a guard's rollback deployment: `modelgate-guard:<the rolled-back release commit>`. */
export const GUARD_ROLLBACK_TRIGGER = 'modelgate-guard:';

/**
 * A deployment the production guard made to roll back (what only the guard
 * makes: a payload that keeps the contract, the version's release tag, and
 * `modelgate-guard:<the rolled-back release commit>`), with that commit; or
 * undefined. Anyone with deployments: write can make the rest, and it pages nobody.
 */
export function guardRollbackOf(deployment: {
  ref: string;
  payload: unknown;
}): { payload: DeploymentPayload; released: string } | undefined {
  const parsed = parseDeploymentPayload(deployment.payload);
  if (!parsed.ok || !parsed.payload.trigger.startsWith(GUARD_ROLLBACK_TRIGGER)) return undefined;
  const { payload } = parsed;
  const released = payload.trigger.slice(GUARD_ROLLBACK_TRIGGER.length);
  return COMMIT_ID.test(released) && deployment.ref === releaseTag(payload.model, payload.version)
    ? { payload, released }
    : undefined;
}

/**
 * The release commit whose production guard is the model's guard now, for
 * each model: the one its newest production deployment of all its traffic serves, or, when that
 * deployment is a guard's own rollback, the release it rolled back (so
 * `/guard status` after a rollback shows the guard that did it). From
 * deployments as GitHub lists them, newest first.
 */
function guardedCommits(deployments: readonly Deployment[]): Map<string, string> {
  const guarded = new Map<string, string>();
  for (const deployment of deployments) {
    if (!deployment.production_environment) continue;
    const payload = readDeploymentPayload(deployment.payload);
    // A rollout step in production (where production is the only stage) splits against the release
    // whose guard watches it: only a deployment of all the traffic hands the guard over.
    if (!payload || guarded.has(payload.model) || !takesAllTraffic(payload)) continue;
    const rolledBack = payload.trigger?.startsWith(GUARD_ROLLBACK_TRIGGER)
      ? payload.trigger.slice(GUARD_ROLLBACK_TRIGGER.length)
      : undefined;
    guarded.set(payload.model, rolledBack && COMMIT_ID.test(rolledBack) ? rolledBack : deployment.sha);
  }
  return guarded;
}

/** The production guards of a repository's models (from its newest deployments): the pull requests their states live on. */
export async function guardTargets(octokit: Octokit, repo: Repo, only?: string): Promise<GuardTarget[]> {
  const data = await newestDeployments(
    octokit,
    repo,
    only === undefined
      ? undefined
      : (d) => {
          const payload = readDeploymentPayload(d.payload);
          return d.production_environment === true && payload?.model === only && takesAllTraffic(payload);
        },
  );
  const targets: GuardTarget[] = [];
  for (const [model, sha] of guardedCommits(data)) {
    if (only !== undefined && model !== only) continue;
    const pr = await pullRequestOf(octokit, repo, sha);
    if (pr !== undefined) targets.push({ pr, model });
  }
  return targets;
}

/**
 * The production guard of a model, for a ChatOps command: where its state
 * lives and the state the app believes there. A state it cannot believe gets
 * a guard judgment scheduled at once, which restarts the guard paused from
 * GitHub (as a scheduled judgment that meets it would).
 */
export async function findGuard(
  octokit: Octokit,
  repo: Repo,
  model: string,
  trust: AppTrust,
  now: Date,
): Promise<{ target: GuardTarget; comment: GuardComment } | undefined> {
  const [target] = await guardTargets(octokit, repo, model);
  if (!target) return undefined;
  const comment = await readGuardComment(octokit, repo, target.pr, model, trust);
  if (comment && 'untrusted' in comment && comment.url) await trust.scheduleGuard?.(repo, target, now);
  return { target, comment };
}
