import type { Context } from 'probot';
import type { CanaryState, NonCanaryStrategy, Steer } from '../core/canary/state.js';
import { startAbRecord } from '../core/ab/state.js';
import { startBlueGreenRecord } from '../core/blue-green/state.js';
import { newShadowRecord } from '../core/shadow/state.js';
import { plannerOf } from '../core/rollout/planner.js';
import {
  parseDeploymentPayload,
  readDeploymentPayload,
  type DeploymentPayload,
} from '../core/release/plan.js';
import { takesAllTraffic } from '../core/deploy/plan.js';
import { releasedManifestPathProblem } from '../core/release/manifest-line.js';
import { releaseTag } from '../core/registry/tag-names.js';
import { inertText } from '../core/report/escape.js';
import { githubDeployerApi } from '../io/deploy/deployer-api.js';
import type { Manifest } from '../core/manifest/schema.js';
import type { Octokit } from '../io/github/octokit.js';
import { newestDeploymentStatus } from './deployment-liveness.js';
import { readReleaseManifest } from './manifest.js';
import { asOctokit } from './octokit.js';
import { settingsOrDefaults } from './settings.js';
import { pullRequestOf, type Deployment } from './canaries.js';
import {
  canaryCheckName,
  readCanaryComment,
  reportGone,
  rolloutStillRunning,
  writeCanaryState,
  type CanaryComment,
} from './canary-comment.js';
import { exclusively, type AppTrust } from './trust.js';
import { GUARD_ROLLBACK_TRIGGER, guardRollbackOf } from './guards.js';
import { sayNotApplied } from './guard-rollback-look.js';

type Repo = { owner: string; repo: string };

/** The last stage's environment in the naming of `environment`: production for canary, <model>/production for <model>/canary. */
function lastStageEnvironment(environment: string, stage: string): string {
  const slash = environment.lastIndexOf('/');
  return slash < 0 ? stage : `${environment.slice(0, slash)}/${stage}`;
}

/** A modelgate canary deployment the deployer reports live, as GitHub has it. */
export interface LiveDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload: Omit<DeploymentPayload, 'trigger'> & { trigger?: string };
  /** The pull request that introduced the release commit. */
  pr: number;
  productionEnvironment: string;
  productionStage: string;
  /** The default branch's manifest globs: where a release tag without a `Manifest:` line has its manifest. */
  manifestGlobs: readonly string[];
}

/**
 * The production environment and stage of the repository's settings on the
 * default branch (never a deployment's commit: anyone with deployments: write
 * can deploy a branch), for a deployment's environment.
 */
async function productionOf(octokit: Octokit, repo: Repo, environment: string) {
  const settings = await settingsOrDefaults(octokit, repo);
  const stage = settings.stages.at(-1)!;
  return {
    stage,
    environment: settings.environments[stage] ?? lastStageEnvironment(environment, stage),
    manifests: settings.manifests,
  };
}

/**
 * deployment_status: when the deployer reports a modelgate canary deployment
 * live, the analysis starts (or, for the next step's deployment, resumes).
 * The state goes into the sticky comment of the pull request that introduced
 * the version; a duplicate delivery finds it there and does nothing. The
 * delivery's status is only what it carried: GitHub does not order
 * deliveries (and redelivers old ones), so nothing starts or moves on unless
 * the deployment's newest status at GitHub is success too. A success
 * delivered after the deployer failed the deployment changes nothing.
 * `appTrust` is asked only when there is a state to read.
 */
export async function startAnalysis(
  context: Context<'deployment_status'>,
  now: () => Date,
  appTrust: () => Promise<AppTrust>,
): Promise<void> {
  const { deployment, deployment_status: status } = context.payload;
  if (isUnappliedRollback(status.state, readDeploymentPayload(deployment.payload)?.trigger))
    return unappliedRollback(context, now, appTrust);
  if (status.state !== 'success') return;
  const octokit = asOctokit(context.octokit);
  const repo = context.repo();
  const step = await canaryStep(octokit, repo, deployment);
  if (!step) return; // not modelgate's, or the promotion itself
  const newest = await newestDeploymentStatus(octokit, repo, deployment.id);
  if (newest?.state !== 'success') {
    context.log.info(
      `deployment ${deployment.id} of ${step.payload.model} ${step.payload.version} is ${newest?.state ?? 'without a status'} now: its success delivery is out of date and starts nothing`,
    );
    return;
  }
  const pr = await pullRequestOf(octokit, repo, deployment.sha);
  if (pr === undefined) {
    context.log.info(
      `no pull request for ${deployment.sha}: ${step.payload.model} ${step.payload.version} is not analysed`,
    );
    return;
  }
  const trust = await appTrust();
  // The state changes (a new analysis, or the next step): not beside a judgment of the same canary.
  await exclusively(trust, repo, step.payload.model, async () => {
    const comment = await readCanaryComment(octokit, repo, pr, step.payload.model, trust);
    const info = context.log.info.bind(context.log);
    // Its own report, not believed: what it knew (a pause, failed intervals) is lost, so a person decides.
    // (Only strangers' comments with the marker: there was nothing of the app's to lose.)
    // No report at all while the rollout's check run runs: deleted, which stops nothing; a pause with it.
    const gone =
      !comment && (await rolloutStillRunning(octokit, repo, deployment.sha, step.payload.model, trust));
    const pause =
      comment && 'untrusted' in comment && comment.url
        ? { by: trust.self.login, at: now().toISOString(), link: comment.url }
        : gone
          ? reportGone(pr, trust, now())
          : undefined;
    await analyseLiveDeployment(octokit, repo, { ...step, pr }, comment, now, trust, info, pause);
  });
}

