import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createNodeMiddleware, type ApplicationFunction, type Probot } from 'probot';

/** GitHub caps webhook payloads at 25 MB: a longer body is not a delivery from GitHub. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
/** Probot's (and @octokit/webhooks') webhook route. */
const WEBHOOK_PATH = '/api/github/webhooks';

/** What the server runs: the app in its Probot, and the webhook route's secret, path and body cap. */
export interface AppServerOptions {
  probot: Probot;
  app: ApplicationFunction;
  /** The webhook secret GitHub signs deliveries with (the same Probot has). */
  secret: string;
  path?: string;
  maxBytes?: number;
}

type Delivery = { body: string } | { refused: number; reason: string };

/**
 * The app's HTTP server: Probot's middleware (webhooks, the tick route)
 * behind a guard on the webhook route. The guard reads a delivery's body
 * only up to GitHub's 25 MB cap (413 and the connection closed past it,
 * before anything is buffered beyond) and checks its signature itself; only
 * a signed delivery reaches Probot. So an unauthenticated body is never
 * buffered whole, never parsed, and never logged (Probot and
 * @octokit/webhooks log the whole payload with a signature error).
 */
export async function createAppServer(options: AppServerOptions): Promise<Server> {
  const path = options.path || WEBHOOK_PATH;
  const maxBytes = options.maxBytes ?? MAX_WEBHOOK_BYTES;
  const { probot } = options;
  const middleware = await createNodeMiddleware(options.app, { probot, webhooksPath: path });
  const server = createServer((req, res) => void handle(req, res));
  // A delivery has 10 s at GitHub's end; a client that trickles its body is cut off long after that.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method === 'POST' && pathOf(req.url) === path) {
        const delivery = await admit(req, options.secret, maxBytes);
        if ('refused' in delivery) {
          probot.log.warn(
            {
              delivery: String(req.headers['x-github-delivery'] ?? '').slice(0, 100),
              event: String(req.headers['x-github-event'] ?? '').slice(0, 100),
            },
            `webhook delivery refused: ${delivery.reason}`,
          );
          refuse(req, res, delivery.refused, delivery.reason);
          return;
        }
        // @octokit/webhooks takes a body that was already read from `body` (and checks the signature again).
        (req as IncomingMessage & { body?: string }).body = delivery.body;
      }
      if (!(await middleware(req, res))) res.writeHead(404).end();
    } catch (error) {
      probot.log.error({ err: error }, `${req.method} ${pathOf(req.url)} failed`);
      if (!res.headersSent) res.writeHead(500).end();
    }
  }
  return server;
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
  } catch {
    return '';
  }
}

/** Answers and closes the connection: the rest of an unwanted body is not read. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, reason: string): void {
  const body = JSON.stringify({ error: reason });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body, () => req.socket.destroy());
}

/** The body of a delivery, when it is within the size cap and its signature matches the secret. */
async function admit(req: IncomingMessage, secret: string, maxBytes: number): Promise<Delivery> {
  const tooLarge = {
    refused: 413,
    reason: `the body is larger than ${maxBytes} bytes, the most GitHub sends`,
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge;
  const signature = req.headers['x-hub-signature-256'];
  if (typeof signature !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(signature))
    return { refused: 400, reason: 'the x-hub-signature-256 header is missing or malformed' };
  const body = await readCapped(req, maxBytes);
  if (body === 'too-large') return tooLarge;
  if (body === 'aborted') return { refused: 400, reason: 'the body ended early' };
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(signature.slice('sha256='.length), 'hex');
  if (!timingSafeEqual(given, expected))
    return { refused: 400, reason: 'the signature does not match the body and the webhook secret' };
  return { body: body.toString('utf8') };
}

/** Reads a request body, stopping (and pausing the stream) as soon as it passes `maxBytes`. */
function readCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: Buffer | 'too-large' | 'aborted') => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        chunks.length = 0;
        settle('too-large');
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => settle(Buffer.concat(chunks, size)));
    req.on('error', () => settle('aborted'));
    req.on('close', () => settle('aborted'));
  });
}
