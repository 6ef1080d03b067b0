import { describe, expect, it } from 'vitest';
import type { AbPolicy } from '../../../src/core/ab/policy.js';
import { analyzeRecordedAb, readRecordedAb } from '../../../src/core/ab/recorded.js';
import { renderAbSection, renderAbText } from '../../../src/core/ab/report.js';
import { abRecordSchema, startAbRecord } from '../../../src/core/ab/state.js';
import { nextAbJudgment, planAbConclusion, planAbStep, type AbData } from '../../../src/core/ab/step.js';
import type { CanaryPolicy, MetricData } from '../../../src/core/canary/judge.js';
import { decodeState, encodeState, type CanaryState } from '../../../src/core/canary/state.js';
import type { CanaryStep } from '../../../src/core/canary/step.js';
import { sealKeyFrom } from '../../../src/core/integrity/seal.js';

// While a proposal waits for /ab conclude, B keeps its share of the traffic:
// every interval is still a look at B's serving health (and only at that).

const LIVE = new Date('2026-03-02T00:00:00Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(LIVE.getTime() + hours * HOUR);
const POLICY: AbPolicy = {
  split: 50,
  metric: {
    name: 'thumbs_up_rate',
    successes:
      'sum(increase(llm_feedback_total{model="{{model}}",version="{{version}}",vote="up"}[{{interval}}]))',
    trials: 'sum(increase(llm_feedback_total{model="{{model}}",version="{{version}}"}[{{interval}}]))',
    higher_is_better: true,
  },
  interval: '1h',
  min_duration: '6h',
  min_samples: 1000,
  horizon: '2d',
  alpha: 0.05,
};
/** DESIGN.md's canary block: the error rate, at most 2 %, compared with production. */
const CANARY: CanaryPolicy = {
  steps: [5, 25, 50, 100],
  interval: '10m',
  metrics: [
    {
      name: 'error_rate',
      query:
        'sum(rate(llm_requests_total{model="{{model}}",version="{{version}}",code=~"5.."}[5m])) / sum(rate(llm_requests_total{model="{{model}}",version="{{version}}"}[5m]))',
      max: 0.02,
      direction: 'increase',
    },
  ],
};
const ADA = {
  by: 'ada',
  at: '2026-03-02T09:30:00Z',
  link: 'https://github.com/acme/models/pull/7#issuecomment-1',
};

function running(): CanaryState {
  return {
    v: 1,
    model: 'support-bot',
    version: '1.3.0',
    ref: 'support-bot@v1.3.0',
    sha: 'a'.repeat(40),
    manifest: 'models/support-bot/model.yaml',
    trigger: 'push',
    pr: 7,
    environment: 'canary',
    productionEnvironment: 'production',
    baselineVersion: '1.2.0',
    deploymentId: 11,
    weight: 50,
    stepStartedAt: LIVE.toISOString(),
    intervals: [],
    status: 'running',
    strategy: 'ab',
    ab: startAbRecord(LIVE),
  };
}

/** An hour's error rate at 20 points, wobbling ±30 % around `level` as a real rate() does. */
const errorRate = (level: number, phase = 0) =>
  Array.from({ length: 20 }, (_, i) => level * (1 + 0.3 * Math.sin(i * 1.7 + phase)));
/** B's and A's error rates for one hour: A (production) at 0.8 %. */
const health = (b: number): MetricData[] => [
  { metric: 'error_rate', canary: { values: errorRate(b, 1) }, baseline: { values: errorRate(0.008, 2) } },
];
const HEALTHY = health(0.007);
/** B errs 2.4 times as often as A, under the 2 % threshold: the comparison with A catches it. */
const ERRING = health(0.019);

/** An hour of feedback, 500 votes per arm: A at 30 % thumbs-up, B at `rateB`, with B's health. */
const hour = (rateB: number, h: MetricData[] | undefined = HEALTHY): AbData => ({
  a: { successes: 150, trials: 500 },
  b: { successes: Math.round(500 * rateB), trials: 500 },
  ...(h ? { health: h } : {}),
});

type Judged = Extract<CanaryStep, { kind: 'judged' }>;

/** Judges `data` interval after interval, each at its due time, until nothing is due. */
function run(state: CanaryState, policy: AbPolicy, canary: CanaryPolicy | undefined, data: AbData[]) {
  const steps: Judged[] = [];
  let current = state;
  for (const d of data) {
    const window = nextAbJudgment(current, policy);
    if (!window) break;
    const step = planAbStep(current, policy, canary, d, window.due, { autoMerge: false });
    if (step.kind !== 'judged') throw new Error('not judged');
    steps.push(step);
    current = step.state;
  }
  return { steps, state: current };
}

/** B better liked (40 % against 30 %) and healthy for six hours: "promote B" proposed at min_duration, waiting. */
function proposed(canary: CanaryPolicy | 'none' = CANARY): CanaryState {
  const { state } = run(
    running(),
    POLICY,
    canary === 'none' ? undefined : canary,
    Array.from({ length: 6 }, () => hour(0.4)),
  );
  expect(state.status).toBe('running');
  expect(state.ab!.proposal).toMatchObject({ outcome: 'promote_b', at: at(6).toISOString() });
  return state;
}

describe('while a proposal waits for /ab conclude', () => {
  it("still looks at B's serving health every interval, counted from the proposal", () => {
    const waiting = proposed();
    expect(nextAbJudgment(waiting, POLICY)).toMatchObject({ start: at(6), end: at(7), due: at(7) });
    // Judged two hours late, the next look is still the hour after.
    const late = planAbStep(waiting, POLICY, CANARY, hour(0.4), at(9), { autoMerge: false });
    if (late.kind !== 'judged') throw new Error('not judged');
    expect(nextAbJudgment(late.state, POLICY)).toMatchObject({ start: at(7), end: at(8), due: at(8) });
    // The same look twice plans nothing.
    const once = planAbStep(waiting, POLICY, CANARY, hour(0.4), at(7), { autoMerge: false });
    if (once.kind !== 'judged') throw new Error('not judged');
    expect(planAbStep(once.state, POLICY, CANARY, hour(0.4), at(7), { autoMerge: false })).toEqual({
      kind: 'not-due',
      due: at(8),
    });
  });

  it('a healthy look changes nothing but the health record and the count of looks while waiting', () => {
    const waiting = proposed();
    // The product counts of these hours (here even a failing query) are not counted: the proposal stands.
    const { steps, state } = run(waiting, POLICY, CANARY, [
      hour(0.2),
      { a: { error: 'Prometheus cannot be reached' }, b: { successes: 1, trials: 2 }, health: HEALTHY },
    ]);
    expect(steps).toHaveLength(2);
    for (const step of steps) {
      expect(step.effects).toEqual([{ kind: 'save-state' }]);
      expect(step.decision.action).toBe('wait');
    }
    expect(steps[0]!.decision.reason).toMatch(
      /^promote B proposed \(thumbs_up_rate: B higher than A by 10 percentage points .*\); a person confirms it with \/ab conclude\. B's serving health is watched until then: pass in the interval ending 2026-03-02T07:00:00\.000Z$/,
    );
    const { health: before, ...restBefore } = waiting.ab!;
    const { health: after, waitingLooks, ...restAfter } = state.ab!;
    expect(restAfter).toEqual(restBefore);
    expect(waitingLooks).toBe(2);
    expect(after!.tally).toEqual({ ...before!.tally, passed: before!.tally.passed + 2 });
    expect(after!.recent.map((i) => i.at)).toEqual([at(6), at(7), at(8)].map((d) => d.toISOString()));
    const { ab: _a, ...stateRest } = state;
    const { ab: _b, ...waitingRest } = waiting;
    expect(stateRest).toEqual(waitingRest);
  });

  it('a failing health look keeps A at once and records the proposal it overruled', () => {
    const waiting = proposed();
    const { steps, state } = run(waiting, POLICY, CANARY, [hour(0.4), hour(0.4, ERRING), hour(0.4)]);
    expect(steps).toHaveLength(2);
    expect(state.status).toBe('failed');
    expect(state.ab!.overruled).toEqual(waiting.ab!.proposal);
    expect(state.ab!.proposal).toMatchObject({ outcome: 'keep_a', at: at(8).toISOString(), basis: 'health' });
    expect(state.ab!.proposal!.reason).toMatch(
      /^B's serving health failed while "promote B" waited for \/ab conclude: 1 failed interval\(s\), more than failure_limit 0 \(interval ending 2026-03-02T08:00:00\.000Z: error_rate: canary is higher than the baseline/,
    );
    expect(state.ab!.concludedAt).toBe(at(8).toISOString());
    expect(state.ab!.totals).toEqual(waiting.ab!.totals);
    const last = steps.at(-1)!;
    expect(last.decision.action).toBe('rollback');
    expect(last.decision.reason).toMatch(/^A\/B test: B's serving health failed while "promote B" waited/);
    expect(last.effects).toEqual([
      {
        kind: 'switch-back',
        description:
          "Take support-bot 1.3.0 out of traffic: 1.2.0 answers every request again (A/B test: B's serving health failed, A kept)",
      },
      {
        kind: 'fail-deployment',
        deploymentId: 11,
        description: "A/B test: B's serving health failed, A kept",
      },
      { kind: 'open-revert', autoMerge: false },
      {
        kind: 'complete-check',
        conclusion: 'failure',
        title: "support-bot 1.3.0: A/B test kept A: B's serving health failed",
        summary: expect.stringMatching(/^B's serving health failed while "promote B" waited/),
      },
      { kind: 'save-state' },
    ]);
    // Ended: nothing more to look at, and /ab conclude has nothing left to apply.
    expect(nextAbJudgment(state, POLICY)).toBeUndefined();
    expect(planAbConclusion(state, POLICY, ADA, at(9), { autoMerge: false })).toEqual({
      kind: 'refused',
      reason: 'the A/B test has ended (failed)',
    });
  });

  it('keeps A when the health queries err in more looks in a row than consecutive_error_limit', () => {
    const waiting = proposed({ ...CANARY, consecutive_error_limit: 1 });
    const { health: _h, ...unread } = hour(0.4);
    const { steps, state } = run(waiting, POLICY, { ...CANARY, consecutive_error_limit: 1 }, [
      unread,
      unread,
    ]);
    expect(steps.map((s) => s.decision.action)).toEqual(['wait', 'rollback']);
    expect(state.ab!.proposal!.reason).toMatch(
      /^B's serving health failed while "promote B" waited for \/ab conclude: 2 consecutive intervals with errors, more than consecutive_error_limit 1 \(interval ending 2026-03-02T08:00:00\.000Z: error_rate: no data returned for the metric\)$/,
    );
  });

  it('keeps watching past the horizon while an inconclusive proposal waits', () => {
    const flat = run(
      running(),
      POLICY,
      CANARY,
      Array.from({ length: 48 }, () => hour(0.3)),
    ).state;
    expect(flat.ab!.proposal).toMatchObject({ outcome: 'inconclusive', at: at(48).toISOString() });
    expect(nextAbJudgment(flat, POLICY)).toMatchObject({ start: at(48), due: at(49) });
    const { state } = run(flat, POLICY, CANARY, [hour(0.3), hour(0.3, ERRING)]);
    expect(state).toMatchObject({
      status: 'failed',
      ab: { overruled: { outcome: 'inconclusive' }, proposal: { outcome: 'keep_a', basis: 'health' } },
    });
  });

  it('/ab conclude still applies the proposal after healthy looks', () => {
    const { state } = run(proposed(), POLICY, CANARY, [hour(0.4), hour(0.4), hour(0.4)]);
    const concluded = planAbConclusion(state, POLICY, ADA, at(9.5), { autoMerge: false });
    if (concluded.kind !== 'judged') throw new Error(concluded.reason);
    expect(concluded.state.status).toBe('promoted');
    expect(concluded.effects.map((e) => e.kind)).toEqual(['promote', 'complete-check', 'save-state']);
    expect(concluded.state.ab).toMatchObject({ waitingLooks: 3, confirmedBy: ADA });
    expect(concluded.state.ab!.overruled).toBeUndefined();
  });

  it('without canary.metrics there is nothing to look at while the proposal waits', () => {
    const waiting = proposed('none');
    expect(waiting.ab!.health).toBeUndefined();
    expect(nextAbJudgment(waiting, POLICY)).toBeUndefined();
    expect(planAbStep(waiting, POLICY, undefined, hour(0.4, ERRING), at(7), { autoMerge: false })).toEqual({
      kind: 'not-due',
    });
    // A state that watched health judged with a policy that lost its metrics plans nothing either.
    expect(
      planAbStep(proposed(), POLICY, { steps: [5, 100] }, hour(0.4), at(7), { autoMerge: false }),
    ).toEqual({
      kind: 'not-due',
    });
  });
});

describe('the report while a proposal waits', () => {
  it('says the health watch continues until a person decides', () => {
    const { state } = run(proposed(), POLICY, CANARY, [hour(0.4)]);
    const md = renderAbSection(state, POLICY);
    expect(md).toContain(
      "Until then the split keeps serving both versions, and B's serving health is still looked at every 1h (1 look since the proposal): a failure beyond the canary's limits keeps A at once.",
    );
    expect(renderAbText(state, POLICY)).toContain(
      "waiting for /ab conclude: B's serving health is still looked at every 1h (1 look since the proposal)",
    );
  });

  it('says when nothing is watched while the decision waits (no canary.metrics)', () => {
    const md = renderAbSection(proposed('none'), POLICY);
    expect(md).toContain(
      'Until then the split keeps serving both versions, unwatched: the manifest has no `canary.metrics`',
    );
  });

  it('shows the proposal that health overruled', () => {
    const { state } = run(proposed(), POLICY, CANARY, [hour(0.4, ERRING)]);
    const md = renderAbSection(state, POLICY);
    expect(md).toContain("**Decision: ↩️ keep A (B's serving health failed)**");
    expect(md).toMatch(
      /It overruled the proposal "🚀 promote B" of 2026-03-02T06:00:00\.000Z \(thumbs_up_rate: B higher than A/,
    );
    expect(md).not.toContain('Comment `/ab conclude`');
    expect(renderAbText(state, POLICY)).toMatch(
      /overruled: 🚀 promote B of 2026-03-02T06:00:00\.000Z: thumbs_up_rate/,
    );
  });
});

describe('the waiting watch in the sealed state and in recordings', () => {
  it('seals, reads back and refuses an out-of-bounds count or a nested overruling', () => {
    const { state } = run(proposed(), POLICY, CANARY, [hour(0.4), hour(0.4, ERRING)]);
    const key = sealKeyFrom('an-a-b-test-key-of-at-least-32-characters');
    const scope = { repository: 'acme/models', pr: 7 };
    const decoded = decodeState(encodeState(state, key, scope).line, key, scope);
    expect('state' in decoded && decoded.state.ab).toEqual(state.ab);
    const record = state.ab!;
    expect(abRecordSchema.safeParse({ ...record, waitingLooks: -1 }).success).toBe(false);
    expect(abRecordSchema.safeParse({ ...record, waitingLooks: 1.5 }).success).toBe(false);
    expect(
      abRecordSchema.safeParse({ ...record, overruled: { ...record.overruled, overruled: record.proposal } })
        .success,
    ).toBe(false);
  });

  it('modelgate ab analyze reads the intervals after a proposal as the app would: health only', () => {
    const interval = (h: number, b: number) => ({
      at: at(h).toISOString(),
      a: { successes: 150, trials: 500 },
      b: { successes: 200, trials: 500 },
      health: { error_rate: { b: errorRate(b, 1), a: errorRate(0.008, 2) } },
    });
    const hours = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const recording = (bad: number) => ({
      version: '1.3.0',
      baseline: '1.2.0',
      started: LIVE.toISOString(),
      intervals: hours.map((h) => interval(h, h === bad ? 0.019 : 0.007)),
    });
    const healthy = analyzeRecordedAb(
      POLICY,
      readRecordedAb(recording(0), 'c.json'),
      'support-bot',
      'c.json',
      CANARY,
    );
    expect(healthy).toMatchObject({ outcome: 'promote_b', unread: 0, health: 'judged' });
    expect(healthy.state.ab).toMatchObject({ looks: 6, waitingLooks: 3 });
    const overruled = analyzeRecordedAb(
      POLICY,
      readRecordedAb(recording(8), 'c.json'),
      'support-bot',
      'c',
      CANARY,
    );
    expect(overruled).toMatchObject({ outcome: 'keep_a', unread: 1 });
    expect(overruled.reason).toMatch(/^B's serving health failed while "promote B" waited for \/ab conclude/);
  });
});
