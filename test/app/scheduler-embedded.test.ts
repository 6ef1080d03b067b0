import { describe, expect, it } from 'vitest';
import { EmbeddedScheduler, type SchedulerClock } from '../../src/app/scheduler/embedded.js';
import { judgeJob, recordingLog, schedulerContract, type LoggedLine } from './scheduler-contract.js';

/** Lets queued callbacks and promise chains run (no time passes). */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A clock that moves only when the test says so; it records every timer it was asked for. */
class FakeClock implements SchedulerClock {
  time = Date.UTC(2025, 10, 22, 9, 0, 0);
  readonly requested: number[] = [];
  private readonly timers = new Map<number, { at: number; fire: () => void }>();
  private ids = 0;
  now = () => this.time;
  setTimer = (fire: () => void, ms: number) => {
    this.requested.push(ms);
    const id = ++this.ids;
    this.timers.set(id, { at: this.time + ms, fire });
    return id;
  };
  clearTimer = (id: unknown) => {
    this.timers.delete(id as number);
  };
  get pendingTimers(): number {
    return this.timers.size;
  }
  /** Moves time forward by `ms`, firing each timer at its time, letting the work it starts run. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (let fired = 0; fired < 10_000; fired++) {
      await flush();
      let next: [number, { at: number; fire: () => void }] | undefined;
      for (const entry of this.timers)
        if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].fire();
    }
    this.time = end;
    await flush();
  }
}

schedulerContract('embedded', () => {
  const clock = new FakeClock();
  return {
    unit: 1000,
    make: (options) => new EmbeddedScheduler({ ...options, clock }),
    inMs: (ms) => new Date(clock.now() + ms),
    pass: (ms) => clock.advance(ms),
    eventually: async (check) => {
      // Lets no time pass, but fires what is due now and lets its work run.
      for (let i = 0; ; i++) {
        await clock.advance(0);
        try {
          await check();
          return;
        } catch (error) {
          if (i >= 10) throw error;
        }
      }
    },
  };
});

describe('the embedded scheduler', () => {
  it('waits for a job 40 days away in steps no timer overflows, and runs it on the day', async () => {
    const clock = new FakeClock();
    const scheduler = new EmbeddedScheduler({ clock });
    const ran: number[] = [];
    scheduler.start(async () => {
      ran.push(clock.now());
    });
    const due = clock.now() + 40 * 24 * 3600_000;
    await scheduler.schedule(judgeJob('later'), new Date(due));
    await clock.advance(39 * 24 * 3600_000);
    expect(ran).toEqual([]);
    await clock.advance(24 * 3600_000);
    expect(ran).toEqual([due]);
    expect(Math.max(...clock.requested)).toBe(2 ** 31 - 1);
    await scheduler.close();
  });

  it('keeps one timer, for the job due first, and none when nothing is pending', async () => {
    const clock = new FakeClock();
    const scheduler = new EmbeddedScheduler({ clock });
    scheduler.start(async () => {});
    for (let i = 0; i < 100; i++)
      await scheduler.schedule(judgeJob(`k${i}`), new Date(clock.now() + (100 - i) * 1000));
    expect(clock.pendingTimers).toBe(1);
    expect(clock.requested.at(-1)).toBe(1000);
    await clock.advance(101_000);
    expect(await scheduler.depth()).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    await scheduler.close();
  });

  it('rescheduling one key 10,000 times keeps one pending job and its heap small', async () => {
    const clock = new FakeClock();
    const scheduler = new EmbeddedScheduler({ clock });
    const ran: unknown[] = [];
    scheduler.start(async (job) => {
      ran.push(job.data.n);
    });
    for (let n = 0; n < 10_000; n++)
      await scheduler.schedule(judgeJob('k', { n }), new Date(clock.now() + 60_000 + n));
    expect(await scheduler.depth()).toBe(1);
    expect((scheduler as unknown as { queue: { size: number } }).queue.size).toBeLessThanOrEqual(
      2 * 1 + 64 + 1,
    );
    await clock.advance(120_000);
    expect(ran).toEqual([9_999]);
    await scheduler.close();
  });

  it('close gives up on a job that never ends after closeTimeoutMs, and says so', async () => {
    const clock = new FakeClock();
    const logs: LoggedLine[] = [];
    const scheduler = new EmbeddedScheduler({ clock, closeTimeoutMs: 5000, log: recordingLog(logs) });
    scheduler.start(() => new Promise<void>(() => {}));
    await scheduler.schedule(judgeJob('stuck'), new Date(clock.now()));
    await clock.advance(0);
    let closed = false;
    void scheduler.close().then(() => (closed = true));
    await clock.advance(4999);
    expect(closed).toBe(false);
    await clock.advance(1);
    expect(closed).toBe(true);
    expect(logs).toEqual([
      {
        level: 'warn',
        message: 'scheduler closed with jobs still running; they are abandoned',
        fields: { jobs: ['stuck'], waitedMs: 5000 },
      },
    ]);
  });

  it('a job cancelled while it runs is not retried when it fails', async () => {
    const clock = new FakeClock();
    const logs: LoggedLine[] = [];
    const scheduler = new EmbeddedScheduler({ clock, retryDelay: () => 1000, log: recordingLog(logs) });
    let runs = 0;
    let fail = () => {};
    scheduler.start(() => {
      runs++;
      return new Promise<void>((_, reject) => (fail = () => reject(new Error('aborted mid-run'))));
    });
    await scheduler.schedule(judgeJob('k'), new Date(clock.now()));
    await clock.advance(0);
    await scheduler.cancel('k');
    fail();
    await clock.advance(10_000);
    expect(runs).toBe(1);
    expect(logs.map((line) => line.message)).toEqual([
      'job failed; not retried: it was scheduled again or cancelled',
    ]);
    await scheduler.close();
  });

  it('manual (MODELGATE_TICK_SECONDS=0): nothing runs by itself; runDue runs what is due, each key once, and counts it', async () => {
    const clock = new FakeClock();
    const scheduler = new EmbeddedScheduler({ clock, manual: true, concurrency: 2 });
    const ran: string[] = [];
    scheduler.start(async (job) => {
      ran.push(job.key);
      // Deferred into the past: waits for the next call instead of looping in this one.
      if (job.key === 'rate-limited') return { retryAt: new Date(clock.now() - 1) };
    });
    for (const key of ['a', 'b', 'c', 'rate-limited'])
      await scheduler.schedule(judgeJob(key), new Date(clock.now()));
    await scheduler.schedule(judgeJob('tomorrow'), new Date(clock.now() + 86_400_000));
    await clock.advance(3_600_000);
    expect(ran).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
    expect(await scheduler.runDue()).toBe(4);
    expect(ran.sort()).toEqual(['a', 'b', 'c', 'rate-limited']);
    expect(await scheduler.depth()).toBe(2);
    expect(await scheduler.runDue()).toBe(1);
    expect(ran.filter((key) => key === 'rate-limited')).toHaveLength(2);
    await scheduler.close();
  });
});
