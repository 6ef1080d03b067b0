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
  /** The rollback deployment is gone: GitHub knows it no more (deleted). */
  gone?: boolean;
  /** GitHub did not answer the look for so long that it is given up on: why, as GitHub failed. */
  unanswered?: string;
  /**
   * Production's newest deployment of all the model's traffic, when it is
   * not the rollback any more, and whether the deployer reported it live.
   */
  replacedBy?: { id: number; live: boolean };
}

/** What a look at a rollback deployment comes to: what the report says, and the alert's reason when it was not applied. */
export interface RollbackVerdict {
  outcome: string;
  notApplied?: string;
}

/**
 * Judges a rollback deployment (`deployment`, as the texts name it) once
 * its time is up: live (`success`) is the end of it; a newer deployment of
 * all production's traffic that is live is someone else's doing, said and
 * not alerted; anything else (no status, still queued or in progress,
 * failure, error, deleted, replaced by one that is not live either, or a
 * GitHub that would not say) means production may still serve the version
 * that breached. Pure.
 */
export function rollbackVerdict(deployment: string, observed: RollbackObserved): RollbackVerdict {
  const minutes = Math.round(ROLLBACK_APPLY_MS / 60_000);
  const { status, replacedBy } = observed;
  const notApplied = (why: string) => ({
    outcome: `not applied: ${why}`.slice(0, 2048),
    notApplied: why.slice(0, 2048),
  });
  if (observed.unanswered)
    return {
      outcome: `not checked: ${observed.unanswered}`.slice(0, 2048),
      notApplied: `whether the deployer applied ${deployment} cannot be told: ${observed.unanswered}`.slice(
        0,
        2048,
      ),
    };
  if (observed.gone)
    return notApplied(`${deployment} is gone (deleted) before the deployer reported it live`);
  if (status?.state === 'success') return { outcome: `the deployer reported ${deployment} live` };
  if (replacedBy?.live)
    return {
      outcome: `production moved on before the deployer reported ${deployment} live: deployment ${replacedBy.id} serves it`,
    };
  const said = !status
    ? `the deployer reported nothing for ${deployment} within ${minutes} minutes (its run was cancelled, never started, or waits for a runner)`
    : `the deployer reported ${deployment} ${status.state} after ${minutes} minutes${status.description ? `: ${status.description}` : ''}`;
  return notApplied(
    replacedBy
      ? `${said}; production's newest deployment, ${replacedBy.id}, is not reported live either`
      : said,
  );
}

/** The look at a rolled-back guard's deployment: the state to save (the look done), and the alert's reason. */
export type RollbackCheck =
  { kind: 'not-due'; due?: Date } | { kind: 'checked'; state: GuardState; notApplied?: string };

/** When the app looks at a rolled-back guard's deployment, or undefined when there is nothing to look at. */
export function rollbackCheckDue(state: GuardState): Date | undefined {
  if (state.status !== 'rolled_back' || state.rollbackDue === undefined) return undefined;
  const due = Date.parse(state.rollbackDue);
  return Number.isFinite(due) ? new Date(due) : new Date(0);
}

/**
 * Plans the one look at a guard's rollback, `ROLLBACK_APPLY_MS` after it
 * (rollbackVerdict): the state keeps what it found, and the look is done. Pure.
 */
export function planRollbackCheck(state: GuardState, observed: RollbackObserved, now: Date): RollbackCheck {
  const due = rollbackCheckDue(state);
  if (!due) return { kind: 'not-due' };
  if (now < due) return { kind: 'not-due', due };
  const { rollbackDue: _done, ...rest } = state;
  const verdict =
    state.rollbackDeploymentId === undefined
      ? {
          outcome: 'not applied: no rollback deployment was recorded',
          notApplied: 'no rollback deployment was recorded',
        }
      : rollbackVerdict(`deployment ${state.rollbackDeploymentId}`, observed);
  return {
    kind: 'checked',
    state: { ...rest, rollbackOutcome: verdict.outcome },
    ...(verdict.notApplied ? { notApplied: verdict.notApplied } : {}),
  };
}
