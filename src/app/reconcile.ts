import type { Octokit } from '../io/github/octokit.js';
import { latestDeployments, pullRequestOf } from './canaries.js';
import type { AppConfig } from './config.js';
import { judgeCanary } from './judge-canary.js';
import type { AppTrust } from './trust.js';

type Repo = { owner: string; repo: string };

/**
 * Finds the canaries of one repository from GitHub alone (its newest
 * deployments, the pull requests they came from, the app's reports there),
 * judges the ones that are due and schedules the rest. This is how the app
 * rebuilds its schedule when it has none (a first start, a restart of the
 * embedded scheduler); it is never part of normal work, which is driven by
 * webhooks and the schedule. Returns how many intervals it judged.
 */
export async function reconcileRepository(
  octokit: Octokit,
  repo: Repo,
  config: Pick<AppConfig, 'prometheusUrl' | 'prometheusAuthorization'>,
  now: Date,
  trust: AppTrust,
): Promise<number> {
  let judged = 0;
  for (const [model, deployment] of await latestDeployments(octokit, repo)) {
    const pr = await pullRequestOf(octokit, repo, deployment.sha);
    if (pr === undefined) continue;
    if ((await judgeCanary(octokit, repo, { pr, model }, config, now, trust)).judged) judged += 1;
  }
  return judged;
}
