import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeInterval, type CanaryMetric } from '../../../src/core/canary/judge.js';
import { readRecordedAb } from '../../../src/core/ab/recorded.js';
import { readRecordedBlueGreen } from '../../../src/core/blue-green/recorded.js';
import { readRecordedCanary } from '../../../src/core/canary/recorded.js';
import { readingOf } from '../../../src/core/canary/statistics.js';
import { judgeGuardInterval } from '../../../src/core/guard/judge.js';
import { readRecordedGuard } from '../../../src/core/guard/recorded.js';
import { MalformedFileError } from '../../../src/core/user-file-error.js';
import { startPrometheus, T0, type RunningPrometheus } from '../../helpers/prometheus.js';

/*
 * Prometheus answers +Inf for x/0: seconds spent per output token when a
 * version spends time and emits no token, errors per success with no
 * success. That is the worst reading there is, not a missing one; only 0/0
 * (NaN) is no reading. A judge that drops +Inf passes a version on the few
 * readings that were still good. (histogram_quantile() is not such a case:
 * a quantile in the +Inf bucket is returned as the largest finite bucket
 * bound, which a real Prometheus shows below.)
 */

const PER_TOKEN: CanaryMetric = {
  name: 'seconds_per_token',
  query:
    'sum(rate(llm_generation_seconds_total{version="{{version}}"}[1m])) / sum(rate(llm_output_tokens_total{version="{{version}}"}[1m]))',
  max: 0.05,
};
const ERROR_RATE: CanaryMetric = { name: 'error_rate', query: 'q', max: 0.02 };
const AT = '2026-11-22T10:10:00Z';

/**
 * Counters every 15 s for 10 minutes of 1.5.0: 20 requests per 15 s, 6 s of
 * generation and 200 output tokens each (0.03 s per token) for the first 3
 * minutes, then the same time spent and no token emitted. Its latency
 * histogram (buckets 0.5 1 2 +Inf) has every request above 2 s from then on.
 */
function brokenGeneration(): string {
  const counters = [
    '# HELP llm_generation_seconds Time spent generating.',
    '# TYPE llm_generation_seconds counter',
    '# HELP llm_output_tokens Tokens emitted.',
    '# TYPE llm_output_tokens counter',
  ];
  const histogram = ['# HELP llm_latency_seconds Answer latency.', '# TYPE llm_latency_seconds histogram'];
  const seconds: string[] = [];
  const tokens: string[] = [];
  const buckets: string[] = [];
  let spent = 0;
  let emitted = 0;
  let fast = 0;
  let all = 0;
  for (let i = 0; i <= 40; i++) {
    const broken = i > 12;
    const t = T0 + i * 15;
    spent += 20 * 6;
    emitted += broken ? 0 : 20 * 200;
    fast += broken ? 0 : 20;
    all += 20;
    seconds.push(`llm_generation_seconds_total{version="1.5.0"} ${spent} ${t}`);
    tokens.push(`llm_output_tokens_total{version="1.5.0"} ${emitted} ${t}`);
    for (const [le, count] of [
      ['0.5', 0],
      ['1', 0],
      ['2', fast],
      ['+Inf', all],
    ] as const)
      buckets.push(`llm_latency_seconds_bucket{version="1.5.0",le="${le}"} ${count} ${t}`);
    buckets.push(`llm_latency_seconds_count{version="1.5.0"} ${all} ${t}`);
    buckets.push(`llm_latency_seconds_sum{version="1.5.0"} ${fast * 1.5 + (all - fast) * 3.5} ${t}`);
  }
  return `${[...counters, ...seconds, ...tokens, ...histogram, ...buckets, '# EOF'].join('\n')}\n`;
}

/** A range query to the real Prometheus over the 10 minutes: the values as it writes them. */
async function rangeTexts(query: string): Promise<string[]> {
  const url = `${prometheus.url}/api/v1/query_range?${new URLSearchParams({
    query,
    start: String(T0 + 60),
    end: String(T0 + 600),
    step: '60',
  })}`;
  const json = (await (await fetch(url)).json()) as { data: { result: { values: [number, string][] }[] } };
  return json.data.result[0]!.values.map(([, v]) => v);
}

let prometheus: RunningPrometheus;
beforeAll(async () => {
  prometheus = await startPrometheus(brokenGeneration());
}, 60_000);
afterAll(async () => {
  await prometheus?.stop();
});

