import { describe, expect, it } from 'vitest';
import type { CanaryPolicy } from '../../../src/core/canary/judge.js';
import { canaryReportOf } from '../../../src/core/canary/report-state.js';
import type { CanaryState } from '../../../src/core/canary/state.js';

const policy: CanaryPolicy = {
  steps: [10, 100],
  interval: '5m',
  metrics: [{ name: 'error_rate', query: 'q', max: 0.05 }],
};
const passed = { at: '2026-11-30T10:05:00.000Z', verdict: 'pass' as const, score: 100, measurements: [] };
const state: CanaryState = {
  v: 1,
  model: 'gpt2',
  version: '1.3.0',
  ref: 'gpt2@v1.3.0',
  sha: 'a'.repeat(40),
  manifest: 'models/gpt2/model.yaml',
  trigger: 'a'.repeat(40),
  pr: 42,
  environment: 'canary',
  productionEnvironment: 'production',
  deploymentId: 7,
  weight: 10,
  stepStartedAt: '2026-11-30T10:00:00.000Z',
  intervals: [passed],
  status: 'running',
};
const alice = {
  by: 'alice',
  at: '2026-11-30T10:06:00.000Z',
  link: 'https://github.com/acme/models/pull/42#issuecomment-1',
};

describe("the canary report's headline", () => {
  it('a running canary shows the judged analysis and the decision it leads to', () => {
    const report = canaryReportOf(state, policy);
    expect(report.state.status).toBe('running');
    expect(report.decision).toMatchObject({ action: 'advance', weight: 100 });
  });

  it('paused or waiting for the deployer: what the canary waits for, and no decision', () => {
    const paused = canaryReportOf({ ...state, paused: alice }, policy);
    expect(paused.state.reason).toBe('paused by @alice: no interval is judged until /canary resume');
    expect(paused.decision).toBeUndefined();
    const waiting = canaryReportOf({ ...state, awaiting: 8 }, policy);
    expect(waiting.state.reason).toBe('waiting for the deployer to shift to the next step');
    expect(waiting.decision).toBeUndefined();
  });

  it('finished: promoted by the last step or by a person, failed, aborted', () => {
    expect(canaryReportOf({ ...state, status: 'promoted' }, policy).state).toMatchObject({
      status: 'passed',
      reason: 'every step passed: promoted to production',
    });
    expect(canaryReportOf({ ...state, status: 'promoted', endedBy: alice }, policy).state.reason).toBe(
      'promoted to production by @alice with /promote, before every step had passed',
    );
    expect(canaryReportOf({ ...state, status: 'failed' }, policy).state.status).toBe('failed');
    expect(canaryReportOf({ ...state, status: 'aborted', endedBy: alice }, policy).state).toMatchObject({
      status: 'failed',
      reason: 'aborted by @alice',
    });
  });
});
