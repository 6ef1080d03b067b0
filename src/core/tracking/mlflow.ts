import { z } from 'zod';
import type { RunRef } from './run-ref.js';
import { MODEL_TAG, trackerRecord, type RunDataset, type RunState, type TrainingRun } from './run.js';

/**
 * MLflow's REST API 2.0, planned as values: the requests modelgate sends,
 * and readers of the answers (fields as mlflow/protos/service.proto names
 * them; proto2 JSON omits empty fields, so every field is optional).
 */
export interface TrackerRequest {
  method: 'GET' | 'POST';
  /** Path under the server's base, with the query string. */
  path: string;
  body?: Record<string, unknown>;
}

const API = '/api/2.0/mlflow';
const query = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** runs/get: info, params, latest metrics, tags and dataset inputs. */
export function getRunRequest(runId: string): TrackerRequest {
  return { method: 'GET', path: `${API}/runs/get?${query({ run_id: runId })}` };
}

/** metrics/get-history: every logged value of one metric, one page. */
export function metricHistoryRequest(runId: string, key: string, pageToken?: string): TrackerRequest {
  return {
    method: 'GET',
    path: `${API}/metrics/get-history?${query({ run_id: runId, metric_key: key, ...(pageToken ? { page_token: pageToken } : {}) })}`,
  };
}

const keyValue = z.object({ key: z.string(), value: z.string().optional() });
const metric = z.object({
  key: z.string(),
  // proto2 JSON writes NaN and infinities as strings.
  value: z.union([z.number(), z.string()]).optional(),
  timestamp: z.union([z.number(), z.string()]).optional(),
  step: z.union([z.number(), z.string()]).optional(),
});
const runResponse = z.object({
  run: z.object({
    info: z.object({
      run_id: z.string().optional(),
      run_uuid: z.string().optional(),
      run_name: z.string().optional(),
      experiment_id: z.string().optional(),
      status: z.string().optional(),
      lifecycle_stage: z.string().optional(),
    }),
    data: z
      .object({
        metrics: z.array(metric).optional(),
        params: z.array(keyValue).optional(),
        tags: z.array(keyValue).optional(),
      })
      .optional(),
    inputs: z
      .object({
        dataset_inputs: z
          .array(
            z.object({
              tags: z.array(keyValue).optional(),
              dataset: z.object({ name: z.string(), digest: z.string().optional() }),
            }),
          )
          .optional(),
      })
      .optional(),
  }),
});
const historyResponse = z.object({
  metrics: z.array(metric).optional(),
  next_page_token: z.string().optional(),
});

/** One metric's logged values as MLflow returns them. */
export type MetricPoint = z.infer<typeof metric>;

const STATES: Record<string, RunState> = {
  RUNNING: 'running',
  SCHEDULED: 'scheduled',
  FINISHED: 'finished',
  FAILED: 'failed',
  KILLED: 'killed',
};

/** Reads a runs/get answer. Throws a message when it is not one. */
export function readMlflowRun(
  ref: Extract<RunRef, { tracker: 'mlflow' }>,
  serverUrl: string,
  body: unknown,
  histories: ReadonlyMap<string, readonly MetricPoint[]> = new Map(),
): TrainingRun {
  const parsed = runResponse.safeParse(body);
  if (!parsed.success)
    throw new Error(`runs/get answered something that is not a run (${parsed.error.issues[0]?.message})`);
  const { info, data, inputs } = parsed.data.run;
  const id = info.run_id ?? info.run_uuid ?? ref.runId;
  if (id !== ref.runId) throw new Error(`runs/get answered run ${id}, not ${ref.runId}`);
  const tags = Object.fromEntries((data?.tags ?? []).map((t) => [t.key, t.value ?? '']));
  const metrics = trackerRecord<number>();
  for (const m of data?.metrics ?? []) {
    const value = numberOf(m.value);
    if (value !== undefined) metrics[m.key] = value;
  }
  for (const [key, points] of histories) {
    const last = finalPoint(points);
    if (last === undefined) delete metrics[key];
    else metrics[key] = last;
  }
  const datasets: RunDataset[] = (inputs?.dataset_inputs ?? []).map((input) => {
    const context = input.tags?.find((t) => t.key === 'mlflow.data.context')?.value;
    return {
      name: input.dataset.name,
      ...(input.dataset.digest ? { digest: input.dataset.digest } : {}),
      ...(context ? { context } : {}),
    };
  });
  const status = info.status ?? 'UNKNOWN';
  // The link is built from checked ids only: an answer's odd experiment id is not put in a URL.
  const experiment = [info.experiment_id, ref.experimentId].find((e) => e && /^[0-9A-Za-z_-]{1,64}$/.test(e));
  const base = serverUrl.replace(/\/+$/, '');
  return {
    tracker: 'mlflow',
    id,
    link: experiment
      ? `${base}/#/experiments/${experiment}/runs/${ref.runId}`
      : `${base}/#/runs/${ref.runId}`,
    ...(info.run_name ? { name: info.run_name } : {}),
    state: info.lifecycle_stage === 'deleted' ? 'killed' : (STATES[status] ?? 'unknown'),
    stateText: info.lifecycle_stage === 'deleted' ? `${status} (deleted)` : status,
    params: trackerRecord((data?.params ?? []).map((p) => [p.key, p.value ?? ''] as const)),
    metrics,
    datasets,
    ...(tags['mlflow.source.git.commit'] ? { sourceCommit: tags['mlflow.source.git.commit'] } : {}),
    ...(tags[MODEL_TAG] ? { model: tags[MODEL_TAG] } : {}),
    tags,
  };
}

/** Reads one page of a metrics/get-history answer. */
export function readMetricHistory(body: unknown): { points: MetricPoint[]; next?: string } {
  const parsed = historyResponse.safeParse(body);
  if (!parsed.success) throw new Error('metrics/get-history answered something that is not a metric history');
  return {
    points: parsed.data.metrics ?? [],
    ...(parsed.data.next_page_token ? { next: parsed.data.next_page_token } : {}),
  };
}

/**
 * The final value: the highest step, then the latest timestamp, then (as
 * MLflow does) the largest value. A final NaN or infinity is undefined, not
 * the last finite value before it: a diverged run has no final metric.
 */
function finalPoint(points: readonly MetricPoint[]): number | undefined {
  let best: { step: number; time: number; value: number } | undefined;
  for (const p of points) {
    const value = typeof p.value === 'string' ? Number(p.value) : (p.value ?? Number.NaN);
    const step = Number(p.step ?? 0);
    const time = Number(p.timestamp ?? 0);
    if (
      !best ||
      step > best.step ||
      (step === best.step && (time > best.time || (time === best.time && value > best.value)))
    )
      best = { step, time, value };
  }
  return best && Number.isFinite(best.value) ? best.value : undefined;
}

/** A finite number, or undefined (NaN and infinities cannot be judged). */
function numberOf(value: number | string | undefined): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}
