import { guardAlerts, type AlertContext } from '../core/guard/alerts.js';
import type { GuardState } from '../core/guard/state.js';
import { guardIntervalMs, nextGuardWake, type GuardEffect } from '../core/guard/step.js';
import type { GuardPolicy } from '../core/manifest/guard.js';
import type { DeploymentPayload } from '../core/release/plan.js';
import { readDeploymentPayload } from '../core/release/plan.js';
import { releaseTag } from '../core/registry/tag-names.js';
import type { Octokit } from '../io/github/octokit.js';
import { githubReleaseApi } from '../io/github/release-api.js';
import { writeGuardState } from './guard-comment.js';
import { GUARD_ROLLBACK_TRIGGER } from './guards.js';
import type { AppTrust } from './trust.js';
import { assignStage } from './promote.js';
import { findReleaseManifest } from './manifest.js';
import { openRollback } from './revert.js';
import { deploymentDescription } from '../core/release/deployment-description.js';
import { assertLeaseHeld } from './scheduler/lease.js';

type Repo = { owner: string; repo: string };

/** The trigger of the guard's rollback deployment: how a second attempt finds the first one's. */
export const rollbackTrigger = (state: GuardState) => `${GUARD_ROLLBACK_TRIGGER}${state.sha}`;

/**
 * Carries out a planned guard step, effect by effect. Each effect finds its
 * own earlier work at GitHub (the rollback deployment by its trigger, the
 * stage tag on the previous commit, the revert pull request by its branch),
 * so a step that died half-way is finished, never doubled. `report` is the
 * guard comment's address (evidence for the revert and the alerts).
 */
export async function applyGuardStep(
  octokit: Octokit,
  repo: Repo,
  planned: GuardState,
  effects: readonly GuardEffect[],
  context: { policy: GuardPolicy; report: string; trust: AppTrust; now: Date },
): Promise<GuardState> {
  const state: GuardState = { ...planned };
  for (const effect of effects) {
    assertLeaseHeld();
    switch (effect.kind) {
      case 'deploy-previous':
        state.rollbackDeploymentId = await deployPrevious(octokit, repo, state, effect);
        break;
      case 'assign-previous': {
        const sha = await githubReleaseApi(octokit, repo).tagCommit(releaseTag(state.model, effect.version));
        if (!sha)
          throw new Error(`the release tag of ${state.model} ${effect.version} is gone: cannot tag it back`);
        await assignStage(octokit, repo, {
          model: state.model,
          version: effect.version,
          stage: effect.stage,
          sha,
          reason: effect.reason,
          trigger: rollbackTrigger(state),
        });
        break;
      }
      case 'open-revert': {
        const pull = await openRollback(octokit, repo, {
          model: state.model,
          manifest: state.manifest,
          from: state.version,
          to: effect.version,
          reason: effect.reason,
          link: context.report,
          note: `Promoted from #${state.pr}; the production guard's evidence: ${context.report}`,
          autoMerge: effect.autoMerge,
        });
        if ('url' in pull) state.revertUrl = pull.url;
        else
          context.trust.warn(
            `${repo.owner}/${repo.repo}: no revert pull request for ${state.model}: ${pull.problem}${pull.fix ? `. ${pull.fix}` : ''}`,
          );
        break;
      }
      case 'complete-check':
        if (state.checkRunId)
          await octokit.rest.checks.update({
            ...repo,
            check_run_id: state.checkRunId,
            status: 'completed',
            conclusion: effect.conclusion,
            output: { title: effect.title.slice(0, 255), summary: effect.summary.slice(0, 60_000) },
          });
        break;
      case 'send-alerts': {
        const wake = nextGuardWake(state, context.policy);
        // Valid one window past the next judgment: re-sent each window, expiring if the app stops.
        const validUntil = wake && new Date(wake.getTime() + guardIntervalMs(context.policy));
        await context.trust.alerts?.(
          guardAlerts(state, alertContext(repo, state.pr, context.report), context.now, validUntil),
        );
        break;
      }
      case 'save-state':
        await writeGuardState(octokit, repo, state, context.policy, context.trust);
        break;
    }
  }
  return state;
}

/** Where alerts point: the pull request (the report's address without its comment anchor) and the report. */
export function alertContext(repo: Repo, pr: number, report: string): AlertContext {
  const pull = /^(.*\/pull\/\d+)/.exec(report)?.[1] ?? `${repo.owner}/${repo.repo}#${pr}`;
  return { repository: `${repo.owner}/${repo.repo}`, pullRequestUrl: pull, reportUrl: report };
}

async function deployPrevious(
  octokit: Octokit,
  repo: Repo,
  state: GuardState,
  effect: Extract<GuardEffect, { kind: 'deploy-previous' }>,
): Promise<number> {
  const ref = releaseTag(state.model, effect.version);
  const trigger = rollbackTrigger(state);
  const { data: earlier } = await octokit.rest.repos.listDeployments({
    ...repo,
    environment: effect.environment,
    ref,
    per_page: 20,
  });
  const own = earlier.find((d) => {
    const p = readDeploymentPayload(d.payload);
    return p?.version === effect.version && p.trigger === trigger;
  });
  if (own) return own.id;
  // The payload names the earlier release's own manifest at its tag (the deployment contract): the
  // model may have moved since. Not found, production still goes back (the safe side) under the
  // path the guard knows: nginx and the Gateway API route by model and version; KServe refuses a
  // manifest the tag does not record (docs/deploy.md), and the guard's look then alerts.
  const found = await findReleaseManifest(octokit, repo, {
    model: state.model,
    tag: ref,
    version: effect.version,
    likely: [state.manifest],
  });
  const payload: DeploymentPayload = {
    model: state.model,
    version: effect.version,
    weight: 100,
    manifest: 'path' in found ? found.path : state.manifest,
    trigger,
  };
  const created = await githubReleaseApi(octokit, repo).createDeployment({
    ref,
    environment: effect.environment,
    payload,
    description: deploymentDescription(effect.description),
    production: true,
  });
  return created.id;
}
