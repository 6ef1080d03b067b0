import { describe, expect, it } from 'vitest';
import type { AbPolicy } from '../../../src/core/ab/policy.js';
import { AB_RECENT_OBSERVATIONS, abRecordSchema, startAbRecord } from '../../../src/core/ab/state.js';
import { nextAbJudgment, planAbConclusion, planAbStep, type AbData } from '../../../src/core/ab/step.js';
import { decodeState, encodeState, type CanaryState } from '../../../src/core/canary/state.js';
import { sealKeyFrom } from '../../../src/core/integrity/seal.js';

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
const AUTO: AbPolicy = { ...POLICY, auto_conclude: true };
const ADA = {
  by: 'ada',
  at: '2026-03-03T09:00:00Z',
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

/** An hour of feedback: 500 votes per arm, A at 30 % thumbs-up, B at `rateB`. */
const hour = (rateB: number): AbData => ({
  a: { successes: 150, trials: 500 },
  b: { successes: Math.round(500 * rateB), trials: 500 },
});

/** Judges `data` hour after hour, each at its due time; returns every step. */
function run(state: CanaryState, policy: AbPolicy, data: AbData[]) {
  const steps = [];
  let current = state;
  for (const d of data) {
    const window = nextAbJudgment(current, policy);
    if (!window) break;
    const step = planAbStep(current, policy, undefined, d, window.due, { autoMerge: false });
    if (step.kind !== 'judged') throw new Error('not judged');
    steps.push(step);
    current = step.state;
  }
  return { steps, state: current };
}

describe('nextAbJudgment', () => {
  it('counts intervals from the split going live, so a late judgment shifts nothing', () => {
    const first = nextAbJudgment(running(), POLICY)!;
    expect(first).toMatchObject({ start: LIVE, end: at(1), due: at(1) });
    // Judged three hours late, the next interval is still the second hour.
    const late = planAbStep(running(), POLICY, undefined, hour(0.3), at(4), { autoMerge: false });
    expect(late.kind).toBe('judged');
    expect(nextAbJudgment((late as { state: CanaryState }).state, POLICY)).toMatchObject({
      start: at(1),
      end: at(2),
    });
  });

  it('ends the last interval at the horizon', () => {
    const policy = { ...POLICY, interval: '5h', horizon: '12h' };
    const { steps, state } = run(running(), policy, [hour(0.3), hour(0.3), hour(0.3), hour(0.3)]);
    expect(steps.map((s) => s.state.ab!.recent.at(-1)!.at)).toEqual([
      at(5).toISOString(),
      at(10).toISOString(),
      at(12).toISOString(),
    ]);
    expect(nextAbJudgment(state, policy)).toBeUndefined();
  });

  it('has nothing to judge before the split is live, while awaiting or paused, after the end, or while a decision waits for a person with no health to watch (no canary.metrics)', () => {
    const { ab: _ab, ...notLive } = running();
    expect(nextAbJudgment(notLive, POLICY)).toBeUndefined();
    expect(nextAbJudgment({ ...running(), awaiting: 12 }, POLICY)).toBeUndefined();
    expect(nextAbJudgment({ ...running(), paused: ADA }, POLICY)).toBeUndefined();
    expect(nextAbJudgment({ ...running(), status: 'aborted' }, POLICY)).toBeUndefined();
    const proposed = run(
      running(),
      POLICY,
      Array.from({ length: 10 }, () => hour(0.4)),
    ).state;
    expect(proposed.ab!.proposal).toBeDefined();
    expect(nextAbJudgment(proposed, POLICY)).toBeUndefined();
  });
});

describe('planAbStep', () => {
  it('plans nothing before the interval is due, and nothing twice for one interval', () => {
    expect(planAbStep(running(), POLICY, undefined, hour(0.3), at(0.5), { autoMerge: false })).toEqual({
      kind: 'not-due',
      due: at(1),
    });
    const once = planAbStep(running(), POLICY, undefined, hour(0.3), at(1), { autoMerge: false });
    const again = planAbStep((once as { state: CanaryState }).state, POLICY, undefined, hour(0.3), at(1), {
      autoMerge: false,
    });
    expect(again).toEqual({ kind: 'not-due', due: at(2) });
  });

  it('draws no conclusion before min_duration, however strong the evidence', () => {
    // B at 60 % against 30 %: overwhelming after one hour, but min_duration is 6 h.
    const { steps } = run(
      running(),
      POLICY,
      Array.from({ length: 6 }, () => hour(0.6)),
    );
    expect(steps.slice(0, 5).every((s) => !s.state.ab!.proposal)).toBe(true);
    expect(steps[0]!.decision).toEqual({ action: 'wait', reason: 'min_duration (6h) has not passed' });
    expect(steps[0]!.state.ab!.latest!.p).toBeLessThan(1e-6);
    expect(steps[0]!.state.ab!.evidence).toBeUndefined();
    expect(steps[5]!.state.ab!.proposal).toMatchObject({ outcome: 'promote_b', at: at(6).toISOString() });
  });

  it('draws no conclusion before min_samples trials in each arm', () => {
    // 100 votes an hour in B (a 10 % split): 1,000 only after 10 hours.
    const small: AbData = { a: { successes: 450, trials: 900 }, b: { successes: 80, trials: 100 } };
    const { steps } = run(
      running(),
      { ...POLICY, split: 10 },
      Array.from({ length: 10 }, () => small),
    );
    expect(steps[8]!.state.ab!.proposal).toBeUndefined();
    expect(steps[8]!.decision.reason).toBe('900 of min_samples 1000 trials in the smaller arm');
    expect(steps[9]!.state.ab!.proposal?.outcome).toBe('promote_b');
  });

  it('records a failing or missing query as an error that is not counted and never concludes', () => {
    const before = run(
      running(),
      POLICY,
      Array.from({ length: 5 }, () => hour(0.6)),
    ).state;
    const failed = planAbStep(
      before,
      POLICY,
      undefined,
      { a: { successes: 150, trials: 500 }, b: { error: 'bad_data: parse error at char 12' } },
      at(6),
      { autoMerge: false },
    );
    if (failed.kind !== 'judged') throw new Error('not judged');
    expect(failed.state.ab).toMatchObject({ looks: 6, errors: 1, totals: before.ab!.totals });
    expect(failed.state.ab!.proposal).toBeUndefined();
    expect(failed.state.ab!.recent.at(-1)).toEqual({
      at: at(6).toISOString(),
      error: 'B: bad_data: parse error at char 12',
    });
    expect(failed.decision.reason).toMatch(
      /could not be used \(B: bad_data: parse error at char 12\); it is not counted$/,
    );
    expect(failed.effects).toEqual([{ kind: 'save-state' }]);
  });

  it('refuses counts that went backwards, more successes than trials, and non-numbers', () => {
    const judge = (data: AbData) => {
      const step = planAbStep(running(), POLICY, undefined, data, at(1), { autoMerge: false });
      return step.kind === 'judged' ? step.state.ab!.recent[0] : undefined;
    };
    expect(judge({ a: { successes: -3, trials: 10 }, b: { successes: 1, trials: 2 } })).toMatchObject({
      error: 'A: counts went backwards (successes -3, trials 10)',
    });
    expect(judge({ a: { successes: 1, trials: 2 }, b: { successes: 12, trials: 10 } })).toMatchObject({
      error: 'B: more successes (12) than trials (10)',
    });
    expect(judge({ a: { successes: Number.NaN, trials: 2 }, b: { successes: 1, trials: 2 } })).toMatchObject({
      error: 'A: counts are not numbers (successes NaN, trials 2)',
    });
  });

  it('without auto_conclude, proposes the decision and waits for a person', () => {
    const { steps } = run(
      running(),
      POLICY,
      Array.from({ length: 8 }, () => hour(0.4)),
    );
    const proposing = steps.at(-1)!;
    expect(steps).toHaveLength(6);
    expect(proposing.state.status).toBe('running');
    expect(proposing.effects).toEqual([{ kind: 'save-state' }]);
    expect(proposing.decision.action).toBe('wait');
    expect(proposing.decision.reason).toMatch(
      /^promote B proposed \(thumbs_up_rate: B higher than A by 10 percentage points \(always-valid p = .* < alpha 0\.05\)\); a person confirms it with \/ab conclude$/,
    );
  });

  it('with auto_conclude, promotes a better B', () => {
    const { steps, state } = run(
      running(),
      AUTO,
      Array.from({ length: 8 }, () => hour(0.4)),
    );
    expect(state.status).toBe('promoted');
    expect(steps.at(-1)!.decision.action).toBe('promote');
    expect(steps.at(-1)!.effects.map((e) => e.kind)).toEqual(['promote', 'complete-check', 'save-state']);
    expect(steps.at(-1)!.effects[1]).toMatchObject({ conclusion: 'success' });
    expect(state.ab!.concludedAt).toBe(at(6).toISOString());
  });

  it('with auto_conclude, keeps A against a worse B: its deployment fails, the revert opens, the check fails', () => {
    const { steps, state } = run(
      running(),
      AUTO,
      Array.from({ length: 8 }, () => hour(0.2)),
    );
    expect(state.status).toBe('failed');
    expect(state.ab!.proposal!.outcome).toBe('keep_a');
    expect(steps.at(-1)!.effects).toEqual([
      {
        kind: 'switch-back',
        description:
          'Take support-bot 1.3.0 out of traffic: 1.2.0 answers every request again (A/B test: B is worse, A kept)',
      },
      { kind: 'fail-deployment', deploymentId: 11, description: 'A/B test: B is worse, A kept' },
      { kind: 'open-revert', autoMerge: false },
      {
        kind: 'complete-check',
        conclusion: 'failure',
        title: 'support-bot 1.3.0: A/B test kept A',
        summary: expect.stringMatching(/^thumbs_up_rate: B lower than A by 10 percentage points/),
      },
      { kind: 'save-state' },
    ]);
  });

  it('promotes a lower B when lower is better', () => {
    const policy = {
      ...AUTO,
      metric: { ...POLICY.metric, name: 'escalation_rate', higher_is_better: false },
    };
    expect(
      run(
        running(),
        policy,
        Array.from({ length: 8 }, () => hour(0.2)),
      ).state.status,
    ).toBe('promoted');
  });

  it('ends inconclusive at the horizon: B is not shipped unproven', () => {
    const { steps, state } = run(
      running(),
      AUTO,
      Array.from({ length: 60 }, () => hour(0.3)),
    );
    expect(steps).toHaveLength(48);
    expect(state.status).toBe('failed');
    expect(state.ab!.proposal).toMatchObject({ outcome: 'inconclusive', at: at(48).toISOString() });
    expect(state.ab!.proposal!.reason).toMatch(
      /^the horizon \(2d\) was reached without a conclusion: always-valid p = .*, not below alpha 0\.05$/,
    );
    expect(steps.at(-1)!.effects.map((e) => e.kind)).toEqual([
      'switch-back',
      'fail-deployment',
      'open-revert',
      'complete-check',
      'save-state',
    ]);
  });

  it('ends inconclusive at the horizon when every query failed', () => {
    const broken: AbData = {
      a: { error: 'Prometheus cannot be reached' },
      b: { error: 'Prometheus cannot be reached' },
    };
    const { state } = run(
      running(),
      POLICY,
      Array.from({ length: 48 }, () => broken),
    );
    expect(state.ab).toMatchObject({ looks: 48, errors: 48, proposal: { outcome: 'inconclusive' } });
    expect(state.ab!.proposal!.reason).toMatch(/0 of min_samples 1000 trials in the smaller arm$/);
  });
});

describe('planAbConclusion (/ab conclude)', () => {
  it('refuses before a conclusion, saying what is missing and that /promote ships B anyway', () => {
    const early = run(running(), POLICY, [hour(0.4), hour(0.4)]).state;
    expect(planAbConclusion(early, POLICY, ADA, at(3), { autoMerge: false })).toEqual({
      kind: 'refused',
      reason:
        'the A/B test has not reached a conclusion yet: min_duration (6h) has not passed. It proposes one on its own; /promote ships B without one',
    });
  });

  it('refuses on a rollout that is not an A/B test, and on one that has ended', () => {
    const { strategy: _s, ab: _ab, ...canary } = running();
    expect(planAbConclusion(canary, POLICY, ADA, at(1), { autoMerge: false })).toEqual({
      kind: 'refused',
      reason: 'this rollout is not an A/B test',
    });
    expect(
      planAbConclusion({ ...running(), status: 'promoted' }, POLICY, ADA, at(1), { autoMerge: false }),
    ).toEqual({
      kind: 'refused',
      reason: 'the A/B test has ended (promoted)',
    });
  });

  it('applies the proposal and records who confirmed it', () => {
    const proposed = run(
      running(),
      POLICY,
      Array.from({ length: 6 }, () => hour(0.2)),
    ).state;
    const concluded = planAbConclusion(proposed, POLICY, ADA, at(9), { autoMerge: true });
    if (concluded.kind !== 'judged') throw new Error(concluded.reason);
    expect(concluded.state.status).toBe('failed');
    expect(concluded.state.ab).toMatchObject({ confirmedBy: ADA, concludedAt: at(9).toISOString() });
    expect(concluded.decision.reason).toMatch(/^A\/B test: B is worse \(confirmed by @ada\): /);
    expect(concluded.effects[2]).toEqual({ kind: 'open-revert', autoMerge: true });
  });
});

describe('the A/B record in the sealed state', () => {
  const KEY = sealKeyFrom('an-a-b-test-key-of-at-least-32-characters');
  const SCOPE = { repository: 'acme/models', pr: 7 };

  it('survives sealing and reading back, and stays small for a 90-day hourly test', () => {
    const policy = { ...POLICY, horizon: '90d', min_duration: '30d' };
    const { state } = run(
      running(),
      policy,
      Array.from({ length: 24 * 90 }, () => hour(0.3)),
    );
    expect(state.ab!.looks).toBe(24 * 90);
    expect(state.ab!.recent).toHaveLength(AB_RECENT_OBSERVATIONS);
    const { line } = encodeState(state, KEY, SCOPE);
    expect(line.length).toBeLessThan(20_000);
    const decoded = decodeState(line, KEY, SCOPE);
    expect('state' in decoded && decoded.state.ab).toEqual(state.ab);
  });

  it('refuses a record with impossible counts or too many observations', () => {
    const record = startAbRecord(LIVE);
    expect(
      abRecordSchema.safeParse({ ...record, totals: { a: { successes: 5, trials: 4 }, b: record.totals.b } })
        .success,
    ).toBe(false);
    const many = Array.from({ length: AB_RECENT_OBSERVATIONS + 1 }, () => ({ at: 'x', error: 'e' }));
    expect(abRecordSchema.safeParse({ ...record, recent: many }).success).toBe(false);
    expect(abRecordSchema.safeParse({ ...record, extra: 1 }).success).toBe(false);
  });
});
