import type { NewestStatus } from '../core/rollout/liveness.js';
import type { Octokit } from '../io/github/octokit.js';

type Repo = { owner: string; repo: string };

/**
 * The newest status of a deployment (GitHub lists them newest first), or
 * undefined when it has none. A webhook's deployment_status is only the
 * status that delivery carried: GitHub does not order deliveries, and
 * redelivers old ones for days, so what a deployment is now is asked here.
 * One request.
 */
export async function newestDeploymentStatus(
  octokit: Octokit,
  repo: Repo,
  deploymentId: number,
): Promise<NewestStatus | undefined> {
  const { data } = await octokit.rest.repos.listDeploymentStatuses({
    ...repo,
    deployment_id: deploymentId,
    per_page: 1,
  });
  const newest = data[0];
  return newest && { state: newest.state, description: newest.description ?? '' };
}
