import { decideCanary } from '../core/canary/decide.js';
import { judgeAnalysis, judgeInterval, type CanaryPolicy, type MetricData } from '../core/canary/judge.js';
import type { CanaryState } from '../core/canary/state.js';
import { assignmentTag, parseRegistryTag } from '../core/registry/tag-names.js';
import type { Octokit } from '../io/github/octokit.js';
import { githubReleaseApi } from '../io/github/release-api.js';
import { collectMetrics } from '../io/metrics/prometheus.js';
import { readCanaryState, writeCanaryState } from './canary-comment.js';
import type { AppConfig } from './config.js';
import { readManifestAt } from './manifest.js';
import { revertFailedCanary } from './revert.js';
import { readDeploymentPayload } from '../core/release/plan.js';

type Repo = { owner: string; repo: string };

const DURATION = /^(\d+)(s|m|h)$/;
/** `10m` -> 600000 (the manifest's canary.interval; default 10 minutes). */
export function intervalMs(interval: string | undefined): number {
  const match = DURATION.exec(interval ?? '10m');
  if (!match) return 600_000;
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
}

/**
 * One tick for one repository: every running canary whose next interval is
 * due is judged, reported, and moved on (next step, promotion or rollback).
 * All state is read from and written to GitHub, so any replica or a
 * restarted app picks up where the last one stopped.
 */
export async function tickRepository(
  octokit: Octokit,
  repo: Repo,
  config: AppConfig,
  now: Date = new Date(),
): Promise<number> {
  const { data: deployments } = await octokit.rest.repos.listDeployments({ ...repo, per_page: 50 });
  const latest = new Map<string, (typeof deployments)[number]>();
  for (const deployment of deployments) {
    const payload = readDeploymentPayload(deployment.payload);
    if (payload && !latest.has(payload.model)) latest.set(payload.model, deployment); // GitHub lists newest first
  }
  let judged = 0;
  for (const [model, deployment] of latest) {
    const pulls = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: deployment.sha,
    });
    const pr = pulls.data.find((p) => p.merged_at) ?? pulls.data[0];
    if (!pr) continue;
    const state = await readCanaryState(octokit, repo, pr.number, model);
    if (!state || state.status !== 'running' || state.awaiting) continue;
    const manifest = await readManifestAt(octokit, repo, state.manifest, state.ref);
    const policy = manifest?.canary;
    if (!policy?.metrics?.length) continue;
    if (
      await advanceAnalysis(
        octokit,
        repo,
        state,
        policy,
        config,
        now,
        manifest?.rollback?.mode === 'auto_merge',
      )
    )
      judged += 1;
  }
  return judged;
}

/** Judges the next interval of one canary when it is due, and acts on the outcome. */
export async function advanceAnalysis(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  policy: CanaryPolicy,
  config: AppConfig,
  now: Date,
  autoMerge = false,
): Promise<boolean> {
  const length = intervalMs(policy.interval);
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
  const step =
    analysis.status === 'failed'
      ? analysis
      : interval.verdict === 'pass'
        ? { ...analysis, status: 'passed' as const, reason: `the interval ending ${interval.at} passed` }
        : analysis;
  const decision = decideCanary(policy, state.weight, step);
  const api = githubReleaseApi(octokit, repo);
  const checkRun = async (conclusion: 'success' | 'failure', title: string) => {
    if (state.checkRunId)
      await octokit.rest.checks.update({
        ...repo,
        check_run_id: state.checkRunId,
        status: 'completed',
        conclusion,
        output: { title, summary: decision.reason },
      });
  };

  // A tick that died after acting but before saving its state finds its own work on the next try.
  const ownDeployment = async (environment: string, weight: number) => {
    const { data: earlier } = await octokit.rest.repos.listDeployments({
      ...repo,
      environment,
      ref: state.ref,
      per_page: 20,
    });
    return earlier.find((d) => {
      const p = readDeploymentPayload(d.payload);
      return p?.version === state.version && p.weight === weight && p.trigger === state.trigger;
    })?.id;
  };
  const deploy = async (environment: string, weight: number, description: string, production: boolean) =>
    (await ownDeployment(environment, weight)) ??
    (
      await api.createDeployment({
        ref: state.ref,
        environment,
        payload: {
          model: state.model,
          version: state.version,
          weight,
          manifest: state.manifest,
          trigger: state.trigger,
        },
        description,
        production,
      })
    ).id;

  if (decision.action === 'advance') {
    state.awaiting = await deploy(
      state.environment,
      decision.weight,
      `Shift ${state.model} ${state.version} to ${decision.weight}%`,
      false,
    );
  } else if (decision.action === 'promote') {
    const stage = state.productionStage ?? 'production';
    const { data: refs } = await octokit.rest.git.listMatchingRefs({ ...repo, ref: `tags/${state.model}#` });
    const numbered = refs.flatMap((r) => {
      const t = parseRegistryTag(r.ref.replace(/^refs\/tags\//, ''));
      return t &&
        t.name === state.model &&
        (t.action === 'assign' || t.action === 'unassign') &&
        t.number !== undefined
        ? [{ action: t.action, stage: t.stage, number: t.number }]
        : [];
    });
    const highest = Math.max(0, ...numbered.map((t) => t.number));
    // Already promoted by a tick that did not get to save: one of the latest production tags is on this commit.
    const recent = numbered
      .filter((t) => t.action === 'assign' && t.stage === stage)
      .sort((x, y) => y.number - x.number)
      .slice(0, 3);
    let promoted = false;
    for (const t of recent)
      if ((await api.tagCommit(assignmentTag(state.model, stage, t.number))) === state.sha) promoted = true;
    if (!promoted) {
      await api.createTag(
        assignmentTag(state.model, stage, highest + 1),
        state.sha,
        `Promote ${state.model} ${state.version} to ${stage}\n\nCanary passed every step (pull request #${state.pr}).\nTrigger: ${state.trigger}`,
      );
    }
    await deploy(state.productionEnvironment, 100, `Promote ${state.model} ${state.version}`, true);
    state.status = 'promoted';
    await checkRun('success', `${state.model} ${state.version} promoted`);
  } else if (decision.action === 'rollback') {
    await octokit.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: state.deploymentId,
      state: 'failure',
      description: `canary failed: ${decision.reason}`.slice(0, 140),
    });
    state.status = 'failed';
    const comment = `https://github.com/${repo.owner}/${repo.repo}/pull/${state.pr}`;
    const revert = await revertFailedCanary(octokit, repo, state, comment, autoMerge);
    if ('url' in revert) state.revertUrl = revert.url;
    await checkRun('failure', `${state.model} ${state.version}: canary failed`);
  }
  await writeCanaryState(octokit, repo, state, policy);
  return true;
}
