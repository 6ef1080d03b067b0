import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { afterEach, describe, expect, it } from 'vitest';
import modelgateApp, { tickAuthorized } from '../../src/app/index.js';
import { createAppServer, MAX_WEBHOOK_BYTES } from '../../src/app/server.js';
import { privateKey, STATE_KEY, webhookExample } from '../helpers/canary-app.js';
import { FakeGitHub } from '../helpers/fake-github.js';

const SECRET = 'webhook-secret';
/** Text that only the attacker's body holds: if it shows up in the log, the body was logged. */
const BODY_MARK = 'ATTACKER-BODY-MARK';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The app behind its server, as `node build/app/main.js` runs it, with Probot's logger (pino) writing to memory. */
async function appServer(): Promise<{ url: string; log: () => string; github: FakeGitHub }> {
  const github = await FakeGitHub.start();
  let logged = '';
  const log = pino(
    { level: 'trace' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    }),
  );
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: SECRET,
    baseUrl: github.url,
    log,
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
  });
  const server: Server = await createAppServer({
    probot,
    app: (app, options) =>
      modelgateApp(app, {
        ...options,
        config: { tickSeconds: 0, stateKey: STATE_KEY, tickSecret: 's3cret' },
      }),
    secret: SECRET,
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => github.close());
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, log: () => logged, github };
}

const deliveryHeaders = (signature: string) => ({
  'content-type': 'application/json',
  'x-github-event': 'issue_comment',
  'x-github-delivery': 'd-1',
  'x-hub-signature-256': signature,
});
const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

/**
 * Streams `total` bytes of JSON-looking text to the webhook route, 1 MiB at a
 * time with backpressure, until the server answers or cuts the connection.
 */
async function stream(url: string, total: number, headers: Record<string, string | number>) {
  const chunk = Buffer.alloc(1 << 20, `${BODY_MARK} `);
  const req = request(`${url}/api/github/webhooks`, { method: 'POST', headers });
  let status: number | undefined;
  let ended = false;
  const done = new Promise<void>((resolve) => {
    req.on('response', (res) => {
      status = res.statusCode;
      res.resume();
      resolve();
    });
    req.on('error', () => resolve()); // the server cut the connection
    req.on('close', () => resolve());
  }).then(() => (ended = true));
  let sent = 0;
  while (!ended && sent < total) {
    const ok = req.write(chunk);
    sent += chunk.length;
    if (!ok) await Promise.race([once(req, 'drain'), done]);
  }
  if (!ended) req.end();
  await done;
  return { status, sent };
}

describe('the webhook route', () => {
  it('refuses a 200 MB body with a bad signature after at most 25 MB, without buffering it or logging any of it', async () => {
    const { url, log } = await appServer();
    const before = process.memoryUsage();
    let peak = 0;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peak = Math.max(peak, now.rss - before.rss, now.arrayBuffers - before.arrayBuffers);
    }, 5);
    const unsigned = await stream(url, 200 * 2 ** 20, {
      ...deliveryHeaders(`sha256=${'0'.repeat(64)}`),
      'transfer-encoding': 'chunked',
    });
    clearInterval(sampler);

    expect(unsigned.sent).toBeLessThan(MAX_WEBHOOK_BYTES + 16 * 2 ** 20); // cut off near the cap, not at 200 MB
    if (unsigned.status !== undefined) expect(unsigned.status).toBe(413);
    expect(peak).toBeLessThan(150 * 2 ** 20);
    expect(log()).toContain(
      'webhook delivery refused: the body is larger than 26214400 bytes, the most GitHub sends',
    );
    expect(log()).not.toContain(BODY_MARK);
  });

  it('answers 413 to a declared length past the cap before a byte of the body is sent', async () => {
    const { url } = await appServer();
    const req = request(`${url}/api/github/webhooks`, {
      method: 'POST',
      headers: { ...deliveryHeaders(sign('{}')), 'content-length': MAX_WEBHOOK_BYTES + 1 },
    });
    req.flushHeaders(); // the headers only: the body never comes
    const [response] = (await once(req, 'response')) as [IncomingMessage];
    let text = '';
    for await (const chunk of response) text += String(chunk);
    req.destroy();
    expect(response.statusCode).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(JSON.parse(text)).toEqual({
      error: 'the body is larger than 26214400 bytes, the most GitHub sends',
    });
  });

  it('a small body with a bad signature is refused (400) and never reaches Probot or the log', async () => {
    const { url, log, github } = await appServer();
    const payload = webhookExample('issue_comment', 'created');
    payload.comment.body = `/rollback ${BODY_MARK}`;
    const body = JSON.stringify(payload);
    const response = await fetch(`${url}/api/github/webhooks`, {
      method: 'POST',
      headers: deliveryHeaders(sign(`${body} `)),
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'the signature does not match the body and the webhook secret',
    });
    expect(log()).toContain('"delivery":"d-1"');
    expect(log()).not.toContain(BODY_MARK);
    expect(github.requests).toEqual([]);
  });

  it('a signed delivery reaches the app (a comment that is no command costs it no GitHub request)', async () => {
    const { url, github } = await appServer();
    const payload = webhookExample('issue_comment', 'created');
    payload.comment.body = 'LGTM';
    payload.installation = { id: 1, node_id: 'I' };
    const body = JSON.stringify(payload);
    const response = await fetch(`${url}/api/github/webhooks`, {
      method: 'POST',
      headers: deliveryHeaders(sign(body)),
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok\n');
    expect(github.requests).toEqual([]);
  });

  it('POST /modelgate/tick needs the bearer secret: 401 without it or with a wrong one', async () => {
    const { url } = await appServer();
    const tick = (authorization?: string) =>
      fetch(`${url}/modelgate/tick`, {
        method: 'POST',
        headers: authorization ? { authorization } : {},
      }).then((r) => r.status);
    expect(await tick()).toBe(401);
    expect(await tick('Bearer s3cre')).toBe(401);
    expect(await tick('Bearer s3cret2')).toBe(401);
    expect(await tick('Basic s3cret')).toBe(401);
    expect(await tick('Bearer s3cret')).toBe(200);
  });
});

describe('the tick secret', () => {
  /** A flat string (as a header arrives), so a comparison pays for nothing but comparing. */
  const flat = (text: string) => Buffer.from(text, 'latin1').toString('latin1');
  const medianMs = (run: () => unknown) => {
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const start = performance.now();
      run();
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[4]!;
  };

  it('is compared in time that does not depend on how much of a guess is right', () => {
    const secret = flat('s'.repeat(8 * 2 ** 20));
    const wrongFirst = flat(`Bearer x${secret.slice(1)}`);
    const wrongLast = flat(`Bearer ${secret.slice(0, -1)}x`);
    expect(tickAuthorized(wrongFirst, secret)).toBe(false);
    expect(tickAuthorized(wrongLast, secret)).toBe(false);
    expect(tickAuthorized(flat(`Bearer ${secret}`), secret)).toBe(true);
    // A plain comparison stops at the first wrong character: thousands of times faster for `wrongFirst`.
    const ratio =
      medianMs(() => tickAuthorized(wrongFirst, secret)) / medianMs(() => tickAuthorized(wrongLast, secret));
    expect(ratio).toBeGreaterThan(0.3);
  });
});
