// The app as `node build/app/main.js` starts it from its environment (startApp): two replicas on one
// real Redis, webhooks signed and sent over HTTP, GitHub faked.
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app/start.js';
import { issueComment, privateKey } from '../helpers/canary-app.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { TempRegistry } from '../helpers/registry.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';

const SECRET = 'a webhook secret long enough to derive the state key from';

let redis: RunningRedis;
let github: FakeGitHub;
beforeAll(async () => {
  [redis, github] = await Promise.all([startRedis({ requirePass: 'the-s3cret' }), FakeGitHub.start()]);
  // The commands acted on are unknown ones the settings ignore: each job reads the settings and ends,
  // writing nothing (the app's Octokit paces writes at one a second, as GitHub asks).
  const registry = TempRegistry.create();
  registry.write('.github/modelgate.yml', 'chatops:\n  unknown_commands: ignore\n');
  registry.commit('settings');
  github.localRepo = registry.root;
}, 60_000);
afterAll(async () => {
  await Promise.all([redis?.stop(), github?.close()]);
});

/** One replica started from `env` (plus the secrets and a free port), its log kept in memory. */
async function replica(env: NodeJS.ProcessEnv, options: { closeTimeoutMs?: number } = {}) {
  let logged = '';
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    }),
  );
  const app = await startApp(
    { APP_ID: '1', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, PORT: '0', HOST: '127.0.0.1', ...env },
    { baseUrl: github.url, log, ...options },
  );
  return { app, log: () => logged };
}

/** A signed issue_comment delivery, as GitHub sends it. */
async function deliver(app: RunningApp, id: number, body: string, login: string) {
  const payload = JSON.stringify(issueComment(body, { login, id: 70_000 + id }));
  const response = await fetch(`http://127.0.0.1:${app.port}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issue_comment',
      'x-github-delivery': `start-${id}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(payload).digest('hex')}`,
    },
    body: payload,
  });
  await response.arrayBuffer();
  return response.status;
}

describe('startApp: the app as its process starts it', () => {
  // Before: nothing checked that the process hands the Redis-backed limit to the app; without it each
  // replica counts on its own, and two replicas act on 40 of one commenter's commands, not 20.
  it("with REDIS_URL, replicas count a commenter's commands together", async () => {
    const env = { REDIS_URL: redis.url, MODELGATE_TICK_SECONDS: '0' };
    const [one, two] = await Promise.all([replica(env), replica(env)]);
    try {
      for (let i = 0; i < 21; i++)
        expect(await deliver(i % 2 ? two.app : one.app, i, '/frobnicate', 'mallory')).toBe(200);
      const said = `${one.log()}${two.log()}`;
      expect(said).toContain('mallory commented more than 20 commands in 10 minutes');
      expect(said).not.toContain('the-s3cret');
    } finally {
      await Promise.all([one.app.close(), two.app.close()]);
    }
  });

  /** The clients connected to this file's Redis. */
  const clients = async () => {
    const admin = new Redis(redis.url);
    const list = (await admin.client('LIST')) as string;
    await admin.quit();
    return list.trim().split('\n').length - 1; // without this one
  };
  const eventually = async (check: () => Promise<boolean> | boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  };

  // Before: a start that failed left the scheduler's and the limit's Redis connections open (the old
  // process printed the error and kept running); now it closes them before it says why.
  it('a port it cannot have is a message, and nothing is left running', async () => {
    const { app } = await replica({});
    const before = await clients();
    const env = { REDIS_URL: redis.url, PORT: String(app.port) };
    await expect(replica(env)).rejects.toThrow(
      new RegExp(`^cannot listen on port ${app.port}: listen EADDRINUSE`),
    );
    expect(await eventually(async () => (await clients()) === before)).toBe(true);
    await expect(replica({ PORT: 'http' })).rejects.toThrow(
      'PORT is "http": set it to a port number (0 to 65535).',
    );
    await app.close();
  });

  // Before: ioredis puts the failed command on its errors, AUTH's password among its arguments, and
  // the app logged the error whole ("recovery of missed deliveries could not be scheduled").
  it('a REDIS_URL whose password Redis refuses never puts the password in the log, and close() ends', async () => {
    const stale = redis.url.replace('the-s3cret', 'old-s3cret');
    const { app, log } = await replica({ REDIS_URL: stale }, { closeTimeoutMs: 1000 });
    expect(
      await eventually(() => log().includes('recovery of missed deliveries could not be scheduled')),
    ).toBe(true);
    await deliver(app, 100, '/frobnicate', 'mallory');
    expect(log()).not.toContain('old-s3cret');
    const closing = Date.now();
    await app.close();
    expect(Date.now() - closing).toBeLessThan(5000);
    expect(log()).not.toContain('old-s3cret');
  });
});
