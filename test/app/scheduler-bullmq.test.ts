import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfigError } from '../../src/app/config.js';
import {
  BullmqScheduler,
  createScheduler,
  EmbeddedScheduler,
  type BullmqSchedulerOptions,
  type Job,
} from '../../src/app/scheduler/index.js';
import { assertLeaseHeld } from '../../src/app/scheduler/lease.js';
import { KeyBusyError } from '../../src/app/scheduler/scheduler.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';
import { gate, judgeJob, recordingLog, schedulerContract, type LoggedLine } from './scheduler-contract.js';

let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedis();
  // BullMQ loads its scripts into Redis on first use: done here, so no test's timing pays for it.
  const warmUp = new BullmqScheduler({ url: redis.url, queueName: 'warm-up' });
  let ran = false;
  warmUp.start(async () => {
    ran = true;
  });
  await warmUp.schedule(judgeJob('warm-up'), new Date());
  await eventually(() => expect(ran).toBe(true), 30_000);
  await warmUp.close();
});
afterAll(async () => {
  await redis?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => void | Promise<void>, withinMs = 4000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(5);
    }
  }
}

let queues = 0;
/** Settings for one test's queue; short locks so a dead replica's job moves on within a second. */
const testOptions = (queueName: string): Omit<BullmqSchedulerOptions, 'url'> => ({
  queueName,
  lockDurationMs: 600,
  stalledIntervalMs: 200,
  keyBusyRetryMs: 20,
  closeTimeoutMs: 2000,
});

schedulerContract('BullMQ on Redis', () => {
  const queueName = `contract-${++queues}`;
  return {
    unit: 60,
    make: (options) => new BullmqScheduler({ ...testOptions(queueName), ...options, url: redis.url }),
    inMs: (ms) => new Date(Date.now() + ms),
    pass: async (ms) => {
      await sleep(ms);
    },
    eventually: (check) => eventually(check),
  };
});

