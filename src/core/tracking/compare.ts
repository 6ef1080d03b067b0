import { runMetric, type TrainingRun } from './run.js';

/** One param of the candidate's run next to the production version's. */
export interface ParamRow {
  key: string;
  candidate?: string;
  production?: string;
}

/** One final metric side by side. */
export interface MetricRow {
  key: string;
  candidate?: number;
  production?: number;
}

/** The params that differ and every final metric, candidate against production. */
export interface RunComparison {
  /** Params whose values differ (added, removed or changed). */
  changed: ParamRow[];
  /** How many params are the same on both sides. */
  unchanged: number;
  metrics: MetricRow[];
}

/** Rows beyond this are summarised: a run can log thousands of params. */
export const MAX_ROWS = 50;

/** Compares a run with the production version's run (or lists its own metrics when there is none). */
export function compareRuns(candidate: TrainingRun, production?: TrainingRun): RunComparison {
  const changed: ParamRow[] = [];
  let unchanged = 0;
  if (production) {
    const keys = [...new Set([...Object.keys(candidate.params), ...Object.keys(production.params)])].sort();
    for (const key of keys) {
      const a = candidate.params[key];
      const b = production.params[key];
      if (a === b) unchanged += 1;
      else
        changed.push({
          key,
          ...(a !== undefined ? { candidate: a } : {}),
          ...(b !== undefined ? { production: b } : {}),
        });
    }
  }
  const metricKeys = [
    ...new Set([...Object.keys(candidate.metrics), ...Object.keys(production?.metrics ?? {})]),
  ].sort();
  const metrics = metricKeys.map((key) => {
    const a = runMetric(candidate, key);
    const b = production && runMetric(production, key);
    return {
      key,
      ...(a !== undefined ? { candidate: a } : {}),
      ...(b !== undefined ? { production: b } : {}),
    };
  });
  return { changed, unchanged, metrics };
}
