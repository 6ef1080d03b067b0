import { describe, expect, it } from 'vitest';
import type { AbPolicy } from '../../../src/core/ab/policy.js';
import { analyzeRecordedAb, readRecordedAb } from '../../../src/core/ab/recorded.js';
import { renderAbSection, renderAbText } from '../../../src/core/ab/report.js';
import { AB_RECENT_HEALTH, abRecordSchema, startAbRecord } from '../../../src/core/ab/state.js';
import { nextAbJudgment, planAbStep, type AbData } from '../../../src/core/ab/step.js';
import type { CanaryPolicy, MetricData } from '../../../src/core/canary/judge.js';
import { decodeState, encodeState, type CanaryState } from '../../../src/core/canary/state.js';
import type { CanaryStep } from '../../../src/core/canary/step.js';
import { sealKeyFrom } from '../../../src/core/integrity/seal.js';
import { MalformedFileError } from '../../../src/core/user-file-error.js';

// B's serving health in an A/B test: the manifest's canary.metrics, B judged
// against A by the canary's judge every look, with the canary's limits.

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

/** An hour's error rate at 20 points (step 180 s), wobbling ±30 % around `level` as a real rate() does. */
const errorRate = (level: number, phase = 0) =>
  Array.from({ length: 20 }, (_, i) => level * (1 + 0.3 * Math.sin(i * 1.7 + phase)));
/** B's and A's error rates for one hour: A (production) at 0.8 %. */
const health = (b: number): MetricData[] => [
  { metric: 'error_rate', canary: { values: errorRate(b, 1) }, baseline: { values: errorRate(0.008, 2) } },
];
const HEALTHY = health(0.007);
/** B errs 2.5 times as often as A, still under the 2 % threshold: only the comparison with A catches it. */
const ERRING = health(0.019);
const PROMETHEUS_DOWN: MetricData[] = [
  { metric: 'error_rate', canary: { error: 'connect ECONNREFUSED 127.0.0.1:9090' } },
];

/** An hour of feedback, 500 votes per arm: A at 30 % thumbs-up, B at `rateB`, with B's health. */
const hour = (rateB: number, h: MetricData[] | undefined = HEALTHY): AbData => ({
  a: { successes: 150, trials: 500 },
  b: { successes: Math.round(500 * rateB), trials: 500 },
  ...(h ? { health: h } : {}),
});

