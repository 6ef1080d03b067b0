import { DueQueue, type DueEntry } from './due-queue.js';
import { retriesForever } from './retry.js';
import {
  consoleSchedulerLog,
  defaultRetryDelay,
  dueMs,
  errorText,
  isDeferral,
  storedJob,
  type Job,
  type JobHandler,
  type Scheduler,
  type SchedulerOptions,
} from './scheduler.js';

/** The clock and the one timer the embedded scheduler uses (tests pass a fake one and wait for nothing). */
export interface SchedulerClock {
  now(): number;
  setTimer(fire: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

/** Node's clock; the timer does not keep the process alive on its own. */
const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (fire, ms) => setTimeout(fire, ms).unref(),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/** setTimeout fires at once for a delay above 2^31-1 ms (about 24.8 days): longer waits are taken in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

interface PendingJob {
  job: Job;
  failures: number;
}

interface Run {
  /** Scheduled again or cancelled while running: its retry or deferral gives way to that. */
  superseded: boolean;
  done: Promise<void>;
}

/**
 * The default scheduler: in this process, no other service. Pending jobs are
 * lost when the process ends; the app rebuilds its schedule from GitHub on
 * start. One timer is armed, for the job due first.
 */
export class EmbeddedScheduler implements Scheduler {
  private readonly pendingEntries = new Map<string, DueEntry<PendingJob>>();
  private readonly queue = new DueQueue<PendingJob>();
  private readonly running = new Map<string, Run>();
  /** Keys held by exclusive(): the tail of each key's chain of holders. */
  private readonly held = new Map<string, Promise<void>>();
  private readonly clock: SchedulerClock;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly retryDelay: (failures: number) => number;
  private readonly closeTimeoutMs: number;
  private readonly log;
  private handler: JobHandler | undefined;
  private timer: unknown;
  private seq = 0;
  private closed = false;
  private readonly manual: boolean;
  /** The runDue() call in progress: jobs due by `cutoff` run, each key once. */
  private tick: { cutoff: number; ran: Set<string>; skipped: DueEntry<PendingJob>[] } | undefined;

  constructor(options: SchedulerOptions & { clock?: SchedulerClock } = {}) {
    this.clock = options.clock ?? systemClock;
    this.manual = options.manual ?? false;
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.retryDelay = options.retryDelay ?? defaultRetryDelay;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 30_000;
    this.log = options.log ?? consoleSchedulerLog;
  }

  // async: a refused job is a rejected promise, as with the Redis scheduler.
  async schedule(job: Job, at: Date): Promise<void> {
    const stored = storedJob(job);
    const due = dueMs(stored, at);
    if (this.closed) throw new Error('the scheduler is closed');
    const run = this.running.get(stored.key);
    if (run) run.superseded = true;
    this.enqueue({ job: stored, failures: 0 }, due);
  }

  async cancel(key: string): Promise<void> {
    this.pendingEntries.delete(key);
    const run = this.running.get(key);
    if (run) run.superseded = true;
    this.arm();
  }

  start(handler: JobHandler): void {
    if (this.handler) throw new Error('the scheduler is already started');
    if (this.closed) throw new Error('the scheduler is closed');
    this.handler = handler;
    this.dispatch();
  }

  /**
   * Runs every job due now and waits for them; returns how many keys ran.
   * A job a run defers or retries into the past waits for the next call, so
   * one call always ends. With `manual`, this is the only way jobs run.
   */
  async runDue(): Promise<number> {
    if (!this.handler || this.closed || this.tick) return 0;
    const tick = { cutoff: this.clock.now(), ran: new Set<string>(), skipped: [] as DueEntry<PendingJob>[] };
    this.tick = tick;
    try {
      this.dispatch();
      while (this.running.size > 0) await Promise.race([...this.running.values()].map((run) => run.done));
    } finally {
      this.tick = undefined;
      for (const entry of tick.skipped) if (this.isLive(entry)) this.queue.push(entry);
      this.arm();
    }
    return tick.ran.size;
  }

  async exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.held.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.held.set(key, tail);
    try {
      await before;
      // A run of the key that started before the hold finishes first.
      while (this.running.has(key)) await this.running.get(key)!.done;
      return await fn();
    } finally {
      release();
      if (this.held.get(key) === tail) {
        this.held.delete(key);
        // A job of the key that fell due during the hold runs now.
        const waiting = this.pendingEntries.get(key);
        if (waiting) this.queue.push(waiting);
        this.dispatch();
      }
    }
  }

  async depth(): Promise<number> {
    return this.pendingEntries.size;
  }

