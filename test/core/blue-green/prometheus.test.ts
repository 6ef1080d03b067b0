import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanaryPolicy } from '../../../src/core/canary/judge.js';
import type { CanaryState } from '../../../src/core/canary/state.js';
import type { BlueGreenPolicy } from '../../../src/core/blue-green/policy.js';
import { nextBlueGreenJudgment, planBlueGreenStep } from '../../../src/core/blue-green/step.js';
import { collectMetrics } from '../../../src/io/metrics/prometheus.js';
import { startPrometheus, T0, type RunningPrometheus } from '../../helpers/prometheus.js';

const SWITCH = T0 + 3600;
/**
 * A blue-green history: blue (1.2.0) serves every request until the switch at
 * T0 + 1 h, then green serves them all; blue's counters stop. 10 requests/s,
 * with an error share per version that wobbles deterministically.
 */
function blueGreenSeries(greens: { version: string; errorShare: number }[]): string {
  const lines = ['# HELP llm_requests_total Requests served.', '# TYPE llm_requests_total counter'];
  const sides = [
    { version: '1.2.0', errorShare: 0.01, serves: (t: number) => t < SWITCH },
    ...greens.map((green) => ({ ...green, serves: (t: number) => t >= SWITCH })),
  ];
  for (const side of sides) {
    let ok = 0;
    let failed = 0;
    const ok200: string[] = [];
    const failed500: string[] = [];
    for (let i = 0; i <= 480; i++) {
      const t = T0 + i * 15;
      if (side.serves(t)) {
        const errors = Math.round(150 * side.errorShare * (1 + 0.3 * Math.sin(i * 1.7)));
        ok += 150 - errors;
        failed += errors;
      }
      ok200.push(`llm_requests_total{model="support-bot",version="${side.version}",code="200"} ${ok} ${t}`);
      failed500.push(
        `llm_requests_total{model="support-bot",version="${side.version}",code="500"} ${failed} ${t}`,
      );
    }
    lines.push(...ok200, ...failed500);
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

const canary: CanaryPolicy = {
  metrics: [
    {
      name: 'error_rate',
      query:
        'sum(rate(llm_requests_total{model="{{model}}",version="{{version}}",code=~"5.."}[1m])) / sum(rate(llm_requests_total{model="{{model}}",version="{{version}}"}[1m]))',
      max: 0.05,
      direction: 'increase',
      critical: true,
    },
  ],
};
const policy: BlueGreenPolicy = { post_switch: { duration: '10m', interval: '5m' } };
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const switched = (version: string): CanaryState => ({
  v: 1,
  model: 'support-bot',
  version,
  ref: `support-bot@v${version}`,
  sha: 'a'.repeat(40),
  manifest: 'models/support-bot/model.yaml',
  trigger: 'a'.repeat(40),
  pr: 42,
  environment: 'support-bot/production',
  productionEnvironment: 'support-bot/production',
  baselineVersion: '1.2.0',
  deploymentId: 12,
  weight: 100,
  // The deployer reported the switch live a minute after it was asked for.
  stepStartedAt: iso(SWITCH + 60),
  intervals: [],
  status: 'running',
  strategy: 'blue_green',
  blueGreen: { phase: 'switching', switchRequestedAt: iso(SWITCH), scaleDownDelaySeconds: 600 },
});

/** Judges every post-switch window on the real Prometheus, as the app would, until the rollout decides. */
async function watch(state: CanaryState) {
  for (let i = 0; i < 5; i++) {
    const window = nextBlueGreenJudgment(state, policy);
    if (!window) throw new Error('nothing to judge');
    const data = await collectMetrics(
      { url: prometheus.url },
      canary.metrics!,
      state.model,
      { canary: state.version, baseline: state.baselineVersion },
      window,
      { ...window.baseline!, step: window.step },
    );
    const step = planBlueGreenStep(state, policy, canary, { metrics: data }, window.due, {
      autoMerge: false,
    });
    if (step.kind !== 'judged') throw new Error('not judged');
    if (step.decision.action !== 'wait') return step;
    state = step.state;
  }
  throw new Error('no decision');
}

let prometheus: RunningPrometheus;
beforeAll(async () => {
  // Two histories against the same blue: a good green (1.3.0) and a bad one (1.4.0).
  prometheus = await startPrometheus(
    blueGreenSeries([
      { version: '1.3.0', errorShare: 0.01 },
      { version: '1.4.0', errorShare: 0.03 },
    ]),
  );
}, 60_000);
afterAll(async () => {
  await prometheus?.stop();
});

describe('the post-switch analysis on a real Prometheus', () => {
  it("compares green after the switch with blue's last minutes before it, and promotes a green that serves like blue", async () => {
    const state = switched('1.3.0');
    expect(nextBlueGreenJudgment(state, policy)?.baseline).toEqual({
      start: new Date((SWITCH - 300) * 1000),
      end: new Date(SWITCH * 1000),
    });
    const step = await watch(state);
    expect(step.decision.action).toBe('promote');
    const windows = step.state.intervals;
    expect(windows).toHaveLength(2);
    // Blue's window is read before the switch: it has data (after the switch blue serves nothing, 0/0).
    expect(windows[0]!.measurements[0]).toMatchObject({
      verdict: 'pass',
      baseline: { n: 21 },
      canary: { n: 21 },
    });
    expect(windows[0]!.measurements[0]!.baseline!.median).toBeCloseTo(0.01, 2);
  });

  it('switches back from a green that errs three times as often as blue did, under its threshold', async () => {
    const step = await watch(switched('1.4.0'));
    expect(step.decision.action).toBe('rollback');
    expect(step.effects.map((e) => e.kind)).toEqual([
      'switch-back',
      'open-revert',
      'complete-check',
      'save-state',
    ]);
    expect(step.state.intervals[0]!.measurements[0]!.reason).toMatch(/^canary is higher than the baseline/);
  });
});
