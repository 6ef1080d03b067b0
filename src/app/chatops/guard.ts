import type { Steer } from '../../core/canary/state.js';
import type { GuardAction } from '../../core/chatops/command.js';
import { inert } from '../../core/chatops/reply.js';
import { formatDuration } from '../../core/guard/duration.js';
import type { GuardState } from '../../core/guard/state.js';
import { planGuardSteer, type GuardSteer } from '../../core/guard/steer.js';
import type { Octokit } from '../../io/github/octokit.js';
import { applyGuardStep } from '../guard-apply.js';
import { findGuard } from '../guards.js';
import { readManifestAt } from '../manifest.js';
import { guardExclusively, type AppTrust } from '../trust.js';

type Repo = { owner: string; repo: string };

const describe = (s: GuardState) => `**${s.model} ${s.version}**`;

function statusLine(state: GuardState): string {
  const windows = state.intervals.length;
  const last = state.intervals.at(-1);
  const where =
    state.status === 'watching'
      ? state.paused
        ? `paused (restarted from GitHub after a state that could not be believed) until \`/guard resume\`; the bake ends ${state.bakeEndsAt}`
        : `watching production until ${state.bakeEndsAt}${state.breachedAt ? `, breached at ${state.breachedAt} (alerting)` : ''}`
      : state.status === 'rolled_back'
        ? `rolled back to ${state.previousVersion ?? 'the previous version'}${state.revertUrl ? ` (${state.revertUrl})` : ''}`
        : state.status === 'stopped'
          ? `stopped${state.steeredBy ? ` by @\u200b${state.steeredBy.by}` : ''}`
          : state.status === 'passed'
            ? 'the bake passed'
            : state.status === 'breached'
              ? 'the bake ended in breach'
              : 'the bake ended unverified (no window could be judged)';
  return `${describe(state)} production guard: ${where}; ${windows} window${windows === 1 ? '' : 's'} judged, ${state.failures} failed${last ? `, the last ${last.verdict}` : ''}${state.previousVersion ? `; previous version ${state.previousVersion}` : ''}.`;
}

/**
 * `/guard status|extend <duration>|stop|resume`: the reply says what
 * happened. A command that changes the guard runs while no judgment of it
 * does (the guard's own exclusive hold).
 */
export function guardCommand(
  octokit: Octokit,
  repo: Repo,
  model: string,
  command: { action: GuardAction; extend?: { ms: number; text: string } },
  steer: Steer,
  trust: AppTrust,
): Promise<string> {
  const run = () => steerGuard(octokit, repo, model, command, steer, trust);
  return command.action === 'status' ? run() : guardExclusively(trust, repo, model, run);
}

async function steerGuard(
  octokit: Octokit,
  repo: Repo,
  model: string,
  command: { action: GuardAction; extend?: { ms: number; text: string } },
  steer: Steer,
  trust: AppTrust,
): Promise<string> {
  const now = new Date(steer.at);
  const found = await findGuard(octokit, repo, model, trust, now);
  const comment = found?.comment;
  if (found && !comment) {
    // Its report is gone (deleted, or never written): a guard still watching restarts paused at its
    // next job, so that job is now, and the person is told to ask again once the report is back.
    await trust.scheduleGuard?.(repo, found.target, now);
    return `${command.action === 'status' ? '' : 'nothing was done: '}the production guard report of **${model}** on pull request #${found.target.pr} is gone (deleted). A guard that was still watching restarts paused from GitHub in a moment, with a new report; comment the command again then.`;
  }
  if (!comment)
    return `no production guard of **${model}** is recorded: the release in production has no guard report. The app starts one when a canary whose manifest has a \`guard\` block is promoted.`;
  if ('untrusted' in comment)
    return `the production guard report of **${model}**${comment.url ? ` (${comment.url})` : ''} holds no state modelgate can trust (${inert(comment.untrusted, 300)}), so nothing was done. ${comment.url ? 'The guard restarts, paused, from GitHub; `/guard resume` continues it.' : 'Watch production by hand.'}`;
  const { state, url } = comment;
  const report = `The report: ${url}`;
  if (command.action === 'status') return `${statusLine(state)} ${report}`;
  const steering: GuardSteer =
    command.action === 'extend'
      ? { action: 'extend', byMs: command.extend?.ms ?? 0 }
      : { action: command.action };
  const planned = planGuardSteer(state, steering, steer, now);
  if ('refused' in planned)
    return `nothing to ${command.action}: ${planned.refused}. ${statusLine(state)} ${report}`;
  const manifest = await readManifestAt(octokit, repo, state.manifest, state.ref);
  const policy = manifest?.guard;
  if (!policy)
    return `nothing was done: the manifest of ${describe(state)} at ${inert(state.ref)} has no \`guard\` block any more, so the guard cannot be scheduled. ${report}`;
  await applyGuardStep(octokit, repo, planned.state, planned.effects, { policy, report: url, trust, now });
  switch (command.action) {
    case 'extend':
      return `extended the production guard of ${describe(state)} by ${formatDuration(command.extend?.ms ?? 0)}: ${planned.done}. ${report}`;
    case 'stop':
      return `stopped the production guard of ${describe(state)}: nothing more is judged or rolled back, the check run is cancelled${state.breachedAt ? ' and the breach alert resolved' : ''}. ${report}`;
    case 'resume':
      return `resumed the production guard of ${describe(state)}: ${planned.done} (every window since the promotion at ${state.startedAt}). ${report}`;
  }
}
