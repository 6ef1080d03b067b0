import { DelayedError, Queue, Worker, type Job as BullJob } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { withLease, type Lease } from './lease.js';
import { retriesForever } from './retry.js';
import {
  consoleSchedulerLog,
  defaultRetryDelay,
  dueMs,
  errorText,
  isDeferral,
  KeyBusyError,
  storedJob,
  type Job,
  type JobHandler,
  type Scheduler,
  type SchedulerLog,
  type SchedulerOptions,
} from './scheduler.js';

/** Settings of the scheduler on Redis; every replica of the app must use the same queue and prefix. */
export interface BullmqSchedulerOptions extends SchedulerOptions {
  /** REDIS_URL: redis://[user:password@]host:port[/db], or rediss:// for TLS. */
  url: string;
  /** BullMQ queue name (default "modelgate"). */
  queueName?: string;
  /** Prefix of every Redis key (default "modelgate"). */
  prefix?: string;
  /** How long a replica holds a running job without renewing; a dead replica's job moves on after it (default 30 s). */
  lockDurationMs?: number;
  /** How often replicas look for jobs whose lock expired (default 30 s). */
  stalledIntervalMs?: number;
  /** How long a job waits when its key is running elsewhere before it looks again (default 1 s). */
  keyBusyRetryMs?: number;
}

/** A Redis URL fit for a log line: the password replaced by `***`. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparseable URL)';
  }
}

// The job id names its key (base64url: BullMQ forbids ':' in ids, and a key may hold any text)
// and a generation drawn from one counter, so every schedule of a key is a new job.
const SCHEDULE = `
local generation = redis.call('INCR', KEYS[2])
local jobId = ARGV[2] .. '.' .. generation
local previous = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], jobId)
return {jobId, previous or ''}`;
const RESTORE_IF_CURRENT = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
if ARGV[3] == '' then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])`;
const DELETE_IF_CURRENT = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;
const HOLD_KEY = `
local holder = redis.call('GET', KEYS[1])
if not holder or holder == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
const RELEASE_KEY = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/**
 * The scheduler for N identical replicas: BullMQ on Redis.
 *
 * Redis holds, besides BullMQ's queue, a hash from each key to the id of its
 * current job. Scheduling draws a new job id and makes it current in one
 * script, then adds the delayed job and removes the one it replaced; a job
 * that is not current when it starts (replaced or cancelled, also when the
 * removal lost a race with a worker) ends without running. A lease per key
 * keeps two replicas from running one key at once. A replica that dies stops
 * renewing its BullMQ lock: after `lockDurationMs` another replica's stalled
 * check puts the job back and it runs again there (handlers are idempotent).
 */
export class BullmqScheduler implements Scheduler {
  private readonly redis: Redis;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private workerRedis: Redis | undefined;
  private readonly currentKey: string;
  private readonly generationKey: string;
  private readonly holdPrefix: string;
  /** Handlers running in this process, by job id. */
  private readonly running = new Map<string, { key: string; run: Promise<unknown> }>();
  private readonly log: SchedulerLog;
  private readonly maxAttempts: number;
  private closed = false;
  /** close() gave up waiting: running handlers belong to another replica now. */
  private abandoned = false;
  private lastConnectionError = '';

  constructor(private readonly options: BullmqSchedulerOptions) {
    const queueName = options.queueName ?? 'modelgate';
    const prefix = options.prefix ?? 'modelgate';
    this.log = options.log ?? consoleSchedulerLog;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.currentKey = `${prefix}:${queueName}:modelgate:current`;
    this.generationKey = `${prefix}:${queueName}:modelgate:generation`;
    this.holdPrefix = `${prefix}:${queueName}:modelgate:running:`;
    // Calls from webhook handlers fail after a few reconnect attempts instead of waiting forever.
    this.redis = this.connect({ maxRetriesPerRequest: 2 });
    this.queue = new Queue(queueName, { connection: this.redis, prefix });
    this.queue.on('error', (error) => this.connectionError(error));
  }

  async schedule(job: Job, at: Date): Promise<void> {
    const stored = storedJob(job);
    const due = dueMs(stored, at);
    if (this.closed) throw new Error('the scheduler is closed');
    await this.onRedis(() => this.store(stored, due));
  }

  /** schedule()'s Redis half: the key's new job made current, then added to the queue. */
  private async store(stored: Job, due: number): Promise<void> {
    const [jobId, previous] = (await this.redis.eval(
      SCHEDULE,
      2,
      this.currentKey,
      this.generationKey,
      stored.key,
      base64url(stored.key),
    )) as [string, string];
    try {
      await this.queue.add(stored.kind, stored, {
        jobId,
        delay: Math.max(0, due - Date.now()),
        attempts: retriesForever(stored) ? Number.MAX_SAFE_INTEGER : this.maxAttempts,
        backoff: { type: 'modelgate' },
        removeOnComplete: true,
        removeOnFail: { count: 1000 },
      });
    } catch (error) {
      // The job was never stored: the key's previous job stays current, as if this call had not happened.
      await this.redis
        .eval(RESTORE_IF_CURRENT, 1, this.currentKey, stored.key, jobId, previous)
        .catch((restoreError: unknown) => this.connectionError(restoreError));
      throw error;
    }
    if (previous) await this.removePending(previous);
    // A schedule of the same key that ran between the script and the add made this job stale already.
    if ((await this.redis.hget(this.currentKey, stored.key)) !== jobId) await this.removePending(jobId);
  }

