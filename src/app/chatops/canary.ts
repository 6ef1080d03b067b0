import type { CanaryAction } from '../../core/chatops/command.js';
import { inert } from '../../core/chatops/reply.js';
import type { CanaryState, Steer } from '../../core/canary/state.js';
import type { Octokit } from '../../io/github/octokit.js';
import { writeCanaryState } from '../canary-comment.js';
import { findCanary } from '../canaries.js';
import { completeCheckRun } from '../check-run.js';
import { startGuard } from '../guard-start.js';
import { readManifestAt } from '../manifest.js';
import { promoteCanary } from '../promote.js';
import { applyCanaryStep } from '../apply-canary-step.js';
import { switchBack } from '../deploy.js';
import { planBlueGreenSwitch } from '../../core/blue-green/step.js';
import { exclusively, guardExclusively, type AppTrust } from '../trust.js';
import { deploymentDescription } from '../../core/release/deployment-description.js';

type Repo = { owner: string; repo: string };

const describe = (s: CanaryState) => `**${s.model} ${s.version}**`;
/** The environment's page, under the repository's own address (GitHub Enterprise Server included). */
const environmentUrl = (repositoryUrl: string, environment: string) =>
  `${repositoryUrl}/deployments/${encodeURIComponent(environment)}`;

/** Saves a state changed by a command, with the report it implies (the policy is the release's manifest's). */
export async function saveCanary(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  trust: AppTrust,
): Promise<string> {
  const manifest = await readManifestAt(octokit, repo, state.manifest, state.ref);
  return writeCanaryState(octokit, repo, state, manifest, trust);
}

/** The reply when the report's state is not believed: nothing is done on it. */
const untrustedReply = (model: string, why: string, url: string | undefined) =>
  `the canary report of **${model}**${url ? ` (${url})` : ''} holds no state modelgate can trust (${inert(why, 300)}), so nothing was done. The analysis restarts, paused, from GitHub's deployments.`;

function statusLine(state: CanaryState): string {
  const judged = state.intervals.length;
  const last = state.intervals.at(-1);
  const where =
    state.status === 'running'
      ? `running at ${state.weight}% of traffic${state.paused ? `, paused by @\u200b${state.paused.by}` : ''}${state.awaiting ? ', waiting for the deployer to shift to the next step' : ''}`
      : state.status === 'promoted'
        ? `promoted${state.endedBy ? ` by @\u200b${state.endedBy.by}` : ''}`
        : state.status === 'aborted'
          ? `aborted${state.endedBy ? ` by @\u200b${state.endedBy.by}` : ''}`
          : 'failed';
  return `${describe(state)} canary: ${where}; ${judged} interval${judged === 1 ? '' : 's'} judged${last ? `, the last ${last.verdict}` : ''}${state.baselineVersion ? `; baseline ${state.baselineVersion}` : ''}.`;
}

/**
 * Stops a running canary: the deployer is told (failure status on the live
 * step and on a step it was asked to shift to), the check run is cancelled,
 * the report says who stopped it. A failure status moves no traffic, so the
 * version the rollout replaced is deployed to production again at 100 %: for
 * a canary, shadow or A/B test, and for a blue-green rollout that has switched
 * (or asked to). Returns what became of the traffic, for the reply.
 */
export async function abortCanary(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  steer: Steer,
  trust: AppTrust,
): Promise<string> {
  // The switch back first: a command that fails after it and is asked again finds the canary still
  // running, where failure statuses would leave it for gone with its traffic in place.
  const phase = state.blueGreen?.phase;
  const switched = phase === 'switching' || phase === 'switched';
  const back = state.strategy === 'blue_green' ? switched : state.baselineVersion !== undefined;
  const notBack =
    back &&
    (await switchBack(
      octokit,
      repo,
      state,
      `Switch all traffic back to ${state.baselineVersion ?? 'the previous version'}: ${state.model} ${state.version} aborted by @${steer.by}`,
      trust,
    ));
  if (back && state.strategy === 'blue_green')
    state.blueGreen = { ...state.blueGreen!, phase: 'switched-back' };
  for (const id of [state.deploymentId, ...(state.awaiting ? [state.awaiting] : [])]) {
    await octokit.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: id,
      state: 'failure',
      description: deploymentDescription(`canary aborted by @${steer.by}`),
      log_url: steer.link,
    });
  }
  await endCanary(octokit, repo, state, steer, 'aborted', `Aborted by @${steer.by}: ${steer.link}`);
  if (notBack) return notBack;
  if (back && state.baselineVersion)
    return `${state.baselineVersion} is deployed to production at 100 % again`;
  return state.strategy === 'blue_green'
    ? 'green had no user traffic'
    : 'with no earlier version to go back to, it keeps answering until taken down by hand';
}

/** Ends a canary by hand: the state says who, the check run how. */
async function endCanary(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  steer: Steer,
  status: 'aborted' | 'promoted',
  summary: string,
): Promise<void> {
  state.status = status;
  state.endedBy = steer;
  state.paused = undefined;
  await completeCheckRun(
    octokit,
    repo,
    state,
    status === 'promoted' ? 'success' : 'cancelled',
    `${state.model} ${state.version}: ${status} by @${steer.by}`,
    summary,
  );
}

/**
 * `/canary status|pause|resume|abort`: the reply says what happened. A
 * command that changes the canary runs while no judgment of it does.
 */
