import { AppConfigError } from '../config.js';
import { BullmqScheduler, redactRedisUrl } from './bullmq.js';
import { EmbeddedScheduler } from './embedded.js';
import type { Scheduler, SchedulerOptions } from './scheduler.js';

export type { Deferral, Job, JobHandler, Scheduler, SchedulerLog, SchedulerOptions } from './scheduler.js';
export { JobRejected } from './scheduler.js';
export { BullmqScheduler, type BullmqSchedulerOptions } from './bullmq.js';
export { EmbeddedScheduler, type SchedulerClock } from './embedded.js';

/** What chooses and tunes the scheduler (from the app's environment). */
export interface SchedulerConfig extends SchedulerOptions {
  /** REDIS_URL: set, the app runs on BullMQ and any number of replicas may share the work; unset, in process. */
  redisUrl?: string;
}

/**
 * The app's scheduler: BullMQ on Redis when REDIS_URL is set, else the
 * embedded one. A REDIS_URL that is not a redis:// or rediss:// URL throws
 * AppConfigError (the message shows it without its password).
 */
export function createScheduler(config: SchedulerConfig): Scheduler {
  const { redisUrl, ...options } = config;
  if (!redisUrl) return new EmbeddedScheduler(options);
  let protocol: string;
  try {
    protocol = new URL(redisUrl).protocol;
  } catch {
    throw new AppConfigError(
      'REDIS_URL is not a URL: set it to redis://[user:password@]host:port[/db] (rediss:// for TLS), or unset it to run the scheduler in process',
    );
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:')
    throw new AppConfigError(
      `REDIS_URL (${redactRedisUrl(redisUrl)}) must start with redis:// or rediss://, or be unset to run the scheduler in process`,
    );
  return new BullmqScheduler({ ...options, url: redisUrl });
}
