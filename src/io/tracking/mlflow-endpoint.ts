import type { TrackingEnvironment } from './run-reader.js';
import type { TrackerEndpoint } from './tracker-http.js';

/** The MLflow server to talk to, or why there is none here. */
export type MlflowEndpoint =
  | { ok: true; endpoint: TrackerEndpoint }
  | { ok: false; kind: 'unconfigured' | 'unreachable'; reason: string };

/**
 * MLflow at MLFLOW_TRACKING_URI, authenticated with MLFLOW_TRACKING_TOKEN
 * (bearer) or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (basic).
 * `server`: the server a run reference names; another one than the
 * configured server is refused before any request, so the repository never
 * decides where the credentials go.
 */
export function mlflowEndpoint(
  env: TrackingEnvironment,
  server: string | undefined,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): MlflowEndpoint {
  const uri = env.MLFLOW_TRACKING_URI;
  if (!uri)
    return { ok: false, kind: 'unconfigured', reason: 'no credentials: MLFLOW_TRACKING_URI is not set' };
  let base: URL;
  try {
    base = new URL(uri);
  } catch {
    return { ok: false, kind: 'unconfigured', reason: 'MLFLOW_TRACKING_URI is not a URL' };
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    return {
      ok: false,
      kind: 'unreachable',
      reason: `MLFLOW_TRACKING_URI is ${base.protocol} , not an http(s) tracking server`,
    };
  const configured = `${base.host}${base.pathname.replace(/\/+$/, '')}`;
  if (server !== undefined && server.toLowerCase() !== configured.toLowerCase())
    return {
      ok: false,
      kind: 'unreachable',
      reason: `the run is on ${server}, but MLFLOW_TRACKING_URI is ${configured}: modelgate sends credentials only to the configured server`,
    };
  return {
    ok: true,
    endpoint: {
      base: `${base.origin}${base.pathname.replace(/\/+$/, '')}`,
      ...mlflowAuthorization(env),
      ...options,
    },
  };
}

function mlflowAuthorization(env: TrackingEnvironment): { authorization?: string } {
  if (env.MLFLOW_TRACKING_TOKEN) return { authorization: `Bearer ${env.MLFLOW_TRACKING_TOKEN}` };
  if (env.MLFLOW_TRACKING_USERNAME && env.MLFLOW_TRACKING_PASSWORD)
    return {
      authorization: `Basic ${Buffer.from(`${env.MLFLOW_TRACKING_USERNAME}:${env.MLFLOW_TRACKING_PASSWORD}`).toString('base64')}`,
    };
  return {};
}
