import { COMMIT_ID, readDeploymentPayload } from '../core/release/plan.js';
import type { Octokit } from '../io/github/octokit.js';
import { readCanaryComment, type CanaryComment } from './canary-comment.js';
import type { AppTrust } from './trust.js';

type Repo = { owner: string; repo: string };
/** A deployment as GitHub lists it. */
export type Deployment = Awaited<ReturnType<Octokit['rest']['repos']['listDeployments']>>['data'][number];

/** Pages of 100 deployments the app reads at most: the repository's 300 newest. */
const DEPLOYMENT_PAGES = 3;

/**
 * The repository's newest deployments, newest first: pages of 100 (at most
 * DEPLOYMENT_PAGES), read until `enough` holds. Other tools' deployments
 * (previews of a docs site, say) share the list, so one page may hold none
 * of a model's.
 */
export async function newestDeployments(
  octokit: Octokit,
  repo: Repo,
  enough: (deployment: Deployment) => boolean = () => false,
): Promise<Deployment[]> {
  const seen: Deployment[] = [];
  let page = 0;
  for await (const { data } of octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
    ...repo,
    per_page: 100,
  })) {
    seen.push(...data);
    if (++page >= DEPLOYMENT_PAGES || data.some(enough)) break;
  }
  return seen;
}

/** The newest modelgate deployment of each model (of `model` alone, when given), among the repository's newest. */
export async function latestDeployments(
  octokit: Octokit,
  repo: Repo,
  model?: string,
): Promise<Map<string, Deployment>> {
  const deployments = await newestDeployments(
    octokit,
    repo,
    model === undefined ? undefined : (d) => readDeploymentPayload(d.payload)?.model === model,
  );
  const latest = new Map<string, Deployment>();
  for (const deployment of deployments) {
    const payload = readDeploymentPayload(deployment.payload);
    if (payload && !latest.has(payload.model)) latest.set(payload.model, deployment); // GitHub lists newest first
  }
  return latest;
}

/**
 * The release commit a deployment belongs to: its payload's trigger when that
 * is a commit, else the commit it deploys. They differ for a switch back,
 * which deploys the baseline's commit for the rollout of the candidate's.
 */
export function rolloutCommitOf(deployment: Deployment): string {
  const trigger = readDeploymentPayload(deployment.payload)?.trigger;
  return trigger && COMMIT_ID.test(trigger) ? trigger : deployment.sha;
}

/** The pull request a release commit came from (the merged one, if several). */
export async function pullRequestOf(octokit: Octokit, repo: Repo, sha: string): Promise<number | undefined> {
  const pulls = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha });
  return (pulls.data.find((p) => p.merged_at) ?? pulls.data[0])?.number;
}

/**
 * The canary of a model's newest deployment (of the rollout it belongs to: a
 * switch back is its failed rollout's): the app's report comment and the
 * state it believes there, if any. A report it cannot believe gets a judgment
 * scheduled at once, which restarts the analysis (paused) from GitHub's
 * deployments, as a scheduled judgment that meets it would.
 */
export async function findCanary(
  octokit: Octokit,
  repo: Repo,
  model: string,
  trust: AppTrust,
  now: Date,
): Promise<CanaryComment> {
  const deployment = (await latestDeployments(octokit, repo, model)).get(model);
  if (!deployment) return undefined;
  const pr = await pullRequestOf(octokit, repo, rolloutCommitOf(deployment));
  if (pr === undefined) return undefined;
  const comment = await readCanaryComment(octokit, repo, pr, model, trust);
  if (comment && 'untrusted' in comment)
    await trust.schedule?.(repo, { pr, model }, { at: now, status: 'running', since: now });
  return comment;
}