export function canaryCommand(
  octokit: Octokit,
  repo: Repo,
  model: string,
  action: CanaryAction,
  steer: Steer,
  trust: AppTrust,
): Promise<string> {
  const run = () => steerCanary(octokit, repo, model, action, steer, trust);
  return action === 'status' ? run() : exclusively(trust, repo, model, run);
}

async function steerCanary(
  octokit: Octokit,
  repo: Repo,
  model: string,
  action: CanaryAction,
  steer: Steer,
  trust: AppTrust,
): Promise<string> {
  const found = await findCanary(octokit, repo, model, trust, new Date(steer.at));
  if (!found)
    return `no canary analysis of **${model}** is recorded: its newest deployment has no canary report. The app starts one when the deployer reports a canary deployment live.`;
  if ('untrusted' in found) return untrustedReply(model, found.untrusted, found.url);
  const { state, url } = found;
  const report = `The report: ${url}`;
  if (action === 'status') return `${statusLine(state)} ${report}`;
  if (state.status !== 'running') return `nothing to ${action}: ${statusLine(state)} ${report}`;
  switch (action) {
    case 'pause':
      if (state.paused) return `already paused by @\u200b${state.paused.by}. ${report}`;
      state.paused = steer;
      await saveCanary(octokit, repo, state, trust);
      return `paused the canary of ${describe(state)}: traffic stays at ${state.weight}% and no interval is judged until \`/canary resume\`. ${report}`;
    case 'resume':
      if (!state.paused) return `the canary of ${describe(state)} is not paused. ${report}`;
      state.paused = undefined;
      state.stepStartedAt = steer.at; // the next interval is judged on traffic after the pause
      await saveCanary(octokit, repo, state, trust);
      return `resumed the canary of ${describe(state)}: the next interval ends one interval from now. ${report}`;
    case 'abort': {
      const traffic = await abortCanary(octokit, repo, state, steer, trust);
      await saveCanary(octokit, repo, state, trust);
      return `aborted the canary of ${describe(state)}: its deployment is marked failed, ${traffic}, and the check run is cancelled. \`/rollback ${model}\` restores the files of the last good release. ${report}`;
    }
  }
}

/**
 * `/promote`: the remaining steps are skipped; the stage tag and production
 * deployment record who asked. Runs while no judgment of the canary does.
 */
export function promoteCommand(
  octokit: Octokit,
  repo: Repo,
  model: string,
  steer: Steer,
  trust: AppTrust,
  repositoryUrl: string,
): Promise<string> {
  return exclusively(trust, repo, model, () => promoteNow(octokit, repo, model, steer, trust, repositoryUrl));
}

async function promoteNow(
  octokit: Octokit,
  repo: Repo,
  model: string,
  steer: Steer,
  trust: AppTrust,
  repositoryUrl: string,
): Promise<string> {
  const found = await findCanary(octokit, repo, model, trust, new Date(steer.at));
  if (!found)
    return `no canary of **${model}** is running, so there is nothing to promote here. A released version is promoted with \`modelgate promote\`.`;
  if ('untrusted' in found) return untrustedReply(model, found.untrusted, found.url);
  const { state, url } = found;
  if (state.status !== 'running') return `nothing to promote: ${statusLine(state)} ${url}`;
  // Under the guard's hold as well (lock order: canary, then guard): a judgment of the release this one
  // replaces never interleaves with the promotion (or a blue-green switch), so it cannot roll
  // production back below it.
  if (state.strategy === 'blue_green')
    return guardExclusively(trust, repo, model, () =>
      switchBlueGreen(octokit, repo, state, url, steer, trust),
    );
  const { tag, deploymentId, guard } = await guardExclusively(trust, repo, model, async () => {
    const promoted = await promoteCanary(octokit, repo, state, steer);
    // The production guard (when the manifest has one) bakes from the moment the person promoted.
    const started = await startGuard(
      octokit,
      repo,
      state,
      { deploymentId: promoted.deploymentId, promotedAt: new Date(steer.at) },
      trust,
    );
    return { ...promoted, guard: started };
  });
  await endCanary(
    octokit,
    repo,
    state,
    steer,
    'promoted',
    `Promoted with /promote before every step had passed: ${steer.link}`,
  );
  await saveCanary(octokit, repo, state, trust);
  const guarding = guard
    ? ` The production guard watches it until ${guard.bakeEndsAt} (\`/guard status\`).`
    : '';
  return `promoted ${describe(state)} to ${state.productionEnvironment}: tag \`${tag}\`, deployment ${deploymentId} (${environmentUrl(repositoryUrl, state.productionEnvironment)}). The report: ${url}${guarding}`;
}

/**
 * `/promote` on a blue-green rollout: the switch, when the preview passed and
 * waits for a person (auto_switch: false); refused otherwise, with the
 * reason: a person cannot skip the pre-switch analysis.
 */
async function switchBlueGreen(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  url: string,
  steer: Steer,
  trust: AppTrust,
): Promise<string> {
  const manifest = await readManifestAt(octokit, repo, state.manifest, state.ref);
  const plan = planBlueGreenSwitch(state, manifest?.rollout?.blue_green ?? {}, steer, new Date(steer.at));
  if (plan.kind === 'refused') return `nothing was done: ${inert(plan.reason, 400)}. The report: ${url}`;
  const saved = await applyCanaryStep(octokit, repo, plan.state, plan.effects, {
    manifest,
    report: url,
    trust,
  });
  return `switching ${describe(saved)}: deployment ${saved.awaiting ?? saved.deploymentId} gives it all traffic in ${saved.productionEnvironment}; the post-switch analysis starts when the deployer reports it live. The report: ${url}`;
}
