import {
  chooseTarget,
  planDeploy,
  productionEnvironmentOf,
  readDeployment,
  statusDescription,
  type DeploymentRecord,
  type DeployPlan,
} from '../../core/deploy/plan.js';
import { releaseTag } from '../../core/registry/tag-names.js';
import { CommandError } from '../../core/repository.js';
import type { Octokit } from '../github/octokit.js';
import type { DeployerApi } from './deployer-api.js';
import { commitGitOpsFile } from './gitops-commit.js';
import { applyNginxFile } from './nginx-file.js';

/** What the deployer may use besides the deployment: all of it from the workflow, none from the repository. */
export interface DeployOptions {
  api: DeployerApi;
  /** The registry's repository (the default GitOps repository) and the client that commits GitOps files. */
  repo: { owner: string; repo: string };
  gitops: Octokit;
  /** The workspace root nginx files are written under. */
  root: string;
  /** The target named by the workflow (input "target"); default: the only one configured. */
  target?: string;
  /** nginx: the workflow's command that reloads nginx after a change. */
  reloadCommand?: string;
  /** The run's URL, for the statuses' log_url. */
  logUrl?: string;
  dryRun: boolean;
  log: (line: string) => void;
}

type ApplyPlan = Extract<DeployPlan, { kind: 'apply' }>;
/** A plan that writes nothing: refused, or replaced by a newer deployment. */
type StopPlan = Exclude<DeployPlan, { kind: 'apply' }>;

/** What one run did with a deployment. */
export type DeployOutcome =
  | { kind: 'foreign'; reason: string }
  | { kind: 'refused'; reason: string; fix: string }
  | { kind: 'superseded'; by: number }
  | {
      kind: 'applied' | 'unchanged' | 'dry-run';
      target: string;
      path: string;
      summary: string;
      content: string;
      /** GitOps: the commit that carries the file. */
      commit?: string;
    };

/**
 * Deploys one GitHub Deployment: reads and checks it, plans its routing for
 * the target, writes it (a GitOps commit, or the nginx file and the reload),
 * and reports `in_progress`, then `success` (live at the payload's weight)
 * or `failure`, each with the run's log_url. A re-run of a deployment that
 * is live and unchanged writes and reports nothing.
 */
