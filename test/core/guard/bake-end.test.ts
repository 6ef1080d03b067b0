import { describe, expect, it } from 'vitest';
import type { GuardMetricData } from '../../../src/core/guard/judge.js';
import type { GuardState } from '../../../src/core/guard/state.js';
import { planGuardStep } from '../../../src/core/guard/step.js';
import type { GuardPolicy } from '../../../src/core/manifest/guard.js';

const PROMOTED = Date.parse('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;
const policy = {
  bake: '3h',
  interval: '1h',
  metrics: [{ name: 'error_rate', query: 'q', max: 0.02 }],
} as GuardPolicy;
const start: GuardState = {
  v: 1,
  model: 'support-bot',
  version: '1.3.0',
  ref: 'support-bot@v1.3.0',
  sha: 'a'.repeat(40),
  manifest: 'models/support-bot/model.yaml',
  trigger: 'a'.repeat(40),
  pr: 42,
  productionEnvironment: 'production',
  productionStage: 'production',
  deploymentId: 3,
  startedAt: new Date(PROMOTED).toISOString(),
  bakeEndsAt: new Date(PROMOTED + 3 * HOUR).toISOString(),
  intervals: [],
  failures: 0,
  consecutiveErrors: 0,
  status: 'watching',
  checkRunId: 7,
};
const healthy: GuardMetricData[] = [
  { metric: 'error_rate', current: { series: [{ labels: {}, values: Array(12).fill(0.01) }] } },
];
const down: GuardMetricData[] = [
  { metric: 'error_rate', current: { error: 'Prometheus cannot be reached' } },
];

/** The guard judged window by window with `windows` as the data of each; the state after the last. */
function bake(windows: GuardMetricData[][]): GuardState {
  let state = start;
  windows.forEach((data, i) => {
    const step = planGuardStep(state, policy, data, new Date(PROMOTED + (i + 1) * HOUR), {
      autoMerge: false,
    });
    if (step.kind !== 'judged') throw new Error(`window ${i + 1} was not judged`);
    state = step.state;
  });
  return state;
}

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
