import type { AbMetric } from '../../core/ab/policy.js';
import type { AbArmReading, AbData } from '../../core/ab/step.js';
import { fillQuery } from '../../core/canary/query.js';
import { queryRangeSeries, type PrometheusConfig } from './prometheus.js';

/** The window of one A/B interval: its counts are read at `end`, over `end - start`. */
export interface AbCountsWindow {
  start: Date;
  end: Date;
}

/**
 * `{{interval}}` becomes the window's length in seconds (`3600s`: a duration
 * modelgate computed, nothing from a manifest), then `{{model}}` and
 * `{{version}}` are filled and escaped as for every canary query.
 */
export function fillAbQuery(
  template: string,
  model: string,
  version: string,
  window: AbCountsWindow,
): string {
  const seconds = Math.max(1, Math.round((window.end.getTime() - window.start.getTime()) / 1000));
  return fillQuery(template.replace(/\{\{\s*interval\s*\}\}/g, `${seconds}s`), { model, version });
}

/**
 * One interval's successes and trials for both arms (A: the version in
 * production, B: the new one), each query evaluated once at the window's end
 * (a range query of one point: the same HTTP, limits and error words as the
 * canary's). A query error, no series (no data), several series or a value
 * that is not a number is that arm's error, never a zero.
 */
export async function readAbCounts(
  config: PrometheusConfig,
  metric: Pick<AbMetric, 'successes' | 'trials'>,
  model: string,
  versions: { a: string; b: string },
  window: AbCountsWindow,
): Promise<AbData> {
  const arm = async (version: string): Promise<AbArmReading> => {
    const [successes, trials] = await Promise.all([
      readCount(config, fillAbQuery(metric.successes, model, version, window), window.end),
      readCount(config, fillAbQuery(metric.trials, model, version, window), window.end),
    ]);
    if ('error' in successes) return { error: `successes of ${version}: ${successes.error}` };
    if ('error' in trials) return { error: `trials of ${version}: ${trials.error}` };
    return { successes: successes.value, trials: trials.value };
  };
  const [a, b] = await Promise.all([arm(versions.a), arm(versions.b)]);
  return { a, b };
}

async function readCount(
  config: PrometheusConfig,
  query: string,
  at: Date,
): Promise<{ value: number } | { error: string }> {
  const answer = await queryRangeSeries(config, query, { start: at, end: at, step: 1 });
  if ('error' in answer) return answer;
  if (answer.series.length === 0) return { error: 'no data (the query returned no series)' };
  if (answer.series.length > 1)
    return { error: `the query returned ${answer.series.length} series; aggregate it to one with sum()` };
  const value = answer.series[0]!.values.at(-1);
  if (value === undefined) return { error: 'no data at the end of the interval' };
  if (!Number.isFinite(value)) return { error: `the query returned ${value}, not a count` };
  return { value };
}
