import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AbPolicy } from '../../../src/core/ab/policy.js';
import { startAbRecord } from '../../../src/core/ab/state.js';
import { nextAbJudgment, planAbStep } from '../../../src/core/ab/step.js';
import type { CanaryState } from '../../../src/core/canary/state.js';
import { fillAbQuery, readAbCounts } from '../../../src/io/metrics/ab-counts.js';
import { feedbackSeries, startPrometheus, T0, type RunningPrometheus } from '../../helpers/prometheus.js';

const HOURS = 8;

const METRIC = {
  name: 'thumbs_up_rate',
  successes:
    'sum(increase(llm_feedback_total{model="{{model}}",version="{{version}}",vote="up"}[{{interval}}]))',
  trials: 'sum(increase(llm_feedback_total{model="{{model}}",version="{{version}}"}[{{interval}}]))',
  higher_is_better: true,
};
const hourEnding = (h: number) => ({
  start: new Date((T0 + (h - 1) * 3600) * 1000),
  end: new Date((T0 + h * 3600) * 1000),
});

let prometheus: RunningPrometheus;
beforeAll(async () => {
  // A (1.2.0) at 30 % thumbs-up, B (1.3.0) at 40 %.
  prometheus = await startPrometheus(feedbackSeries('support-bot', { '1.2.0': 9, '1.3.0': 12 }));
}, 60_000);
afterAll(async () => {
  await prometheus?.stop();
});

describe('A/B counts from a real Prometheus', () => {
  it("reads one interval's successes and trials per arm at the window's end", async () => {
    const data = await readAbCounts(
      { url: prometheus.url },
      METRIC,
      'support-bot',
      { a: '1.2.0', b: '1.3.0' },
      hourEnding(2),
    );
    // 30 votes per 15 s is 7,200 an hour; increase() extrapolates to the window's edges, within a sample.
    const a = data.a as { successes: number; trials: number };
    const b = data.b as { successes: number; trials: number };
    expect(a.trials).toBeCloseTo(7200, -2);
    expect(a.successes / a.trials).toBeCloseTo(0.3, 6);
    expect(b.successes / b.trials).toBeCloseTo(0.4, 6);
  });

  it('fills {{interval}} with the window length and escapes model and version as canary queries do', () => {
    expect(fillAbQuery(METRIC.trials, 'support-bot', '1.3.0', hourEnding(1))).toBe(
      'sum(increase(llm_feedback_total{model="support-bot",version="1.3.0"}[3600s]))',
    );
    expect(
      fillAbQuery('x{v="{{ version }}"}[{{ interval }}]', 'm', '1"} or vector(1) #', hourEnding(1)),
    ).toBe('x{v="1\\"} or vector(1) #"}[3600s]');
  });

  it('an arm without data, a PromQL error and an ungrouped query are errors in their own words, never zeros', async () => {
    const unknown = await readAbCounts(
      { url: prometheus.url },
      METRIC,
      'support-bot',
      { a: '1.2.0', b: '9.9.9' },
      hourEnding(2),
    );
    expect(unknown.b).toEqual({ error: 'successes of 9.9.9: no data (the query returned no series)' });
    const broken = await readAbCounts(
      { url: prometheus.url },
      { ...METRIC, trials: 'sum(increase(llm_feedback_total[{{interval}}]' },
      'support-bot',
      { a: '1.2.0', b: '1.3.0' },
      hourEnding(2),
    );
    expect(broken.a).toEqual({ error: expect.stringMatching(/^trials of 1\.2\.0: bad_data: .*parse error/) });
    const ungrouped = await readAbCounts(
      { url: prometheus.url },
      {
        ...METRIC,
        trials: 'increase(llm_feedback_total{model="{{model}}",version="{{version}}"}[{{interval}}])',
      },
      'support-bot',
      { a: '1.2.0', b: '1.3.0' },
      hourEnding(2),
    );
    expect(ungrouped.b).toEqual({
      error: 'trials of 1.3.0: the query returned 2 series; aggregate it to one with sum()',
    });
    const down = await readAbCounts(
      { url: 'http://127.0.0.1:9', timeoutSeconds: 2 },
      METRIC,
      'support-bot',
      { a: '1.2.0', b: '1.3.0' },
      hourEnding(2),
    );
    expect(down.a).toEqual({
      error: expect.stringContaining('Prometheus cannot be reached at http://127.0.0.1:9'),
    });
  });

  it('feeds the planner: hour after hour of real counts until B is promoted', async () => {
    const policy: AbPolicy = {
      metric: METRIC,
      interval: '1h',
      min_duration: '3h',
      min_samples: 1000,
      auto_conclude: true,
    };
    let state: CanaryState = {
      v: 1,
      model: 'support-bot',
      version: '1.3.0',
      ref: 'support-bot@v1.3.0',
      sha: 'b'.repeat(40),
      manifest: 'models/support-bot/model.yaml',
      trigger: 'push',
      pr: 3,
      environment: 'canary',
      productionEnvironment: 'production',
      baselineVersion: '1.2.0',
      deploymentId: 21,
      weight: 50,
      stepStartedAt: new Date(T0 * 1000).toISOString(),
      intervals: [],
      status: 'running',
      strategy: 'ab',
      ab: startAbRecord(new Date(T0 * 1000)),
    };
    const decisions: string[] = [];
    for (let hour = 1; hour <= HOURS && state.status === 'running'; hour++) {
      const window = nextAbJudgment(state, policy)!;
      const data = await readAbCounts(
        { url: prometheus.url },
        METRIC,
        state.model,
        { a: '1.2.0', b: '1.3.0' },
        window,
      );
      const step = planAbStep(state, policy, undefined, data, window.due, { autoMerge: false });
      if (step.kind !== 'judged') throw new Error('not judged');
      decisions.push(step.decision.action);
      state = step.state;
    }
    expect(decisions).toEqual(['wait', 'wait', 'promote']);
    expect(state.ab!.totals.a.trials).toBeCloseTo(3 * 7200, -3);
  });
});
