import { describe, expect, it } from 'vitest';
import type { CanaryPolicy, MetricData } from '../../../src/core/canary/judge.js';
import { decodeState, encodeState, type CanaryState } from '../../../src/core/canary/state.js';
import type { CanaryStep } from '../../../src/core/canary/step.js';
import { sealKeyFrom } from '../../../src/core/integrity/seal.js';
import type { BlueGreenPolicy } from '../../../src/core/blue-green/policy.js';
import { startBlueGreenRecord } from '../../../src/core/blue-green/state.js';
import {
  nextBlueGreenJudgment,
  planBlueGreenStep,
  planBlueGreenSwitch,
  type BlueGreenData,
} from '../../../src/core/blue-green/step.js';
import type { PreviewSuiteEvidence } from '../../../src/core/blue-green/suites.js';
import type { MetricSeries } from '../../../src/core/eval/results.js';

const START = '2026-11-30T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(START) + minutes * 60_000);

const canary: CanaryPolicy = {
  failure_limit: 0,
  metrics: [
    { name: 'error_rate', query: 'q', max: 0.02, direction: 'increase', critical: true },
    { name: 'latency_p95_ms', query: 'q', max: 2000, direction: 'increase' },
  ],
};
const policy: BlueGreenPolicy = {
  pre_switch: { duration: '10m' },
  post_switch: { duration: '15m', interval: '5m' },
  scale_down_delay: '1h',
};

/** The state the lead's start writes once the deployer reports the preview live (deployment 11, weight 0). */
const previewLive: CanaryState = {
  v: 1,
  model: 'support-bot',
  version: '1.3.0',
  ref: 'support-bot@v1.3.0',
  sha: 'a'.repeat(40),
  manifest: 'models/support-bot/model.yaml',
  trigger: 'a'.repeat(40),
  pr: 42,
  environment: 'support-bot/preview',
  productionEnvironment: 'support-bot/production',
  productionStage: 'production',
  baselineVersion: '1.2.0',
  deploymentId: 11,
  weight: 0,
  stepStartedAt: START,
  intervals: [],
  status: 'running',
  checkRunId: 3,
  strategy: 'blue_green',
  blueGreen: startBlueGreenRecord(11),
};

/** 200 documents scored 0/1 by the runner: `right` of them right, the same ids on both sides. */
function accuracy(source: string, right: number, n = 200): MetricSeries {
  const samples = new Map(Array.from({ length: n }, (_, i) => [`doc-${i}`, i < right ? 1 : 0]));
  return { name: 'smoke/accuracy', value: right / n, n, higherIsBetter: true, samples, source };
}
const gates = [{ metric: 'smoke/accuracy', min: 0.8, max_drop: 0.02 }];
const suitesAt = (right: number): PreviewSuiteEvidence => ({
  suites: [{ name: 'smoke', measured: accuracy('preview', right), errors: 0 }],
  gates,
  gatesFrom: "production 1.2.0's manifest",
  baseline: {
    label: 'production 1.2.0',
    metrics: new Map([['smoke/accuracy', accuracy('evals/smoke-1.2.0.json', 180)]]),
    gates,
  },
});
const series = (...values: number[]) => ({ values });
const healthy: MetricData[] = [
  { metric: 'error_rate', canary: series(0.004, 0.005, 0.006, 0.005, 0.004) },
  { metric: 'latency_p95_ms', canary: series(900, 950, 910, 930, 920) },
];
const versus = (green: number[], blue: number[]): MetricData[] => [
  { metric: 'error_rate', canary: series(...green), baseline: series(...blue) },
  {
    metric: 'latency_p95_ms',
    canary: series(900, 910, 905, 915, 920),
    baseline: series(905, 910, 900, 915, 925),
  },
];
const blueErrors = [0.005, 0.006, 0.004, 0.005, 0.006];

function judged(step: CanaryStep) {
  if (step.kind !== 'judged') throw new Error(`expected a judgment, got ${JSON.stringify(step)}`);
  return step;
}
/** What the lead's adapter does when the deployer reports the awaited deployment live. */
const live = (state: CanaryState, id: number, when: Date): CanaryState => ({
  ...state,
  deploymentId: id,
  weight: 100,
  stepStartedAt: when.toISOString(),
  awaiting: undefined,
});

