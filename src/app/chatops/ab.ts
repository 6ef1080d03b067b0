import { planAbConclusion } from '../../core/ab/step.js';
import type { AbAction } from '../../core/chatops/command.js';
import { inert } from '../../core/chatops/reply.js';
import type { Steer } from '../../core/canary/state.js';
import type { Octokit } from '../../io/github/octokit.js';
import { applyCanaryStep } from '../apply-canary-step.js';
import { findCanary } from '../canaries.js';
import { readManifestAt } from '../manifest.js';
import { exclusively, type AppTrust } from '../trust.js';

type Repo = { owner: string; repo: string };

/**
 * `/ab status|conclude`: where a model's A/B test stands, or its proposed
 * decision applied (promote B; keep A, which fails B's deployment and opens
 * the revert pull request). `conclude` runs while no judgment of the
 * rollout does, and only on a state the app believes.
 */
export function abCommand(
  octokit: Octokit,
  repo: Repo,
  model: string,
  action: AbAction,
  steer: Steer,
  trust: AppTrust,
): Promise<string> {
  const run = () => steerAb(octokit, repo, model, action, steer, trust);
  return action === 'status' ? run() : exclusively(trust, repo, model, run);
}

async function steerAb(
  octokit: Octokit,
  repo: Repo,
  model: string,
  action: AbAction,
  steer: Steer,
  trust: AppTrust,
): Promise<string> {
  const found = await findCanary(octokit, repo, model, trust, new Date(steer.at));
  if (!found) return `no A/B test of **${model}** is recorded: its newest deployment has no rollout report.`;
  if ('untrusted' in found)
    return `the rollout report of **${model}**${found.url ? ` (${found.url})` : ''} holds no state modelgate can trust (${inert(found.untrusted, 300)}), so nothing was done.`;
  const { state, url } = found;
  if (state.strategy !== 'ab')
    return `the rollout of **${model} ${state.version}** is not an A/B test, so there is nothing to conclude. The report: ${url}`;
  const manifest = await readManifestAt(octokit, repo, state.manifest, state.ref);
  const policy = manifest?.rollout?.ab;
  if (!policy)
    return `the manifest of **${model} ${state.version}** at ${state.ref} has no rollout.ab block, so nothing was done. The report: ${url}`;
  const proposal = state.ab?.proposal;
  if (action === 'status') {
    const waiting = state.status === 'running' && !state.ab?.concludedAt;
    const overruled = state.ab?.overruled
      ? `; B's serving health overruled the proposal **${state.ab.overruled.outcome.replace('_', ' ')}**`
      : '';
    return `**${model} ${state.version}** A/B test: ${state.status}${proposal ? `; ${waiting ? 'it proposes' : 'it concluded'} **${proposal.outcome.replace('_', ' ')}** (${inert(proposal.reason, 300)})${waiting ? '; `/ab conclude` applies it' : ''}` : '; no conclusion yet'}${overruled}. The report: ${url}`;
  }
  const conclusion = planAbConclusion(state, policy, steer, new Date(steer.at), {
    autoMerge: manifest?.rollback?.mode === 'auto_merge',
  });
  if (conclusion.kind === 'refused')
    return `nothing was done: ${inert(conclusion.reason, 400)}. The report: ${url}`;
  const saved = await applyCanaryStep(octokit, repo, conclusion.state, conclusion.effects, {
    manifest,
    report: url,
    trust,
  });
  return saved.status === 'promoted'
    ? `concluded the A/B test of **${model}**: B (${saved.version}) is promoted to ${saved.productionEnvironment}. The report: ${url}`
    : `concluded the A/B test of **${model}**: A stays; B (${saved.version}) is taken out of traffic${saved.revertUrl ? ` and ${saved.revertUrl} restores the files of A's release` : ''}. The report: ${url}`;
}
