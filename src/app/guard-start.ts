import type { CanaryState, Steer } from '../core/canary/state.js';
import { parseGuardDuration } from '../core/guard/duration.js';
import type { GuardState } from '../core/guard/state.js';
import { readDeploymentPayload } from '../core/release/plan.js';
import type { Octokit } from '../io/github/octokit.js';
import { planGuardSteer } from '../core/guard/steer.js';
import { pullRequestOf } from './canaries.js';
import { readCanaryComment } from './canary-comment.js';
import { applyGuardStep } from './guard-apply.js';
import { guardCheckName, guardCheckRuns, readGuardComment, writeGuardState } from './guard-comment.js';
import { GUARD_ROLLBACK_TRIGGER } from './guards.js';
import type { AppTrust, GuardTarget } from './trust.js';
import { readManifestAt } from './manifest.js';
import { newestProductionDeployment } from './deploy.js';

type Repo = { owner: string; repo: string };

/**
 * Ends the guard of the release this promotion replaces, when it is still
 * watching: production no longer serves that version, so there is nothing
 * left for it to judge or roll back to. It ends as a stop the app made (its
 * check run cancelled, a firing breach alert resolved), saying which release
 * superseded it, before the new guard is scheduled.
 */
async function endSupersededGuard(
  octokit: Octokit,
  repo: Repo,
  canary: CanaryState,
  promotedAt: Date,
  trust: AppTrust,
): Promise<void> {
  const { data } = await octokit.rest.repos.listDeployments({
    ...repo,
    environment: canary.productionEnvironment,
    per_page: 20,
  });
  const previous = data.find((d) => {
    const payload = readDeploymentPayload(d.payload);
    return payload?.model === canary.model && payload.version !== canary.version;
  });
  if (!previous) return;
  const pr = await pullRequestOf(octokit, repo, previous.sha);
  if (pr === undefined || pr === canary.pr) return;
  const comment = await readGuardComment(octokit, repo, pr, canary.model, trust);
  if (!comment || !('state' in comment) || comment.state.status !== 'watching') return;
  const steer: Steer = {
    by: trust.self.login,
    at: promotedAt.toISOString(),
    link: `superseded by ${canary.model} ${canary.version} (pull request #${canary.pr})`,
  };
  const planned = planGuardSteer(comment.state, { action: 'stop' }, steer, promotedAt);
  if ('refused' in planned) return;
  const manifest = await readManifestAt(octokit, repo, comment.state.manifest, comment.state.ref);
  if (!manifest?.guard) return;
  await applyGuardStep(octokit, repo, planned.state, planned.effects, {
    policy: manifest.guard,
    report: comment.url,
    trust,
    now: promotedAt,
  });
}

/**
 * Starts the production guard of a promoted canary, when its manifest (at
 * the release) has a `guard` block: a check run on the release commit and
 * the sealed state in the app's guard comment, its first window scheduled.
 * The bake counts from `promotedAt`; the previous version is the canary's
 * baseline (what production served before). Safe to repeat: a guard of this
 * version that is already written is left alone. `paused`: the guard is
 * written paused (a restart; see restartGuard).
 */
export async function startGuard(
  octokit: Octokit,
  repo: Repo,
  canary: CanaryState,
  promotion: { deploymentId: number; promotedAt: Date },
  trust: AppTrust,
  options: { paused?: Steer } = {},
): Promise<GuardState | undefined> {
  const manifest = await readManifestAt(octokit, repo, canary.manifest, canary.ref);
  const policy = manifest?.guard;
  if (!policy) return undefined;
  const existing = await readGuardComment(octokit, repo, canary.pr, canary.model, trust);
  if (existing && 'state' in existing && existing.state.version === canary.version) return existing.state;
  await endSupersededGuard(octokit, repo, canary, promotion.promotedAt, trust);
  const bake = parseGuardDuration(policy.bake);
  if (bake === undefined) return undefined; // the schema refuses it: a manifest that does not parse is not read
  const check = await octokit.rest.checks.create({
    ...repo,
    name: guardCheckName(canary.model),
    head_sha: canary.sha,
    status: 'in_progress',
    output: {
      title: `${canary.model} ${canary.version}: production guard watching`,
      summary: `Bake ${policy.bake} from ${promotion.promotedAt.toISOString()}`,
    },
  });
  const state: GuardState = {
    v: 1,
    model: canary.model,
    version: canary.version,
    ...(canary.baselineVersion ? { previousVersion: canary.baselineVersion } : {}),
    ref: canary.ref,
    sha: canary.sha,
    manifest: canary.manifest,
    trigger: canary.trigger,
    pr: canary.pr,
    productionEnvironment: canary.productionEnvironment,
    productionStage: canary.productionStage ?? 'production',
    deploymentId: promotion.deploymentId,
    startedAt: promotion.promotedAt.toISOString(),
    bakeEndsAt: new Date(promotion.promotedAt.getTime() + bake).toISOString(),
    intervals: [],
    failures: 0,
    consecutiveErrors: 0,
    status: 'watching',
    checkRunId: check.data.id,
    ...(options.paused ? { paused: options.paused } : {}),
  };
  await writeGuardState(octokit, repo, state, policy, trust);
  await endOlderGuardChecks(octokit, repo, state, trust, options.paused);
  return state;
}

