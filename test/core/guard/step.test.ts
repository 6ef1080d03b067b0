import { describe, expect, it } from 'vitest';
import type { GuardMetricData } from '../../../src/core/guard/judge.js';
import { REFUSAL_TEXT, type GuardState } from '../../../src/core/guard/state.js';
import { guardAlerts } from '../../../src/core/guard/alerts.js';
import { guardMarkdown } from '../../../src/core/guard/report.js';
import { planGuardStep } from '../../../src/core/guard/step.js';
import type { GuardPolicy } from '../../../src/core/manifest/guard.js';
import { HOUR, PROMOTED, watchingGuard } from '../../helpers/guard-state.js';

const policy = {
  bake: '3h',
  interval: '1h',
  metrics: [{ name: 'error_rate', query: 'q', max: 0.02 }],
} as GuardPolicy;
const start = watchingGuard(3);
const healthy: GuardMetricData[] = [
  { metric: 'error_rate', current: { series: [{ labels: {}, values: Array(12).fill(0.01) }] } },
];
const down: GuardMetricData[] = [
  { metric: 'error_rate', current: { error: 'Prometheus cannot be reached' } },
];

const failing: GuardMetricData[] = [
  { metric: 'error_rate', current: { series: [{ labels: {}, values: Array(12).fill(0.3) }] } },
];

/** The guard judged window by window with `windows` as the data of each: every step planned. */
function judge(
  windows: GuardMetricData[][],
  options: Parameters<typeof planGuardStep>[4] = { autoMerge: false },
  from: GuardState = start,
  guarded: GuardPolicy = policy,
) {
  let state = from;
  return windows.map((data, i) => {
    const step = planGuardStep(state, guarded, data, new Date(PROMOTED + (i + 1) * HOUR), options);
    if (step.kind !== 'judged') throw new Error(`window ${i + 1} was not judged`);
    state = step.state;
    return step;
  });
}

/** The state after the last window. */
const bake = (windows: GuardMetricData[][]): GuardState => judge(windows).at(-1)!.state;

describe('the end of a bake', () => {
  it('passes when every window was judged and the last one passed', () => {
    expect(bake([healthy, healthy, healthy])).toMatchObject({ status: 'passed' });
  });

  it('one good window, then a query that fails for the rest of the bake, is not a verified bake', () => {
    const ended = bake([healthy, down, down]);
    expect(ended.status).toBe('unverified');
    expect(ended.intervals.map((i) => i.verdict)).toEqual(['pass', 'error', 'error']);
  });
});

describe('a breach', () => {
  const withPrevious: GuardState = { ...start, previousVersion: '1.2.0' };
  const withdrawn = {
    reason: 'support-bot 1.2.0 was deregistered (support-bot@v1.2.0 is withdrawn), so it is no release',
    fix: 'Roll back to a released version by hand (modelgate rollback support-bot --to VERSION).',
  };

  it('rolls production back to the previous version once: its deployment, its stage tag, the revert, the failed check', () => {
    const [step] = judge([failing], { autoMerge: false }, withPrevious);
    expect(step!.decision.action).toBe('rollback');
    expect(step!.state).toMatchObject({ status: 'rolled_back' });
    expect(step!.state.notRolledBack).toBeUndefined();
    expect(step!.effects.map((e) => e.kind)).toEqual([
      'deploy-previous',
      'assign-previous',
      'open-revert',
      'complete-check',
      'send-alerts',
      'save-state',
    ]);
  });

  it('rolls nothing back when the previous version cannot be put back: it alerts, keeps watching and says why in the report', () => {
    const steps = judge([failing, failing], { autoMerge: false, previousRefusal: withdrawn }, withPrevious);
    const [first, second] = steps;
    expect(first!.decision).toEqual({
      action: 'alert',
      reason: expect.stringContaining(
        'The previous version 1.2.0 cannot be put back: support-bot 1.2.0 was deregistered',
      ),
    });
    expect(first!.effects.map((e) => e.kind)).not.toContain('deploy-previous');
    expect(first!.state).toMatchObject({ status: 'watching', notRolledBack: withdrawn });
    expect(guardMarkdown(first!.state)).toContain('Not rolled back: support-bot 1.2.0 was deregistered');
    // Breached once: later failing windows keep watching, and say nothing new.
    expect(second!.decision.action).toBe('watch');
    expect(second!.state.notRolledBack).toBe(first!.state.notRolledBack);
  });

  it('a breach in the last window of the bake ends it breached, with the same reason', () => {
    const lastWindow = { ...withPrevious, bakeEndsAt: new Date(PROMOTED + HOUR).toISOString() };
    const [step] = judge([failing], { autoMerge: false, previousRefusal: withdrawn }, lastWindow);
    expect(step!.state).toMatchObject({ status: 'breached', notRolledBack: withdrawn });
    expect(step!.effects.map((e) => e.kind)).toEqual(['complete-check', 'send-alerts', 'save-state']);
    expect(step!.effects[0]).toMatchObject({
      summary: expect.stringContaining(
        'the bake ended after a breach (nothing was rolled back: support-bot 1.2.0 was deregistered',
      ),
    });
  });

  it('keeps a refusal within what the saved state holds, and tells who is paged that the rollback is theirs', () => {
    const long = { reason: `support-bot 1.2.0 ${'x'.repeat(10_000)}`, fix: withdrawn.fix };
    const [step] = judge([failing], { autoMerge: false, previousRefusal: long }, withPrevious);
    const kept = step!.state.notRolledBack!;
    expect(kept.reason).toHaveLength(REFUSAL_TEXT);
    expect(kept.reason.endsWith('x…')).toBe(true);
    expect(kept.fix).toBe(withdrawn.fix);
    const context = {
      repository: 'acme/models',
      pullRequestUrl: 'https://x/pull/42',
      reportUrl: 'https://x/r',
    };
    const [breach] = guardAlerts(step!.state, context, new Date(PROMOTED + HOUR));
    expect(breach!.annotations.description).toMatch(
      /judged\)\. Not rolled back: support-bot 1\.2\.0 x{900,}$/,
    );
  });

  it('with on_breach: alert the previous version is not at issue: nothing is said about it', () => {
    const alerting = { ...policy, on_breach: 'alert' } as GuardPolicy;
    const [step] = judge([failing], { autoMerge: false, previousRefusal: withdrawn }, withPrevious, alerting);
    expect(step!.decision).toMatchObject({ action: 'alert' });
    expect(step!.decision.reason).not.toContain('cannot be put back');
    expect(step!.state.notRolledBack).toBeUndefined();
  });
});
