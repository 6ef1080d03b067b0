import { fillQuery } from '../core/canary/query.js';
import type { GuardMetricData, LabelledSeries, SegmentedSeries } from '../core/guard/judge.js';
import type { GuardJudgment, GuardWindow } from '../core/guard/step.js';
import type { GuardMetric, GuardPolicy } from '../core/manifest/guard.js';
import type { PrometheusConfig } from '../io/metrics/prometheus.js';

/** Most series one guard query may return: the judge refuses more segments than this anyway. */
const MAX_SERIES = 1000;

/**
 * A guard query: `{{by}}` becomes the metric's `by` labels (label names,
 * checked by the schema), then `{{model}}` and `{{version}}` are filled in
 * as for a canary.
 */
export function guardQuery(metric: GuardMetric, model: string, version: string): string {
  return fillQuery(metric.query.replace(/\{\{\s*by\s*\}\}/g, (metric.by ?? []).join(',')), {
    model,
    version,
  });
}

/**
 * A range query that keeps every series with its labels (a guard metric is
 * split into segments). Errors carry Prometheus' own words; an empty result
 * is no series.
 */
export async function queryLabelledRange(
  config: PrometheusConfig,
  query: string,
  window: GuardWindow,
): Promise<SegmentedSeries> {
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
  if (result.length > MAX_SERIES)
    return {
      error: `the query returned ${result.length} series, more than ${MAX_SERIES}: aggregate it by fewer labels`,
    };
  return {
    series: result.map((r): LabelledSeries => ({
      labels: { ...(r.metric ?? {}) },
      values: (r.values ?? []).map(([, value]) => Number(value)),
    })),
  };
}

/**
 * Every guard metric over the judged window for the version in production,
 * and (with a direction and a previous version) over the comparable windows
 * of earlier days for the previous version: one sample per segment, all its
 * days together. No comparable window (the previous version served less than
 * a day) is no baseline, not an error: thresholds still judge.
 */
export async function collectGuardMetrics(
  config: PrometheusConfig,
  policy: GuardPolicy,
  model: string,
  versions: { current: string; previous?: string },
  judgment: GuardJudgment,
): Promise<GuardMetricData[]> {
  return Promise.all(
    policy.metrics.map(async (metric): Promise<GuardMetricData> => {
      const current = await queryLabelledRange(
        config,
        guardQuery(metric, model, versions.current),
        judgment.window,
      );
      if (!metric.direction || !versions.previous || !judgment.comparable.length)
        return { metric: metric.name, current };
      const query = guardQuery(metric, model, versions.previous);
      const days = await Promise.all(judgment.comparable.map((w) => queryLabelledRange(config, query, w)));
      const failed = days.find((d): d is { error: string } => 'error' in d);
      const baseline: SegmentedSeries = failed ?? {
        series: days.flatMap((d) => ('series' in d ? d.series : [])),
      };
      return { metric: metric.name, current, baseline };
    }),
  );
}
