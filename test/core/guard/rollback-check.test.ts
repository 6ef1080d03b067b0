import { describe, expect, it } from 'vitest';
import {
  planRollbackCheck,
  ROLLBACK_APPLY_MS,
  rollbackCheckDue,
} from '../../../src/core/guard/rollback-check.js';
import { nextGuardWake, planGuardStep } from '../../../src/core/guard/step.js';
import type { GuardState } from '../../../src/core/guard/state.js';
import type { GuardMetricData } from '../../../src/core/guard/judge.js';
import { guardMarkdown } from '../../../src/core/guard/report.js';
import type { GuardPolicy } from '../../../src/core/manifest/guard.js';
import { HOUR, PROMOTED, watchingGuard } from '../../helpers/guard-state.js';

const ROLLED_BACK_AT = PROMOTED + 5 * HOUR;
const DUE = ROLLED_BACK_AT + ROLLBACK_APPLY_MS;
const rolledBack = (over: Partial<GuardState> = {}): GuardState =>
  watchingGuard(24, {
    previousVersion: '1.2.0',
    status: 'rolled_back',
    endedAt: new Date(ROLLED_BACK_AT).toISOString(),
    rollbackDeploymentId: 77,
    rollbackDue: new Date(DUE).toISOString(),
    ...over,
  });
const at = (ms: number) => new Date(ms);

describe("the look at the guard's rollback, once the deployer has had its time", () => {
  it('a breach that rolls back plans the look ROLLBACK_APPLY_MS on, and the app wakes for it', () => {
    const policy = {
      bake: '3h',
      interval: '1h',
      metrics: [{ name: 'error_rate', query: 'q', max: 0.02 }],
    } as GuardPolicy;
    const failing: GuardMetricData[] = [
      { metric: 'error_rate', current: { series: [{ labels: {}, values: Array(12).fill(0.3) }] } },
    ];
    const now = at(PROMOTED + HOUR);
    const step = planGuardStep(watchingGuard(3, { previousVersion: '1.2.0' }), policy, failing, now, {
      autoMerge: false,
    });
    if (step.kind !== 'judged') throw new Error(`expected a judgment, got ${step.kind}`);
    expect(step.decision.action).toBe('rollback');
    const due = new Date(now.getTime() + ROLLBACK_APPLY_MS);
    expect(step.state).toMatchObject({ status: 'rolled_back', rollbackDue: due.toISOString() });
    expect(nextGuardWake(step.state, policy)).toEqual(due);
    expect(guardMarkdown(step.state)).toContain(
      `Waiting for the deployer to report the rollback deployment live, until ${due.toISOString()}`,
    );
    // Looked at, the guard has ended: nothing wakes it again, and the report says what was found.
    const looked = planRollbackCheck(
      { ...step.state, rollbackDeploymentId: 77 },
      { status: { state: 'success', description: '' } },
      due,
    );
    if (looked.kind !== 'checked') throw new Error('expected the look');
    expect(nextGuardWake(looked.state, policy)).toBeUndefined();
    expect(guardMarkdown(looked.state)).toContain('Rollback: the deployer reported deployment 77 live.');
    expect(guardMarkdown(looked.state)).not.toContain('Waiting for the deployer');
  });

  it('not before it is due', () => {
    expect(planRollbackCheck(rolledBack(), {}, at(DUE - 1))).toEqual({
      kind: 'not-due',
      due: at(DUE),
    });
    expect(planRollbackCheck(watchingGuard(24), {}, at(DUE))).toEqual({ kind: 'not-due' });
  });

  it('live: said in the report, no alert, the look done', () => {
    const check = planRollbackCheck(rolledBack(), { status: { state: 'success', description: '' } }, at(DUE));
    expect(check).toEqual({
      kind: 'checked',
      state: expect.objectContaining({ rollbackOutcome: 'the deployer reported deployment 77 live' }),
    });
    if (check.kind === 'checked') expect(check.state.rollbackDue).toBeUndefined();
  });

  it('no status at all (a run cancelled, never started, waiting for a runner): the alert, with why', () => {
    const check = planRollbackCheck(rolledBack(), {}, at(DUE));
    expect(check).toMatchObject({
      kind: 'checked',
      notApplied:
        'the deployer reported nothing for deployment 77 within 30 minutes (its run was cancelled, never started, or waits for a runner)',
      state: { rollbackOutcome: expect.stringMatching(/^not applied: the deployer reported nothing/) },
    });
  });

  it.each([
    ['queued', ''],
    ['in_progress', 'applying: gpt2 1.2.0 answers 100%'],
    ['failure', 'not applied: the GitOps branch main does not exist'],
    ['error', ''],
    ['inactive', 'superseded'],
  ])('%s after the deadline: not applied, alerted', (state, description) => {
    const check = planRollbackCheck(rolledBack(), { status: { state, description } }, at(DUE));
    expect(check).toMatchObject({
      kind: 'checked',
      notApplied: `the deployer reported deployment 77 ${state} after 30 minutes${description ? `: ${description}` : ''}`,
    });
  });

  it('production moved on since, to a deployment reported live: said, not alerted', () => {
    const check = planRollbackCheck(
      rolledBack(),
      { status: { state: 'inactive', description: '' }, replacedBy: { id: 80, live: true } },
      at(DUE),
    );
    expect(check).toMatchObject({
      kind: 'checked',
      state: {
        rollbackOutcome:
          'production moved on before the deployer reported deployment 77 live: deployment 80 serves it',
      },
    });
    expect(check).not.toHaveProperty('notApplied');
  });

  it('replaced by a deployment that is not live either: the version that breached may still serve, alerted', () => {
    const check = planRollbackCheck(rolledBack(), { replacedBy: { id: 80, live: false } }, at(DUE));
    expect(check).toMatchObject({
      kind: 'checked',
      notApplied: expect.stringMatching(
        /^the deployer reported nothing for deployment 77 within 30 minutes .*; production's newest deployment, 80, is not reported live either$/,
      ),
    });
  });

  it('a rolled-back guard from before the look existed, or one looked at, has nothing due', () => {
    expect(rollbackCheckDue(rolledBack({ rollbackDue: undefined }))).toBeUndefined();
    expect(rollbackCheckDue(rolledBack({ status: 'stopped' }))).toBeUndefined();
  });
});
