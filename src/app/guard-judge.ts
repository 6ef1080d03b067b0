import type { GuardMetricData } from '../core/guard/judge.js';
import type { GuardState } from '../core/guard/state.js';
import { planGuardSteer } from '../core/guard/steer.js';
import type { GuardPolicy } from '../core/manifest/guard.js';
import { readDeploymentPayload } from '../core/release/plan.js';
import { nextGuardJudgment, nextGuardWake, planGuardStep, type GuardDecision } from '../core/guard/step.js';
import type { Octokit } from '../io/github/octokit.js';
import type { AppConfig } from './config.js';
import { applyGuardStep, rollbackTrigger } from './guard-apply.js';
import { readGuardComment } from './guard-comment.js';
import { collectGuardMetrics } from './guard-metrics.js';
import { newestProductionDeployment } from './deploy.js';
import { restartGuard } from './guard-start.js';
import { guardTargets } from './guards.js';
import type { AppTrust, GuardTarget } from './trust.js';
import { readManifestAt } from './manifest.js';
import { restoreRefusalAt } from './chatops/registry.js';
import { rollbackCheckDue } from '../core/guard/rollback-check.js';
import { checkRollback, lookWithoutReport } from './guard-rollback-look.js';

type Repo = { owner: string; repo: string };

/** What a guard job did. */
export interface GuardJudgmentResult {
  judged: boolean;
  verdict?: 'pass' | 'fail' | 'inconclusive' | 'error';
  decision?: GuardDecision['action'];
  next?: Date;
}

/**
 * Judges a guard's next window when it is due and acts on it (keep
 * watching, alert, roll back, end the bake). Everything is read from GitHub
 * and believed only as the trust rules allow, so any replica, or the app
 * after a restart, goes on where the last one stopped; a job that comes
 * early, twice, or for a guard that has ended judges nothing.
 */
