import type { CanaryMetric, MetricData, Series } from '../../core/canary/judge.js';
import { fillQuery } from '../../core/canary/query.js';
import { readingOf } from '../../core/canary/statistics.js';

export interface PrometheusConfig {
  /** e.g. http://prometheus:9090 (from the app's environment, never from a repository). */
  url: string;
  timeoutSeconds?: number;
  /** Sent as Authorization, when the server needs one. */
  authorization?: string;
}

export interface Window {
  start: Date;
  end: Date;
  /** Resolution in seconds. */
  step: number;
}

/** One series of a range query: its labels and its values (NaN and ±Inf as Prometheus wrote them). */
export interface RangeSeries {
  labels: Record<string, string>;
  values: number[];
}

/** The most series one range query may return: more is a query that forgot to aggregate. */
const MAX_RANGE_SERIES = 1000;

/**
 * Runs a range query (`/api/v1/query_range`) and returns every series with
 * its labels. PromQL errors, HTTP errors, timeouts and more than
 * MAX_RANGE_SERIES series are errors with Prometheus' own words; an empty
 * result is no series.
 */
export async function queryRangeSeries(
  config: PrometheusConfig,
  query: string,
  window: Window,
): Promise<{ series: RangeSeries[] } | { error: string }> {
  const url = new URL('/api/v1/query_range', config.url);
  const body = new URLSearchParams({
    query,
    start: String(window.start.getTime() / 1000),
    end: String(window.end.getTime() / 1000),
    step: String(window.step),
  });
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(config.authorization ? { authorization: config.authorization } : {}),
      },
      signal: AbortSignal.timeout((config.timeoutSeconds ?? 30) * 1000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      error:
        (error as Error).name === 'TimeoutError'
          ? `Prometheus did not answer within ${config.timeoutSeconds ?? 30} s`
          : `Prometheus cannot be reached at ${url.origin}${cause ? ` (${cause})` : ''}`,
    };
  }
  let json: {
    status?: string;
    errorType?: string;
    error?: string;
    data?: {
      resultType?: string;
      result?: { metric?: Record<string, string>; values?: [number, string][] }[];
    };
  };
  try {
    json = (await response.json()) as typeof json;
  } catch {
    return { error: `Prometheus answered ${response.status} with a body that is not JSON` };
  }
  if (json.status !== 'success')
    return { error: `${json.errorType ?? `HTTP ${response.status}`}: ${json.error ?? 'query failed'}` };
  if (json.data?.resultType !== 'matrix')
    return { error: `expected a range vector, got ${json.data?.resultType}` };
  const result = json.data.result ?? [];
  if (result.length > MAX_RANGE_SERIES)
    return {
      error: `the query returned ${result.length} series, more than ${MAX_RANGE_SERIES}: aggregate it by fewer labels`,
    };
  return {
    series: result.map((r) => ({
      labels: { ...(r.metric ?? {}) },
      // Prometheus sends values as strings, "NaN", "+Inf" and "-Inf" included; Number("+Inf") is NaN.
      values: (r.values ?? []).map(([, value]) => readingOf(value) ?? Number.NaN),
    })),
  };
}

/**
 * A range query a canary metric makes: one series (an empty result is no
 * data); several are an error, since a canary judges one number per step.
 */
export async function queryRange(config: PrometheusConfig, query: string, window: Window): Promise<Series> {
  const answer = await queryRangeSeries(config, query, window);
  if ('error' in answer) return answer;
  if (answer.series.length > 1)
    return {
      error: `the query returned ${answer.series.length} series; aggregate it to one (sum, avg or a quantile)`,
    };
  return { values: answer.series[0]?.values ?? [] };
}

/**
 * Every canary metric of a model over one window, for the canary version and (with a direction) the baseline.
 * `baselineWindow` reads the baseline over another window than the canary's (blue-green: blue's series over
 * the same length just before the switch); without it both sides share `window`.
 */
export async function collectMetrics(
  config: PrometheusConfig,
  metrics: readonly CanaryMetric[],
  model: string,
  versions: { canary: string; baseline?: string },
  window: Window,
  baselineWindow: Window = window,
): Promise<MetricData[]> {
  return Promise.all(
    metrics.map(async (metric): Promise<MetricData> => {
      const canary = await queryRange(
        config,
        fillQuery(metric.query, { model, version: versions.canary }),
        window,
      );
      if (!metric.direction || !versions.baseline) return { metric: metric.name, canary };
      const baseline = await queryRange(
        config,
        fillQuery(metric.query, { model, version: versions.baseline }),
        baselineWindow,
      );
      return { metric: metric.name, canary, baseline };
    }),
  );
}