  async pending(kind: Job['kind'], limit: number): Promise<Job[]> {
    const jobs: Job[] = [];
    for (const entry of this.pendingEntries.values()) {
      if (jobs.length >= limit) break;
      if (entry.value.job.kind === kind) jobs.push(entry.value.job);
    }
    return jobs;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.pendingEntries.clear();
    const runs = [...this.running.values()].map((run) => run.done);
    if (runs.length === 0) return;
    let timer: unknown;
    const timedOut = await Promise.race([
      Promise.all(runs).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = this.clock.setTimer(() => resolve(true), this.closeTimeoutMs);
      }),
    ]);
    this.clock.clearTimer(timer);
    if (timedOut)
      this.log.warn(
        { jobs: [...this.running.keys()], waitedMs: this.closeTimeoutMs },
        'scheduler closed with jobs still running; they are abandoned',
      );
  }

  private enqueue(pendingJob: PendingJob, due: number): void {
    const entry = { due, seq: this.seq++, value: pendingJob };
    this.pendingEntries.set(pendingJob.job.key, entry);
    this.queue.push(entry);
    // Rescheduling leaves the old entry in the heap; shed them before they outnumber live ones.
    if (this.queue.size > 2 * this.pendingEntries.size + 64) this.queue.retain((e) => this.isLive(e));
    this.arm();
  }

  private isLive(entry: DueEntry<PendingJob>): boolean {
    return this.pendingEntries.get(entry.value.job.key) === entry;
  }

  /** Starts every due job a free slot allows, then arms the timer for the next one. */
  private dispatch(): void {
    const handler = this.handler;
    if (!handler || this.closed || (this.manual && !this.tick)) return;
    const now = this.tick?.cutoff ?? this.clock.now();
    while (this.running.size < this.concurrency) {
      const next = this.queue.peek();
      if (!next || (this.isLive(next) && next.due > now)) break;
      this.queue.pop();
      if (!this.isLive(next)) continue;
      // A key runs once at a time (and not while held by exclusive()): this entry stays pending and
      // is queued again when the run or the hold ends.
      if (this.running.has(next.value.job.key) || this.held.has(next.value.job.key)) continue;
      if (this.tick?.ran.has(next.value.job.key)) {
        this.tick.skipped.push(next);
        continue;
      }
      this.tick?.ran.add(next.value.job.key);
      this.pendingEntries.delete(next.value.job.key);
      this.run(handler, next.value);
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    if (!this.handler || this.closed || this.manual || this.running.size >= this.concurrency) return;
    let next = this.queue.peek();
    while (next && !this.isLive(next)) {
      this.queue.pop();
      next = this.queue.peek();
    }
    if (!next) return;
    const wait = Math.min(Math.max(0, next.due - this.clock.now()), LONGEST_TIMER_MS);
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.dispatch();
    }, wait);
  }

  private run(handler: JobHandler, { job, failures }: PendingJob): void {
    const run: Run = { superseded: false, done: Promise.resolve() };
    this.running.set(job.key, run);
    run.done = (async () => {
      let outcome: { failed: unknown } | { result: unknown };
      try {
        outcome = { result: await handler(structuredClone(job)) };
      } catch (error) {
        outcome = { failed: error };
      }
      this.running.delete(job.key);
      if (this.closed) return;
      this.settle(job, failures, run.superseded, outcome);
      // A schedule made while the key ran waited for this run to end.
      const waiting = this.pendingEntries.get(job.key);
      if (waiting) this.queue.push(waiting);
      this.dispatch();
    })();
  }

  private settle(
    job: Job,
    failures: number,
    superseded: boolean,
    outcome: { failed: unknown } | { result: unknown },
  ): void {
    const fields = { job: job.key, kind: job.kind, installationId: job.installationId };
    if ('failed' in outcome) {
      const attempts = failures + 1;
      const error = errorText(outcome.failed);
      if (superseded)
        this.log.warn(
          { ...fields, attempts, error },
          'job failed; not retried: it was scheduled again or cancelled',
        );
      else if (attempts >= this.maxAttempts && !retriesForever(job))
        this.log.error({ ...fields, attempts, error }, 'job failed too often; dropped');
      else if (attempts >= this.maxAttempts) {
        const delay = this.retryDelay(attempts);
        this.log.error({ ...fields, attempts, error, retryInMs: delay }, 'job keeps failing; retrying');
        this.enqueue({ job, failures: attempts }, this.clock.now() + delay);
      } else {
        const delay = this.retryDelay(attempts);
        this.log.warn({ ...fields, attempts, error, retryInMs: delay }, 'job failed; retrying');
        this.enqueue({ job, failures: attempts }, this.clock.now() + delay);
      }
    } else if (isDeferral(outcome.result) && !superseded) {
      this.enqueue({ job, failures }, outcome.result.retryAt.getTime());
    }
  }
}
