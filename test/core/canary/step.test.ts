import { describe, expect, it } from 'vitest';
import type { CanaryPolicy, MetricData } from '../../../src/core/canary/judge.js';
import type { CanaryState } from '../../../src/core/canary/state.js';
import { nextJudgment, planCanaryStep } from '../../../src/core/canary/step.js';

const START = '2026-11-30T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(START) + minutes * 60_000);

const policy: CanaryPolicy = {
  steps: [10, 50, 100],
  interval: '5m',
  failure_limit: 0,
  metrics: [{ name: 'error_rate', query: 'q', max: 0.05 }],
};

const running: CanaryState = {
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
  productionStage: 'production',
  deploymentId: 7,
  weight: 10,
  stepStartedAt: START,
  intervals: [],
  status: 'running',
  checkRunId: 3,
};

const errorRate = (...values: number[]): MetricData[] => [{ metric: 'error_rate', canary: { values } }];
const healthy = errorRate(0.01, 0.01, 0.02, 0.01);
const broken = errorRate(0.2, 0.3, 0.25, 0.3);

describe('when a canary is judged next', () => {
  it('is one interval after the step started, then one more per interval judged in the step', () => {
    expect(nextJudgment(running, policy)).toEqual({ due: at(5), start: at(0), end: at(5), step: 15 });
    const unread: MetricData[] = [{ metric: 'error_rate', canary: { error: 'Prometheus is down' } }];
    const judged = planCanaryStep(running, policy, unread, at(5), { autoMerge: false });
    // An interval that could not be judged is not a pass: the step goes on.
    if (judged.kind !== 'judged') throw new Error('not judged');
    expect(nextJudgment(judged.state, policy)?.due).toEqual(at(10));
  });

  it('is never while the canary is paused, waits for the deployer, or has finished', () => {
    const steer = { by: 'alice', at: START, link: 'https://github.com/acme/models/pull/42#issuecomment-1' };
    expect(nextJudgment({ ...running, paused: steer }, policy)).toBeUndefined();
    expect(nextJudgment({ ...running, awaiting: 8 }, policy)).toBeUndefined();
    for (const status of ['promoted', 'failed', 'aborted'] as const)
      expect(nextJudgment({ ...running, status }, policy)).toBeUndefined();
  });

  it('defaults to 10-minute intervals and reads 20 points per interval, never finer than 15 s', () => {
    const { interval: _, ...noInterval } = policy;
    expect(nextJudgment(running, noInterval)?.due).toEqual(at(10));
    expect(nextJudgment(running, { ...policy, interval: '1h' })?.step).toBe(180);
  });
});

describe('one judgment of a canary, planned', () => {
  it('plans nothing before the interval is due, and says when it is', () => {
    expect(planCanaryStep(running, policy, healthy, at(4), { autoMerge: false })).toEqual({
      kind: 'not-due',
      due: at(5),
    });
  });

  it('a passing interval deploys the next step and saves the state; the state passed in is not changed', () => {
    const step = planCanaryStep(running, policy, healthy, at(5), { autoMerge: false });
    expect(step).toMatchObject({
      kind: 'judged',
      decision: { action: 'advance', weight: 50 },
      effects: [
        { kind: 'deploy-step', environment: 'canary', weight: 50, description: 'Shift gpt2 1.3.0 to 50%' },
        { kind: 'save-state' },
      ],
    });
    if (step.kind !== 'judged') throw new Error('not judged');
    expect(step.state.intervals).toHaveLength(1);
    expect(step.state.intervals[0]).toMatchObject({ at: at(5).toISOString(), verdict: 'pass' });
    expect(running.intervals).toHaveLength(0);
  });

  it('the last step passing promotes: the stage tag and production deployment, then the check run succeeds', () => {
    const step = planCanaryStep({ ...running, weight: 100 }, policy, healthy, at(5), { autoMerge: false });
    expect(step).toMatchObject({
      kind: 'judged',
      state: { status: 'promoted' },
      effects: [
        { kind: 'promote' },
        { kind: 'complete-check', conclusion: 'success', title: 'gpt2 1.3.0 promoted' },
        { kind: 'save-state' },
      ],
    });
  });

  it('a failing interval rolls back: the deployment fails, the revert pull request opens, the check run fails', () => {
    const step = planCanaryStep(running, policy, broken, at(5), { autoMerge: true });
    expect(step).toMatchObject({
      kind: 'judged',
      state: { status: 'failed' },
      decision: { action: 'rollback' },
      effects: [
        { kind: 'fail-deployment', deploymentId: 7 },
        { kind: 'open-revert', autoMerge: true },
        { kind: 'complete-check', conclusion: 'failure', title: 'gpt2 1.3.0: canary failed' },
        { kind: 'save-state' },
      ],
    });
    if (step.kind !== 'judged') throw new Error('not judged');
    const failure = step.effects[0];
    expect(failure?.kind === 'fail-deployment' && failure.description.length).toBeLessThanOrEqual(140);
  });

  it('a failed canary that replaced a version is taken out of traffic: that version answers every request again', () => {
    const replacing = { ...running, baselineVersion: '1.2.0' };
    const step = planCanaryStep(replacing, policy, broken, at(5), { autoMerge: false });
    if (step.kind !== 'judged') throw new Error('not judged');
    // A failure status moves no traffic (the deployer acts on deployments): a production deployment of 1.2.0 does.
    expect(step.effects.map((e) => e.kind)).toEqual([
      'switch-back',
      'fail-deployment',
      'open-revert',
      'complete-check',
      'save-state',
    ]);
    const back = step.effects[0];
    expect(back?.kind === 'switch-back' && back.description).toMatch(
      /^Take gpt2 1\.3\.0 out of traffic: 1\.2\.0 answers every request again \(canary failed: /,
    );
    expect(back?.kind === 'switch-back' && back.description.length).toBeLessThanOrEqual(140);
  });

  it('metrics that could not be read are an error, never a pass: the step waits', () => {
    const step = planCanaryStep(
      running,
      policy,
      [{ metric: 'error_rate', canary: { error: 'down' } }],
      at(5),
      {
        autoMerge: false,
      },
    );
    expect(step).toMatchObject({
      kind: 'judged',
      decision: { action: 'wait' },
      effects: [{ kind: 'save-state' }],
    });
    if (step.kind !== 'judged') throw new Error('not judged');
    expect(step.state.intervals[0]?.verdict).toBe('error');
  });

  it('a canary without metrics, paused, or finished plans nothing', () => {
    const { metrics: _, ...noMetrics } = policy;
    expect(planCanaryStep(running, noMetrics, healthy, at(5), { autoMerge: false }).kind).toBe('not-due');
    expect(
      planCanaryStep({ ...running, status: 'promoted' }, policy, healthy, at(5), { autoMerge: false }).kind,
    ).toBe('not-due');
  });
});
