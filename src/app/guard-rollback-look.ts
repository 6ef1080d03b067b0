import { takesAllTraffic } from '../core/deploy/plan.js';
import { rollbackNotAppliedAlert, type AlertContext } from '../core/guard/alerts.js';
import {
  planRollbackCheck,
  ROLLBACK_APPLY_MS,
  rollbackCheckDue,
  rollbackVerdict,
  type RollbackObserved,
} from '../core/guard/rollback-check.js';
import type { GuardState } from '../core/guard/state.js';
import { readDeploymentPayload } from '../core/release/plan.js';
import { statusOf, type Octokit } from '../io/github/octokit.js';
import { newestDeployments, pullRequestOf } from './canaries.js';
import { newestProductionDeployment } from './deploy.js';
import { newestDeploymentStatus } from './deployment-liveness.js';
import { alertContext } from './guard-apply.js';
import { writeGuardState } from './guard-comment.js';
import type { GuardJudgmentResult } from './guard-judge.js';
import { guardRollbackOf } from './guards.js';
import { assertLeaseHeld } from './scheduler/lease.js';
import type { AppTrust, GuardTarget } from './trust.js';

type Repo = { owner: string; repo: string };

/** When a look GitHub failed to answer is tried again. */
const LOOK_AGAIN_MS = 5 * 60_000;
/** How long past its time a look GitHub keeps failing to answer is tried before the alert goes anyway. */
const GIVE_UP_MS = 60 * 60_000;

/** A failure of GitHub's that may pass (a server error, a rate limit); anything else is no reason to wait. */
const mayPass = (error: unknown) => {
  const status = statusOf(error);
  return status !== undefined && (status >= 500 || status === 429);
};
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Reads what a look needs, or says to wait: `later` while a failure that
 * may pass (a server error, a rate limit) is younger than GIVE_UP_MS past
 * `due`. Past that, or for any other failure (a refusal that will not pass,
 * a bug), the look is made on what could not be read (`unanswered`), which
 * alerts: a look that cannot be made is no reason to believe the rollback.
 */
async function readOrWait<T>(
  read: () => Promise<T>,
  due: Date,
  now: Date,
): Promise<T | { unanswered: string } | { later: unknown }> {
  try {
    return await read();
  } catch (error) {
    if (!mayPass(error)) return { unanswered: `the look failed (${messageOf(error)})` };
    if (now.getTime() - due.getTime() < GIVE_UP_MS) return { later: error };
    return { unanswered: `GitHub did not answer for an hour (${messageOf(error)})` };
  }
}

/**
 * The look at a guard's rollback once the deployer has had its time
 * (planRollbackCheck): the rollback deployment live ends it; one that is not
 * fires the critical `ModelgateRollbackNotApplied` alert and is logged. The
 * report says which. Needs no guard policy, so a release whose manifest can
 * no longer be read is still looked at; a GitHub that fails to answer is
 * asked again a few minutes later, for an hour, then the alert goes.
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
  if (!due) return { judged: false };
  if (now < due) {
    await trust.scheduleGuard?.(repo, guard, due);
    return { judged: false, next: due };
  }
  const id = state.rollbackDeploymentId;
  const observed = await readOrWait(
    async (): Promise<RollbackObserved> => (id === undefined ? {} : observe(octokit, repo, state, id)),
    due,
    now,
  );
  if ('later' in observed) return lookAgain(repo, guard, observed.later, now, trust);
  const check = planRollbackCheck(state, observed, now);
  if (check.kind === 'not-due') return { judged: false };
  assertLeaseHeld();
  if (check.notApplied && state.previousVersion)
    await sayNotApplied(
      repo,
      trust,
      { model: state.model, version: state.previousVersion, deploymentId: id, reason: check.notApplied },
      alertContext(repo, state.pr, url),
      now,
    );
  // A rolled-back guard has no window left: the next wake is none, whatever its policy.
  assertLeaseHeld();
  await writeGuardState(octokit, repo, check.state, {}, trust);
  return { judged: false };
}

/**
 * The rollback deployment's newest status (gone when GitHub knows it no
 * more), and production's newest deployment of all the model's traffic when
 * that is a newer one.
 */