describe('BullMQ replicas on one Redis', () => {
  it('an exclusive hold another replica keeps past twice the lock is given up with KeyBusyError, naming the key', async () => {
    const [one, two] = [1, 2].map(
      () => new BullmqScheduler({ ...testOptions('busy'), url: redis.url, keyBusyRetryMs: 50 }),
    );
    const key = 'guard:9:acme/models:bot';
    const release = gate();
    const held = gate();
    const holding = one!.exclusive(key, async () => {
      held.open();
      await release.opened;
    });
    await held.opened;
    const started = Date.now();
    const refused = await two!.exclusive(key, async () => 'ran').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(KeyBusyError);
    expect((refused as KeyBusyError).message).toBe(`${key} is busy (held for 1.2 s): try again`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1200);
    release.open();
    await holding;
    expect(await two!.exclusive(key, async () => 'ran')).toBe('ran');
    await Promise.all([one!.close(), two!.close()]);
  });

  it('a job whose hold another replica took (it stalled past the lock) writes nothing more, and says so', async () => {
    const logs: LoggedLine[] = [];
    const scheduler = new BullmqScheduler({
      ...testOptions('lease-lost'),
      url: redis.url,
      log: recordingLog(logs),
    });
    const midJob = gate();
    const resume = gate();
    const outcome: string[] = [];
    scheduler.start(async () => {
      assertLeaseHeld();
      midJob.open();
      await resume.opened; // a replica stalled (a long GC pause, a frozen VM) while it judged
      try {
        assertLeaseHeld(); // what every planned effect checks before it writes
        outcome.push('wrote');
      } catch (error) {
        outcome.push(String((error as Error).message));
      }
    });
    const key = 'judge:9:acme/models:bot';
    await scheduler.schedule(judgeJob(key), new Date());
    await midJob.opened;
    // Another replica holds the key now (as it would once this one's hold expired).
    const client = new Redis(redis.url);
    const [hold] = await client.keys(
      `*lease-lost:modelgate:running:${Buffer.from(key).toString('base64url')}`,
    );
    expect(hold).toBeDefined();
    await client.set(hold!, 'another-replica', 'PX', 60_000);
    await sleep(400); // past one renewal (every 300 ms)
    resume.open();
    await eventually(() => expect(outcome).toHaveLength(1));
    expect(outcome).toEqual([
      `lost the hold on ${key} (600 ms without a renewal): another replica may be acting on it, so this one writes nothing more`,
    ]);
    expect(logs).toContainEqual({
      level: 'error',
      message: `lost the hold on ${key}: it writes nothing more`,
      fields: { key },
    });
    expect(await client.get(hold!)).toBe('another-replica');
    await client.quit();
    await scheduler.close();
  });

  it('3 replicas, 200 jobs scheduled through each: every job runs exactly once, and every replica takes a share', async () => {
    const logs: LoggedLine[] = [];
    const options = {
      ...testOptions('replicas-600'),
      url: redis.url,
      concurrency: 8,
      log: recordingLog(logs),
    };
    const replicas = [0, 1, 2].map(() => new BullmqScheduler(options));
    const runs = new Map<string, number>();
    const byReplica = [0, 0, 0];
    replicas.forEach((replica, index) =>
      replica.start(async (job) => {
        runs.set(job.key, (runs.get(job.key) ?? 0) + 1);
        byReplica[index]!++;
        await sleep(1);
      }),
    );
    const now = Date.now();
    await Promise.all(
      replicas.map(async (replica, r) => {
        for (let i = 0; i < 200; i++)
          await replica.schedule(
            judgeJob(`judge:${r}:acme/models:m${i}`, { i }),
            new Date(now + (i % 20) * 10),
          );
      }),
    );
    await eventually(() => expect(runs.size).toBe(600), 8000);
    await sleep(300);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    expect([...runs.values()].reduce((a, b) => a + b, 0)).toBe(600);
    expect(byReplica.every((count) => count > 0)).toBe(true);
    expect(await replicas[0]!.depth()).toBe(0);
    expect(logs).toEqual([]);
    await Promise.all(replicas.map((replica) => replica.close()));
  });

  it('a replica that stops mid-job (its lock left to expire) loses the job to another, which completes it exactly once', async () => {
    const logs: LoggedLine[] = [];
    const options = {
      ...testOptions('replica-dies'),
      url: redis.url,
      closeTimeoutMs: 50,
      log: recordingLog(logs),
    };
    const dying = new BullmqScheduler(options);
    const survivor = new BullmqScheduler(options);
    const started: string[] = [];
    const completed: string[] = [];
    const never = gate();
    dying.start(async (job) => {
      started.push(`dying ${job.key}`);
      await never.opened; // hangs like a replica the kernel stopped
      completed.push(`dying ${job.key}`);
    });
    await dying.schedule(judgeJob('judge:9:acme/models:bot', { interval: 4 }), new Date());
    await eventually(() => expect(started).toEqual(['dying judge:9:acme/models:bot']));
    survivor.start(async (job) => {
      started.push(`survivor ${job.key}`);
      expect(job.data).toEqual({ interval: 4 });
      completed.push(`survivor ${job.key}`);
    });
    await dying.close(); // gives up after 50 ms: the job keeps no lock
    await eventually(() => expect(completed).toEqual(['survivor judge:9:acme/models:bot']), 5000);
    never.open(); // the dead replica's late finish changes nothing
    await sleep(400);
    expect(started).toEqual(['dying judge:9:acme/models:bot', 'survivor judge:9:acme/models:bot']);
    expect(completed).toEqual(['survivor judge:9:acme/models:bot', 'dying judge:9:acme/models:bot']);
    expect(await survivor.depth()).toBe(0);
    expect(logs).toEqual([
      {
        level: 'warn',
        message:
          'scheduler closed with jobs still running; another replica takes them over when their lock expires',
        fields: { jobs: ['judge:9:acme/models:bot'], waitedMs: 50 },
      },
    ]);
    await survivor.close();
  });

  it('3 replicas scheduling one key 150 times at once leave one pending job, which runs once', async () => {
    const options = { ...testOptions('replace-race'), url: redis.url };
    const replicas = [0, 1, 2].map(() => new BullmqScheduler(options));
    const due = new Date(Date.now() + 400);
    await Promise.all(
      replicas.flatMap((replica, r) =>
        Array.from({ length: 50 }, (_, i) =>
          replica.schedule(judgeJob('judge:1:acme/models:bot', { r, i }), due),
        ),
      ),
    );
    expect(await replicas[0]!.depth()).toBe(1);
    const runs: Job[] = [];
    replicas.forEach((replica) => replica.start(async (job) => void runs.push(job)));
    await eventually(() => expect(runs).toHaveLength(1));
    await sleep(300);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.data).toEqual({ r: expect.any(Number), i: expect.any(Number) });
    await Promise.all(replicas.map((replica) => replica.close()));
  });

  it('rescheduling a key while replicas run it never runs it twice at once, and its last schedule runs', async () => {
    const options = { ...testOptions('reschedule-running'), url: redis.url, concurrency: 4 };
    const replicas = [0, 1, 2].map(() => new BullmqScheduler(options));
    let running = 0;
    let overlapped = false;
    const seen: number[] = [];
    replicas.forEach((replica) =>
      replica.start(async (job) => {
        running++;
        if (running > 1) overlapped = true;
        await sleep(15);
        seen.push(job.data.n as number);
        running--;
      }),
    );
    for (let n = 0; n < 40; n++) {
      await replicas[n % 3]!.schedule(judgeJob('judge:1:acme/models:bot', { n }), new Date());
      await sleep(5);
    }
    await eventually(() => expect(seen.at(-1)).toBe(39), 5000);
    await sleep(200);
    expect(overlapped).toBe(false);
    expect(seen.filter((n) => n === 39)).toHaveLength(1);
    expect(await replicas[0]!.depth()).toBe(0);
    await Promise.all(replicas.map((replica) => replica.close()));
  });

  it("a schedule that Redis fails to store leaves the key's previous job current and runnable", async () => {
    const scheduler = new BullmqScheduler({ ...testOptions('failed-add'), url: redis.url });
    const ran: unknown[] = [];
    scheduler.start(async (job) => {
      ran.push(job.data);
    });
    try {
      await scheduler.schedule(
        judgeJob('judge:1:acme/models:bot', { interval: 1 }),
        new Date(Date.now() + 300),
      );
      // The add of the next schedule fails (Redis out of memory, a dropped connection): the call throws...
      const queue = (scheduler as unknown as { queue: { add: (...args: unknown[]) => Promise<unknown> } })
        .queue;
      const add = queue.add.bind(queue);
      queue.add = async () => {
        queue.add = add;
        throw new Error('OOM command not allowed when used memory > maxmemory');
      };
      await expect(
        scheduler.schedule(judgeJob('judge:1:acme/models:bot', { interval: 2 }), new Date(Date.now() + 100)),
      ).rejects.toThrow('OOM');
      // ...and the job it was to replace is still the key's: it runs when due.
      expect((await scheduler.pending('judge', 10)).map((j) => j.data)).toEqual([{ interval: 1 }]);
      await eventually(() => expect(ran).toEqual([{ interval: 1 }]));
    } finally {
      await scheduler.close();
    }
  });

  it('keeps no state behind: after its jobs ran, Redis holds no current-job or running-key entry', async () => {
    const scheduler = new BullmqScheduler({ ...testOptions('no-leftovers'), url: redis.url });
    let runs = 0;
    scheduler.start(async () => {
      runs++;
    });
    for (let i = 0; i < 20; i++) await scheduler.schedule(judgeJob(`k${i}`), new Date());
    await eventually(() => expect(runs).toBe(20));
    await sleep(100);
    const client = new Redis(redis.url);
    expect(await client.hlen('modelgate:no-leftovers:modelgate:current')).toBe(0);
    expect(await client.keys('modelgate:no-leftovers:modelgate:running:*')).toEqual([]);
    client.disconnect();
    await scheduler.close();
  });
});

