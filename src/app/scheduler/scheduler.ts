/** One unit of the app's work. `key` identifies it: one pending job per key (scheduling a key again moves it). */
export interface Job {
  key: string; // e.g. "judge:<installation>:<owner>/<repo>:<model>" or "event:<delivery id>"
  /** A canary's judgment, a production guard's judgment, a queued webhook event, or the recovery the app runs on start. */
  kind: 'judge' | 'guard' | 'event' | 'recover';
  installationId: number;
  data: Record<string, unknown>; // JSON-serialisable, small (< 64 KiB, enforce)
}

/** What a handler may return: run the same job again at `retryAt` (a deferral, not a failure). */
export interface Deferral {
  retryAt: Date;
}

/** exclusive() gave up waiting for a key another holder keeps (on Redis: across replicas). */
export class KeyBusyError extends Error {
  constructor(
    readonly key: string,
    heldMs: number,
  ) {
    super(`${key} is busy (held for ${heldMs / 1000} s): try again`);
    this.name = 'KeyBusyError';
  }
}

/** Runs one job. Throwing retries it with backoff; returning a Deferral runs it again later. */
export type JobHandler = (job: Job) => Promise<void | Deferral>;

/**
 * The app's schedule of work. Both implementations (embedded, BullMQ) keep
 * these promises, checked by one contract test:
 * - one pending job per key; scheduling a key again replaces its job and due time;
 * - never two runs of one key at a time: a key scheduled while it runs waits for the run to end;
 * - a run that was replaced or cancelled while it ran is not retried or deferred (the newer schedule wins).
 */
export interface Scheduler {
  /** Runs `job` at `at` (now or past = as soon as possible). Replaces a pending job with the same key. */
  schedule(job: Job, at: Date): Promise<void>;
  /** Drops the pending job with this key (a running one finishes). */
  cancel(key: string): Promise<void>;
  /** Starts running due jobs with `handler`, at most `concurrency` at a time in this process. A handler
   *  that throws is retried with backoff (bounded attempts, then logged and dropped); a handler may
   *  return { retryAt } to be run again later (rate-limit deferral) without counting as a failure. */
  start(handler: JobHandler): void;
  /**
   * Runs `fn` while no job of `key` runs, and keeps the key's jobs from
   * starting until it returns (on Redis: across replicas). For work outside
   * the schedule that changes what a key's job reads and writes (a ChatOps
   * command on a canary), so the two never interleave.
   */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Jobs waiting, for the queue-depth gauge. */
  depth(): Promise<number>;
  /** Up to `limit` jobs of one kind waiting to run (not running ones), for the gauges of live canaries. */
  pending(kind: Job['kind'], limit: number): Promise<Job[]>;
  /** Runs the jobs due now and waits for them, returning how many ran (POST /modelgate/tick).
   *  Only the embedded scheduler has it: on Redis, the replicas' workers run jobs at their due times. */
  runDue?(): Promise<number>;
  /** Stops taking jobs, waits for running ones (bounded), releases resources. */
  close(): Promise<void>;
}

/** Where the scheduler reports dropped jobs and connection trouble (pino's and Probot's loggers fit). */
export interface SchedulerLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Settings both implementations share. */
export interface SchedulerOptions {
  /** Jobs running at once in this process (default 4). */
  concurrency?: number;
  /** Runs of a job before a failing one is dropped, the first included (default 5). */
  maxAttempts?: number;
  /** Milliseconds before attempt `failures + 1`, after `failures` failed runs (default: 1 s, doubling, at most 5 min). */
  retryDelay?: (failures: number) => number;
  /** How long close() waits for running jobs before it abandons them (default 30 s). */
  closeTimeoutMs?: number;
  log?: SchedulerLog;
  /** Embedded only: no timer runs jobs; only runDue() does (MODELGATE_TICK_SECONDS=0, a cron job drives the app). */
  manual?: boolean;
}

/** The longest key a job may have: keys are built by the app, and a longer one is a bug. */
const MAX_JOB_KEY_LENGTH = 512;
/** The most a job's `data` may weigh as JSON (UTF-8 bytes): jobs carry references, not documents. */
const MAX_JOB_DATA_BYTES = 64 * 1024;

const JOB_KINDS: readonly Job['kind'][] = ['judge', 'guard', 'event', 'recover'];

/** A job the app built wrongly (a bug in the caller, not user input): it is refused, never stored. */
export class JobRejected extends Error {
  override readonly name = 'JobRejected';
}

/**
 * The job as it will be stored and handed to the handler: checked, and its
 * data a JSON copy (so both modes give handlers the same plain values, and a
 * caller mutating its object later changes nothing). Throws JobRejected.
 */
export function storedJob(job: Job): Job {
  if (typeof job.key !== 'string' || job.key.length === 0 || job.key.length > MAX_JOB_KEY_LENGTH)
    throw new JobRejected(`a job key must have 1 to ${MAX_JOB_KEY_LENGTH} characters`);
  if (!JOB_KINDS.includes(job.kind))
    throw new JobRejected(`job ${job.key}: kind must be one of ${JOB_KINDS.join(', ')}`);
  if (!Number.isSafeInteger(job.installationId) || job.installationId <= 0)
    throw new JobRejected(`job ${job.key}: installationId must be a positive integer`);
  if (typeof job.data !== 'object' || job.data === null || Array.isArray(job.data))
    throw new JobRejected(`job ${job.key}: data must be an object`);
  let json: string;
  try {
    json = JSON.stringify(job.data);
  } catch (error) {
    throw new JobRejected(
      `job ${job.key}: data is not JSON-serialisable (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_JOB_DATA_BYTES)
    throw new JobRejected(`job ${job.key}: data has ${bytes} bytes as JSON, more than ${MAX_JOB_DATA_BYTES}`);
  return {
    key: job.key,
    kind: job.kind,
    installationId: job.installationId,
    data: JSON.parse(json) as Record<string, unknown>,
  };
}

/** A due time as epoch milliseconds; an invalid Date is a bug in the caller. */
export function dueMs(job: Job, at: Date): number {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new JobRejected(`job ${job.key}: the due time is not a valid date`);
  return ms;
}

/** Exponential backoff: 1 s after the first failure, doubling, at most 5 minutes. */
export function defaultRetryDelay(failures: number): number {
  return Math.min(1000 * 2 ** Math.max(0, failures - 1), 5 * 60_000);
}

/** Whether a handler's result asks to run the job again later. */
export function isDeferral(result: unknown): result is Deferral {
  return (
    typeof result === 'object' &&
    result !== null &&
    (result as { retryAt?: unknown }).retryAt instanceof Date &&
    Number.isFinite((result as Deferral).retryAt.getTime())
  );
}

/** The default log: one JSON line on stderr per event. */
export const consoleSchedulerLog: SchedulerLog = {
  info: (fields, message) => console.error(JSON.stringify({ level: 'info', message, ...fields })),
  warn: (fields, message) => console.error(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (fields, message) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};

/** An error as a log field: its message, never a stack or the objects it holds. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