/** A modelgate release deployment that may be a rollout step, with where production is. */
async function canaryStep(
  octokit: Octokit,
  repo: Repo,
  deployment: { id: number; sha: string; ref: string; environment: string; payload: unknown },
): Promise<Omit<LiveDeployment, 'pr'> | undefined> {
  // Only payloads that keep the contract: its version goes into URLs, names and the sealed state.
  const parsed = parseDeploymentPayload(deployment.payload);
  if (!parsed.ok) return undefined;
  const payload = parsed.payload;
  // Only a release: the ref is the version's tag (and, before a new analysis starts, the tag is on the
  // deployed commit). A deployment of a branch (anyone with deployments: write can make one) is never
  // analysed, so nothing on a branch steers it.
  if (deployment.ref !== releaseTag(payload.model, payload.version)) return undefined;
  const production = await productionOf(octokit, repo, deployment.environment);
  return {
    id: deployment.id,
    sha: deployment.sha,
    ref: deployment.ref,
    environment: deployment.environment,
    payload,
    productionEnvironment: production.environment,
    productionStage: production.stage,
    manifestGlobs: production.manifests,
  };
}

/**
 * Restarts the analysis of a model whose report the app could not believe,
 * from what GitHub's deployments show: when the model's newest deployment is
 * a canary step the deployer reports live, a fresh analysis starts at that
 * step (the comment is rewritten, sealed again); otherwise nothing happens
 * until the deployer reports one. The fresh analysis starts paused: what the
 * lost state knew (a pause, the failed intervals) cannot be recovered, so a
 * person decides with `/canary resume` rather than an edit of the comment
 * deciding for them.
 */
export async function restartAnalysis(
  octokit: Octokit,
  repo: Repo,
  deployment: Deployment,
  pr: number,
  now: () => Date,
  trust: AppTrust,
  report = '',
): Promise<boolean> {
  const step = await canaryStep(octokit, repo, deployment);
  if (!step) return false;
  const newest = await newestDeploymentStatus(octokit, repo, deployment.id);
  if (newest?.state !== 'success') return false; // not live (yet): its deployment_status starts it
  const pause = { by: trust.self.login, at: now().toISOString(), link: report };
  return analyseLiveDeployment(octokit, repo, { ...step, pr }, undefined, now, trust, trust.warn, pause);
}

/**
 * Starts the analysis of a live canary deployment, or moves a believed one
 * on to it when it is the step that analysis asked for. Returns whether a
 * state was written.
 */
