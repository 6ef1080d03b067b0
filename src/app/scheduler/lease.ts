import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The hold a running job, or an exclusive section, has on its key across
 * replicas (BullMQ's scheduler renews it while the work runs). `lost` says
 * why it is gone: a replica that stalled past the hold's duration finds
 * another replica holding the key, which may be acting on the same rollout.
 */
export interface Lease {
  key: string;
  lost?: string;
  /** The hold this one was taken inside (a promotion holds the canary, then the guard). */
  outer?: Lease;
}

/** A job that lost its hold: nothing more is written; the job's retry, on whichever replica holds the key, resumes. */
export class LeaseLostError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(
      `lost the hold on ${key} (${reason}): another replica may be acting on it, so this one writes nothing more`,
    );
    this.name = 'LeaseLostError';
  }
}

const held = new AsyncLocalStorage<Lease>();

/** Runs `fn` holding `key`: the lease it returns through `onLease` is marked lost by the scheduler. */
export function withLease<T>(key: string, fn: () => Promise<T>, onLease: (lease: Lease) => void): Promise<T> {
  const lease: Lease = { key, ...(held.getStore() ? { outer: held.getStore() } : {}) };
  onLease(lease);
  return held.run(lease, fn);
}

/**
 * Throws LeaseLostError when the work running this code lost a hold it
 * runs under; called before each side effect of a planned step. Outside any
 * lease (one replica, the in-process scheduler) it does nothing.
 */
export function assertLeaseHeld(): void {
  for (let lease = held.getStore(); lease; lease = lease.outer)
    if (lease.lost) throw new LeaseLostError(lease.key, lease.lost);
}
