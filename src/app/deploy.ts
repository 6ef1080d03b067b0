import type { CanaryState, Steer } from '../core/canary/state.js';
import { readDeploymentPayload, type DeploymentPayload } from '../core/release/plan.js';
import type { Octokit } from '../io/github/octokit.js';
import { githubReleaseApi } from '../io/github/release-api.js';

type Repo = { owner: string; repo: string };

/**
 * Creates the deployment of a canary step (or of the promotion) unless it
 * exists: a tick or a command that died after deploying, and before saving its
 * state, finds its own deployment on the next try instead of shifting twice.
 */
export async function deployStep(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  step: { environment: string; weight: number; description: string; production: boolean; steer?: Steer },
): Promise<number> {
  const { data: earlier } = await octokit.rest.repos.listDeployments({
    ...repo,
    environment: step.environment,
    ref: state.ref,
    per_page: 20,
  });
  const own = earlier.find((d) => {
    const p = readDeploymentPayload(d.payload);
    return p?.version === state.version && p.weight === step.weight && p.trigger === state.trigger;
  });
  if (own) return own.id;
  const payload: DeploymentPayload = {
    model: state.model,
    version: state.version,
    weight: step.weight,
    manifest: state.manifest,
    trigger: state.trigger,
    ...(step.steer ? { requested_by: step.steer.by, request: step.steer.link } : {}),
  };
  const created = await githubReleaseApi(octokit, repo).createDeployment({
    ref: state.ref,
    environment: step.environment,
    payload,
    description: step.description.slice(0, 140),
    production: step.production,
  });
  return created.id;
}