describe('a blue-green rollout from preview to promotion', () => {
  it('runs the suites when the preview goes live, then one health window, then switches with blue kept warm', () => {
    expect(nextBlueGreenJudgment(previewLive, policy)).toMatchObject({
      analysis: 'pre-switch',
      suites: true,
      due: at(0),
    });
    const suites = judged(
      planBlueGreenStep(previewLive, policy, canary, { suites: suitesAt(182), metrics: [] }, at(0), {
        autoMerge: false,
      }),
    );
    expect(suites.decision.action).toBe('wait');
    expect(suites.effects).toEqual([{ kind: 'save-state' }]);
    expect(suites.state.blueGreen?.suites).toMatchObject({
      verdict: 'pass',
      gates: [{ metric: 'smoke/accuracy', verdict: 'pass' }],
    });

    const window = nextBlueGreenJudgment(suites.state, policy);
    expect(window).toMatchObject({
      analysis: 'pre-switch',
      suites: false,
      start: at(0),
      end: at(10),
      due: at(10),
      step: 30,
    });
    const health = judged(
      planBlueGreenStep(suites.state, policy, canary, { metrics: healthy }, at(10), { autoMerge: false }),
    );
    expect(health.decision).toMatchObject({ action: 'switch' });
    expect(health.effects).toEqual([
      {
        kind: 'switch',
        description: 'Switch all traffic to support-bot 1.3.0; keep the previous version warm 1h',
        scaleDownDelaySeconds: 3600,
      },
      { kind: 'save-state' },
    ]);
    expect(health.state.blueGreen).toMatchObject({
      phase: 'switching',
      switchRequestedAt: at(10).toISOString(),
      preSwitch: { verdict: 'pass' },
    });
    // Until the deployer reports the switch live, nothing is judged.
    expect(nextBlueGreenJudgment({ ...health.state, awaiting: 12 }, policy)).toBeUndefined();
  });

  it('judges green against blue before the switch every interval, and promotes live after the last window', () => {
    const switched = live(switchingState(), 12, at(12));
    const first = nextBlueGreenJudgment(switched, policy);
    // Blue's window has the same length and ends when the switch was asked for (10:10), when blue still had all traffic.
    expect(first).toMatchObject({
      analysis: 'post-switch',
      start: at(12),
      end: at(17),
      baseline: { start: at(5), end: at(10) },
    });
    let state = switched;
    for (const end of [17, 22]) {
      const step = judged(
        planBlueGreenStep(state, policy, canary, { metrics: versus(blueErrors, blueErrors) }, at(end), {
          autoMerge: false,
        }),
      );
      expect(step.decision.action).toBe('wait');
      expect(step.state.blueGreen?.phase).toBe('switched');
      state = step.state;
    }
    const last = judged(
      planBlueGreenStep(state, policy, canary, { metrics: versus(blueErrors, blueErrors) }, at(27), {
        autoMerge: false,
      }),
    );
    expect(last.decision.action).toBe('promote');
    expect(last.effects.map((e) => e.kind)).toEqual(['promote', 'complete-check', 'save-state']);
    expect(last.effects[0]).toEqual({ kind: 'promote', live: true });
    expect(last.state).toMatchObject({
      status: 'promoted',
      blueGreen: { phase: 'done', switchedAt: at(12).toISOString(), postSwitch: { verdict: 'pass' } },
    });
    expect(nextBlueGreenJudgment(last.state, policy)).toBeUndefined();
  });

  it('counts windows from the switch going live, so a late judgment does not shift the next, and a duplicate job plans nothing', () => {
    const switched = live(switchingState(), 12, at(12));
    const late = judged(
      planBlueGreenStep(switched, policy, canary, { metrics: versus(blueErrors, blueErrors) }, at(21), {
        autoMerge: false,
      }),
    );
    expect(nextBlueGreenJudgment(late.state, policy)).toMatchObject({ start: at(17), end: at(22) });
    expect(
      planBlueGreenStep(late.state, policy, canary, { metrics: [] }, at(21), { autoMerge: false }),
    ).toEqual({ kind: 'not-due', due: at(22) });
  });
});

