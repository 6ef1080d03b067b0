import { canaryReportOf } from '../core/canary/report-state.js';
import { decodeState, encodeState, type CanaryState } from '../core/canary/state.js';
import { nextWake } from '../core/canary/step.js';
import {
  nextRolloutJudgment,
  plannerOf,
  strategySection,
  type RolloutManifest,
} from '../core/rollout/planner.js';
import { fingerprint } from '../core/integrity/seal.js';
import type { IgnoredItem } from '../core/integrity/notice.js';
import { readDeploymentPayload } from '../core/release/plan.js';
import { canaryMarkdown } from '../core/report/canary.js';
import { inertMarkdown } from '../core/report/escape.js';
import { stickyMarker } from '../core/report/sticky.js';
import { findStickyComment, upsertStickyComment, type StickyComment } from '../io/github/comments.js';
import { statusOf, type Octokit } from '../io/github/octokit.js';
import { reportIgnored, type AppTrust } from './trust.js';

type Repo = { owner: string; repo: string };

/**
 * The app's canary comment of a model on a pull request: the state it holds
 * when it is believed, or why it is not (`untrusted`; also when the app's
 * comment is gone and others carry its marker). Undefined when there is no
 * canary comment at all.
 */
export type CanaryComment =
  { state: CanaryState; url: string } | { untrusted: string; url?: string } | undefined;

const repository = (repo: Repo) => `${repo.owner}/${repo.repo}`;
const mention = (c: StickyComment) => (c.user ? `@\u200b${c.user.login}` : 'a deleted account');

/**
 * Reads the canary state of a model on a pull request, believing it only
 * when every check passes: the comment is the app's own (a stranger's comment
 * with the same marker is ignored), its MAC verifies for this repository and
 * pull request, it has the shape of a state, the deployments it names are
 * this model's and version's at the same commit, ref and environment, and the
 * check run (which only the app can write) says it is the state saved last.
 * What fails is logged and reported once on the pull request.
 */
export async function readCanaryComment(
  octokit: Octokit,
  repo: Repo,
  pr: number,
  model: string,
  trust: AppTrust,
): Promise<CanaryComment> {
  const marker = stickyMarker('canary', model);
  const { own, strangers } = await findStickyComment(octokit, repo, pr, marker, trust.self);
  const ignored: IgnoredItem[] = strangers.map((c) => ({
    key: `comment:${c.id}`,
    text: `comment ${c.html_url} by ${mention(c)} carries the marker of modelgate's canary report for **${inertMarkdown(model)}**, but modelgate did not write it: it was not read.`,
  }));
  let read: CanaryComment;
  if (own) {
    const decoded = decodeState(own.body ?? '', trust.key, { repository: repository(repo), pr });
    const problem =
      'problem' in decoded
        ? decoded.problem.detail
        : await disagreement(octokit, repo, decoded.state, decoded.anchor, model, trust);
    if (problem) {
      read = { untrusted: problem, url: own.html_url };
      ignored.push({
        key: `state:${own.id}:${fingerprint(own.body ?? '')}`,
        text: `the state in modelgate's report ${own.html_url} was not acted on: ${inertMarkdown(problem)}. The analysis restarts, paused, at the step GitHub's deployments show: /canary resume goes on.`,
      });
    } else if ('state' in decoded) read = { state: decoded.state, url: own.html_url };
  } else if (strangers.length)
    read = {
      untrusted: `modelgate's own report is missing and ${strangers.length} comment(s) by others carry its marker`,
    };
  await reportIgnored(octokit, repo, pr, model, ignored, trust);
  return read;
}

/**
 * Why a sealed state does not agree with what GitHub says, or undefined when
 * it does: its deployments, and the state anchor in its check run.
 */