async function analyseLiveDeployment(
  octokit: Octokit,
  repo: Repo,
  live: LiveDeployment,
  comment: CanaryComment,
  now: () => Date,
  trust: AppTrust,
  info: (message: string) => void,
  pause?: Steer,
): Promise<boolean> {
  const { payload } = live;
  const existing = comment && 'state' in comment ? comment.state : undefined;
  if (existing?.deploymentId === live.id) return false; // the same delivery again
  const refused = (why: string) => {
    info(`${payload.model} ${payload.version} is not analysed: ${why}`);
    return false;
  };
  // The file that judges the rollout (and that its revert restores) is the release's own manifest.
  const releaseManifest = async () => {
    const release = await readReleaseManifest(octokit, repo, { ...payload, ref: live.ref });
    if ('problem' in release) info(`${payload.model} ${payload.version} is not analysed: ${release.problem}`);
    return 'manifest' in release ? release.manifest : undefined;
  };
  let state: CanaryState;
  let manifest: Manifest | undefined;
  if (existing && existing.version === payload.version && existing.status === 'running') {
    if (existing.awaiting !== live.id) return false; // a deployment this analysis did not ask for
    // The step the analysis asked for names the manifest it started with (deploy.ts copies it).
    if (payload.manifest !== existing.manifest)
      return refused(
        `deployment ${live.id} names the manifest ${inertText(payload.manifest)}, but the analysis judges by ${inertText(existing.manifest)}`,
      );
    manifest = await releaseManifest();
    if (!manifest) return false;
    state = {
      ...existing,
      // A blue-green switch moves the rollout from its preview environment into production.
      environment: live.environment,
      deploymentId: live.id,
      weight: payload.weight,
      stepStartedAt: now().toISOString(),
      awaiting: undefined,
    };
  } else {
    if (existing && existing.version === payload.version) return false; // finished already
    // In production, a deployment at 100 % is a promotion (or a rollback), and a switch no analysis asked
    // for is nothing to start; a step below 100 % or a mirror is a rollout of its own (a repository whose
    // only stage is production rolls out there).
    if (live.environment === live.productionEnvironment && takesAllTraffic(payload)) return false;
    // A new analysis only for a released commit: the version's tag must point at the deployed commit.
    const tag = await githubDeployerApi(octokit, repo).releaseTag(live.ref);
    if (!tag.exists || tag.commit !== live.sha)
      return refused(`${live.ref} is not a release tag on ${live.sha}`);
    // Judged by the release's own manifest, never by another file at the commit the payload names (an
    // example or a decoy declaring the same version): the state keeps the path for every later judgment.
    const decoy = releasedManifestPathProblem(payload.manifest, {
      tag: live.ref,
      recorded: tag.annotated ? tag.manifest : undefined,
      globs: live.manifestGlobs,
    });
    if (decoy) return refused(inertText(decoy));
    manifest = await releaseManifest();
    if (!manifest) return false;
    const strategy = payload.strategy;
    // The release's manifest must hold what its strategy judges with, and name the same strategy.
    const planner = plannerOf({ ...strategyRecord(strategy, now(), live.id) } as CanaryState, manifest);
    if ('problem' in planner) return refused(planner.problem);
    // The baseline is what serves production now, found as the deployer finds it: the newest production
    // deployment of the model that keeps the contract and is reported live. Unknown is no baseline.
    const serving = await githubDeployerApi(octokit, repo).liveVersion(
      live.productionEnvironment,
      payload.model,
    );
    const baseline = typeof serving === 'string' ? serving : undefined;
    const check = await octokit.rest.checks.create({
      ...repo,
      name: canaryCheckName(payload.model),
      head_sha: live.sha,
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
      ref: live.ref,
      sha: live.sha,
      manifest: payload.manifest,
      trigger: payload.trigger ?? live.sha,
      pr: live.pr,
      environment: live.environment,
      productionEnvironment: live.productionEnvironment,
      productionStage: live.productionStage,
      ...(baseline && baseline !== payload.version ? { baselineVersion: baseline } : {}),
      deploymentId: live.id,
      weight: payload.weight,
      stepStartedAt: now().toISOString(),
      intervals: [],
      status: 'running',
      checkRunId: check.data.id,
      ...(pause ? { paused: pause } : {}),
      ...strategyRecord(strategy, now(), live.id),
    };
  }
  await writeCanaryState(octokit, repo, state, manifest, trust);
  return true;
}

/** A new rollout's strategy and its record, as the strategy's planner starts it. */
function strategyRecord(
  strategy: NonCanaryStrategy | undefined,
  liveAt: Date,
  deploymentId: number,
): Partial<CanaryState> {
  switch (strategy) {
    case undefined:
      return {};
    case 'ab':
      return { strategy, ab: startAbRecord(liveAt) };
    case 'shadow':
      return { strategy, shadow: newShadowRecord() };
    case 'blue_green':
      return { strategy, blueGreen: startBlueGreenRecord(deploymentId) };
  }
}

/** A status of the production guard's rollback saying the deployer did not apply it. */
export const isUnappliedRollback = (state: string, trigger: unknown) =>
  (state === 'failure' || state === 'error') &&
  typeof trigger === 'string' &&
  trigger.startsWith(GUARD_ROLLBACK_TRIGGER);

/**
 * The guard ended "rolled back" when it made its rollback deployment; the
 * deployer reporting that deployment failed means production may still serve
 * the version that breached. Said where a person sees it: a critical alert
 * and the log. (The deployer's own failure status names why.)
 */
async function unappliedRollback(
  context: Context<'deployment_status'>,
  now: () => Date,
  appTrust: () => Promise<AppTrust>,
): Promise<void> {
  const { deployment, deployment_status: status, repository } = context.payload;
  const made = guardRollbackOf(deployment);
  if (!made) return;
  const { payload, released } = made;
  const octokit = asOctokit(context.octokit);
  const repo = context.repo();
  // A late or redelivered failure of a rollback applied since (a re-run) pages nobody.
  const newest = await newestDeploymentStatus(octokit, repo, deployment.id);
  if (newest?.state !== 'failure' && newest?.state !== 'error') return;
  // Without the pull request (GitHub failing to answer) the alert still goes, pointing at the repository.
  const pr = await pullRequestOf(octokit, repo, released).catch(() => undefined);
  const trust = await appTrust();
  const said = newest.description || status.description;
  const reason = `the deployer reported ${newest.state}${said ? `: ${said}` : ''}`;
  const pull = pr === undefined ? repository.html_url : `${repository.html_url}/pull/${pr}`;
  await sayNotApplied(
    repo,
    trust,
    { model: payload.model, version: payload.version, deploymentId: deployment.id, reason },
    { repository: repository.full_name, pullRequestUrl: pull, reportUrl: status.log_url ?? pull },
    now(),
  );
}