describe('a blue-green rollout fails closed', () => {
  it('switches straight back and opens the revert when green errs more than blue did', () => {
    const switched = live(switchingState(), 12, at(12));
    const worse = [0.015, 0.018, 0.016, 0.019, 0.017];
    const step = judged(
      planBlueGreenStep(switched, policy, canary, { metrics: versus(worse, blueErrors) }, at(17), {
        autoMerge: true,
      }),
    );
    expect(step.decision.action).toBe('rollback');
    expect(step.effects.map((e) => e.kind)).toEqual([
      'switch-back',
      'open-revert',
      'complete-check',
      'save-state',
    ]);
    expect(step.effects[1]).toEqual({ kind: 'open-revert', autoMerge: true });
    expect(step.effects[2]).toMatchObject({
      conclusion: 'failure',
      title: 'support-bot 1.3.0: switched back',
    });
    expect(step.state).toMatchObject({
      status: 'failed',
      blueGreen: { phase: 'switched-back', postSwitch: { verdict: 'fail' } },
    });
    expect(step.state.intervals.at(-1)?.measurements[0]).toMatchObject({
      metric: 'error_rate',
      verdict: 'fail',
      baseline: { n: 5 },
    });
  });

  it('switches back when the post-switch window ends without enough judged windows (no data is not a pass)', () => {
    let state = live(switchingState(), 12, at(12));
    const silent: MetricData[] = [
      { metric: 'error_rate', canary: series(), baseline: series(...blueErrors) },
      { metric: 'latency_p95_ms', canary: series(), baseline: series(900, 910, 905) },
    ];
    let step = judged(
      planBlueGreenStep(state, policy, canary, { metrics: silent }, at(17), { autoMerge: false }),
    );
    expect(step.decision.action).toBe('wait');
    for (const end of [22, 27]) {
      state = step.state;
      step = judged(
        planBlueGreenStep(state, policy, canary, { metrics: versus(blueErrors, blueErrors) }, at(end), {
          autoMerge: false,
        }),
      );
    }
    expect(step.decision).toMatchObject({ action: 'rollback' });
    expect(step.decision.reason).toContain('2 of 3 interval(s) judged');
    expect(step.effects[0]?.kind).toBe('switch-back');
  });

  it('never switches when a suite could not run against the preview: the preview is failed and the release reverted', () => {
    const notRun: PreviewSuiteEvidence = {
      ...suitesAt(0),
      suites: [
        { name: 'smoke', notRun: 'not run: every request to the endpoint failed (Connection error.)' },
      ],
    };
    const step = judged(
      planBlueGreenStep(previewLive, policy, canary, { suites: notRun, metrics: [] }, at(0), {
        autoMerge: false,
      }),
    );
    expect(step.decision.action).toBe('rollback');
    expect(step.effects.map((e) => e.kind)).toEqual([
      'fail-deployment',
      'open-revert',
      'complete-check',
      'save-state',
    ]);
    expect(step.effects[0]).toMatchObject({ deploymentId: 11 });
    expect(step.state.blueGreen?.preSwitch?.reason).toContain('suite smoke did not run');
    expect(step.effects.some((e) => e.kind === 'switch')).toBe(false);
  });

  it('never switches when the suites were not gathered at all', () => {
    const step = judged(
      planBlueGreenStep(previewLive, policy, canary, { metrics: [] }, at(0), { autoMerge: false }),
    );
    expect(step.state.blueGreen?.preSwitch).toMatchObject({
      verdict: 'fail',
      reason: 'the eval suites were not run against the preview',
    });
  });

  it("fails the preview on a drop beyond the tolerance against production's results (McNemar on paired documents)", () => {
    const step = judged(
      planBlueGreenStep(previewLive, policy, canary, { suites: suitesAt(164), metrics: [] }, at(0), {
        autoMerge: false,
      }),
    );
    expect(step.state.blueGreen?.suites).toMatchObject({
      verdict: 'fail',
      gates: [{ verdict: 'fail', candidate: 0.82, baseline: 0.9 }],
    });
    expect(step.state.blueGreen?.suites?.gates[0]?.ci?.[1]).toBeLessThan(-0.02);
  });

  it('fails the preview when its health window has no data: the preview had no traffic to judge', () => {
    const suites = judged(
      planBlueGreenStep(previewLive, policy, canary, { suites: suitesAt(182), metrics: [] }, at(0), {
        autoMerge: false,
      }),
    );
    const silent: MetricData[] = [
      { metric: 'error_rate', canary: series(Number.NaN, Number.NaN) },
      { metric: 'latency_p95_ms', canary: series() },
    ];
    const step = judged(
      planBlueGreenStep(suites.state, policy, canary, { metrics: silent }, at(10), { autoMerge: false }),
    );
    expect(step.decision.action).toBe('rollback');
    expect(step.state.blueGreen?.preSwitch?.reason).toMatch(
      /^the preview's health window is inconclusive, not a pass: error_rate: no canary data/,
    );
  });

  it('refuses to start when the manifest has no canary.metrics: nothing could watch green after the switch', () => {
    const step = judged(
      planBlueGreenStep(previewLive, policy, undefined, { suites: suitesAt(182), metrics: [] }, at(0), {
        autoMerge: false,
      }),
    );
    expect(step.state.blueGreen?.preSwitch?.reason).toMatch(/^blue_green needs canary.metrics/);
    expect(step.state.status).toBe('failed');
  });

  it('fails a suite that ran with no gate on it: a measurement nothing judges is not evidence', () => {
    const ungated = { ...suitesAt(182), gates: [], baseline: undefined };
    const step = judged(
      planBlueGreenStep(previewLive, policy, canary, { suites: ungated, metrics: [] }, at(0), {
        autoMerge: false,
      }),
    );
    expect(step.state.blueGreen?.suites?.verdict).toBe('inconclusive');
    expect(step.state.status).toBe('failed');
  });
});