  async cancel(key: string): Promise<void> {
    await this.onRedis(async () => {
      const previous = await this.redis.hget(this.currentKey, key);
      if (!previous) return;
      await this.redis.eval(DELETE_IF_CURRENT, 1, this.currentKey, key, previous);
      await this.removePending(previous);
    });
  }

  start(handler: JobHandler): void {
    if (this.worker) throw new Error('the scheduler is already started');
    if (this.closed) throw new Error('the scheduler is closed');
    const retryDelay = this.options.retryDelay ?? defaultRetryDelay;
    // BullMQ's workers block on Redis and must never give up a command.
    this.workerRedis = this.connect({ maxRetriesPerRequest: null });
    this.worker = new Worker(
      this.queue.name,
      (bullJob: BullJob, token?: string) => this.process(handler, bullJob, token),
      {
        connection: this.workerRedis,
        prefix: this.options.prefix ?? 'modelgate',
        concurrency: Math.max(1, this.options.concurrency ?? 4),
        lockDuration: this.options.lockDurationMs ?? 30_000,
        stalledInterval: this.options.stalledIntervalMs ?? 30_000,
        // A job may outlive two dead replicas; a third stall means it kills its runner, so it fails.
        maxStalledCount: 2,
        settings: { backoffStrategy: (attemptsMade: number) => retryDelay(attemptsMade) },
      },
    );
    this.worker.on('error', (error) => this.connectionError(error));
  }

  async depth(): Promise<number> {
    return this.onRedis(() => this.queue.count());
  }

  async pending(kind: Job['kind'], limit: number): Promise<Job[]> {
    return this.onRedis(() => this.pendingJobs(kind, limit));
  }

