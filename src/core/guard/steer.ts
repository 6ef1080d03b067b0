import type { Steer } from '../canary/state.js';
import { BAKE_MAX_MS, formatDuration } from './duration.js';
import type { GuardState } from './state.js';
import { extendBake, type GuardEffect } from './step.js';

/** A `/guard` command that changes the guard. */
export type GuardSteer = { action: 'extend'; byMs: number } | { action: 'stop' } | { action: 'resume' };

/** What a command does to a guard: the new state and its effects (in order), or why it does nothing. */
export type GuardSteering = { state: GuardState; effects: GuardEffect[]; done: string } | { refused: string };

/**
 * Plans a person's command on a production guard. Only a watching guard can
 * be steered. `extend` moves the bake's end (at most 30 days from the
 * promotion); `stop` ends the guard: its check run is cancelled and a firing
 * breach alert is resolved; `resume` lets a guard the app restarted paused
 * judge again, from the first window it has not judged. Who asked is kept in
 * the state and shown in the report. Pure.
 */
export function planGuardSteer(
  state: GuardState,
  command: GuardSteer,
  steer: Steer,
  now: Date,
): GuardSteering {
  if (state.status !== 'watching')
    return { refused: `the guard has ended (${state.status.replace('_', ' ')})` };
  const release = `${state.model} ${state.version}`;
  switch (command.action) {
    case 'extend': {
      const extended = extendBake(state, command.byMs, BAKE_MAX_MS);
      if ('problem' in extended) return { refused: extended.problem };
      return {
        state: { ...extended, steeredBy: steer },
        effects: [{ kind: 'save-state' }],
        done: `the bake now ends at ${extended.bakeEndsAt} (${formatDuration(command.byMs)} later)`,
      };
    }
    case 'stop': {
      const { paused: _paused, ...rest } = state;
      return {
        state: { ...rest, status: 'stopped', endedAt: now.toISOString(), steeredBy: steer },
        effects: [
          {
            kind: 'complete-check',
            conclusion: 'cancelled',
            title: `${release}: guard stopped by @${steer.by}`,
            summary: `Stopped by @${steer.by}: ${steer.link}`,
          },
          { kind: 'send-alerts' },
          { kind: 'save-state' },
        ],
        done: 'the guard stopped watching production',
      };
    }
    case 'resume': {
      if (!state.paused) return { refused: 'the guard is not paused' };
      const { paused: _paused, ...rest } = state;
      return {
        state: { ...rest, steeredBy: steer },
        effects: [{ kind: 'save-state' }],
        done: 'the guard judges again, from the first window it has not judged',
      };
    }
  }
}
