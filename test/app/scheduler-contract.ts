import { afterEach, describe, expect, it } from 'vitest';
import {
  JobRejected,
  type Job,
  type Scheduler,
  type SchedulerLog,
  type SchedulerOptions,
} from '../../src/app/scheduler/index.js';

/** One line a scheduler logged. */
export interface LoggedLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A log that keeps its lines, for assertions. */
export function recordingLog(lines: LoggedLine[]): SchedulerLog {
  return {
    info: (fields, message) => lines.push({ level: 'info', message, fields }),
    warn: (fields, message) => lines.push({ level: 'warn', message, fields }),
    error: (fields, message) => lines.push({ level: 'error', message, fields }),
  };
}

/** How the contract drives one implementation: its own clock and its own way of letting time pass. */
export interface SchedulerHarness {
  /** A new scheduler (closed after the test) logging into `log`. */
  make(options: SchedulerOptions & { log: SchedulerLog }): Scheduler;
  /** One step of the schedule in milliseconds: big enough that jobs this far apart start in order. */
  unit: number;
  /** A time `ms` from now on the scheduler's clock. */
  inMs(ms: number): Date;
  /** Lets `ms` of the scheduler's time pass, running what falls due. */
  pass(ms: number): Promise<void>;
  /** Waits (bounded) until `check` stops throwing. */
  eventually(check: () => void | Promise<void>): Promise<void>;
}

