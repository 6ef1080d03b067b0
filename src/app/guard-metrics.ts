import { fillQuery } from '../core/canary/query.js';
import type { GuardMetricData, SegmentedSeries } from '../core/guard/judge.js';
import type { GuardJudgment, GuardWindow } from '../core/guard/step.js';
import type { GuardMetric, GuardPolicy } from '../core/manifest/guard.js';
import { queryRangeSeries, type PrometheusConfig } from '../io/metrics/prometheus.js';

/**
 * A guard query: `{{by}}` becomes the metric's `by` labels (label names,
 * checked by the schema), then `{{model}}` and `{{version}}` are filled in
 * as for a canary.
 */
function guardQuery(metric: GuardMetric, model: string, version: string): string {
  return fillQuery(metric.query.replace(/\{\{\s*by\s*\}\}/g, (metric.by ?? []).join(',')), {
    model,
    version,
  });
}

/** A range query whose series keep their labels (a guard metric is split into segments). */
async function queryLabelledRange(
  config: PrometheusConfig,
  query: string,
  window: GuardWindow,
): Promise<SegmentedSeries> {
  const answer = await queryRangeSeries(config, query, window);
  return answer;
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
