import type { GuardState } from './state.js';

/**
 * How long the deployer has to report the guard's rollback deployment live.
 * A deployer run that was cancelled, never started (no runner), or is stuck
 * posts no failure: without a deadline nothing would notice that production
 * still serves the version that breached while the guard says "rolled back".
 */
export const ROLLBACK_APPLY_MS = 30 * 60_000;

/** What the app found of the rollback deployment when its look was due. */
export interface RollbackObserved {
  /** The rollback deployment's newest status (undefined: none at all). */
  status?: { state: string; description: string };
  /** Whether it is still production's newest deployment of all the model's traffic. */
  newest: boolean;
}

/** The look at a rollback: the state to save (the look done), and the alert's reason when it was not applied. */
export type RollbackCheck =
  { kind: 'not-due'; due?: Date } | { kind: 'checked'; state: GuardState; notApplied?: string };

/** When the app looks at a rolled-back guard's deployment, or undefined when there is nothing to look at. */
export function rollbackCheckDue(state: GuardState): Date | undefined {
  if (state.status !== 'rolled_back' || state.rollbackDue === undefined) return undefined;
  const due = Date.parse(state.rollbackDue);
  return Number.isFinite(due) ? new Date(due) : new Date(0);
}

/**
 * Plans the one look at a guard's rollback, `ROLLBACK_APPLY_MS` after it:
 * live (`success`) is the end of it; production moved on since (a newer
 * deployment of all its traffic) is someone else's doing, said and not
 * alerted; anything else (no status, still queued or in progress, failure,
 * error) means production may still serve the version that breached, and
 * the critical alert fires. Pure.
 */
export function planRollbackCheck(state: GuardState, observed: RollbackObserved, now: Date): RollbackCheck {
  const due = rollbackCheckDue(state);
  if (!due) return { kind: 'not-due' };
  if (now < due) return { kind: 'not-due', due };
  const { rollbackDue: _done, ...rest } = state;
  const minutes = Math.round(ROLLBACK_APPLY_MS / 60_000);
  const deployment =
    state.rollbackDeploymentId === undefined
      ? 'the rollback deployment'
      : `deployment ${state.rollbackDeploymentId}`;
  const said = (outcome: string, notApplied?: string): RollbackCheck => ({
    kind: 'checked',
    state: { ...rest, rollbackOutcome: outcome.slice(0, 2048) },
    ...(notApplied ? { notApplied: notApplied.slice(0, 2048) } : {}),
  });
  if (state.rollbackDeploymentId === undefined) {
    const why = 'no rollback deployment was recorded';
    return said(`not applied: ${why}`, why);
  }
  if (observed.status?.state === 'success') return said(`the deployer reported ${deployment} live`);
  if (!observed.newest)
    return said(
      `production moved on before the deployer reported ${deployment} live: a newer deployment replaced it`,
    );
  const why = !observed.status
    ? `the deployer reported nothing for ${deployment} within ${minutes} minutes (its run was cancelled, never started, or waits for a runner)`
    : `the deployer reported ${deployment} ${observed.status.state} after ${minutes} minutes${observed.status.description ? `: ${observed.status.description}` : ''}`;
  return said(`not applied: ${why}`, why);
}