export async function judgeGuard(
  octokit: Octokit,
  repo: Repo,
  guard: GuardTarget,
  config: Pick<AppConfig, 'prometheusUrl' | 'prometheusAuthorization'>,
  now: Date,
  trust: AppTrust,
): Promise<GuardJudgmentResult> {
  const comment = await readGuardComment(octokit, repo, guard.pr, guard.model, trust);
  // Its own report, not believed: restarted paused from GitHub (only strangers' comments: nothing of the app's to restart).
  if (comment && 'untrusted' in comment && comment.url) {
    const restarted = await restartGuard(octokit, repo, guard, now, trust, comment.url);
    // A guard that rolled back restarts nothing, but its rollback is still looked at, from GitHub alone.
    if (!restarted && !(await lookWithoutReport(octokit, repo, guard, now, trust)))
      await trust.scheduleGuard?.(repo, guard, undefined);
    return { judged: false };
  }
  // No report at all: deleted by someone, or never written. A guard its check run says is still watching
  // is restarted paused, never dropped in silence: production would be left unwatched.
  // Strangers' marker comments beside it are no report of the app's either.
  if (!comment || ('untrusted' in comment && !comment.url)) {
    const deleted = `the production guard's report on pull request #${guard.pr} is gone (deleted)`;
    const restarted = await restartGuard(octokit, repo, guard, now, trust, deleted, { whileWatching: true });
    if (restarted) trust.warn(`${repo.owner}/${repo.repo}: ${deleted}: restarted paused`);
    else if (!(await lookWithoutReport(octokit, repo, guard, now, trust)))
      await trust.scheduleGuard?.(repo, guard, undefined);
    return { judged: false };
  }
  if (!('untrusted' in comment) && rollbackCheckDue(comment.state))
    return checkRollback(octokit, repo, guard, comment, now, trust);
  if ('untrusted' in comment || comment.state.status !== 'watching') {
    await trust.scheduleGuard?.(repo, guard, undefined);
    return { judged: false };
  }
  const { state, url } = comment;
  const manifest = await readManifestAt(octokit, repo, state.manifest, state.ref);
  const policy = manifest?.guard;
  if (!policy) {
    await trust.scheduleGuard?.(repo, guard, undefined);
    return { judged: false };
  }
  const judgment = nextGuardJudgment(state, policy);
  if (!judgment || now.getTime() < judgment.due.getTime()) {
    const next = nextGuardWake(state, policy, now);
    await trust.scheduleGuard?.(repo, guard, next);
    return { judged: false, ...(next ? { next } : {}) };
  }
  const data: GuardMetricData[] = config.prometheusUrl
    ? await collectGuardMetrics(
        { url: config.prometheusUrl, authorization: config.prometheusAuthorization },
        policy,
        state.model,
        { current: state.version, previous: state.previousVersion },
        judgment,
      )
    : policy.metrics.map((m) => ({
        metric: m.name,
        current: { error: 'PROMETHEUS_URL is not set for the app' },
      }));
  // Production may have moved on while the window was read (a newer promotion, `modelgate promote`): a guard
  // acts only while production's newest deployment of the model is its release (or its own rollback).
  const newest = await newestProductionDeployment(octokit, repo, state.productionEnvironment, state.model);
  const superseded = supersededBy(state, newest);
  if (superseded) {
    await endSuperseded(octokit, repo, state, superseded, { policy, report: url, trust, now });
    return { judged: false };
  }
  const autoMerge = manifest?.rollback?.mode === 'auto_merge';
  let step = planGuardStep(state, policy, data, now, { autoMerge });
  // A rollback deploys the previous version again, unreviewed: planned only if its tags still
  // register it, in a form a deployment can name (read when a rollback is due, not every window).
  // One an earlier attempt began (its deployment is production's newest) is finished whatever the
  // tags say now: production already went back, and the stage tag and the revert must follow it.
  const rollbackBegun = readDeploymentPayload(newest?.payload)?.trigger === rollbackTrigger(state);
  if (
    step.kind === 'judged' &&
    step.decision.action === 'rollback' &&
    state.previousVersion &&
    !rollbackBegun
  ) {
    const previousRefusal = await restoreRefusalAt(octokit, repo, state.model, state.previousVersion);
    if (previousRefusal) step = planGuardStep(state, policy, data, now, { autoMerge, previousRefusal });
  }
  if (step.kind === 'not-due') return { judged: false };
  const saved = await applyGuardStep(octokit, repo, step.state, step.effects, {
    policy,
    report: url,
    trust,
    now,
  });
  return {
    judged: true,
    verdict: step.interval.verdict,
    decision: step.decision.action,
    next: nextGuardWake(saved, policy),
  };
}

/**
 * What production serves instead of the guarded release, when it no longer
 * serves it: undefined while the model's newest production deployment is the
 * release (same commit and version) or this guard's own rollback.
 */
function supersededBy(
  state: GuardState,
  newest: Awaited<ReturnType<typeof newestProductionDeployment>>,
): string | undefined {
  if (!newest)
    return `no deployment of ${state.model} is among the ${state.productionEnvironment} environment's newest`;
  const payload = readDeploymentPayload(newest.payload);
  if (payload?.trigger === rollbackTrigger(state)) return undefined;
  if (newest.id === state.deploymentId || (newest.sha === state.sha && payload?.version === state.version))
    return undefined;
  return `production's newest deployment of ${state.model} is ${payload?.version ?? 'another version'} (deployment ${newest.id})`;
}

/**
 * Ends a guard whose release production no longer serves, as a stop the app
 * made (its check run cancelled, a firing breach alert resolved), and wakes
 * the guard of the release production serves now, in case nothing scheduled
 * it (each guard has a job of its own: this one's ends here).
 */
async function endSuperseded(
  octokit: Octokit,
  repo: Repo,
  state: GuardState,
  why: string,
  context: { policy: GuardPolicy; report: string; trust: AppTrust; now: Date },
): Promise<void> {
  const { trust, now } = context;
  const steer = {
    by: trust.self.login,
    at: now.toISOString(),
    link: `superseded: ${why}; nothing is judged or rolled back any more`,
  };
  const planned = planGuardSteer(state, { action: 'stop' }, steer, now);
  if ('refused' in planned) return;
  await applyGuardStep(octokit, repo, planned.state, planned.effects, context);
  const [current] = await guardTargets(octokit, repo, state.model);
  if (current && current.pr !== state.pr) await trust.scheduleGuard?.(repo, current, now);
}