describe('auto_switch: false', () => {
  const manual: BlueGreenPolicy = { ...policy, auto_switch: false };
  const by = {
    by: 'octocat',
    at: at(30).toISOString(),
    link: 'https://github.com/acme/models/pull/42#issuecomment-1',
  };

  it('waits in ready after the pre-switch passes; /promote then switches, and before that it is refused', () => {
    expect(planBlueGreenSwitch(previewLive, manual, by, at(1))).toEqual({
      kind: 'refused',
      reason: 'the pre-switch analysis has not passed yet: the switch waits for it',
    });
    const suites = judged(
      planBlueGreenStep(previewLive, manual, canary, { suites: suitesAt(182), metrics: [] }, at(0), {
        autoMerge: false,
      }),
    );
    const ready = judged(
      planBlueGreenStep(suites.state, manual, canary, { metrics: healthy }, at(10), { autoMerge: false }),
    );
    expect(ready.decision.action).toBe('wait');
    expect(ready.effects).toEqual([{ kind: 'save-state' }]);
    expect(ready.state.blueGreen).toMatchObject({ phase: 'ready', readyAt: at(10).toISOString() });
    expect(nextBlueGreenJudgment(ready.state, manual)).toBeUndefined();

    const switched = planBlueGreenSwitch(ready.state, manual, by, at(30));
    if (switched.kind !== 'judged') throw new Error(switched.reason);
    expect(switched.decision.action).toBe('switch');
    expect(switched.effects[0]).toMatchObject({ kind: 'switch', scaleDownDelaySeconds: 3600 });
    expect(switched.state.blueGreen).toMatchObject({
      phase: 'switching',
      switchRequestedAt: at(30).toISOString(),
      switchedBy: by,
    });
    expect(planBlueGreenSwitch(switched.state, manual, by, at(31))).toMatchObject({ kind: 'refused' });
  });
});

describe('the sealed state', () => {
  it('round-trips through the comment line and stays far below the 64 KiB a comment holds', () => {
    let state = live(switchingState(), 12, at(12));
    for (const end of [17, 22, 27])
      state = judged(
        planBlueGreenStep(state, policy, canary, { metrics: versus(blueErrors, blueErrors) }, at(end), {
          autoMerge: false,
        }),
      ).state;
    const key = sealKeyFrom('k'.repeat(32));
    const scope = { repository: 'acme/models', pr: 42 };
    const { line } = encodeState(state, key, scope);
    expect(line.length).toBeLessThan(16_000);
    const decoded = decodeState(line, key, scope);
    if (!('state' in decoded)) throw new Error(decoded.problem.detail);
    expect(decoded.state.blueGreen).toEqual(state.blueGreen);
  });

  it('refuses a record read back with a phase it does not know or an unbounded field', () => {
    const key = sealKeyFrom('k'.repeat(32));
    const scope = { repository: 'acme/models', pr: 42 };
    for (const blueGreen of [
      { phase: 'teleported' },
      { phase: 'preview', preSwitch: { verdict: 'pass', reason: 'x'.repeat(5000), at: START } },
      { phase: 'preview', injected: true },
    ]) {
      const { line } = encodeState({ ...previewLive, blueGreen } as unknown as CanaryState, key, scope);
      expect(decodeState(line, key, scope)).toMatchObject({ problem: { kind: 'schema' } });
    }
  });
});

/** Preview passed at 10:10 and the switch was asked for (what the first test arrives at). */
function switchingState(): CanaryState {
  const suites = judged(
    planBlueGreenStep(previewLive, policy, canary, { suites: suitesAt(182), metrics: [] }, at(0), {
      autoMerge: false,
    }),
  );
  const data: BlueGreenData = { metrics: healthy };
  return {
    ...judged(planBlueGreenStep(suites.state, policy, canary, data, at(10), { autoMerge: false })).state,
    awaiting: 12,
  };
}