/** A promise the test opens when it chooses. */
export function gate(): { opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export const judgeJob = (key: string, data: Record<string, unknown> = {}): Job => ({
  key,
  kind: 'judge',
  installationId: 42,
  data,
});

/**
 * The promises every Scheduler keeps (src/app/scheduler/scheduler.ts),
 * checked against one implementation.
 */
export function schedulerContract(name: string, harness: () => SchedulerHarness): void {
  describe(`${name}: the scheduler contract`, () => {
    let h: SchedulerHarness;
    let logs: LoggedLine[];
    const made: Scheduler[] = [];
    const make = (options: SchedulerOptions = {}) => {
      const scheduler = h.make({ retryDelay: () => h.unit, ...options, log: recordingLog(logs) });
      made.push(scheduler);
      return scheduler;
    };
    const setup = () => {
      h = harness();
      logs = [];
    };
    afterEach(async () => {
      await Promise.all(made.splice(0).map((scheduler) => scheduler.close()));
    });

    it('lists the jobs waiting, by kind: the current job of each key only, none that ran or were cancelled', async () => {
      setup();
      const scheduler = make();
      await scheduler.schedule(judgeJob('a', { status: 'running' }), h.inMs(100 * h.unit));
      await scheduler.schedule(judgeJob('a', { status: 'paused' }), h.inMs(200 * h.unit)); // moved
      await scheduler.schedule(judgeJob('b'), h.inMs(100 * h.unit));
      await scheduler.schedule(judgeJob('c'), h.inMs(100 * h.unit));
      await scheduler.schedule({ ...judgeJob('e'), kind: 'event' }, h.inMs(100 * h.unit));
      await scheduler.cancel('c');
      const pending = await scheduler.pending('judge', 100);
      expect(pending.map((j) => j.key).sort()).toEqual(['a', 'b']);
      expect(pending.find((j) => j.key === 'a')?.data).toEqual({ status: 'paused' });
      expect(await scheduler.pending('judge', 1)).toHaveLength(1);
      expect((await scheduler.pending('event', 100)).map((j) => j.key)).toEqual(['e']);
    });

    it('runs jobs in the order they fall due, not the order they were scheduled; a past due time runs at once', async () => {
      setup();
      const scheduler = make({ concurrency: 1 });
      const ran: string[] = [];
      await scheduler.schedule(judgeJob('overdue'), h.inMs(-60_000));
      scheduler.start(async (job) => {
        ran.push(job.key);
      });
      await h.eventually(() => expect(ran).toEqual(['overdue']));
      const base = h.inMs(0).getTime();
      await scheduler.schedule(judgeJob('c'), new Date(base + 3 * h.unit));
      await scheduler.schedule(judgeJob('a'), new Date(base + 1 * h.unit));
      await scheduler.schedule(judgeJob('b'), new Date(base + 2 * h.unit));
      await h.pass(4 * h.unit);
      await h.eventually(() => expect(ran).toEqual(['overdue', 'a', 'b', 'c']));
      await h.eventually(async () => expect(await scheduler.depth()).toBe(0));
    });

    it('hands the handler the job as scheduled: key, kind, installation and data', async () => {
      setup();
      const scheduler = make();
      const seen: Job[] = [];
      scheduler.start(async (job) => {
        seen.push(job);
      });
      const job: Job = {
        key: 'event:3f8a6c10-1a2b-11f0-8d1e-1d2c3b4a5f60',
        kind: 'event',
        installationId: 7,
        data: { name: 'deployment_status', nested: { ids: [1, 2], ok: true, note: 'ü €' } },
      };
      await scheduler.schedule(job, h.inMs(0));
      await h.eventually(() => expect(seen).toEqual([job]));
    });

    it('scheduling a key again replaces its pending job: one run, with the new data at the new time', async () => {
      setup();
      const scheduler = make();
      const ran: unknown[] = [];
      scheduler.start(async (job) => {
        ran.push(job.data);
      });
      await scheduler.schedule(judgeJob('judge:1:acme/models:bot', { interval: 1 }), h.inMs(2 * h.unit));
      await scheduler.schedule(judgeJob('judge:1:acme/models:bot', { interval: 2 }), h.inMs(8 * h.unit));
      expect(await scheduler.depth()).toBe(1);
      await h.pass(4 * h.unit);
      expect(ran).toEqual([]);
      await h.pass(5 * h.unit);
      await h.eventually(() => expect(ran).toEqual([{ interval: 2 }]));
      await h.pass(2 * h.unit);
      expect(ran).toEqual([{ interval: 2 }]);
    });

    it('cancel drops the pending job; cancelling an unknown key does nothing', async () => {
      setup();
      const scheduler = make();
      const ran: string[] = [];
      scheduler.start(async (job) => {
        ran.push(job.key);
      });
      // Due far enough out that the count is read before either could run, even on a loaded machine.
      await scheduler.schedule(judgeJob('aborted'), h.inMs(10 * h.unit));
      await scheduler.schedule(judgeJob('kept'), h.inMs(10 * h.unit));
      await scheduler.cancel('aborted');
      await scheduler.cancel('never-scheduled');
      expect(await scheduler.depth()).toBe(1);
      await h.pass(11 * h.unit);
      await h.eventually(() => expect(ran).toEqual(['kept']));
      await h.pass(2 * h.unit);
      expect(ran).toEqual(['kept']);
    });

    it('retries a handler that throws, with the backoff it is given, and counts the failures', async () => {
      setup();
      const delays: number[] = [];
      const scheduler = make({
        maxAttempts: 5,
        retryDelay: (failures) => {
          delays.push(failures);
          return h.unit;
        },
      });
      let runs = 0;
      scheduler.start(async () => {
        runs++;
        if (runs <= 2) throw new Error(`GitHub answered 502 (run ${runs})`);
      });
      await scheduler.schedule(judgeJob('flaky'), h.inMs(0));
      await h.eventually(() => expect(runs).toBe(1));
      await h.pass(h.unit * 1.5);
      await h.eventually(() => expect(runs).toBe(2));
      await h.pass(h.unit * 1.5);
      await h.eventually(() => expect(runs).toBe(3));
      expect(delays).toEqual([1, 2]);
      const retries = logs.filter((line) => line.message === 'job failed; retrying');
      expect(retries.map((line) => [line.fields.job, line.fields.attempts, line.fields.error])).toEqual([
        ['flaky', 1, 'Error: GitHub answered 502 (run 1)'],
        ['flaky', 2, 'Error: GitHub answered 502 (run 2)'],
      ]);
      await h.pass(3 * h.unit);
      expect(runs).toBe(3);
    });

    it('never drops a judgment: past maxAttempts it keeps failing loudly and is retried', async () => {
      setup();
      const scheduler = make({ maxAttempts: 2 });
      let runs = 0;
      scheduler.start(async () => {
        runs++;
        if (runs <= 4) throw new Error('GitHub answers 502');
      });
      await scheduler.schedule(judgeJob('judge:1:acme/models:bot'), h.inMs(0));
      for (let i = 0; i < 20 && runs < 5; i++) await h.pass(h.unit);
      await h.eventually(() => expect(runs).toBe(5));
      expect(logs.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
        'job keeps failing; retrying',
        'job keeps failing; retrying',
        'job keeps failing; retrying',
      ]);
      await h.eventually(async () => expect(await scheduler.depth()).toBe(0));
    });

    it("exclusive waits for a run of its key, and holds the key's jobs until it returns", async () => {
      setup();
      const scheduler = make({ concurrency: 4 });
      const events: string[] = [];
      const inRun = gate();
      scheduler.start(async (job) => {
        events.push(`run ${String(job.data.n)}`);
        if (job.data.n === 1) await inRun.opened;
        events.push(`end ${String(job.data.n)}`);
      });
      await scheduler.schedule(judgeJob('k', { n: 1 }), h.inMs(0));
      await h.eventually(() => expect(events).toEqual(['run 1']));
      const held = gate();
      const exclusive = scheduler.exclusive('k', async () => {
        events.push('hold');
        await held.opened;
        events.push('release');
        return 7;
      });
      await h.pass(h.unit);
      expect(events).toEqual(['run 1']);
      inRun.open();
      await h.eventually(() => expect(events).toEqual(['run 1', 'end 1', 'hold']));
      await scheduler.schedule(judgeJob('k', { n: 2 }), h.inMs(0));
      await h.pass(2 * h.unit);
      expect(events).toEqual(['run 1', 'end 1', 'hold']);
      held.open();
      expect(await exclusive).toBe(7);
      await h.pass(2 * h.unit);
      await h.eventually(() =>
        expect(events).toEqual(['run 1', 'end 1', 'hold', 'release', 'run 2', 'end 2']),
      );
    });

    it('drops any other job that fails on every attempt, after maxAttempts runs, and logs it as an error', async () => {
      setup();
      const scheduler = make({ maxAttempts: 3 });
      let runs = 0;
      scheduler.start(async () => {
        runs++;
        throw new Error('the metric provider is down');
      });
      await scheduler.schedule({ ...judgeJob('doomed'), kind: 'event' }, h.inMs(0));
      await h.pass(5 * h.unit);
      await h.eventually(() =>
        expect(
          logs.filter((line) => line.level === 'error').map((line) => [line.message, line.fields]),
        ).toEqual([
          [
            'job failed too often; dropped',
            expect.objectContaining({
              job: 'doomed',
              kind: 'event',
              installationId: 42,
              attempts: 3,
              error: 'Error: the metric provider is down',
            }),
          ],
        ]),
      );
      expect(runs).toBe(3);
      await h.pass(3 * h.unit);
      expect(runs).toBe(3);
      await h.eventually(async () => expect(await scheduler.depth()).toBe(0));
    });

    it('a handler returning { retryAt } runs again then, without counting as a failure', async () => {
      setup();
      const scheduler = make({ maxAttempts: 2 });
      const runs: number[] = [];
      scheduler.start(async (job) => {
        runs.push(runs.length + 1);
        // Rate-limited three times in a row: more deferrals than maxAttempts allows failures.
        if (runs.length <= 3) return { retryAt: h.inMs(h.unit) };
        expect(job.data).toEqual({ step: 25 });
      });
      await scheduler.schedule(judgeJob('budget-low', { step: 25 }), h.inMs(0));
      await h.eventually(() => expect(runs).toEqual([1]));
      await h.eventually(async () => expect(await scheduler.depth()).toBe(1));
      for (const expected of [2, 3, 4]) {
        await h.pass(h.unit);
        await h.eventually(() => expect(runs.length).toBe(expected));
      }
      await h.pass(2 * h.unit);
      expect(runs).toEqual([1, 2, 3, 4]);
      expect(logs.filter((line) => line.level !== 'info')).toEqual([]);
      await h.eventually(async () => expect(await scheduler.depth()).toBe(0));
    });

    it('a handler may schedule its own key for the next interval (a canary judging itself onward)', async () => {
      setup();
      const scheduler = make();
      const intervals: unknown[] = [];
      scheduler.start(async (job) => {
        const interval = job.data.interval as number;
        intervals.push(interval);
        if (interval < 3)
          await scheduler.schedule(judgeJob(job.key, { interval: interval + 1 }), h.inMs(h.unit));
      });
      await scheduler.schedule(judgeJob('judge:1:acme/models:bot', { interval: 1 }), h.inMs(0));
      await h.eventually(() => expect(intervals).toEqual([1]));
      await h.pass(h.unit * 1.5);
      await h.eventually(() => expect(intervals).toEqual([1, 2]));
      await h.pass(h.unit * 1.5);
      await h.eventually(() => expect(intervals).toEqual([1, 2, 3]));
      await h.pass(2 * h.unit);
      expect(intervals).toEqual([1, 2, 3]);
      await h.eventually(async () => expect(await scheduler.depth()).toBe(0));
    });

    it('never runs one key twice at once: a key scheduled while it runs waits for the run to end', async () => {
      setup();
      const scheduler = make({ concurrency: 4 });
      const first = gate();
      const events: string[] = [];
      scheduler.start(async (job) => {
        events.push(`start ${String(job.data.n)}`);
        if (job.data.n === 1) await first.opened;
        events.push(`end ${String(job.data.n)}`);
      });
      await scheduler.schedule(judgeJob('k', { n: 1 }), h.inMs(0));
      await h.eventually(() => expect(events).toEqual(['start 1']));
      await scheduler.schedule(judgeJob('k', { n: 2 }), h.inMs(0));
      await h.pass(2 * h.unit);
      expect(events).toEqual(['start 1']);
      // Waiting (on Redis it may be between a look at the busy key and its next try).
      await h.eventually(async () => expect(await scheduler.depth()).toBe(1));
      first.open();
      await h.pass(2 * h.unit);
      await h.eventually(() => expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2']));
    });

    it('a failed run is not retried when its key was scheduled again while it ran: the new schedule wins', async () => {
      setup();
      const scheduler = make({ maxAttempts: 5 });
      const first = gate();
      const ran: unknown[] = [];
      scheduler.start(async (job) => {
        ran.push(job.data.n);
        if (job.data.n === 1) {
          await first.opened;
          throw new Error('interrupted');
        }
      });
      await scheduler.schedule(judgeJob('k', { n: 1 }), h.inMs(0));
      await h.eventually(() => expect(ran).toEqual([1]));
      await scheduler.schedule(judgeJob('k', { n: 2 }), h.inMs(2 * h.unit));
      first.open();
      await h.pass(3 * h.unit);
      await h.eventually(() => expect(ran).toEqual([1, 2]));
      await h.pass(3 * h.unit);
      expect(ran).toEqual([1, 2]);
      expect(logs.map((line) => line.message)).toContain(
        'job failed; not retried: it was scheduled again or cancelled',
      );
    });

    it('runs at most `concurrency` jobs at a time and all of them in the end', async () => {
      setup();
      const scheduler = make({ concurrency: 2 });
      const release = gate();
      let running = 0;
      let most = 0;
      const done: string[] = [];
      scheduler.start(async (job) => {
        running++;
        most = Math.max(most, running);
        await release.opened;
        running--;
        done.push(job.key);
      });
      for (const key of ['a', 'b', 'c', 'd', 'e']) await scheduler.schedule(judgeJob(key), h.inMs(0));
      await h.eventually(() => expect(running).toBe(2));
      await h.pass(2 * h.unit);
      expect(running).toBe(2);
      await h.eventually(async () => expect(await scheduler.depth()).toBe(3));
      release.open();
      await h.eventually(() => expect(done.sort()).toEqual(['a', 'b', 'c', 'd', 'e']));
      expect(most).toBe(2);
    });

    it('keeps a job due in 40 days pending (past the 24.8-day limit of one timer) without running it early', async () => {
      setup();
      const scheduler = make();
      const ran: string[] = [];
      scheduler.start(async (job) => {
        ran.push(job.key);
      });
      await scheduler.schedule(judgeJob('later'), h.inMs(40 * 24 * 3600_000));
      await h.pass(2 * h.unit);
      expect(ran).toEqual([]);
      await h.eventually(async () => expect(await scheduler.depth()).toBe(1));
    });

    it('refuses jobs it could not store faithfully, with the reason', async () => {
      setup();
      const scheduler = make();
      const big = { blob: 'x'.repeat(64 * 1024) };
      await expect(scheduler.schedule(judgeJob('big', big), h.inMs(0))).rejects.toThrow(
        new JobRejected('job big: data has 65547 bytes as JSON, more than 65536'),
      );
      await expect(scheduler.schedule(judgeJob('', {}), h.inMs(0))).rejects.toThrow(
        'a job key must have 1 to 512 characters',
      );
      await expect(scheduler.schedule(judgeJob('n', { n: 10n }), h.inMs(0))).rejects.toThrow(
        'job n: data is not JSON-serialisable (Do not know how to serialize a BigInt)',
      );
      await expect(scheduler.schedule({ ...judgeJob('i'), installationId: 0 }, h.inMs(0))).rejects.toThrow(
        'job i: installationId must be a positive integer',
      );
      await expect(scheduler.schedule(judgeJob('d'), new Date('not a date'))).rejects.toThrow(
        'job d: the due time is not a valid date',
      );
      await h.eventually(async () => expect(await scheduler.depth()).toBe(0));
    });

    it('close waits for running jobs, then refuses new ones', async () => {
      setup();
      const scheduler = make();
      const release = gate();
      let finished = false;
      scheduler.start(async () => {
        await release.opened;
        finished = true;
      });
      await scheduler.schedule(judgeJob('running'), h.inMs(0));
      await h.pass(h.unit);
      let closed = false;
      const closing = scheduler.close().then(() => (closed = true));
      await h.pass(h.unit);
      expect(closed).toBe(false);
      release.open();
      await h.eventually(() => expect(closed).toBe(true));
      await closing;
      expect(finished).toBe(true);
      await expect(scheduler.schedule(judgeJob('after'), h.inMs(0))).rejects.toThrow(
        'the scheduler is closed',
      );
    });
  });
}
