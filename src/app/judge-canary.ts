import type { CanaryDecision } from '../core/canary/decide.js';
import { DEPLOYER_PATIENCE_MS, nextWake } from '../core/canary/step.js';
import type { Verdict } from '../core/canary/judge.js';
import { livenessOf, planRolloutLost } from '../core/rollout/liveness.js';
import { nextRolloutJudgment, plannerOf, planRolloutStep } from '../core/rollout/planner.js';
import { inertText } from '../core/report/escape.js';
import type { Octokit } from '../io/github/octokit.js';
import { applyCanaryStep } from './apply-canary-step.js';
import { latestDeployments, pullRequestOf, rolloutCommitOf } from './canaries.js';
import { readCanaryComment, reportGone, rolloutStillRunning } from './canary-comment.js';
import { newestDeploymentStatus } from './deployment-liveness.js';
import { readReleaseManifest } from './manifest.js';
import { readRolloutData, type RolloutConfig } from './rollout-data.js';
import { restartAnalysis } from './start-analysis.js';
import type { AppTrust, CanaryTarget } from './trust.js';

type Repo = { owner: string; repo: string };

/** How soon a judgment looks again when the deployer is (re)applying the rollout's deployment. */
const SETTLING_RECHECK_MS = 5 * 60_000;

/** What a judgment job did: judged an interval, or not (not due, nothing running), and when the next one is due. */
export interface Judgment {
  judged: boolean;
  /** The interval's verdict and what was decided, when one was judged. */
  verdict?: Verdict;
  decision?: CanaryDecision['action'];
  next?: Date;
}

/**
 * Judges a canary's next interval when it is due, and acts on the outcome
 * (next step, promotion or rollback). Everything is read from GitHub and
 * believed only as the trust rules allow, so any replica, or the app after a
 * restart, picks up where the last one stopped; a report whose state cannot
 * be believed restarts the analysis from GitHub's deployments. A job that
 * comes early, twice, or for a canary that has finished judges nothing.
 */
export async function judgeCanary(
  octokit: Octokit,
  repo: Repo,
  canary: CanaryTarget,
  config: RolloutConfig,
  now: Date,
  trust: AppTrust,
): Promise<Judgment> {
  const comment = await readCanaryComment(octokit, repo, canary.pr, canary.model, trust);
  if (comment && 'untrusted' in comment) {
    const deployment = (await latestDeployments(octokit, repo, canary.model)).get(canary.model);
    if (deployment)
      await restartAnalysis(octokit, repo, deployment, canary.pr, () => now, trust, comment.url);
    return { judged: false };
  }
  // No report at all: deleted, or never written. A rollout whose check run still runs restarts paused,
  // never dropped in silence (the candidate would keep its share with nobody judging it).
  if (!comment) {
    const deployment = (await latestDeployments(octokit, repo, canary.model)).get(canary.model);
    const sha = deployment && rolloutCommitOf(deployment);
    if (
      deployment &&
      sha &&
      (await rolloutStillRunning(octokit, repo, sha, canary.model, trust)) &&
      (await pullRequestOf(octokit, repo, sha)) === canary.pr
    ) {
      const gone = reportGone(canary.pr, trust, now);
      if (await restartAnalysis(octokit, repo, deployment, canary.pr, () => now, trust, gone.link))
        trust.warn(`${repo.owner}/${repo.repo}: ${gone.link}: restarted paused`);
    }
    return { judged: false };
  }
  const state = comment.state;
  if (state.status !== 'running') return { judged: false };
  // The release's own manifest (a state written before this was checked at the start may name another file).
  const release = await readReleaseManifest(octokit, repo, state);
  const manifest = 'manifest' in release ? release.manifest : undefined;
  const planner = 'problem' in release ? release : plannerOf(state, manifest);
  if ('problem' in planner) {
    trust.warn(
      `${repo.owner}/${repo.repo}: ${state.model} ${state.version} is not judged: ${planner.problem}`,
    );
    return { judged: false };
  }
  const window = nextRolloutJudgment(state, planner);
  if (!window || now.getTime() < window.due.getTime()) {
    // Not due, paused, waiting for the deployer or for a person: look again when the state says.
    const wake = nextWake(state, window, now);
    if (wake?.status === 'awaiting_deployer' && now.getTime() - wake.since.getTime() >= DEPLOYER_PATIENCE_MS)
      trust.warn(
        `${repo.owner}/${repo.repo}: ${state.model} ${state.version} has waited for the deployer to report deployment ${state.awaiting} live since ${wake.since.toISOString()}`,
      );
    await trust.schedule?.(repo, canary, wake);
    return { judged: false, ...(wake ? { next: wake.at } : {}) };
  }

  // Judged only while its deployment is live: a state started from a late success, or a step the deployer
  // failed (or a newer deployment replaced) since, is never judged, let alone moved to the next step.
  // (No judgment is due while a step is awaited, so the current deployment is the only one to ask about.)
  const liveness = livenessOf(
    state.deploymentId,
    await newestDeploymentStatus(octokit, repo, state.deploymentId),
  );
  if (liveness.kind === 'gone') {
    const lost = planRolloutLost(state, liveness.reason, { by: trust.self.login, at: now });
    trust.warn(
      `${repo.owner}/${repo.repo}: ${state.model} ${state.version} ended as failed: ${inertText(liveness.reason)}`,
    );
    await applyCanaryStep(octokit, repo, lost.state, lost.effects, { manifest, report: comment.url, trust });
    return { judged: false };
  }
  if (liveness.kind === 'settling') {
    // The deployer is applying it again: its traffic is not known, so look again soon, not judge.
    const wake = {
      at: new Date(now.getTime() + SETTLING_RECHECK_MS),
      status: 'awaiting_deployer' as const,
      since: window.due,
    };
    await trust.schedule?.(repo, canary, wake);
    return { judged: false, next: wake.at };
  }

  const data = await readRolloutData(state, planner, window, { config, octokit, repo });
  const step = planRolloutStep(state, planner, data, now, {
    autoMerge: manifest?.rollback?.mode === 'auto_merge',
  });
  if (step.kind === 'not-due') return { judged: false };
  const saved = await applyCanaryStep(octokit, repo, step.state, step.effects, {
    manifest,
    report: comment.url,
    trust,
  });
  const last = step.state.intervals.at(-1);
  const after = plannerOf(saved, manifest);
  return {
    judged: true,
    ...(last ? { verdict: last.verdict } : {}),
    decision: step.decision.action,
    next: nextWake(saved, 'problem' in after ? undefined : nextRolloutJudgment(saved, after))?.at,
  };
}