async function observe(
  octokit: Octokit,
  repo: Repo,
  state: GuardState,
  id: number,
): Promise<RollbackObserved> {
  let status: Awaited<ReturnType<typeof newestDeploymentStatus>>;
  try {
    status = await newestDeploymentStatus(octokit, repo, id);
  } catch (error) {
    if (statusOf(error) === 404) return { gone: true };
    throw error;
  }
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

/** A rollback the guard of `guard` made, as GitHub lists it, and when it is looked at. */
type FoundRollback =
  { none: true } | { due: Date } | ({ rollback: { id: number; version: string } } & RollbackObserved);

/**
 * The look at a rollback whose guard's report cannot be read (deleted, or
 * not believed), from GitHub alone: production's newest deployment of all
 * the model's traffic, when this pull request's guard made it, looked at
 * ROLLBACK_APPLY_MS after it was made. Nothing can be saved, so each look
 * while it is not live alerts again. Returns whether there was such a rollback.
 */
export async function lookWithoutReport(
  octokit: Octokit,
  repo: Repo,
  guard: GuardTarget,
  now: Date,
  trust: AppTrust,
): Promise<boolean> {
  // Whether there is a rollback at all is what this reads: a failure that will not pass is thrown
  // (the job fails loudly), never an alert about a rollback that may not exist.
  let found: FoundRollback;
  try {
    found = await findRollback(octokit, repo, guard, now);
  } catch (error) {
    if (!mayPass(error)) throw error;
    await lookAgain(repo, guard, error, now, trust);
    return true;
  }
  if ('none' in found) return false;
  if ('due' in found) {
    await trust.scheduleGuard?.(repo, guard, found.due);
    return true;
  }
  const { rollback } = found;
  const verdict = rollbackVerdict(`deployment ${rollback.id}`, found);
  if (verdict.notApplied) {
    const pull = `https://github.com/${repo.owner}/${repo.repo}/pull/${guard.pr}`;
    assertLeaseHeld();
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

/**
 * Production's newest deployment of all the model's traffic, when the
 * guard of this pull request made it (guardRollbackOf).
 */
async function findRollback(
  octokit: Octokit,
  repo: Repo,
  guard: GuardTarget,
  now: Date,
): Promise<FoundRollback> {
  const ours = (d: { production_environment?: boolean; payload: unknown }) => {
    const payload = readDeploymentPayload(d.payload);
    return d.production_environment === true && payload?.model === guard.model && takesAllTraffic(payload);
  };
  const newest = (await newestDeployments(octokit, repo, ours)).find(ours);
  const made = newest && guardRollbackOf(newest);
  if (!newest || !made) return { none: true };
  const { payload, released } = made;
  if ((await pullRequestOf(octokit, repo, released)) !== guard.pr) return { none: true };
  const due = new Date(Date.parse(newest.created_at) + ROLLBACK_APPLY_MS);
  if (now < due) return { due };
  const status = await newestDeploymentStatus(octokit, repo, newest.id);
  return { rollback: { id: newest.id, version: payload.version }, ...(status ? { status } : {}) };
}

/** GitHub did not answer the look: logged, and asked again LOOK_AGAIN_MS later. */
async function lookAgain(
  repo: Repo,
  guard: GuardTarget,
  error: unknown,
  now: Date,
  trust: AppTrust,
): Promise<GuardJudgmentResult> {
  const again = new Date(now.getTime() + LOOK_AGAIN_MS);
  trust.warn(
    `${repo.owner}/${repo.repo}: could not look at the production guard's rollback of ${guard.model} (${messageOf(error)}): looking again at ${again.toISOString()}`,
  );
  await trust.scheduleGuard?.(repo, guard, again);
  return { judged: false, next: again };
}

/** The guard's rollback not applied: the log, and the critical alert. */
export async function sayNotApplied(
  repo: Repo,
  trust: AppTrust,
  rollback: { model: string; version: string; deploymentId: number | undefined; reason: string },
  context: AlertContext,
  now: Date,
): Promise<void> {
  const { model, version, deploymentId, reason } = rollback;
  trust.warn(
    `${repo.owner}/${repo.repo}: the production guard's rollback of ${model} to ${version}${deploymentId === undefined ? '' : ` (deployment ${deploymentId})`} was not applied: ${reason}`,
  );
  await trust.alerts?.([rollbackNotAppliedAlert({ model, version, deploymentId, reason }, context, now)]);
}