/**
 * Completes the app's older guard check runs of this release that still say
 * in_progress (a restart leaves the one of the state it could not believe):
 * the new check run is the guard now, and states anchored in the old ones
 * are never believed again, so none stays "watching" for ever.
 */
async function endOlderGuardChecks(
  octokit: Octokit,
  repo: Repo,
  state: GuardState,
  trust: AppTrust,
  paused: Steer | undefined,
): Promise<void> {
  const runs = await guardCheckRuns(octokit, repo, state.sha, state.model, trust);
  const why = paused
    ? `its saved state could not be believed (${paused.link}), so the guard restarted paused from GitHub`
    : 'the guard started again';
  for (const run of runs)
    if (run.id !== state.checkRunId && run.status !== 'completed')
      await octokit.rest.checks.update({
        ...repo,
        check_run_id: run.id,
        status: 'completed',
        conclusion: 'cancelled',
        output: {
          title: `${state.model} ${state.version}: production guard superseded`,
          summary: `Superseded by check run ${state.checkRunId}: ${why}. This check run no longer watches production; the newer one does.`,
        },
      });
}

/**
 * Restarts a production guard whose saved state the app could not believe,
 * from what GitHub shows: the canary's own sealed report on the pull request
 * (believed under its own rules) says which release was promoted, when, and
 * what it replaced; GitHub's deployments say it is still the newest in
 * production. The new guard counts its bake from that promotion and starts
 * paused: what the lost state knew (failed windows, an extension, a stop)
 * cannot be recovered, so a person decides with `/guard resume`, which then
 * judges every window since the promotion again. When the release is no
 * longer in production, or the canary's report cannot be believed either,
 * nothing is restarted (the ignored state was reported already). Returns
 * the restarted state.
 */
export async function restartGuard(
  octokit: Octokit,
  repo: Repo,
  guard: GuardTarget,
  now: Date,
  trust: AppTrust,
  report: string,
  options: { whileWatching?: boolean } = {},
): Promise<GuardState | undefined> {
  const canary = await readCanaryComment(octokit, repo, guard.pr, guard.model, trust);
  if (!canary || !('state' in canary) || canary.state.status !== 'promoted') return undefined;
  const promoted = canary.state;
  // Only a guard that was watching: its newest check run on the release is still in progress (an ended
  // guard completed it), so a report deleted after the bake restarts nothing.
  if (options.whileWatching) {
    const [run] = await guardCheckRuns(octokit, repo, promoted.sha, guard.model, trust);
    if (run?.status !== 'in_progress') return undefined;
  }
  const newest = await newestProductionDeployment(octokit, repo, promoted.productionEnvironment, guard.model);
  const payload = readDeploymentPayload(newest?.payload);
  if (
    !newest ||
    newest.sha !== promoted.sha ||
    payload?.version !== promoted.version ||
    payload.trigger?.startsWith(GUARD_ROLLBACK_TRIGGER)
  )
    return undefined; // another version (or a rollback) serves production now: nothing of this release to guard
  // When it was promoted: by /promote (who asked, when), else at the end of its last interval.
  const promotedAt = new Date(
    promoted.endedBy?.at ?? promoted.intervals.at(-1)?.at ?? promoted.stepStartedAt,
  );
  return startGuard(octokit, repo, promoted, { deploymentId: newest.id, promotedAt }, trust, {
    paused: { by: trust.self.login, at: now.toISOString(), link: report },
  });
}
