import { rollbackNotAppliedAlert, type AlertContext } from '../core/guard/alerts.js';
import {
  planRollbackCheck,
  ROLLBACK_APPLY_MS,
  rollbackCheckDue,
  rollbackVerdict,
  type RollbackObserved,
} from '../core/guard/rollback-check.js';
import type { GuardState } from '../core/guard/state.js';
import { takesAllTraffic } from '../core/deploy/plan.js';
import { COMMIT_ID, readDeploymentPayload } from '../core/release/plan.js';
import type { Octokit } from '../io/github/octokit.js';
import { newestDeployments, pullRequestOf } from './canaries.js';
import { newestProductionDeployment } from './deploy.js';
import { newestDeploymentStatus } from './deployment-liveness.js';
import { alertContext } from './guard-apply.js';
import { writeGuardState } from './guard-comment.js';
import type { GuardJudgmentResult } from './guard-judge.js';
import { GUARD_ROLLBACK_TRIGGER } from './guards.js';
import type { AppTrust, GuardTarget } from './trust.js';

type Repo = { owner: string; repo: string };

/** When a look GitHub failed to answer is tried again. */
const LOOK_AGAIN_MS = 5 * 60_000;

/**
 * The look at a guard's rollback once the deployer has had its time
 * (planRollbackCheck): the rollback deployment live ends it; one that is not
 * fires the critical `ModelgateRollbackNotApplied` alert and is logged. The
 * report says which. Needs no guard policy, so a release whose manifest can
 * no longer be read is still looked at; a GitHub that fails to answer is
 * asked again a few minutes later, not given up on.
 */
export async function checkRollback(
  octokit: Octokit,
  repo: Repo,
  guard: GuardTarget,
  comment: { state: GuardState; url: string },
  now: Date,
  trust: AppTrust,
): Promise<GuardJudgmentResult> {
  const { state, url } = comment;
  const due = rollbackCheckDue(state);
  if (due && now < due) {
    await trust.scheduleGuard?.(repo, guard, due);
    return { judged: false, next: due };
  }
  const id = state.rollbackDeploymentId;
  let observed: RollbackObserved;
  try {
    observed = id === undefined ? {} : await observe(octokit, repo, state, id);
  } catch (error) {
    return lookAgain(repo, guard, state.model, error, now, trust);
  }
  const check = planRollbackCheck(state, observed, now);
  if (check.kind === 'not-due') return { judged: false };
  if (check.notApplied && state.previousVersion)
    await sayNotApplied(
      repo,
      trust,
      { model: state.model, version: state.previousVersion, deploymentId: id, reason: check.notApplied },
      alertContext(repo, state.pr, url),
      now,
    );
  // A rolled-back guard has no window left: the next wake is none, whatever its policy.
  await writeGuardState(octokit, repo, check.state, {}, trust);
  return { judged: false };
}

/** The rollback deployment's newest status, and production's newest deployment of all the model's traffic when that is another. */
async function observe(
  octokit: Octokit,
  repo: Repo,
  state: GuardState,
  id: number,
): Promise<RollbackObserved> {
  const status = await newestDeploymentStatus(octokit, repo, id);
  const newest = await newestProductionDeployment(octokit, repo, state.productionEnvironment, state.model);
  const replaced = newest && newest.id > id ? newest : undefined;
  return {
    ...(status ? { status } : {}),
    ...(replaced
      ? {
          replacedBy: {
            id: replaced.id,
            live: (await newestDeploymentStatus(octokit, repo, replaced.id))?.state === 'success',
          },
        }
      : {}),
  };
}

/**
 * The look at a rollback whose guard's report cannot be read (deleted, or
 * not believed), from GitHub alone: production's newest deployment of all
 * the model's traffic, when this pull request's guard made it (its trigger
 * names a release commit of this pull request), looked at ROLLBACK_APPLY_MS
 * after it was made. Nothing can be saved, so each look while it is not
 * live alerts again. Returns whether there was such a rollback.
 */
export async function lookWithoutReport(
  octokit: Octokit,
  repo: Repo,
  guard: GuardTarget,
  now: Date,
  trust: AppTrust,
): Promise<boolean> {
  const ours = (d: { production_environment?: boolean; payload: unknown }) => {
    const payload = readDeploymentPayload(d.payload);
    return d.production_environment === true && payload?.model === guard.model && takesAllTraffic(payload);
  };
  let observed: RollbackObserved;
  let rollback: { id: number; version: string };
  try {
    const newest = (await newestDeployments(octokit, repo, ours)).find(ours);
    const payload = readDeploymentPayload(newest?.payload);
    const released = payload?.trigger?.startsWith(GUARD_ROLLBACK_TRIGGER)
      ? payload.trigger.slice(GUARD_ROLLBACK_TRIGGER.length)
      : undefined;
    if (!newest || !payload || !released || !COMMIT_ID.test(released)) return false;
    if ((await pullRequestOf(octokit, repo, released)) !== guard.pr) return false;
    const due = new Date(Date.parse(newest.created_at) + ROLLBACK_APPLY_MS);
    if (now < due) {
      await trust.scheduleGuard?.(repo, guard, due);
      return true;
    }
    rollback = { id: newest.id, version: payload.version };
    const status = await newestDeploymentStatus(octokit, repo, newest.id);
    observed = status ? { status } : {};
  } catch (error) {
    await lookAgain(repo, guard, guard.model, error, now, trust);
    return true;
  }
  const verdict = rollbackVerdict(`deployment ${rollback.id}`, observed);
  if (verdict.notApplied) {
    const pull = `https://github.com/${repo.owner}/${repo.repo}/pull/${guard.pr}`;
    await sayNotApplied(
      repo,
      trust,
      {
        model: guard.model,
        version: rollback.version,
        deploymentId: rollback.id,
        reason: verdict.notApplied,
      },
      { repository: `${repo.owner}/${repo.repo}`, pullRequestUrl: pull, reportUrl: pull },
      now,
    );
  }
  await trust.scheduleGuard?.(repo, guard, undefined);
  return true;
}

/** GitHub did not answer the look: logged, and asked again LOOK_AGAIN_MS later. */
async function lookAgain(
  repo: Repo,
  guard: GuardTarget,
  model: string,
  error: unknown,
  now: Date,
  trust: AppTrust,
): Promise<GuardJudgmentResult> {
  const again = new Date(now.getTime() + LOOK_AGAIN_MS);
  trust.warn(
    `${repo.owner}/${repo.repo}: could not look at the production guard's rollback of ${model} (${error instanceof Error ? error.message : String(error)}): looking again at ${again.toISOString()}`,
  );
  await trust.scheduleGuard?.(repo, guard, again);
  return { judged: false, next: again };
}

/** The rollback not applied: the log, and the critical alert. */
async function sayNotApplied(
  repo: Repo,
  trust: AppTrust,
  rollback: { model: string; version: string; deploymentId: number | undefined; reason: string },
  context: AlertContext,
  now: Date,
): Promise<void> {
  const { model, version, deploymentId, reason } = rollback;
  trust.warn(
    `${repo.owner}/${repo.repo}: the production guard's rollback of ${model} to ${version} was not applied: ${reason}`,
  );
  await trust.alerts?.([rollbackNotAppliedAlert({ model, version, deploymentId, reason }, context, now)]);
}
