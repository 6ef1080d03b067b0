import { fingerprint } from '../core/integrity/seal.js';
import type { IgnoredItem } from '../core/integrity/notice.js';
import { guardMarkdown } from '../core/guard/report.js';
import { decodeGuardState, encodeGuardState, type GuardState } from '../core/guard/state.js';
import { nextGuardWake } from '../core/guard/step.js';
import type { GuardPolicy } from '../core/manifest/guard.js';
import { readDeploymentPayload } from '../core/release/plan.js';
import { inertMarkdown } from '../core/report/escape.js';
import { stickyMarker } from '../core/report/sticky.js';
import { findStickyComment, upsertStickyComment } from '../io/github/comments.js';
import { statusOf, type Octokit } from '../io/github/octokit.js';
import { reportIgnored, type AppTrust } from './trust.js';

type Repo = { owner: string; repo: string };

/** The app's guard comment of a model: the state when it is believed, why not, or undefined when there is none. */
export type GuardComment =
  { state: GuardState; url: string } | { untrusted: string; url?: string } | undefined;

const repository = (repo: Repo) => `${repo.owner}/${repo.repo}`;
/** The guard's sticky comment marker (its own: the canary's report stays as it ended). */
const guardMarker = (model: string) => stickyMarker('guard', model);
/** The guard's check run on the release commit: only the app can write it, so it anchors the state saved last. */
export const guardCheckName = (model: string) => `modelgate guard: ${model}`;

/**
 * Reads the guard state of a model on a pull request under the same rules as
 * a canary's: the app's own comment, a MAC that verifies for this repository
 * and pull request, the shape of a guard state, the production deployment it
 * names agreeing with GitHub, and the check run holding this state's digest
 * being the app's newest guard check run of the model on that commit (an
 * older sealed state put back from the edit history does not count, nor one
 * from before the guard restarted).
 * What fails is logged and said once on the pull request, and not acted on.
 */
export async function readGuardComment(
  octokit: Octokit,
  repo: Repo,
  pr: number,
  model: string,
  trust: AppTrust,
): Promise<GuardComment> {
  const { own, strangers } = await findStickyComment(octokit, repo, pr, guardMarker(model), trust.self);
  const ignored: IgnoredItem[] = strangers.map((c) => ({
    key: `comment:${c.id}`,
    text: `comment ${c.html_url} carries the marker of modelgate's production guard for **${inertMarkdown(model)}**, but modelgate did not write it: it was not read.`,
  }));
  let read: GuardComment;
  if (own) {
    const decoded = decodeGuardState(own.body ?? '', trust.key, { repository: repository(repo), pr });
    const problem =
      'problem' in decoded
        ? decoded.problem
        : await disagreement(octokit, repo, decoded.state, decoded.anchor, model, trust);
    if (problem || 'problem' in decoded) {
      read = { untrusted: problem ?? 'unreadable', url: own.html_url };
      ignored.push({
        key: `guard-state:${own.id}:${fingerprint(own.body ?? '')}`,
        text: `the state in modelgate's guard report ${own.html_url} was not acted on: ${inertMarkdown(problem ?? '')}. While the release is still in production, the guard restarts paused from GitHub (the promotion in the canary's report and the deployments) and judges nothing until a person comments \`/guard resume\`; otherwise watch production by hand.`,
      });
    } else read = { state: decoded.state, url: own.html_url };
  } else if (strangers.length)
    read = {
      untrusted: `modelgate's own guard report is missing and ${strangers.length} comment(s) by others carry its marker`,
    };
  await reportIgnored(octokit, repo, pr, model, ignored, trust);
  return read;
}

async function disagreement(
  octokit: Octokit,
  repo: Repo,
  state: GuardState,
  anchor: string,
  model: string,
  trust: AppTrust,
): Promise<string | undefined> {
  if (state.model !== model) return `it holds the guard state of ${state.model}, not of ${model}`;
  const deployment = await octokit.rest.repos
    .getDeployment({ ...repo, deployment_id: state.deploymentId })
    .catch((error) => {
      if (statusOf(error) === 404) return undefined;
      throw error;
    });
  if (!deployment) return `deployment ${state.deploymentId} does not exist in this repository`;
  const { sha, environment, payload } = deployment.data;
  const deployed = readDeploymentPayload(payload);
  if (
    sha !== state.sha ||
    environment !== state.productionEnvironment ||
    deployed?.model !== state.model ||
    deployed.version !== state.version
  )
    return `deployment ${state.deploymentId} is not the production deployment of ${state.model} ${state.version} at ${state.sha.slice(0, 12)}`;
  if (!state.checkRunId) return 'it names no check run';
  // One list answers both questions: is this the state saved last in its check run, and is that check run
  // still the guard's newest on the commit (a restart starts a new one; states anchored in older ones are history).
  const runs = await guardCheckRuns(octokit, repo, state.sha, model, trust);
  const run = runs.find((r) => r.id === state.checkRunId);
  if (!run) return `its check run ${state.checkRunId} is not a check run of modelgate's guard on this commit`;
  if (run.external_id !== anchor)
    return 'it is not the state modelgate saved last (an earlier state put back by hand)';
  const newest = runs[0]!;
  if (newest.id !== run.id)
    return `its check run ${run.id} was superseded by a newer guard (check run ${newest.id})`;
  return undefined;
}

/**
 * The app's own guard check runs of a model on a commit, newest first (from
 * GitHub's first page of 100: a guard restarts far less often).
 */
export async function guardCheckRuns(
  octokit: Octokit,
  repo: Repo,
  sha: string,
  model: string,
  trust: AppTrust,
): Promise<{ id: number; external_id: string | null; status: string }[]> {
  const { data } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: sha,
    check_name: guardCheckName(model),
    filter: 'all',
    per_page: 100,
  });
  return data.check_runs
    .filter(
      (r) =>
        `${r.app?.slug}[bot]` === trust.self.login && r.head_sha === sha && r.name === guardCheckName(model),
    )
    .sort((a, b) => b.id - a.id);
}

/**
 * Writes the guard state, sealed, and its report into the app's guard
 * comment, anchors it in the check run, and schedules the next judgment (or
 * drops the job once the guard has ended). Returns the comment's address.
 */
export async function writeGuardState(
  octokit: Octokit,
  repo: Repo,
  state: GuardState,
  policy: Pick<GuardPolicy, 'interval' | 'baseline_days'>,
  trust: AppTrust,
): Promise<string> {
  const { line, anchor } = encodeGuardState(state, trust.key, { repository: repository(repo), pr: state.pr });
  const comment = await upsertStickyComment(
    octokit,
    repo,
    state.pr,
    guardMarker(state.model),
    `${line}\n${guardMarkdown(state)}`,
    trust.self,
  );
  if (state.checkRunId)
    await octokit.rest.checks.update({ ...repo, check_run_id: state.checkRunId, external_id: anchor });
  await trust.scheduleGuard?.(repo, { pr: state.pr, model: state.model }, nextGuardWake(state, policy));
  return comment.url;
}
