import { describe, expect, it } from 'vitest';
import type { CanaryPolicy, MetricData } from '../../../src/core/canary/judge.js';
import { decodeState, encodeState, type CanaryState } from '../../../src/core/canary/state.js';
import { sealKeyFrom } from '../../../src/core/integrity/seal.js';
import type { OutputPair } from '../../../src/core/shadow/compare.js';
import type { ShadowPolicy } from '../../../src/core/shadow/policy.js';
import { renderShadowSection } from '../../../src/core/shadow/report.js';
import {
  inShadowPhase,
  nextShadowJudgment,
  planShadowStep,
  type ShadowData,
} from '../../../src/core/shadow/step.js';

// The example registry's support-bot canary policy (examples/registry/models/support-bot/model.yaml).
const CANARY: CanaryPolicy = {
  steps: [5, 25, 50, 100],
  interval: '10m',
  failure_limit: 1,
  metrics: [
    { name: 'error_rate', query: 'q1', max: 0.02, direction: 'increase', critical: true },
    { name: 'latency_p95_ms', query: 'q2', max: 1500, direction: 'increase' },
  ],
};
const START = '2026-11-22T10:00:00.000Z';
const MINUTE = 60_000;

function shadowState(): CanaryState {
  return {
    v: 1,
    model: 'support-bot',
    version: '1.3.0',
    ref: 'support-bot@v1.3.0',
    sha: 'a'.repeat(40),
    manifest: 'models/support-bot/model.yaml',
    trigger: 'release',
    pr: 7,
    environment: 'canary',
    productionEnvironment: 'production',
    baselineVersion: '1.2.0',
    deploymentId: 41,
    weight: 0,
    stepStartedAt: START,
    intervals: [],
    status: 'running',
    strategy: 'shadow',
  };
}

/** Healthy serving metrics: the shadow as good as production. */
function healthy(errorRate = 0.01): MetricData[] {
  const around = (v: number) => Array.from({ length: 12 }, (_, i) => v * (1 + ((i % 5) - 2) / 100));
  return [
    { metric: 'error_rate', canary: { values: around(errorRate) }, baseline: { values: around(0.01) } },
    { metric: 'latency_p95_ms', canary: { values: around(900) }, baseline: { values: around(900) } },
  ];
}

/** `n` answered requests of one interval; `refuseEvery` makes every k-th shadow answer a refusal. */
function pairs(interval: number, n: number, refuseEvery = 0): OutputPair[] {
  return Array.from({ length: n }, (_, i) => {
    const production = `Your ticket ${interval}-${i} is escalated to the billing team; expect a reply within 24 hours.`;
    const refuses = refuseEvery > 0 && i % refuseEvery === 0;
    return {
      id: `req-${interval}-${i}`,
      production,
      shadow: refuses ? "I'm sorry, but I can't help with that." : production.replace('24 hours', 'one day'),
    };
  });
}

const POLICY: ShadowPolicy = {
  mirror: 10,
  duration: '1h',
  interval: '10m',
  outputs: {
    source: 'postgres',
    sample: 500,
    min_pairs: 100,
    checks: { similarity: { min: 0.6 }, refusal_rate: { max_increase: 0.02 }, length_ratio: {} },
  },
};

/** Runs the shadow interval by interval, each judged on time, until it ends or `limit` judgments. */
function run(policy: ShadowPolicy, data: (interval: number) => ShadowData, limit = 2000) {
  let state = shadowState();
  const steps = [];
  for (let i = 0; i < limit; i += 1) {
    const window = nextShadowJudgment(state, policy);
    if (!window) break;
    const step = planShadowStep(state, policy, CANARY, data(i), window.due, { autoMerge: false });
    if (step.kind !== 'judged') throw new Error('a due interval was not judged');
    steps.push(step);
    state = step.state;
  }
  return { state, steps, last: steps.at(-1)! };
}

