import type { CanaryState, Steer } from '../core/canary/state.js';
import { readDeploymentPayload, type DeploymentPayload } from '../core/release/plan.js';
import { releaseTag } from '../core/registry/tag-names.js';
import type { Octokit } from '../io/github/octokit.js';
import { githubReleaseApi } from '../io/github/release-api.js';
import { findReleaseManifest } from './manifest.js';
import { deploymentDescription } from '../core/release/deployment-description.js';
import { guardExclusively, type AppTrust } from './trust.js';
import { latestDeployments } from './canaries.js';
import { takesAllTraffic } from '../core/deploy/plan.js';

type Repo = { owner: string; repo: string };

/** The fields of the Deployment payload a strategy adds (docs/deploy.md). */
export type StrategyFields = Partial<
  Pick<DeploymentPayload, 'strategy' | 'mirror' | 'role' | 'scale_down_delay'>
>;

/**
 * Creates the deployment of a canary step (or of the promotion) unless it
 * exists: a tick or a command that died after deploying, and before saving its
 * state, finds its own deployment on the next try instead of shifting twice.
 */
export async function deployStep(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  step: {
    environment: string;
    weight: number;
    description: string;
    production: boolean;
    steer?: Steer;
    /** A strategy's fields of the payload (strategy, mirror, role, scale_down_delay). */
    strategy?: StrategyFields;
  },
): Promise<number> {
  const { data: earlier } = await octokit.rest.repos.listDeployments({
    ...repo,
    environment: step.environment,
    ref: state.ref,
    per_page: 20,
  });
  const own = earlier.find((d) => {
    const p = readDeploymentPayload(d.payload);
    return (
      p?.version === state.version &&
      p.weight === step.weight &&
      p.trigger === state.trigger &&
      p.mirror === step.strategy?.mirror &&
      p.role === step.strategy?.role
    );
  });
  if (own) return own.id;
  const payload: DeploymentPayload = {
    model: state.model,
    version: state.version,
    weight: step.weight,
    manifest: state.manifest,
    trigger: state.trigger,
    ...step.strategy,
    ...(step.steer ? { requested_by: step.steer.by, request: step.steer.link } : {}),
  };
  const created = await githubReleaseApi(octokit, repo).createDeployment({
    ref: state.ref,
    environment: step.environment,
    payload,
    description: deploymentDescription(step.description),
    production: step.production,
  });
  return created.id;
}

/**
 * All traffic back to the version the rollout replaced (the baseline): a
 * production deployment of it at 100 %, unless it exists. Blue-green's switch
 * back (role `active`), and a failed canary, shadow or B taken out of
 * traffic. Only while the rollout's own deployment is the model's newest, in
 * any environment: a newer one (the production guard's rollback, a deployment
 * by hand) routes the model already, and the baseline would undo it. Under
 * the guard's hold, as a promotion, so no guard judgment interleaves. With no
 * baseline (a first release: nothing to switch back to), the rollout's own
 * deployment is marked failed instead. Returns why nothing was switched back,
 * when it was not.
 */
export async function switchBack(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  description: string,
  trust: AppTrust,
): Promise<string | undefined> {
  return guardExclusively(trust, repo, state.model, async () => {
    const newest = await newestDeploymentOf(octokit, repo, state.model);
    const ours =
      !newest ||
      newest.id === state.deploymentId ||
      newest.id === state.awaiting ||
      (newest.payload.trigger === state.trigger && newest.payload.version === state.baselineVersion);
    // Production's own newest deployment of all its traffic: a version other than the baseline, not the
    // rollout's own, means production moved on since the rollout began (the guard's rollback of the
    // baseline, say): going back to the baseline would undo it.
    const production = await newestProductionDeployment(
      octokit,
      repo,
      state.productionEnvironment,
      state.model,
    );
    const live = readDeploymentPayload(production?.payload);
    const movedOn = live && live.trigger !== state.trigger && live.version !== state.baselineVersion;
    if (!ours || movedOn) {
      const [id, version] = !ours ? [newest.id, newest.payload.version] : [production!.id, live!.version];
      const why = `${state.model} ${state.version} was not switched back: deployment ${id} (${version}) routes the model already`;
      trust.warn(`${repo.owner}/${repo.repo}: ${why}`);
      return why;
    }
    await switchBackNow(octokit, repo, state, description);
    return undefined;
  });
}

/** The model's newest modelgate deployment in any environment, among the repository's newest. */
async function newestDeploymentOf(octokit: Octokit, repo: Repo, model: string) {
  const deployment = (await latestDeployments(octokit, repo, model)).get(model);
  return deployment && { id: deployment.id, payload: readDeploymentPayload(deployment.payload)! };
}

async function switchBackNow(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  description: string,
): Promise<void> {
  if (!state.baselineVersion) {
    await octokit.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: state.deploymentId,
      state: 'failure',
      description: deploymentDescription(description),
    });
    return;
  }
  const ref = releaseTag(state.model, state.baselineVersion);
  // The payload names blue's own manifest at its tag (the deployment contract): the model may have moved
  // since, and green's path may hold another model there. Not found, blue still goes back (it is the safe
  // side) under the path the rollout knows, as before: nginx and the Gateway API route by model and version;
  // KServe refuses a manifest the tag does not record (docs/deploy.md), and the guard's look then alerts.
  const found = await findReleaseManifest(octokit, repo, {
    model: state.model,
    tag: ref,
    version: state.baselineVersion,
    likely: [state.manifest],
  });
  const blue = {
    ...state,
    version: state.baselineVersion,
    ref,
    manifest: 'path' in found ? found.path : state.manifest,
  };
  await deployStep(octokit, repo, blue, {
    environment: state.productionEnvironment,
    weight: 100,
    description,
    production: true,
    ...(state.strategy === 'blue_green' ? { strategy: { strategy: 'blue_green', role: 'active' } } : {}),
  });
}

/** How many of an environment's newest deployments are searched for a model's newest. */
const PRODUCTION_PAGE = 100;

/**
 * The newest deployment of a model's production traffic, all of it (a
 * promotion, a rollback, a switch back: weight 100 without a mirror, or a
 * blue-green `active`), among the production environment's 100 newest, or
 * undefined. A rollout step in production (a repository whose only stage is
 * production) splits against it and replaces nothing.
 */
export async function newestProductionDeployment(
  octokit: Octokit,
  repo: Repo,
  environment: string,
  model: string,
): Promise<{ id: number; sha: string; payload: unknown } | undefined> {
  const { data } = await octokit.rest.repos.listDeployments({
    ...repo,
    environment,
    per_page: PRODUCTION_PAGE,
  });
  return data.find((d) => {
    const payload = readDeploymentPayload(d.payload);
    return payload?.model === model && takesAllTraffic(payload);
  });
}