describe('choosing and connecting the scheduler', () => {
  it('runs in process without REDIS_URL, on BullMQ with it', async () => {
    const embedded = createScheduler({});
    expect(embedded).toBeInstanceOf(EmbeddedScheduler);
    await embedded.close();
    const onRedis = createScheduler({ redisUrl: redis.url });
    expect(onRedis).toBeInstanceOf(BullmqScheduler);
    await onRedis.close();
  });

  it('refuses a REDIS_URL that is not a Redis URL, naming the setting and hiding its password', () => {
    expect(() => createScheduler({ redisUrl: 'https://admin:s3cret-pass@cache.internal:6379' })).toThrow(
      new AppConfigError(
        'REDIS_URL (https://admin:***@cache.internal:6379/) must start with redis:// or rediss://, or be unset to run the scheduler in process',
      ),
    );
    expect(() => createScheduler({ redisUrl: 'cache internal' })).toThrow(
      'REDIS_URL is not a URL: set it to redis://[user:password@]host:port[/db] (rediss:// for TLS), or unset it to run the scheduler in process',
    );
  });

  it('logs a refused password without the password, and fails the schedule instead of hanging', async () => {
    const guarded = await startRedis({ requirePass: 'the-right-one' });
    try {
      const logs: LoggedLine[] = [];
      const url = guarded.url.replace('the-right-one', 'hunter2-wrong');
      const scheduler = new BullmqScheduler({ url, queueName: 'auth', log: recordingLog(logs) });
      await expect(scheduler.schedule(judgeJob('k'), new Date())).rejects.toThrow();
      await eventually(() => expect(logs.length).toBeGreaterThan(0));
      expect(logs[0]).toEqual({
        level: 'error',
        message: 'Redis connection error',
        fields: {
          redis: `redis://:***@127.0.0.1:${guarded.port}`,
          error: expect.stringContaining('WRONGPASS'),
        },
      });
      expect(JSON.stringify(logs)).not.toContain('hunter2-wrong');
      await scheduler.close();
    } finally {
      await guarded.stop();
    }
  });
});
