import type { Octokit } from '../io/github/octokit.js';
import { latestDeployments, pullRequestOf, rolloutCommitOf } from './canaries.js';
import { guardTargets } from './guards.js';
import type { AppTrust } from './trust.js';

type Repo = { owner: string; repo: string };

/**
 * Finds the canaries and production guards of one repository from GitHub
 * alone (the newest deployment of each model and its newest production
 * deployment, the pull requests they came from) and gives each a job now.
 * The job reads the app's report under its own key, as every judgment does,
 * so recovery never judges beside a running job: it judges what is due,
 * reschedules the rest, ends the ones that have finished, and restarts
 * (paused) a guard whose state cannot be believed. This is how the app
 * rebuilds its schedule when it has none (a first start, a restart of the
 * embedded scheduler); it is never part of normal work, which is driven by
 * webhooks and the schedule. Returns how many jobs it scheduled.
 */
export async function reconcileRepository(
  octokit: Octokit,
  repo: Repo,
  now: Date,
  trust: AppTrust,
): Promise<number> {
  let scheduled = 0;
  for (const [model, deployment] of await latestDeployments(octokit, repo)) {
    const pr = await pullRequestOf(octokit, repo, rolloutCommitOf(deployment));
    if (pr === undefined) continue;
    await trust.schedule?.(repo, { pr, model }, { at: now, status: 'running', since: now });
    scheduled += 1;
  }
  if (trust.scheduleGuard)
    for (const guard of await guardTargets(octokit, repo)) {
      // A model without a guard costs its job one read of the pull request's comments, then nothing.
      await trust.scheduleGuard(repo, guard, now);
      scheduled += 1;
    }
  return scheduled;
}