export async function deployOnce(
  deployment: DeploymentRecord,
  options: DeployOptions,
): Promise<DeployOutcome> {
  const { api, log } = options;
  const reading = readDeployment(deployment);
  if (reading.kind === 'foreign') return { kind: 'foreign', reason: reading.reason };
  const fail = async (reason: string, fix: string): Promise<DeployOutcome> => {
    if (!options.dryRun)
      await api.postStatus(deployment.id, 'failure', statusDescription(reason), options.logUrl);
    return { kind: 'refused', reason, fix };
  };
  if (reading.kind === 'refused') return fail(reading.refusal.reason, reading.refusal.fix);
  const { payload } = reading;

  // The facts about this deployment's own release are read once; those that other jobs change (a
  // newer deployment, the version live in production, this deployment's status) are read again for the
  // plan that is written, right before the write: another deployer job of the model may run at
  // the same time (GitHub runs deployment workflows in parallel), and a plan made before its
  // deployment existed would undo it.
  let planNow: () => Promise<DeployPlan>;
  let plan: DeployPlan;
  try {
    const settings = await api.settings();
    const target = chooseTarget(settings.deploy, options.target);
    if (!target.ok) return fail(target.reason, target.fix);
    const production = productionEnvironmentOf(deployment.environment, settings);
    const tag = await api.releaseTag(releaseTag(payload.model, payload.version));
    const registration = await api.registration(payload.model, payload.version);
    // KServe loads whatever its storageUri holds: tied to the weights the release's manifest lists.
    const weights =
      target.target === 'kserve' ? await api.releasedManifest(payload.manifest, deployment.sha) : undefined;
    planNow = async () => {
      const live = await api.liveVersion(production, payload.model);
      // A split against a version nobody can name would send the rest of the traffic nowhere known:
      // only a deployment that takes all traffic (a promotion, a rollback) goes on without it.
      if (typeof live === 'object' && (payload.weight < 100 || payload.mirror !== undefined))
        return {
          kind: 'refused',
          refusal: {
            reason: `the version of ${payload.model} live in ${production} cannot be told: ${live.unknown}`,
            fix: `Deploy the release that serves ${production} there again at weight 100, or deploy this version at weight 100.`,
          },
        };
      return planDeploy({
        deployment,
        payload,
        tag,
        newer: await api.newerDeployments(payload.model, deployment.id),
        reported: (await api.latestStatus(deployment.id))?.state,
        registration,
        production,
        live: typeof live === 'object' ? undefined : live,
        target: target.target,
        settings: settings.deploy,
        manifests: settings.manifests,
        ...(weights ? { weights } : {}),
      });
    };
    plan = await planNow();
  } catch (error) {
    if (error instanceof CommandError) return fail(error.message, error.fix ?? '');
    throw error;
  }
  if (plan.kind === 'refused') return fail(plan.refusal.reason, plan.refusal.fix);
  if (plan.kind === 'superseded') {
    if (!options.dryRun && plan.inactive)
      await api.postStatus(deployment.id, 'inactive', plan.description, options.logUrl);
    return { kind: 'superseded', by: plan.by };
  }
  const outcome = (applied: ApplyPlan) => ({
    target: applied.target,
    path: applied.rendered.path,
    summary: applied.routing.summary,
    content: applied.rendered.content,
  });
  if (options.dryRun) return { kind: 'dry-run', ...outcome(plan) };

  const before = await api.latestStatus(deployment.id);
  const live = before?.state === 'success';
  if (!live)
    await api.postStatus(
      deployment.id,
      'in_progress',
      statusDescription(`applying: ${plan.routing.summary}`),
      options.logUrl,
    );
  // The plan written is the one made last, right before the write (nginx) or on the head the
  // commit is built on (GitOps: a push in between makes the commit try again, with a new plan).
  let applied: ApplyPlan = plan;
  let stop: StopPlan | undefined;
  const replan = async (): Promise<ApplyPlan | undefined> => {
    const now = await planNow();
    if (now.kind === 'apply') return (applied = now);
    stop = now;
    return undefined;
  };
  try {
    let changed: boolean;
    let commit: string | undefined;
    if (plan.target === 'nginx') {
      const now = await replan();
      if (!now) return await stoodDown(stop!);
      const { rendered } = now;
      const applied = await applyNginxFile(options.root, rendered, options.reloadCommand, !live);
      changed = applied.changed;
      log(`${changed ? 'wrote' : 'unchanged:'} ${rendered.path}`);
      if (applied.conflict)
        log(
          `warning: nginx says a server of ${rendered.path} conflicts with another (${applied.conflict}); the file already had that server, so it is applied: give each model its own deploy.nginx.server_name`,
        );
    } else {
      const { rendered } = plan;
      const [owner, repo] = (
        rendered.gitops?.repository ?? `${options.repo.owner}/${options.repo.repo}`
      ).split('/') as [string, string];
      const result = await commitGitOpsFile(options.gitops, {
        owner,
        repo,
        ...(rendered.gitops?.branch ? { branch: rendered.gitops.branch } : {}),
        path: rendered.path,
        file: async () => {
          const now = await replan();
          return (
            now && {
              content: now.rendered.content,
              message: `Deploy ${payload.model} ${payload.version} at ${payload.weight}%\n\n${now.routing.summary}.\nDeployment: ${deployment.id}\nTrigger: ${payload.trigger}`,
            }
          );
        },
      });
      if (!result) return await stoodDown(stop!);
      ({ changed, commit } = result);
      log(
        `${changed ? 'committed' : 'unchanged:'} ${rendered.path} on ${owner}/${repo}@${result.branch} (${result.commit.slice(0, 12)})`,
      );
    }
    const done = outcome(applied);
    if (live && !changed) return { kind: 'unchanged', ...done, ...(commit ? { commit } : {}) };
    await api.postStatus(deployment.id, 'success', statusDescription(done.summary), options.logUrl);
    return { kind: 'applied', ...done, ...(commit ? { commit } : {}) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await api.postStatus(
      deployment.id,
      'failure',
      statusDescription(`not applied: ${reason}`),
      options.logUrl,
    );
    throw error;
  }

  /**
   * The plan made right before the write no longer applies: a newer deployment replaced this one,
   * or a check now refuses it. Nothing is written. A deployment that was not live, reported
   * `in_progress` above, is `inactive`, whichever environment replaced it: it never took traffic.
   * A live one keeps its `success` until the newer one is live (as planDeploy reports it).
   */
  async function stoodDown(now: StopPlan): Promise<DeployOutcome> {
    if (now.kind === 'refused') return fail(now.refusal.reason, now.refusal.fix);
    log(`not written: ${now.description}`);
    if (!live) await api.postStatus(deployment.id, 'inactive', now.description, options.logUrl);
    return { kind: 'superseded', by: now.by };
  }
}