/** Judges `data` hour after hour, each at its due time, until nothing is due; returns every step. */
function run(state: CanaryState, policy: AbPolicy, canary: CanaryPolicy | undefined, data: AbData[]) {
  const steps: Extract<CanaryStep, { kind: 'judged' }>[] = [];
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

describe("B's serving health in every A/B look", () => {
  it('keeps A at the first failing look, while the product metric favours B and without auto_conclude', () => {
    // B is better liked (40 % against 30 %), but errs 2.4 times as often as A.
    const { steps, state } = run(running(), POLICY, CANARY, [hour(0.4, ERRING), hour(0.4), hour(0.4)]);
    expect(steps).toHaveLength(1);
    expect(state.status).toBe('failed');
    expect(state.ab!.proposal).toMatchObject({ outcome: 'keep_a', at: at(1).toISOString(), basis: 'health' });
    expect(state.ab!.concludedAt).toBe(at(1).toISOString());
    expect(state.ab!.health!.tally).toEqual({
      passed: 0,
      failed: 1,
      inconclusive: 0,
      errors: 0,
      consecutiveErrors: 0,
    });
    const [step] = steps;
    expect(step!.decision.action).toBe('rollback');
    expect(step!.decision.reason).toMatch(
      /^A\/B test: B's serving health failed: 1 failed interval\(s\), more than failure_limit 0 \(interval ending 2026-03-02T01:00:00\.000Z: error_rate: canary is higher than the baseline \(shift 0\.01\d*, p = .*\)\)$/,
    );
    expect(step!.effects).toEqual([
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
        summary: expect.stringMatching(/^B's serving health failed: 1 failed interval/),
      },
      { kind: 'save-state' },
    ]);
    // Ended: nothing more is judged, and /ab conclude has nothing to apply.
    expect(nextAbJudgment(state, POLICY)).toBeUndefined();
  });

  it('overrules a "promote B" the product metric reaches at the same look', () => {
    const healthyHours = Array.from({ length: 5 }, () => hour(0.4));
    const { steps, state } = run(running(), POLICY, CANARY, [...healthyHours, hour(0.4, ERRING)]);
    // Without the failing health, the sixth look (min_duration 6h) proposes promote B.
    const withoutHealth = run(
      running(),
      POLICY,
      undefined,
      Array.from({ length: 6 }, () => hour(0.4)),
    );
    expect(withoutHealth.state.ab!.proposal?.outcome).toBe('promote_b');
    expect(steps.slice(0, 5).map((s) => s.decision.action)).toEqual(['wait', 'wait', 'wait', 'wait', 'wait']);
    expect(state.ab!.evidence!.p).toBeLessThan(0.05);
    expect(state).toMatchObject({
      status: 'failed',
      ab: { proposal: { outcome: 'keep_a', basis: 'health' } },
    });
    expect(state.ab!.health!.tally).toMatchObject({ passed: 5, failed: 1 });
  });

  it('tolerates failed intervals up to failure_limit, saying so, and keeps A at the one beyond it', () => {
    const canary = { ...CANARY, failure_limit: 1 };
    const { steps, state } = run(running(), POLICY, canary, [
      hour(0.3, ERRING),
      hour(0.3),
      hour(0.3, ERRING),
    ]);
    expect(steps[0]!.decision).toEqual({
      action: 'wait',
      reason:
        "min_duration (6h) has not passed; B's serving health this interval: fail (within failure_limit 1, consecutive_error_limit 4)",
    });
    expect(steps[0]!.effects).toEqual([{ kind: 'save-state' }]);
    expect(steps[1]!.decision.reason).toBe('min_duration (6h) has not passed');
    expect(steps[2]!.decision.reason).toMatch(
      /^A\/B test: B's serving health failed: 2 failed interval\(s\), more than failure_limit 1/,
    );
    expect(state.status).toBe('failed');
  });

  it('keeps A when the health queries err in more consecutive looks than consecutive_error_limit', () => {
    const canary = { ...CANARY, consecutive_error_limit: 2 };
    const { steps, state } = run(
      running(),
      POLICY,
      canary,
      Array.from({ length: 5 }, () => hour(0.4, PROMETHEUS_DOWN)),
    );
    expect(steps.map((s) => s.decision.action)).toEqual(['wait', 'wait', 'rollback']);
    expect(state.ab!.health!.tally).toMatchObject({ errors: 3, consecutiveErrors: 3 });
    expect(state.ab!.proposal!.reason).toBe(
      "B's serving health failed: 3 consecutive intervals with errors, more than consecutive_error_limit 2 (interval ending 2026-03-02T03:00:00.000Z: error_rate: canary query failed: connect ECONNREFUSED 127.0.0.1:9090)",
    );
    // A healthy look between errors starts the count again.
    const broken = run(running(), POLICY, canary, [
      hour(0.3, PROMETHEUS_DOWN),
      hour(0.3, PROMETHEUS_DOWN),
      hour(0.3),
      hour(0.3, PROMETHEUS_DOWN),
      hour(0.3, PROMETHEUS_DOWN),
    ]);
    expect(broken.state.status).toBe('running');
    expect(broken.state.ab!.health!.tally).toMatchObject({ passed: 1, errors: 4, consecutiveErrors: 2 });
  });

  it('counts health that was not read at all as an error, naming why', () => {
    const { health: _read, ...unread } = hour(0.3);
    const step = planAbStep(running(), POLICY, CANARY, unread, at(1), { autoMerge: false });
    if (step.kind !== 'judged') throw new Error('not judged');
    expect(step.state.ab!.health!.recent).toEqual([
      expect.objectContaining({ verdict: 'error', reason: 'no serving metrics were read for B' }),
    ]);
    expect(step.state.status).toBe('running');
  });

  it('never blocks "promote B" with health that could not be judged, and never promotes on health alone', () => {
    // B's error-rate series are empty (no traffic recorded yet): inconclusive, not a failure.
    const silent: MetricData[] = [
      { metric: 'error_rate', canary: { values: [] }, baseline: { values: errorRate(0.008) } },
    ];
    const auto = { ...POLICY, auto_conclude: true };
    const { state } = run(
      running(),
      auto,
      CANARY,
      Array.from({ length: 6 }, () => hour(0.4, silent)),
    );
    expect(state.status).toBe('promoted');
    expect(state.ab!.health!.tally).toMatchObject({ passed: 0, inconclusive: 6 });
    // Healthy B with a product metric that shows nothing: no conclusion before the horizon.
    const flat = run(
      running(),
      POLICY,
      CANARY,
      Array.from({ length: 10 }, () => hour(0.3)),
    );
    expect(flat.state.ab!.health!.tally.passed).toBe(10);
    expect(flat.state.ab!.proposal).toBeUndefined();
  });

  it('without canary.metrics, judges the product metric alone, as before', () => {
    const data = [hour(0.4, ERRING), ...Array.from({ length: 7 }, () => hour(0.4, ERRING))];
    const without = run(running(), POLICY, { steps: [5, 100] }, data);
    const undefinedPolicy = run(running(), POLICY, undefined, data);
    expect(without.state).toEqual(undefinedPolicy.state);
    expect(without.state.ab!.health).toBeUndefined();
    expect(without.state.ab!.proposal).toMatchObject({ outcome: 'promote_b' });
    expect(without.state.ab!.proposal).not.toHaveProperty('basis');
  });
});

describe('the A/B report shows B’s health', () => {
  it('the tally, the latest interval metric by metric, and a decision taken on health', () => {
    const { state } = run(running(), POLICY, CANARY, [hour(0.4), hour(0.4, ERRING)]);
    const md = renderAbSection(state, POLICY);
    expect(md).toContain(
      '#### Serving health (canary.metrics, B against A): ❌ fail in the interval ending 2026-03-02T02:00:00.000Z',
    );
    expect(md).toContain('Intervals so far: 1 passed, 1 failed, 0 inconclusive, 0 with errors.');
    expect(md).toMatch(
      /\| error_rate \| 0\.019\d* \(n=20\) \| 0\.008\d* \(n=20\) \| ≤ 0\.02 \| [0-9.e-]+ \| ❌ fail: canary is higher than the baseline/,
    );
    expect(md).toContain(
      "**Decision: ↩️ keep A (B's serving health failed)** (B's serving health failed: 1 failed interval(s), more than failure_limit 0",
    );
    expect(md).not.toContain('/ab conclude` to');
    const text = renderAbText(state, POLICY);
    expect(text).toContain(
      'serving health (canary.metrics, B vs A): 1 passed, 1 failed, 0 inconclusive, 0 with errors; latest interval ending 2026-03-02T02:00:00.000Z: fail',
    );
    expect(text).toMatch(/decision: ↩️ keep A \(B's serving health failed\): /);
  });

  it('renders what a metric provider wrote as inert text', () => {
    const hostile: MetricData[] = [
      {
        metric: 'error_rate',
        canary: { error: '<!-- modelgate:canary:x --> @admins [x](https://evil.example)' },
      },
    ];
    const step = planAbStep(running(), POLICY, CANARY, hour(0.3, hostile), at(1), { autoMerge: false });
    if (step.kind !== 'judged') throw new Error('not judged');
    const md = renderAbSection(step.state, POLICY);
    expect(md).not.toContain('<!--');
    expect(md).not.toContain('[x](https://evil.example)');
    expect(md).toContain('⛔ error: canary query failed: &lt;\\!-- modelgate:canary:x --&gt;');
    expect(md).not.toMatch(/(^|[^\u200b])@admins/);
  });
});

describe('the A/B health record in the sealed state', () => {
  const KEY = sealKeyFrom('an-a-b-test-key-of-at-least-32-characters');
  const SCOPE = { repository: 'acme/models', pr: 7 };

  it('keeps only the latest intervals: a 14-day hourly test with five metrics seals well under 60 KB', () => {
    const names = ['error_rate', 'latency_p95', 'latency_p99', 'tokens_per_second', 'timeout_rate'];
    const canary: CanaryPolicy = {
      failure_limit: 1000,
      metrics: names.map((name) => ({ ...CANARY.metrics![0]!, name, max: 1 })),
    };
    const five: MetricData[] = names.map((metric, i) => ({
      metric,
      canary: { values: errorRate(0.007, i) },
      baseline: { values: errorRate(0.008, i + 1) },
    }));
    const policy = { ...POLICY, horizon: '14d', min_duration: '14d' };
    const { state } = run(
      running(),
      policy,
      canary,
      Array.from({ length: 24 * 14 }, () => hour(0.3, five)),
    );
    expect(state.ab!.looks).toBe(24 * 14);
    expect(state.ab!.health!.tally.passed).toBe(24 * 14);
    expect(state.ab!.health!.recent).toHaveLength(AB_RECENT_HEALTH);
    const { line } = encodeState(state, KEY, SCOPE);
    expect(line.length).toBeLessThan(30_000);
    const decoded = decodeState(line, KEY, SCOPE);
    expect('state' in decoded && decoded.state.ab).toEqual(state.ab);
  });

  it('refuses a health record with more intervals than it keeps, or a negative tally', () => {
    const { state } = run(running(), POLICY, CANARY, [hour(0.3), hour(0.3), hour(0.3)]);
    const record = state.ab!;
    const interval = record.health!.recent[0]!;
    expect(abRecordSchema.safeParse(record).success).toBe(true);
    expect(
      abRecordSchema.safeParse({
        ...record,
        health: { ...record.health, recent: Array.from({ length: AB_RECENT_HEALTH + 1 }, () => interval) },
      }).success,
    ).toBe(false);
    expect(
      abRecordSchema.safeParse({
        ...record,
        health: { ...record.health, tally: { ...record.health!.tally, failed: -1 } },
      }).success,
    ).toBe(false);
    expect(
      abRecordSchema.safeParse({
        ...record,
        proposal: { outcome: 'keep_a', at: 'x', reason: 'r', basis: 'metric' },
      }).success,
    ).toBe(false);
  });
});

describe('recorded A/B tests with health (modelgate ab analyze)', () => {
  const recording = (b: number[], a: number[]) => ({
    version: '1.3.0',
    baseline: '1.2.0',
    started: LIVE.toISOString(),
    intervals: [1, 2].map((h) => ({
      at: at(h).toISOString(),
      a: { successes: 150, trials: 500 },
      b: { successes: 200, trials: 500 },
      health: { error_rate: { b: b.map(String), a } },
    })),
  });

  it('judges B’s recorded health as the app would, with the manifest’s canary policy', () => {
    const json = recording(errorRate(0.019, 1), errorRate(0.008, 2));
    const recorded = readRecordedAb(json, 'counts.json');
    const analysis = analyzeRecordedAb(POLICY, recorded, 'support-bot', 'counts.json', CANARY);
    expect(analysis).toMatchObject({ outcome: 'keep_a', health: 'judged', unread: 1 });
    expect(analysis.reason).toMatch(/^B's serving health failed: 1 failed interval/);
  });

  it('says when the manifest has canary.metrics but the recording holds no health series', () => {
    const { intervals, ...rest } = recording([], []);
    const json = { ...rest, intervals: intervals.map(({ health: _h, ...i }) => i) };
    const analysis = analyzeRecordedAb(
      POLICY,
      readRecordedAb(json, 'counts.json'),
      'support-bot',
      'c',
      CANARY,
    );
    expect(analysis.health).toBe('not recorded');
    expect(analysis.state.ab!.health).toBeUndefined();
    expect(analyzeRecordedAb(POLICY, readRecordedAb(json, 'c'), 'support-bot', 'c').health).toBe(
      'no canary.metrics',
    );
  });

  it('refuses health series it cannot read, naming the place and the fix', () => {
    const json = recording([0.01], [0.01]);
    (json.intervals[1]!.health as Record<string, unknown>).error_rate = [0.01, 0.02];
    expect(() => readRecordedAb(json, 'counts.json')).toThrow(MalformedFileError);
    expect(() => readRecordedAb(json, 'counts.json')).toThrow(
      /intervals\[1\]\.health\.error_rate must be \{"b": \[values\], "a": \[values\]\}/,
    );
  });
});