  private async pendingJobs(kind: Job['kind'], limit: number): Promise<Job[]> {
    const jobs = await this.queue.getJobs(['delayed', 'waiting', 'prioritized'], 0, Math.max(0, limit - 1));
    // A replaced job may linger until it is reached: only the key's current job counts.
    const current = await this.redis.hgetall(this.currentKey);
    return jobs
      .filter((job) => job?.name === kind && current[(job.data as Job).key] === job.id)
      .map((job) => job.data as Job);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // At most closeTimeoutMs in all, Redis answering or not (a worker's pause waits on Redis for ever).
    const timeout = this.options.closeTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeout)));
    if (this.worker) {
      const worker = this.worker;
      const finished = await Promise.race([
        (async () => {
          await worker.pause(true).catch((error: unknown) => this.connectionError(error));
          await Promise.allSettled([...this.running.values()].map((entry) => entry.run));
          return true;
        })(),
        deadline,
      ]);
      if (!finished)
        this.log.warn(
          { jobs: [...this.running.values()].map((entry) => entry.key), waitedMs: timeout },
          'scheduler closed with jobs still running; another replica takes them over when their lock expires',
        );
      // Forced: a job still running keeps no lock, so the stalled check hands it to another replica.
      this.abandoned = !finished;
      await Promise.race([
        worker.close(!finished).catch((error: unknown) => this.connectionError(error)),
        deadline,
      ]);
    }
    await Promise.race([this.queue.close().catch((error: unknown) => this.connectionError(error)), deadline]);
    clearTimeout(timer);
    this.redis.disconnect();
    this.workerRedis?.disconnect();
  }

  /** Runs one BullMQ job: skipped when stale, delayed when its key is running elsewhere. */
  private async process(handler: JobHandler, bullJob: BullJob, token: string | undefined): Promise<void> {
    const jobId = bullJob.id ?? '';
    let job: Job;
    try {
      job = storedJob(bullJob.data as Job);
    } catch (error) {
      this.log.error({ jobId, error: errorText(error) }, 'job in Redis is malformed; dropped');
      return;
    }
    if (!(await this.isCurrent(job.key, jobId))) return;
    const fields = { job: job.key, kind: job.kind, installationId: job.installationId, jobId };
    const hold = `${this.holdPrefix}${base64url(job.key)}`;
    const lockMs = this.options.lockDurationMs ?? 30_000;
    if ((await this.redis.eval(HOLD_KEY, 1, hold, jobId, lockMs)) !== 1) {
      await bullJob.moveToDelayed(Date.now() + (this.options.keyBusyRetryMs ?? 1000), token);
      throw new DelayedError();
    }
    let lease: Lease | undefined;
    const renew = setInterval(() => this.renew(hold, jobId, lockMs, () => lease), lockMs / 2);
    let result: unknown;
    let failure: { error: unknown } | undefined;
    const run = withLease(
      job.key,
      async () => handler(job),
      (taken) => (lease = taken),
    );
    this.running.set(jobId, { key: job.key, run });
    try {
      result = await run;
    } catch (error) {
      failure = { error };
    } finally {
      clearInterval(renew);
      this.running.delete(jobId);
    }
    // Abandoned by close(): another replica owns the job now; touch nothing.
    if (this.abandoned) return;
    await this.redis.eval(RELEASE_KEY, 1, hold, jobId);
    const current = await this.isCurrent(job.key, jobId);
    if (failure) {
      const attempts = bullJob.attemptsMade + 1;
      const error = errorText(failure.error);
      if (!current) {
        this.log.warn(
          { ...fields, attempts, error },
          'job failed; not retried: it was scheduled again or cancelled',
        );
        return;
      }
      if (attempts >= this.maxAttempts && !retriesForever(job)) {
        this.log.error({ ...fields, attempts, error }, 'job failed too often; dropped');
        await this.redis.eval(DELETE_IF_CURRENT, 1, this.currentKey, job.key, jobId);
      } else if (attempts >= this.maxAttempts)
        this.log.error({ ...fields, attempts, error }, 'job keeps failing; retrying');
      else this.log.warn({ ...fields, attempts, error }, 'job failed; retrying');
      throw failure.error;
    }
    if (current && isDeferral(result)) {
      await bullJob.moveToDelayed(result.retryAt.getTime(), token);
      throw new DelayedError();
    }
    await this.redis.eval(DELETE_IF_CURRENT, 1, this.currentKey, job.key, jobId);
  }

  async exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    // The same lease a running job of the key holds: taken when free, renewed while `fn` runs.
    const hold = `${this.holdPrefix}${base64url(key)}`;
    const holder = `exclusive.${randomUUID()}`;
    const lockMs = this.options.lockDurationMs ?? 30_000;
    const retryMs = Math.min(200, this.options.keyBusyRetryMs ?? 1000);
    const deadline = Date.now() + 2 * lockMs;
    while ((await this.onRedis(() => this.redis.eval(HOLD_KEY, 1, hold, holder, lockMs))) !== 1) {
      if (Date.now() > deadline) throw new KeyBusyError(key, 2 * lockMs);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
    let lease: Lease | undefined;
    const renew = setInterval(() => this.renew(hold, holder, lockMs, () => lease), lockMs / 2);
    try {
      return await withLease(key, fn, (taken) => (lease = taken));
    } finally {
      clearInterval(renew);
      await this.redis
        .eval(RELEASE_KEY, 1, hold, holder)
        .catch((error: unknown) => this.connectionError(error));
    }
  }

  /** Renews a hold; one another holder took (this replica stalled past it) marks the work's lease lost. */
  private renew(hold: string, holder: string, lockMs: number, lease: () => Lease | undefined): void {
    this.redis.eval(HOLD_KEY, 1, hold, holder, lockMs).then(
      (renewed) => {
        const running = lease();
        if (renewed === 1 || !running || running.lost) return;
        running.lost = `${lockMs} ms without a renewal`;
        this.log.error({ key: running.key }, `lost the hold on ${running.key}: it writes nothing more`);
      },
      (error: unknown) => this.connectionError(error),
    );
  }

  private async isCurrent(key: string, jobId: string): Promise<boolean> {
    return (await this.redis.hget(this.currentKey, key)) === jobId;
  }

  /** Removes a job that is waiting or delayed; a running one is left to finish (it is no longer current). */
  private async removePending(jobId: string): Promise<void> {
    await this.queue.remove(jobId);
  }

  private connect(options: { maxRetriesPerRequest: number | null }): Redis {
    const redis = new Redis(this.options.url, options);
    redis.on('error', (error: unknown) => this.connectionError(error));
    return redis;
  }

  /**
   * Runs Redis commands for a caller outside the scheduler. A failure is rethrown as a plain Error
   * with the redacted text: ioredis attaches the failed command with its arguments, AUTH's password
   * among them, and whoever logs the error (Probot, a handler) would log that too.
   */
  private async onRedis<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof KeyBusyError) throw error;
      throw new Error(`Redis: ${this.redacted(error)}`);
    }
  }

  /** An error's text without the URL's password. */
  private redacted(error: unknown): string {
    const message = errorText(error);
    let password = '';
    try {
      password = decodeURIComponent(new URL(this.options.url).password);
    } catch {
      // not a URL: nothing to hide
    }
    return password ? message.split(password).join('***') : message;
  }

  /** Logs a connection error once per distinct message, never with the URL's password. */
  private connectionError(error: unknown): void {
    // Closing ends connections with commands in flight (a forced close above all): not news.
    if (this.closed) return;
    const message = this.redacted(error);
    if (message === this.lastConnectionError) return;
    this.lastConnectionError = message;
    this.log.error({ redis: redactRedisUrl(this.options.url), error: message }, 'Redis connection error');
  }
}
