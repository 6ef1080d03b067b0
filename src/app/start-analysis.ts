import type { Context } from 'probot';
import type { CanaryState } from '../core/canary/state.js';
import { readDeploymentPayload } from '../core/release/plan.js';
import { readManifestAt } from './manifest.js';
import { asOctokit } from './octokit.js';
import { settingsOrDefaults } from './settings.js';
import { pullRequestOf } from './canaries.js';
import { readCanaryState, writeCanaryState } from './canary-comment.js';

/** The last stage's environment in the naming of `environment`: production for canary, <model>/production for <model>/canary. */
export function lastStageEnvironment(environment: string, stage: string): string {
  const slash = environment.lastIndexOf('/');
  return slash < 0 ? stage : `${environment.slice(0, slash)}/${stage}`;
}

/**
 * deployment_status: when the deployer reports a modelgate canary deployment
 * live, the analysis starts (or, for the next step's deployment, resumes).
 * The state goes into the sticky comment of the pull request that introduced
 * the version; a duplicate delivery finds it there and does nothing.
 */
export async function startAnalysis(
  context: Context<'deployment_status'>,
  now: () => Date = () => new Date(),
): Promise<void> {
  const { deployment, deployment_status: status } = context.payload;
  if (status.state !== 'success') return;
  const payload = readDeploymentPayload(deployment.payload);
  if (!payload) return; // not a modelgate deployment
  const octokit = asOctokit(context.octokit);
  const repo = context.repo();
  const settings = await settingsOrDefaults(octokit, repo, deployment.sha);
  const productionStage = settings.stages.at(-1)!;
  const production =
    settings.environments[productionStage] ?? lastStageEnvironment(deployment.environment, productionStage);
  if (deployment.environment === production) return; // the promotion itself
  const pr = await pullRequestOf(octokit, repo, deployment.sha);
  if (pr === undefined) {
    context.log.info(
      `no pull request for ${deployment.sha}: ${payload.model} ${payload.version} is not analysed`,
    );
    return;
  }
  const existing = await readCanaryState(octokit, repo, pr, payload.model);
  if (existing?.deploymentId === deployment.id) return; // the same delivery again
  const manifest = await readManifestAt(octokit, repo, payload.manifest, deployment.ref);
  const policy = manifest?.canary;
  if (!policy?.metrics?.length) {
    context.log.info(`${payload.model} ${payload.version} has no canary.metrics: nothing to analyse`);
    return;
  }
  let state: CanaryState;
  if (existing && existing.version === payload.version && existing.status === 'running') {
    if (existing.awaiting !== deployment.id) return; // a deployment this analysis did not ask for
    state = {
      ...existing,
      deploymentId: deployment.id,
      weight: payload.weight,
      stepStartedAt: now().toISOString(),
      awaiting: undefined,
    };
  } else {
    if (existing && existing.version === payload.version) return; // finished already
    const previous = await octokit.rest.repos.listDeployments({
      ...repo,
      environment: production,
      per_page: 1,
    });
    const baseline = readDeploymentPayload(previous.data[0]?.payload)?.version;
    const check = await octokit.rest.checks.create({
      ...repo,
      name: `modelgate canary: ${payload.model}`,
      head_sha: deployment.sha,
      status: 'in_progress',
      output: {
        title: `${payload.model} ${payload.version}: canary running`,
        summary: `Traffic ${payload.weight}%`,
      },
    });
    state = {
      v: 1,
      model: payload.model,
      version: payload.version,
      ref: deployment.ref,
      sha: deployment.sha,
      manifest: payload.manifest,
      trigger: payload.trigger ?? deployment.sha,
      pr,
      environment: deployment.environment,
      productionEnvironment: production,
      productionStage,
      ...(baseline && baseline !== payload.version ? { baselineVersion: baseline } : {}),
      deploymentId: deployment.id,
      weight: payload.weight,
      stepStartedAt: now().toISOString(),
      intervals: [],
      status: 'running',
      checkRunId: check.data.id,
    };
  }
  await writeCanaryState(octokit, repo, state, policy);
}
