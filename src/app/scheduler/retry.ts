import type { Job } from './scheduler.js';

/**
 * Whether a failing job is retried however often it fails. A canary's
 * judgment is: nothing scans for canaries, so a dropped judgment would leave
 * a canary at its traffic step with no one looking. It keeps failing loudly
 * (an error line after the usual attempts, the failing-judgments alert) and
 * is retried at the longest backoff until the cause is fixed.
 */
export function retriesForever(job: Job): boolean {
  return job.kind === 'judge';
}
