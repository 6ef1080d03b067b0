import type { GuardMetricData } from '../core/guard/judge.js';
import { nextGuardJudgment, nextGuardWake, planGuardStep, type GuardDecision } from '../core/guard/step.js';
import type { Octokit } from '../io/github/octokit.js';
import type { AppConfig } from './config.js';
import { applyGuardStep } from './guard-apply.js';
import { readGuardComment } from './guard-comment.js';
import { collectGuardMetrics } from './guard-metrics.js';
import { restartGuard } from './guard-start.js';
import type { AppTrust, GuardTarget } from './trust.js';
import { readManifestAt } from './manifest.js';

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
    if (!restarted) await trust.scheduleGuard?.(repo, guard, undefined);
    return { judged: false };
  }
  if (!comment || 'untrusted' in comment || comment.state.status !== 'watching') {
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
  const step = planGuardStep(state, policy, data, now, {
    autoMerge: manifest?.rollback?.mode === 'auto_merge',
  });
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
