import { parseInterval } from '../core/canary/interval.js';
import { decideCanary } from '../core/canary/decide.js';
import { judgeAnalysis, judgeInterval, type CanaryPolicy, type MetricData } from '../core/canary/judge.js';
import type { CanaryState } from '../core/canary/state.js';
import type { Octokit } from '../io/github/octokit.js';
import { collectMetrics } from '../io/metrics/prometheus.js';
import { readCanaryComment, writeCanaryState } from './canary-comment.js';
import type { AppConfig } from './config.js';
import { readManifestAt } from './manifest.js';
import { revertFailedCanary } from './revert.js';
import { latestDeployments, pullRequestOf } from './canaries.js';
import { completeCheckRun } from './check-run.js';
import { deployStep } from './deploy.js';
import { promoteCanary } from './promote.js';
import { restartAnalysis } from './start-analysis.js';
import type { AppTrust } from './trust.js';

type Repo = { owner: string; repo: string };

/**
 * One tick for one repository: every running canary whose next interval is
 * due is judged, reported, and moved on (next step, promotion or rollback).
 * All state is read from and written to GitHub, so any replica or a
 * restarted app picks up where the last one stopped. A report whose state
 * the app cannot believe is restarted from GitHub's deployments instead.
 */
export async function tickRepository(
  octokit: Octokit,
  repo: Repo,
  config: AppConfig,
  now: Date,
  trust: AppTrust,
): Promise<number> {
  let judged = 0;
  for (const [model, deployment] of await latestDeployments(octokit, repo)) {
    const pr = await pullRequestOf(octokit, repo, deployment.sha);
    if (pr === undefined) continue;
    const comment = await readCanaryComment(octokit, repo, pr, model, trust);
    if (comment && 'untrusted' in comment) {
      await restartAnalysis(octokit, repo, deployment, pr, () => now, trust, comment.url);
      continue;
    }
    const state = comment?.state;
    if (!state || state.status !== 'running' || state.awaiting || state.paused) continue;
    const manifest = await readManifestAt(octokit, repo, state.manifest, state.ref);
    const policy = manifest?.canary;
    if (!policy?.metrics?.length) continue;
    const step = { policy, report: comment.url, autoMerge: manifest?.rollback?.mode === 'auto_merge' };
    if (await advanceAnalysis(octokit, repo, state, step, config, now, trust)) judged += 1;
  }
  return judged;
}

/**
 * Judges the next interval of one canary when it is due, and acts on the
 * outcome. `report` is the canary comment's address (the evidence a revert
 * pull request links to).
 */
export async function advanceAnalysis(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  step: { policy: CanaryPolicy; report: string; autoMerge: boolean },
  config: AppConfig,
  now: Date,
  trust: AppTrust,
): Promise<boolean> {
  const { policy } = step;
  // The schema bounds interval to [10s, 24h]; a manifest that does not parse never gets here.
  const length = parseInterval(policy.interval ?? '10m');
  if (length === undefined) return false;
  const stepStart = Date.parse(state.stepStartedAt);
  const inStep = state.intervals.filter((i) => Date.parse(i.at) > stepStart).length;
  const due = stepStart + length * (inStep + 1);
  if (now.getTime() < due) return false;

  const window = {
    start: new Date(due - length),
    end: new Date(due),
    step: Math.max(15, Math.round(length / 1000 / 20)),
  };
  const data: MetricData[] = config.prometheusUrl
    ? await collectMetrics(
        { url: config.prometheusUrl, authorization: config.prometheusAuthorization },
        policy.metrics!,
        state.model,
        { canary: state.version, baseline: state.baselineVersion },
        window,
      )
    : policy.metrics!.map((m) => ({
        metric: m.name,
        canary: { error: 'PROMETHEUS_URL is not set for the app' },
      }));
  const interval = judgeInterval(policy.metrics!, data, policy, new Date(due).toISOString());
  state.intervals.push(interval);

  const analysis = judgeAnalysis(state.intervals, policy, Number.POSITIVE_INFINITY);
  const outcome =
    analysis.status === 'failed'
      ? analysis
      : interval.verdict === 'pass'
        ? { ...analysis, status: 'passed' as const, reason: `the interval ending ${interval.at} passed` }
        : analysis;
  const decision = decideCanary(policy, state.weight, outcome);
  if (decision.action === 'advance') {
    state.awaiting = await deployStep(octokit, repo, state, {
      environment: state.environment,
      weight: decision.weight,
      description: `Shift ${state.model} ${state.version} to ${decision.weight}%`,
      production: false,
    });
  } else if (decision.action === 'promote') {
    await promoteCanary(octokit, repo, state);
    state.status = 'promoted';
    await completeCheckRun(
      octokit,
      repo,
      state,
      'success',
      `${state.model} ${state.version} promoted`,
      decision.reason,
    );
  } else if (decision.action === 'rollback') {
    await octokit.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: state.deploymentId,
      state: 'failure',
      description: `canary failed: ${decision.reason}`.slice(0, 140),
    });
    state.status = 'failed';
    const revert = await revertFailedCanary(octokit, repo, state, step.report, step.autoMerge);
    if ('url' in revert) state.revertUrl = revert.url;
    await completeCheckRun(
      octokit,
      repo,
      state,
      'failure',
      `${state.model} ${state.version}: canary failed`,
      decision.reason,
    );
  }
  await writeCanaryState(octokit, repo, state, policy, trust);
  return true;
}
