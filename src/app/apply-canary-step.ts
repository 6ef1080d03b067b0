import type { CanaryEffect } from '../core/canary/step.js';
import type { RolloutManifest } from '../core/rollout/planner.js';
import type { CanaryState } from '../core/canary/state.js';
import type { Octokit } from '../io/github/octokit.js';
import { writeCanaryState } from './canary-comment.js';
import { completeCheckRun } from './check-run.js';
import { deployStep, switchBack, type StrategyFields } from './deploy.js';
import { canaryFailedAlert } from '../core/guard/alerts.js';
import { alertContext } from './guard-apply.js';
import { startGuard } from './guard-start.js';
import { guardExclusively, type AppTrust } from './trust.js';
import { promoteCanary } from './promote.js';
import { revertFailedCanary } from './revert.js';
import { deploymentDescription } from '../core/release/deployment-description.js';
import { assertLeaseHeld } from './scheduler/lease.js';

type Repo = { owner: string; repo: string };

/**
 * Carries out a planned canary step, effect by effect, in order. Every
 * effect finds its own earlier work at GitHub (a deployment, a tag, a revert
 * pull request), so an attempt that died half-way is finished by the next
 * one rather than repeated. `report` is the canary comment's address, the
 * evidence a revert pull request links to. Returns the state as saved.
 */
export async function applyCanaryStep(
  octokit: Octokit,
  repo: Repo,
  planned: CanaryState,
  effects: readonly CanaryEffect[],
  context: { manifest: RolloutManifest | undefined; report: string; trust: AppTrust },
): Promise<CanaryState> {
  const state: CanaryState = { ...planned };
  for (const effect of effects) {
    // A replica that lost the rollout's hold while it judged writes nothing: another may be acting on it.
    assertLeaseHeld();
    switch (effect.kind) {
      case 'deploy-step': {
        const strategy: StrategyFields =
          effect.role === 'preview'
            ? { strategy: 'blue_green', role: 'preview' }
            : effect.mirror !== undefined
              ? { strategy: 'shadow', mirror: effect.mirror }
              : state.strategy === 'ab'
                ? { strategy: 'ab' }
                : {};
        state.awaiting = await deployStep(octokit, repo, state, { ...effect, production: false, strategy });
        break;
      }
      case 'switch':
        // Green takes all traffic in production; the judgment resumes when the deployer reports it live.
        state.awaiting = await deployStep(octokit, repo, state, {
          environment: state.productionEnvironment,
          weight: 100,
          description: effect.description,
          production: true,
          strategy: {
            strategy: 'blue_green',
            role: 'active',
            scale_down_delay: effect.scaleDownDelaySeconds,
          },
        });
        break;
      case 'switch-back':
        await switchBack(octokit, repo, state, effect.description, context.trust);
        break;
      case 'promote':
        // Under the guard's hold: a judgment of the release it replaces never interleaves with the promotion
        // (it would roll production back below the version just promoted). Lock order: canary, then guard.
        await guardExclusively(context.trust, repo, state.model, async () => {
          const { deploymentId } = await promoteCanary(octokit, repo, state, undefined, context.trust.warn, {
            live: effect.live === true,
          });
          // The production guard (when the manifest has one) takes over from the promotion: the end of the last interval.
          const promotedAt = new Date(state.intervals.at(-1)?.at ?? state.stepStartedAt);
          await startGuard(octokit, repo, state, { deploymentId, promotedAt }, context.trust);
        });
        break;
      case 'fail-deployment':
        await octokit.rest.repos.createDeploymentStatus({
          ...repo,
          deployment_id: effect.deploymentId,
          state: 'failure',
          description: deploymentDescription(effect.description),
        });
        break;
      case 'open-revert': {
        const revert = await revertFailedCanary(octokit, repo, state, context.report, effect.autoMerge);
        if ('url' in revert) state.revertUrl = revert.url;
        else {
          // Refused (a file another model uses would change, an unreadable tree): said in the report and
          // the log, never silently dropped.
          const why = `${revert.problem}${'fix' in revert && revert.fix ? `. ${revert.fix}` : ''}`;
          state.revertProblem = why.slice(0, 2048);
          context.trust.warn(
            `${repo.owner}/${repo.repo}: no revert pull request for ${state.model} ${state.version}: ${why}`,
          );
        }
        const at = new Date(state.intervals.at(-1)?.at ?? state.stepStartedAt);
        await context.trust.alerts?.([
          canaryFailedAlert(state, alertContext(repo, state.pr, context.report), at),
        ]);
        break;
      }
      case 'complete-check':
        await completeCheckRun(octokit, repo, state, effect.conclusion, effect.title, effect.summary);
        break;
      case 'save-state':
        await writeCanaryState(octokit, repo, state, context.manifest, context.trust);
        break;
    }
  }
  return state;
}
