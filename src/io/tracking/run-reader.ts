import {
  getRunRequest,
  metricHistoryRequest,
  readMetricHistory,
  readMlflowRun,
  type MetricPoint,
} from '../../core/tracking/mlflow.js';
import type { RunRef } from '../../core/tracking/run-ref.js';
import type { RunRead, RunReader } from '../../core/tracking/run.js';
import { readWandbRun, wandbRunRequest } from '../../core/tracking/wandb.js';
import { mlflowEndpoint } from './mlflow-endpoint.js';
import {
  hostOf,
  sendTrackerRequest,
  trackerErrorCode,
  trackerErrorMessage,
  TrackerUnreachable,
  type TrackerEndpoint,
} from './tracker-http.js';

/**
 * The environment tracking reads (the Action's step env, the CLI's shell):
 * MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME and
 * MLFLOW_TRACKING_PASSWORD, WANDB_API_KEY, WANDB_BASE_URL.
 */
export type TrackingEnvironment = Readonly<Record<string, string | undefined>>;

/** Pages of a metric history read at most (MLflow pages hold thousands of points). */
const MAX_HISTORY_PAGES = 100;

/**
 * A run reader from the environment: MLflow at MLFLOW_TRACKING_URI (token
 * or basic auth), W&B at WANDB_BASE_URL (default api.wandb.ai) with
 * WANDB_API_KEY. A reference naming another MLflow server than the
 * configured one is refused before any request: the repository never
 * decides where the credentials go.
 */
export function runReaderFromEnvironment(
  env: TrackingEnvironment,
  options: { fetch?: typeof fetch; timeoutMs?: number; refuse?: string } = {},
): RunReader {
  return async (ref, metrics) => {
    if (options.refuse) return { ok: false, kind: 'unconfigured', reason: options.refuse };
    try {
      return ref.tracker === 'mlflow'
        ? await readMlflow(ref, metrics, env, options)
        : await readWandb(ref, env, options);
    } catch (error) {
      if (error instanceof TrackerUnreachable)
        return { ok: false, kind: 'unreachable', reason: error.message };
      return { ok: false, kind: 'invalid', reason: (error as Error).message };
    }
  };
}

async function readMlflow(
  ref: Extract<RunRef, { tracker: 'mlflow' }>,
  metrics: readonly string[],
  env: TrackingEnvironment,
  options: { fetch?: typeof fetch; timeoutMs?: number },
): Promise<RunRead> {
  const configured = mlflowEndpoint(env, ref.server, options);
  if (!configured.ok) return configured;
  const endpoint = configured.endpoint;
  const answer = await sendTrackerRequest(endpoint, getRunRequest(ref.runId));
  if (answer.status === 404 || trackerErrorCode(answer.body) === 'RESOURCE_DOES_NOT_EXIST')
    return {
      ok: false,
      kind: 'not-found',
      reason: `run ${ref.runId} does not exist on ${hostOf(endpoint.base)}`,
    };
  if (answer.status === 401 || answer.status === 403)
    return {
      ok: false,
      kind: 'unreachable',
      reason: `${hostOf(endpoint.base)} refused the credentials (HTTP ${answer.status})`,
    };
  if (answer.status !== 200)
    return {
      ok: false,
      kind: 'invalid',
      reason: `runs/get answered HTTP ${answer.status}: ${trackerErrorMessage(answer.body)}`,
    };
  const histories = new Map<string, MetricPoint[]>();
  for (const key of metrics) {
    const points: MetricPoint[] = [];
    let page: string | undefined;
    for (let n = 0; n < MAX_HISTORY_PAGES; n += 1) {
      const history = await sendTrackerRequest(endpoint, metricHistoryRequest(ref.runId, key, page));
      if (history.status !== 200)
        return {
          ok: false,
          kind: 'invalid',
          reason: `metrics/get-history of ${key} answered HTTP ${history.status}`,
        };
      const read = readMetricHistory(history.body);
      points.push(...read.points);
      page = read.next;
      if (!page) break;
    }
    histories.set(key, points);
  }
  return { ok: true, run: readMlflowRun(ref, endpoint.base, answer.body, histories) };
}

async function readWandb(
  ref: Extract<RunRef, { tracker: 'wandb' }>,
  env: TrackingEnvironment,
  options: { fetch?: typeof fetch; timeoutMs?: number },
): Promise<RunRead> {
  if (!env.WANDB_API_KEY)
    return { ok: false, kind: 'unconfigured', reason: 'no credentials: WANDB_API_KEY is not set' };
  const base = (env.WANDB_BASE_URL || 'https://api.wandb.ai').replace(/\/+$/, '');
  const endpoint: TrackerEndpoint = {
    base,
    // The public API authenticates with HTTP basic auth, user "api", the key as password.
    authorization: `Basic ${Buffer.from(`api:${env.WANDB_API_KEY}`).toString('base64')}`,
    ...options,
  };
  const answer = await sendTrackerRequest(endpoint, wandbRunRequest(ref));
  if (answer.status === 401 || answer.status === 403)
    return {
      ok: false,
      kind: 'unreachable',
      reason: `${hostOf(base)} refused WANDB_API_KEY (HTTP ${answer.status})`,
    };
  if (answer.status !== 200)
    return { ok: false, kind: 'invalid', reason: `the GraphQL API answered HTTP ${answer.status}` };
  // The UI lives at wandb.ai for the hosted API; a dedicated server serves both from one host.
  const app = base === 'https://api.wandb.ai' ? 'https://wandb.ai' : base;
  const run = readWandbRun(ref, app, answer.body);
  if (!run)
    return {
      ok: false,
      kind: 'not-found',
      reason: `run ${ref.entity}/${ref.project}/${ref.runId} does not exist on ${hostOf(base)}`,
    };
  return { ok: true, run };
}
