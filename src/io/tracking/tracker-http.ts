import type { TrackerRequest } from '../../core/tracking/mlflow.js';

/** Largest answer read from a tracker: a run with its params and metrics is kilobytes. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** How long one request may take. */
const DEFAULT_TIMEOUT_MS = 15_000;

/** A tracker's base URL and the header that authenticates to it (from the environment only). */
export interface TrackerEndpoint {
  base: string;
  authorization?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** An answer: the HTTP status and the parsed JSON body (undefined when it was not JSON). */
export interface TrackerAnswer {
  status: number;
  body: unknown;
}

/** Thrown when the service cannot be reached or answers with a server error: "not reachable", never a pass. */
export class TrackerUnreachable extends Error {}

/**
 * Sends one planned request. The credential goes only to the configured
 * base URL; redirects are not followed (a redirect could carry it elsewhere).
 * The message of a failure never includes the credential.
 */
export async function sendTrackerRequest(
  endpoint: TrackerEndpoint,
  request: TrackerRequest,
): Promise<TrackerAnswer> {
  const url = `${endpoint.base.replace(/\/+$/, '')}${request.path}`;
  let response: Response;
  try {
    response = await (endpoint.fetch ?? fetch)(url, {
      method: request.method,
      redirect: 'manual',
      headers: {
        accept: 'application/json',
        ...(request.body ? { 'content-type': 'application/json' } : {}),
        ...(endpoint.authorization ? { authorization: endpoint.authorization } : {}),
      },
      ...(request.body ? { body: JSON.stringify(request.body) } : {}),
      signal: AbortSignal.timeout(endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as Error).name === 'TimeoutError' ? 'no answer in time' : (error as Error).message;
    throw new TrackerUnreachable(`${hostOf(endpoint.base)} is not reachable (${cause})`);
  }
  if (response.status >= 500 || (response.status >= 300 && response.status < 400))
    throw new TrackerUnreachable(`${hostOf(endpoint.base)} answered HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_ANSWER_BYTES)
    throw new TrackerUnreachable(`${hostOf(endpoint.base)} answered more than 16 MiB`);
  const text = await readCapped(response);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body };
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) throw new TrackerUnreachable('the tracker answered more than 16 MiB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The host of a base URL, for messages (never the path, which may carry a workspace token). */
export function hostOf(base: string): string {
  try {
    return new URL(base).host;
  } catch {
    return 'the tracker';
  }
}

/** The `error_code` of an MLflow error answer (`RESOURCE_DOES_NOT_EXIST`), if it has one. */
export function trackerErrorCode(body: unknown): string | undefined {
  return body && typeof body === 'object' && 'error_code' in body ? String(body.error_code) : undefined;
}

/** The `message` of an error answer, cut short for a log line. */
export function trackerErrorMessage(body: unknown): string {
  const message = body && typeof body === 'object' && 'message' in body ? String(body.message) : '';
  return message.slice(0, 200) || 'no message';
}