async function disagreement(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  anchor: string,
  model: string,
  trust: AppTrust,
): Promise<string | undefined> {
  if (state.model !== model) return `it holds the state of ${state.model}, not of ${model}`;
  const claim = `${state.model} ${state.version} at ${state.ref} (${state.sha.slice(0, 12)}) in ${state.environment}`;
  for (const id of [state.deploymentId, ...(state.awaiting ? [state.awaiting] : [])]) {
    const deployment = await octokit.rest.repos
      .getDeployment({ ...repo, deployment_id: id })
      .catch((error) => {
        if (statusOf(error) === 404) return undefined;
        throw error;
      });
    if (!deployment) return `deployment ${id} does not exist in this repository`;
    const { sha, ref, environment, payload } = deployment.data;
    const deployed = readDeploymentPayload(payload);
    // A blue-green rollout's deployments are its preview and, once it switches, production.
    const environments =
      state.strategy === 'blue_green'
        ? [state.environment, state.productionEnvironment]
        : [state.environment];
    if (
      sha !== state.sha ||
      ref !== state.ref ||
      !environments.includes(environment) ||
      deployed?.model !== state.model ||
      deployed.version !== state.version
    )
      return `deployment ${id} is ${deployed ? `${deployed.model} ${deployed.version}` : 'not a modelgate deployment'} at ${ref} (${sha.slice(0, 12)}) in ${environment}, and the state says ${claim}`;
  }
  if (!state.checkRunId) return 'it names no check run';
  const run = await octokit.rest.checks.get({ ...repo, check_run_id: state.checkRunId }).catch((error) => {
    if (statusOf(error) === 404) return undefined;
    throw error;
  });
  if (!run) return `its check run ${state.checkRunId} does not exist`;
  if (run.data.head_sha !== state.sha) return `its check run ${state.checkRunId} is on another commit`;
  if (run.data.external_id !== anchor)
    return 'it is not the state modelgate saved last (an earlier state put back by hand)';
  // A restart starts a new check run; the states anchored in older ones are history, never the present.
  const { data: runs } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: state.sha,
    check_name: run.data.name,
    filter: 'all',
    per_page: 100,
  });
  const newest = Math.max(
    ...runs.check_runs.filter((r) => `${r.app?.slug}[bot]` === trust.self.login).map((r) => r.id),
  );
  if (newest > state.checkRunId)
    return `its check run ${state.checkRunId} was superseded by a newer analysis (check run ${newest})`;
  return undefined;
}

/**
 * Writes the state, sealed, and the report it implies into the app's one
 * canary comment of the model (never into anyone else's), then anchors the
 * state in the check run. A crash between the two leaves a state that is no
 * longer believed: the analysis restarts from GitHub's deployments, it is
 * never steered by a stale state. `manifest` is the release's (its canary
 * and rollout policy).
 */
export async function writeCanaryState(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  manifest: RolloutManifest | undefined,
  trust: AppTrust,
): Promise<string> {
  const { line, anchor } = encodeState(state, trust.key, { repository: repository(repo), pr: state.pr });
  const comment = await upsertStickyComment(
    octokit,
    repo,
    state.pr,
    stickyMarker('canary', state.model),
    `${line}\n${rolloutReport(state, manifest)}`,
    trust.self,
  );
  if (state.checkRunId)
    await octokit.rest.checks.update({ ...repo, check_run_id: state.checkRunId, external_id: anchor });
  const planner = plannerOf(state, manifest);
  const judgment = 'problem' in planner ? undefined : nextRolloutJudgment(state, planner);
  await trust.schedule?.(repo, { pr: state.pr, model: state.model }, nextWake(state, judgment));
  return comment.url;
}

/** The report of a rollout: the strategy's section, then the canary's intervals when there are any. */
function rolloutReport(state: CanaryState, manifest: RolloutManifest | undefined): string {
  const canary = canaryMarkdown(canaryReportOf(state, manifest?.canary ?? {}));
  const section = strategySection(state, manifest);
  const parts = section ? [section, ...(state.intervals.length ? [canary] : [])] : [canary];
  // A rollout the app ended because its deployment is gone (the A/B section says who ended it already).
  if (state.status === 'failed' && state.endedBy && state.strategy !== 'ab')
    parts.push(
      `Ended by @\u200b${inertMarkdown(state.endedBy.by)}: ${inertMarkdown(state.endedBy.link)}. Nothing more is judged.`,
    );
  if (state.revertUrl) parts.push(`Revert pull request: ${state.revertUrl}`);
  else if (state.revertProblem)
    parts.push(`No revert pull request was opened: ${inertMarkdown(state.revertProblem)}`);
  return parts.join('\n\n');
}

/** The check run that mirrors a model's rollout on its release commit. */
export const canaryCheckName = (model: string) => `modelgate canary: ${model}`;

/**
 * Whether the app's newest rollout check run of `model` on `sha` is still in
 * progress: a rollout was running there. With its report gone, the report
 * was deleted, which is no way to stop a rollout (`/canary abort` is).
 */
export async function rolloutStillRunning(
  octokit: Octokit,
  repo: Repo,
  sha: string,
  model: string,
  trust: AppTrust,
): Promise<boolean> {
  const { data } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: sha,
    check_name: canaryCheckName(model),
    filter: 'all',
    per_page: 100,
  });
  const [newest] = data.check_runs
    .filter((r) => `${r.app?.slug}[bot]` === trust.self.login && r.head_sha === sha)
    .sort((a, b) => b.id - a.id);
  return newest?.status === 'in_progress';
}

/** The pause of a rollout restarted because its report is gone: said in the new report. */
export const reportGone = (pr: number, trust: AppTrust, at: Date) => ({
  by: trust.self.login,
  at: at.toISOString(),
  link: `the rollout's report on pull request #${pr} is gone (deleted)`,
});
