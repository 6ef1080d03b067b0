/** One recorded metric value. */
export interface MetricValue {
  /** `task/metric` for lm-evaluation-harness results (`task/metric,filter` when the filter is not "none"), else the key. */
  name: string;
  value: number;
  stderr?: number;
}

/**
 * Reads the aggregate metrics of a results file: an lm-evaluation-harness
 * results document (`results[task]["acc,none"]`, stderr as `"acc_stderr,none"`,
 * which may be the string "N/A") or a plain `{ "metric": value }` object.
 * Non-numeric entries are skipped.
 */
export function readMetrics(json: unknown): MetricValue[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [];
  const results = (json as { results?: unknown }).results;
  if (typeof results === 'object' && results !== null && !Array.isArray(results))
    return harnessMetrics(results as Record<string, unknown>);
  return Object.entries(json)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]))
    .map(([name, value]) => ({ name, value }));
}

function harnessMetrics(results: Record<string, unknown>): MetricValue[] {
  const metrics: MetricValue[] = [];
  for (const [task, values] of Object.entries(results)) {
    if (typeof values !== 'object' || values === null) continue;
    const entries = values as Record<string, unknown>;
    for (const [key, value] of Object.entries(entries)) {
      const [metric = '', filter = 'none'] = key.split(',');
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        metric.endsWith('_stderr') ||
        metric === 'alias'
      )
        continue;
      const stderr = entries[`${metric}_stderr,${filter}`];
      metrics.push({
        name: `${task}/${metric}${filter === 'none' ? '' : `,${filter}`}`,
        value,
        ...(typeof stderr === 'number' && Number.isFinite(stderr) ? { stderr } : {}),
      });
    }
  }
  return metrics;
}
