import { switchBackOf, type CanaryEffect } from '../canary/step.js';
import type { CanaryState } from '../canary/state.js';
import { inertMarkdown } from '../report/escape.js';

/** A deployment's newest status, as GitHub lists it (src/app/deployment-liveness.ts reads it). */
export interface NewestStatus {
  state: string;
  description: string;
}

/**
 * What a rollout's current deployment is, for a judgment: `live` (its newest
 * status is success), `gone` (the deployer failed it, or a newer deployment
 * of its environment replaced it: its traffic is not the version's any more)
 * or `settling` (queued, pending or in progress: the deployer is applying it
 * again, so its traffic is not known now).
 */
export type Liveness =
  { kind: 'live' } | { kind: 'gone'; reason: string } | { kind: 'settling'; reason: string };

/** The liveness of deployment `id` from its newest status. */
export function livenessOf(id: number, status: NewestStatus | undefined): Liveness {
  if (!status) return { kind: 'settling', reason: `deployment ${id} has no status` };
  const said = status.description ? `: ${status.description}` : '';
  switch (status.state) {
    case 'success':
      return { kind: 'live' };
    case 'failure':
    case 'error':
      return { kind: 'gone', reason: `the deployer reported deployment ${id} ${status.state}${said}` };
    case 'inactive':
      return {
        kind: 'gone',
        reason: `deployment ${id} is inactive: a newer deployment of its environment replaced it${said}`,
      };
    default:
      return { kind: 'settling', reason: `deployment ${id} is ${status.state}${said}` };
  }
}

/**
 * Ends a running rollout whose deployment is gone, as failed: nothing more
 * is judged or deployed (a late judgment would otherwise ask the deployer for
 * the next step of a version it has taken out). The check run fails with the
 * reason; the report says who ended it and why. A blue-green rollout that
 * switched production to the new version switches back, as an abort does,
 * and a canary, shadow or A/B rollout that replaced a version is taken out of
 * traffic (the app switches back only while the rollout's deployment is the
 * model's newest: one a newer deployment replaced has no share left).
 * No revert pull request: the analysis judged nothing against the version;
 * a person decides (`/rollback`). Pure: the state passed in is not changed.
 */
export function planRolloutLost(
  state: CanaryState,
  reason: string,
  ended: { by: string; at: Date },
): { state: CanaryState; effects: CanaryEffect[] } {
  const release = `${state.model} ${state.version}`;
  const next: CanaryState = {
    ...state,
    status: 'failed',
    paused: undefined,
    endedBy: { by: ended.by, at: ended.at.toISOString(), link: reason.slice(0, 1024) },
  };
  const effects: CanaryEffect[] = [];
  const phase = state.blueGreen?.phase;
  if (state.strategy === 'blue_green' && (phase === 'switching' || phase === 'switched')) {
    effects.push({
      kind: 'switch-back',
      description: `Switch all traffic back from ${release}: its deployment is gone`,
    });
    next.blueGreen = { ...state.blueGreen!, phase: 'switched-back' };
  } else if (state.strategy !== 'blue_green' && state.baselineVersion)
    effects.push(switchBackOf(state, `its deployment is gone: ${reason}`));
  effects.push(
    {
      kind: 'complete-check',
      conclusion: 'failure',
      title: `${release}: rollout ended, its deployment is gone`,
      summary: `${inertMarkdown(reason)}. Nothing more is judged${state.baselineVersion ? `, and ${inertMarkdown(state.baselineVersion)} answers every request again unless a newer deployment routes the model` : ''}; no revert pull request is opened (/rollback opens one).`,
    },
    { kind: 'save-state' },
  );
  return { state: next, effects };
}