describe('+Inf is the worst reading, not missing data', () => {
  it('a real Prometheus writes x/0 as "+Inf"; modelgate reads it as Infinity (Number() reads NaN) and fails the canary', async () => {
    const texts = await rangeTexts(PER_TOKEN.query.replaceAll('{{version}}', '1.5.0'));
    expect(texts.slice(0, 2)).toEqual(['0.03', '0.03']);
    expect(texts.filter((v) => v === '+Inf')).toHaveLength(texts.length - 3);
    expect(Number('+Inf')).toBeNaN(); // why a plain Number() is not enough
    const values = texts.map((v) => readingOf(v)!);
    expect(values.filter((v) => v === Infinity)).toHaveLength(texts.length - 3);
    const result = judgeInterval([PER_TOKEN], [{ metric: PER_TOKEN.name, canary: { values } }], {}, AT);
    expect(result.verdict).toBe('fail');
    expect(result.measurements[0]).toMatchObject({
      verdict: 'fail',
      reason: 'canary median +Inf is above 0.05',
      canary: { median: Infinity, n: values.length },
    });
  });

  it('histogram_quantile() in the +Inf bucket is the largest finite bound, not +Inf: a max below that bound still catches it', async () => {
    const texts = await rangeTexts(
      'histogram_quantile(0.99, sum by (le) (rate(llm_latency_seconds_bucket{version="1.5.0"}[1m])))',
    );
    expect(texts.at(-1)).toBe('2');
    expect(texts).not.toContain('+Inf');
  });

  it('a canary that emits no token in 7 readings out of 10 fails max: 0.05 (it passed on the 3 good ones)', () => {
    const values = [...Array<number>(7).fill(Infinity), 0.03, 0.031, 0.029];
    const result = judgeInterval([PER_TOKEN], [{ metric: PER_TOKEN.name, canary: { values } }], {}, AT);
    expect(result).toMatchObject({ verdict: 'fail', score: 0 });
    expect(result.measurements[0]).toMatchObject({
      reason: 'canary median +Inf is above 0.05',
      canary: { median: Infinity, n: 10 },
    });
  });

  it('all +Inf is judged, so on_no_data: pass does not apply: the interval fails next to a healthy metric', () => {
    const result = judgeInterval(
      [ERROR_RATE, PER_TOKEN],
      [
        { metric: 'error_rate', canary: { values: [0.01, 0.01, 0.01] } },
        { metric: PER_TOKEN.name, canary: { values: [Infinity, Infinity, Infinity] } },
      ],
      { on_no_data: 'pass' },
      AT,
    );
    expect(result.measurements.map((m) => m.verdict)).toEqual(['pass', 'fail']);
    expect(result).toMatchObject({ verdict: 'fail', score: 50 });
    // Only NaN (0/0) is no reading: then on_no_data decides, and silence alone never passes.
    const silent = judgeInterval(
      [PER_TOKEN],
      [{ metric: PER_TOKEN.name, canary: { values: [NaN, NaN, NaN] } }],
      { on_no_data: 'pass' },
      AT,
    );
    expect(silent.measurements[0]).toMatchObject({
      verdict: 'pass',
      reason: 'no canary data (on_no_data: pass)',
    });
    expect(silent.verdict).toBe('inconclusive');
  });

  it('-Inf fails a min threshold the same way, and -Inf and +Inf around the middle leave no median to pass', () => {
    const throughput: CanaryMetric = { name: 'tokens_per_s', query: 'q', min: 20 };
    const low = judgeInterval(
      [throughput],
      [{ metric: 'tokens_per_s', canary: { values: [-Infinity, -Infinity, -Infinity, 25, 30] } }],
      {},
      AT,
    );
    expect(low.measurements[0]).toMatchObject({ verdict: 'fail', reason: 'canary median -Inf is below 20' });
    const torn = judgeInterval(
      [PER_TOKEN],
      [{ metric: PER_TOKEN.name, canary: { values: [-Infinity, -Infinity, Infinity, Infinity] } }],
      {},
      AT,
    );
    expect(torn.measurements[0]).toMatchObject({
      verdict: 'fail',
      reason: 'the canary has no median (its two middle readings are -Inf and +Inf)',
    });
  });

  it('+Inf takes part in the baseline comparison as the highest rank; the shift is estimated on the finite readings', () => {
    const latency: CanaryMetric = { name: 'latency', query: 'q', direction: 'increase' };
    const baseline = [1.0, 1.1, 0.9, 1.05, 0.95, 1.0, 1.1, 0.9];
    const canary = [1.0, 1.1, Infinity, Infinity, Infinity, Infinity, 0.95, Infinity];
    const result = judgeInterval(
      [latency],
      [{ metric: 'latency', canary: { values: canary }, baseline: { values: baseline } }],
      {},
      AT,
    );
    const measured = result.measurements[0]!;
    expect(measured.verdict).toBe('fail');
    expect(measured.test!.p).toBeLessThan(0.05);
    expect(Number.isFinite(measured.test!.effect)).toBe(true);
    expect(measured.reason).toMatch(/^canary is higher than the baseline \(shift -?\d/);
  });

  it('the production guard fails a window in which 7 of 13 readings emitted no token', () => {
    const values = [...Array<number>(7).fill(Infinity), 0.03, 0.031, 0.029, 0.03, 0.03, 0.03];
    const result = judgeGuardInterval(
      { metrics: [{ name: PER_TOKEN.name, query: 'q', max: 0.05 }] },
      [{ metric: PER_TOKEN.name, current: { series: [{ labels: {}, values }] } }],
      AT,
    );
    expect(result.verdict).toBe('fail');
    expect(result.measurements[0]!.worst[0]).toMatchObject({
      verdict: 'fail',
      reason: 'median +Inf is above 0.05',
      current: { median: Infinity, n: 13 },
    });
  });

  it('recorded files read "+Inf" and "-Inf" as infinities, null and "NaN" as no reading, and refuse other text', () => {
    const canary = readRecordedCanary(
      {
        intervals: [
          { at: AT, metrics: { seconds_per_token: { canary: ['+Inf', '-Inf', 'NaN', null, '1.5', 2] } } },
        ],
      },
      'metrics.json',
    );
    expect(canary.intervals[0]!.data[0]!.canary).toEqual({ values: [Infinity, -Infinity, NaN, NaN, 1.5, 2] });
    expect(() =>
      readRecordedCanary(
        { intervals: [{ at: AT, metrics: { m: { canary: ['1.5', 'fast'] } } }] },
        'metrics.json',
      ),
    ).toThrow(
      new MalformedFileError(
        'metrics.json',
        'intervals[0].metrics.m.canary[1] must be a number, null or a string such as "+Inf" or "NaN", not "fast"',
        'Record the series as described in modelgate canary --help.',
      ),
    );
    const guard = readRecordedGuard(
      { windows: [{ at: AT, metrics: { seconds_per_token: { current: ['+Inf', '1.5', '-Inf'] } } }] },
      'guard.json',
    );
    expect(guard.windows[0]!.data[0]!.current).toEqual({
      series: [{ labels: {}, values: [Infinity, 1.5, -Infinity] }],
    });
    const blueGreen = readRecordedBlueGreen(
      {
        green: '1.1.0',
        previewLiveAt: AT,
        preview: { seconds_per_token: ['+Inf', '-Inf', 'NaN', 2] },
        postSwitch: [],
      },
      'bluegreen.json',
    );
    expect(blueGreen.preview[0]!.canary).toEqual({ values: [Infinity, -Infinity, NaN, 2] });
    const ab = readRecordedAb(
      {
        intervals: [
          {
            at: AT,
            a: { successes: 1, trials: 2 },
            b: { successes: 1, trials: 2 },
            health: { seconds_per_token: { b: ['+Inf', '1.5'], a: ['-Inf'] } },
          },
        ],
      },
      'ab.json',
    );
    expect(ab.intervals[0]!.data.health).toEqual([
      { metric: 'seconds_per_token', canary: { values: [Infinity, 1.5] }, baseline: { values: [-Infinity] } },
    ]);
    // One reader for every recorded file: text that is not a reading is refused, not read as no data.
    expect(() =>
      readRecordedBlueGreen(
        { green: '1.1.0', previewLiveAt: AT, preview: { seconds_per_token: ['fast'] }, postSwitch: [] },
        'bluegreen.json',
      ),
    ).toThrow(
      new MalformedFileError(
        'bluegreen.json',
        'preview.seconds_per_token[0] must be a number, null or a string such as "+Inf" or "NaN", not "fast"',
        'Record the rollout as described in modelgate bluegreen --help.',
      ),
    );
    expect(() =>
      readRecordedAb(
        {
          intervals: [
            {
              at: AT,
              a: { successes: 1, trials: 2 },
              b: { successes: 1, trials: 2 },
              health: { seconds_per_token: { b: ['slow'] } },
            },
          ],
        },
        'ab.json',
      ),
    ).toThrow(
      /intervals\[0\]\.health\.seconds_per_token\.b\[0\] must be a number, null or a string such as "\+Inf" or "NaN", not "slow"/,
    );
  });
});