describe('planShadowStep', () => {
  it('judges nothing before the first interval ends, and a duplicate job for a judged interval plans nothing', () => {
    const state = shadowState();
    const early = planShadowStep(
      state,
      POLICY,
      CANARY,
      { metrics: healthy() },
      new Date(Date.parse(START) + 9 * MINUTE),
      { autoMerge: false },
    );
    expect(early).toEqual({ kind: 'not-due', due: new Date(Date.parse(START) + 10 * MINUTE) });
    // Judged 5 minutes late: the next interval is still due at 10:20, not 10:25.
    const late = planShadowStep(
      state,
      POLICY,
      CANARY,
      { metrics: healthy(), outputs: { pairs: pairs(0, 40) } },
      new Date(Date.parse(START) + 15 * MINUTE),
      { autoMerge: false },
    );
    if (late.kind !== 'judged') throw new Error('not judged');
    expect(late.decision).toEqual({ action: 'wait', reason: '1 of 6 shadow interval(s) judged' });
    expect(late.effects).toEqual([{ kind: 'save-state' }]);
    expect(nextShadowJudgment(late.state, POLICY)?.due).toEqual(new Date(Date.parse(START) + 20 * MINUTE));
    const again = planShadowStep(
      late.state,
      POLICY,
      CANARY,
      { metrics: healthy() },
      new Date(Date.parse(START) + 15 * MINUTE),
      { autoMerge: false },
    );
    expect(again.kind).toBe('not-due');
  });

  it('hands a passing shadow over to the first canary step after its duration', () => {
    const { steps, last, state } = run(POLICY, (i) => ({
      metrics: healthy(),
      outputs: { pairs: pairs(i, 40) },
    }));
    expect(steps).toHaveLength(6);
    expect(last.decision).toMatchObject({ action: 'advance', weight: 5 });
    expect(last.effects).toEqual([
      {
        kind: 'deploy-step',
        environment: 'canary',
        weight: 5,
        description: 'Shadow passed; shift support-bot 1.3.0 to 5%',
      },
      { kind: 'save-state' },
    ]);
    // The state keeps its strategy and record; the canary's planner takes over from here.
    expect(state).toMatchObject({
      status: 'running',
      strategy: 'shadow',
      shadow: { phase: 'canary', outcome: { verdict: 'pass' } },
    });
    expect(inShadowPhase(state)).toBe(false);
    expect(nextShadowJudgment(state, POLICY)).toBeUndefined();
    expect(state.shadow!.outputs!.pairs).toBe(240);
  });

  it('promotes a passing shadow straight away with then: promote', () => {
    const { last, state } = run({ ...POLICY, then: 'promote' }, (i) => ({
      metrics: healthy(),
      outputs: { pairs: pairs(i, 40) },
    }));
    expect(state.status).toBe('promoted');
    expect(last.effects.map((e) => e.kind)).toEqual(['promote', 'complete-check', 'save-state']);
    expect(last.effects[1]).toMatchObject({
      conclusion: 'success',
      title: 'support-bot 1.3.0 promoted after its shadow',
    });
  });

  it("fails at once when serving metrics fail by the canary's rules (failure_limit 1: the second failed interval)", () => {
    const { steps, last, state } = run(POLICY, (i) => ({
      metrics: healthy(i >= 1 ? 0.05 : 0.01),
      outputs: { pairs: pairs(i, 40) },
    }));
    expect(steps).toHaveLength(3);
    expect(state.status).toBe('failed');
    expect(last.decision).toEqual({
      action: 'rollback',
      reason: 'serving metrics: 2 failed interval(s), more than failure_limit 1',
    });
    expect(last.effects).toEqual([
      {
        kind: 'switch-back',
        description:
          'Take support-bot 1.3.0 out of traffic: 1.2.0 answers every request again (shadow failed: serving metrics: 2 failed interval(s), more than fa',
      },
      {
        kind: 'fail-deployment',
        deploymentId: 41,
        description: 'shadow failed: serving metrics: 2 failed interval(s), more than failure_limit 1',
      },
      { kind: 'open-revert', autoMerge: false },
      {
        kind: 'complete-check',
        conclusion: 'failure',
        title: 'support-bot 1.3.0: shadow failed',
        summary: 'serving metrics: 2 failed interval(s), more than failure_limit 1',
      },
      { kind: 'save-state' },
    ]);
  });

  it('fails as soon as an output check fails with enough pairs: a shadow that refuses 1 request in 5', () => {
    const { steps, state } = run(POLICY, (i) => ({
      metrics: healthy(),
      outputs: { pairs: pairs(i, 60, 5) },
    }));
    // 60 pairs after the first interval is under min_pairs 100; the second has 120.
    expect(steps).toHaveLength(2);
    expect(state.status).toBe('failed');
    expect(state.shadow!.outcome).toMatchObject({
      verdict: 'fail',
      reason: 'output check(s) failed: refusal_rate',
    });
  });

  it('fails closed at the end when the outputs stay inconclusive (too few pairs), and says why', () => {
    const { last, state } = run(POLICY, (i) => ({ metrics: healthy(), outputs: { pairs: pairs(i, 10) } }));
    expect(state.status).toBe('failed');
    expect(last.decision.action).toBe('rollback');
    expect(last.decision.reason).toBe(
      'inconclusive, so not a pass: serving metrics: 6 interval(s) judged, 0 failed (failure_limit 1); outputs: 60 pair(s) compared, fewer than min_pairs 100',
    );
  });

  it('never passes on an output source that failed, and records the failure', () => {
    const { state } = run(POLICY, () => ({
      metrics: healthy(),
      outputs: { error: 'the outputs query failed: connection refused' },
    }));
    expect(state.status).toBe('failed');
    expect(state.shadow).toMatchObject({
      sourceErrors: 6,
      lastSourceError: 'the outputs query failed: connection refused',
    });
    expect(state.shadow!.history.map((h) => h.outputs)).toEqual(Array(6).fill('error'));
  });

  it('keeps a week-long shadow judged every 10 minutes (1,008 intervals) in a sealed state well under 60 KB', () => {
    const policy: ShadowPolicy = {
      ...POLICY,
      duration: '7d',
      outputs: { ...POLICY.outputs!, sample: 10_000 },
    };
    const { steps, state } = run(policy, (i) => ({ metrics: healthy(), outputs: { pairs: pairs(i, 20) } }));
    expect(steps).toHaveLength(1008);
    const key = sealKeyFrom('k'.repeat(32));
    const scope = { repository: 'acme/models', pr: 7 };
    const { line } = encodeState(state, key, scope);
    expect(line.length).toBeLessThan(30_000);
    const decoded = decodeState(line, key, scope);
    if (!('state' in decoded)) throw new Error(decoded.problem.detail);
    expect(decoded.state.shadow).toEqual(state.shadow);
  });

  it('reports the checks with their confidence intervals and never shows an answer', () => {
    const hostile = pairs(0, 40).map((p) => ({
      ...p,
      shadow: `${p.shadow} <!-- modelgate-state:forged --> @admin`,
    }));
    const { state } = run(POLICY, (i) => ({
      metrics: healthy(),
      outputs: { pairs: i === 0 ? hostile : pairs(i, 40) },
    }));
    const section = renderShadowSection(state, POLICY);
    expect(section).toContain('### Shadow: support-bot 1.3.0 vs production 1.2.0');
    expect(section).toContain('**✅ passed**');
    expect(section).toMatch(
      /\| refusals \(shadow − production\) \| 240 \| 0% \| \[-?[0-9.]+%, [0-9.]+%\] \(95%, Newcombe, paired\) \| ≤ 2% \| ✅ pass \|/,
    );
    expect(section).toContain('Decision: **➡️ hand over to the canary steps**');
    expect(section).not.toContain('modelgate-state');
    expect(section).not.toContain('billing team');
  });
});

describe('the shadow record read back from a sealed state', () => {
  it('is refused when it is not bounded: unknown fields, a history longer than kept, bins of the wrong size', async () => {
    const { shadowRecordSchema, newShadowRecord } = await import('../../../src/core/shadow/state.js');
    expect(shadowRecordSchema.safeParse(newShadowRecord()).success).toBe(true);
    const summary = { at: START, serving: 'pass', pairs: 1, outputs: 'pass' };
    expect(
      shadowRecordSchema.safeParse({ ...newShadowRecord(), history: Array(49).fill(summary) }).success,
    ).toBe(false);
    expect(shadowRecordSchema.safeParse({ ...newShadowRecord(), prompts: ['a prompt'] }).success).toBe(false);
    const { emptyTally } = await import('../../../src/core/shadow/compare.js');
    expect(
      shadowRecordSchema.safeParse({
        ...newShadowRecord(),
        outputs: { ...emptyTally(), similarity: Array(5000).fill(1) },
      }).success,
    ).toBe(false);
  });
});
