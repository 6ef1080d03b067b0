import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, expect, it } from 'vitest';
import { BullmqScheduler } from '../src/app/scheduler/bullmq.js';
import { startRedis } from '../test/helpers/redis.js';
import { fmt, report } from './measure.js';

const JOBS = 1000;
const REPLICAS = 3;
const CONCURRENCY = 16;
const LOCK_MS = 1000;
const KILL_AFTER_STARTS = 400;
/** Due times spread over this window: 250 jobs/s, under the 3 replicas' capacity so lag is the scheduler's own. */
const WINDOW_MS = 4000;

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/**
 * A folder from which a replica runs as its own Node process: the scheduler's
 * sources compiled as they are (no bundling), next to the project's node_modules.
 */
function replicaProgram(): string {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-replica-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  // Every module of the scheduler's folder (bullmq.ts imports its siblings: a list by hand missed lease.ts).
  for (const file of readdirSync(resolve('src/app/scheduler')).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(resolve('src/app/scheduler', file), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(dir, file.replace(/\.ts$/, '.js')), outputText);
  }
  writeFileSync(
    join(dir, 'replica.js'),
    `import { BullmqScheduler } from './bullmq.js';
const send = (message) => process.send(message);
const log = { info() {}, warn() {}, error: (fields, message) => send({ type: 'error', message, fields }) };
const scheduler = new BullmqScheduler({
  url: process.env.REDIS_URL, queueName: process.env.QUEUE, concurrency: ${CONCURRENCY},
  lockDurationMs: ${LOCK_MS}, stalledIntervalMs: ${LOCK_MS / 2}, keyBusyRetryMs: 50, log,
});
scheduler.start(async (job) => {
  send({ type: 'start', key: job.key, at: Date.now() });
  await new Promise((resolve) => setTimeout(resolve, 50)); // a GitHub round trip, roughly
  send({ type: 'done', key: job.key, at: Date.now() });
});
process.on('message', async (message) => {
  if (message === 'close') { await scheduler.close(); process.exit(0); }
});
send({ type: 'ready' });
`,
  );
  return join(dir, 'replica.js');
}

interface Event {
  type: 'ready' | 'start' | 'done' | 'error';
  key: string;
  at: number;
  replica: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

it('3 replicas on one Redis, 1,000 jobs, one replica killed mid-run: every job completes, lag p50/p99', async () => {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const program = replicaProgram();
  const queue = 'bench-replicas';
  const events: Event[] = [];
  let killedAt = 0;
  const children: ChildProcess[] = [];
  for (let replica = 0; replica < REPLICAS; replica++) {
    const child = fork(program, [], {
      env: { ...process.env, REDIS_URL: redis.url, QUEUE: queue },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message) => {
      const event = { ...(message as Omit<Event, 'replica'>), replica };
      events.push(event);
      // Killed while it runs a job (a run takes 50 ms; the signal lands well within it).
      if (
        replica === 0 &&
        event.type === 'start' &&
        killedAt === 0 &&
        events.length >= 2 * KILL_AFTER_STARTS
      ) {
        killedAt = Date.now();
        child.kill('SIGKILL');
      }
    });
    // A replica that cannot start (a module it cannot load) fails the bench at once, with why.
    child.on('exit', (code, signal) => {
      if (!events.some((e) => e.replica === replica && e.type === 'ready'))
        events.push({
          type: 'error',
          key: `replica ${replica} exited (${code ?? signal}) before it was ready`,
          at: Date.now(),
          replica,
        });
    });
    children.push(child);
    cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  }
  const deadline = Date.now() + 30_000;
  const wait = async (done: () => boolean, what: string) => {
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await wait(() => {
    const failed = events.find((e) => e.type === 'error' && e.key.startsWith('replica '));
    if (failed) throw new Error(failed.key);
    return events.filter((e) => e.type === 'ready').length === REPLICAS;
  }, 'the replicas to start');

  // The app schedules through any replica; here a producer that runs nothing itself.
  const producer = new BullmqScheduler({ url: redis.url, queueName: queue });
  cleanups.push(() => producer.close());
  const due = new Map<string, number>();
  // Due times start after scheduling ends, so the lag measures the scheduler, not the producer.
  const first = Date.now() + 3000;
  const scheduling = performance.now();
  for (let batch = 0; batch < JOBS; batch += 50)
    await Promise.all(
      Array.from({ length: 50 }, (_, j) => {
        const i = batch + j;
        const key = `judge:1:acme/models:m${i}`;
        const at = first + Math.floor((i / JOBS) * WINDOW_MS);
        due.set(key, at);
        return producer.schedule({ key, kind: 'judge', installationId: 1, data: { i } }, new Date(at));
      }),
    );
  const schedulingMs = performance.now() - scheduling;
  expect(Date.now()).toBeLessThan(first);

  await wait(() => killedAt > 0, 'the kill');
  const inFlight = new Set(
    events
      .filter((e) => e.replica === 0 && e.type === 'start')
      .map((e) => e.key)
      .filter((key) => !events.some((e) => e.replica === 0 && e.type === 'done' && e.key === key)),
  );
  const doneKeys = () => new Set(events.filter((e) => e.type === 'done').map((e) => e.key));
  await wait(() => doneKeys().size === JOBS, 'every job to complete');
  await new Promise((resolve) => setTimeout(resolve, 2 * LOCK_MS)); // time for any wrong second run
  for (const child of children.slice(1)) child.send('close');

  const starts = new Map<string, Event[]>();
  for (const e of events.filter((e) => e.type === 'start'))
    starts.set(e.key, [...(starts.get(e.key) ?? []), e]);
  const twice = [...starts].filter(([, runs]) => runs.length > 1);
  const lags = [...starts].map(([key, runs]) => runs[0]!.at - due.get(key)!).sort((a, b) => a - b);
  const takeovers = twice.map(([, runs]) => runs[1]!.at - killedAt).sort((a, b) => a - b);

  expect(doneKeys().size).toBe(JOBS);
  expect(starts.size).toBe(JOBS);
  // Only jobs running on the killed replica ran a second time, each once more.
  for (const [key, runs] of twice) {
    expect(inFlight.has(key) || runs[0]!.replica === 0).toBe(true);
    expect(runs).toHaveLength(2);
  }
  expect(twice.length).toBeGreaterThanOrEqual(1);
  expect(twice.length).toBeLessThanOrEqual(CONCURRENCY);
  expect(events.filter((e) => e.type === 'error')).toEqual([]);

  report(`scheduler, scheduling ${JOBS} jobs on Redis, 50 at a time: ${fmt(schedulingMs)}`);
  report(
    `scheduler, ${REPLICAS} replicas on Redis, ${JOBS} jobs due over ${WINDOW_MS / 1000} s, one replica SIGKILLed mid-job after about ${KILL_AFTER_STARTS} starts: ` +
      `every job completed; ${twice.length} ran a second time (in flight on the killed replica, limit ${CONCURRENCY}); ` +
      `lag due -> start p50 ${fmt(percentile(lags, 50))}, p99 ${fmt(percentile(lags, 99))}; ` +
      `takeover after the kill ${twice.length ? fmt(takeovers.at(-1)!) : 'n/a'} (lock ${LOCK_MS} ms)`,
  );
  expect(percentile(lags, 50)).toBeLessThan(250);
});
