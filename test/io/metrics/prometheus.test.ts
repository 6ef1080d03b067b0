import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeInterval, type CanaryMetric } from '../../../src/core/canary/judge.js';
import { collectMetrics, queryRange } from '../../../src/io/metrics/prometheus.js';
import { requestSeries, startPrometheus, T0, type RunningPrometheus } from '../../helpers/prometheus.js';

const ERROR_RATE: CanaryMetric = {
  name: 'error_rate',
  query:
    'sum(rate(llm_requests_total{model="{{model}}",version="{{version}}",code=~"5.."}[1m])) / sum(rate(llm_requests_total{model="{{model}}",version="{{version}}"}[1m]))',
  max: 0.03,
  direction: 'increase',
};
const window = { start: new Date((T0 + 600) * 1000), end: new Date((T0 + 1200) * 1000), step: 30 };

let prometheus: RunningPrometheus;
beforeAll(async () => {
  // baseline 1.2.0 and a good canary at 1 % errors, a bad canary at 2.5 %, an idle version with no traffic.
  prometheus = await startPrometheus(
    requestSeries('support-bot', { '1.2.0': 0.01, '1.3.0': 0.01, '1.4.0': 0.025, '1.5.0': -1 }),
  );
}, 60_000);
afterAll(async () => {
  await prometheus?.stop();
});

describe('canary metrics from a real Prometheus', () => {
  it('passes a canary that serves like the baseline', async () => {
    const data = await collectMetrics(
      { url: prometheus.url },
      [ERROR_RATE],
      'support-bot',
      { canary: '1.3.0', baseline: '1.2.0' },
      window,
    );
    expect(data[0]!.canary).toMatchObject({ values: expect.any(Array) });
    expect((data[0]!.canary as { values: number[] }).values).toHaveLength(21);
    const interval = judgeInterval([ERROR_RATE], data, {}, window.end.toISOString());
    expect(interval.verdict).toBe('pass');
    expect(interval.measurements[0]!.canary!.median).toBeCloseTo(0.01, 2);
  });

  it('fails a canary whose error rate rose significantly, though it is under its threshold', async () => {
    const data = await collectMetrics(
      { url: prometheus.url },
      [ERROR_RATE],
      'support-bot',
      { canary: '1.4.0', baseline: '1.2.0' },
      window,
    );
    const interval = judgeInterval([ERROR_RATE], data, {}, window.end.toISOString());
    expect(interval.verdict).toBe('fail');
    expect(interval.measurements[0]!.reason).toMatch(/^canary is higher than the baseline/);
    expect(interval.measurements[0]!.test!.p).toBeLessThan(0.001);
  });

  it('reads 0/0 (no traffic) as NaN values: no data, judged by on_no_data', async () => {
    const series = await queryRange(
      { url: prometheus.url },
      ERROR_RATE.query.replaceAll('{{model}}', 'support-bot').replaceAll('{{version}}', '1.5.0'),
      window,
    );
    expect((series as { values: number[] }).values.every(Number.isNaN)).toBe(true);
    const data = await collectMetrics(
      { url: prometheus.url },
      [ERROR_RATE],
      'support-bot',
      { canary: '1.5.0', baseline: '1.2.0' },
      window,
    );
    expect(judgeInterval([ERROR_RATE], data, { on_no_data: 'fail' }, 't').verdict).toBe('fail');
  });

  it('reads x/0 as +Inf and -x/0 as -Inf: the worst readings, not no data', async () => {
    const traffic = 'sum(rate(llm_requests_total{model="support-bot",version="1.2.0"}[1m]))';
    const positive = await queryRange({ url: prometheus.url }, `${traffic} / 0`, window);
    expect((positive as { values: number[] }).values).toEqual(Array(21).fill(Infinity));
    const negative = await queryRange({ url: prometheus.url }, `-${traffic} / 0`, window);
    expect((negative as { values: number[] }).values).toEqual(Array(21).fill(-Infinity));
  });

  it("an unknown version is an empty result; a PromQL error and an ungrouped query are errors in Prometheus' words", async () => {
    expect(await queryRange({ url: prometheus.url }, 'llm_requests_total{version="9.9.9"}', window)).toEqual({
      values: [],
    });
    expect(await queryRange({ url: prometheus.url }, 'sum(rate(llm_requests_total[1m]', window)).toEqual({
      error: expect.stringMatching(/^bad_data: .*parse error/),
    });
    expect(await queryRange({ url: prometheus.url }, 'llm_requests_total{version="1.2.0"}', window)).toEqual({
      error: 'the query returned 2 series; aggregate it to one (sum, avg or a quantile)',
    });
  });

  it('Prometheus down is an error, not a pass', async () => {
    const series = await queryRange({ url: 'http://127.0.0.1:9', timeoutSeconds: 2 }, 'up', window);
    expect(series).toEqual({
      error: expect.stringContaining('Prometheus cannot be reached at http://127.0.0.1:9'),
    });
    const interval = judgeInterval([ERROR_RATE], [{ metric: 'error_rate', canary: series }], {}, 't');
    expect(interval.verdict).toBe('error');
  });
});
