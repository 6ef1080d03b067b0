// Each production guard has a job of its own (so a newer release's guard never replaces a
// rolled-back guard's look), and every guard job runs under its model's lock, which promotions
// and ChatOps take too (test/app/guard-race.test.ts shows the order it keeps with a real app).
import type { Probot } from 'probot';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createAppMetrics } from '../../src/app/metrics.js';
import { RateBudget } from '../../src/app/rate-budget.js';
import { KeyBusyError, type Job, type Scheduler } from '../../src/app/scheduler/scheduler.js';
import { appWork } from '../../src/app/work.js';
import { STATE_KEY } from '../helpers/canary-app.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const repo = { owner: 'acme', repo: 'models' };

/** The app's work on a scheduler that records what it is asked, and whose locks are held elsewhere. */
function workOn(exclusive: Scheduler['exclusive']) {
  const scheduled: { key: string; at: Date }[] = [];
  const warnings: string[] = [];
  const scheduler = {
    exclusive,
    schedule: async (job: Job, at: Date) => void scheduled.push({ key: job.key, at }),
    cancel: async () => undefined,
  } as unknown as Scheduler;
  const unused = () => Promise.reject(new Error('not used here'));
  const work = appWork({
    app: { log: { warn: (message: string) => warnings.push(message) } } as unknown as Probot,
    scheduler,
    config: {},
    stateKey: STATE_KEY,
    now: () => NOW,
    trustFor: unused,
    events: { deployment_status: unused, issue_comment: unused },
    recover: unused,
    metrics: createAppMetrics(new Registry(), { defaultMetrics: false }),
    budget: new RateBudget(),
  });
  return { work, scheduled, warnings };
}

const guardJob = (pr: number): Job => ({
  key: `guard:1:acme/models:gpt2#${pr}`,
  kind: 'guard',
  installationId: 1,
  data: { ...repo, model: 'gpt2', pr, due: NOW.toISOString() },
});

describe('production guard jobs', () => {
  it('two guards of one model keep two jobs: scheduling the newer one does not replace the older one', async () => {
    const { work, scheduled } = workOn(() => Promise.reject(new Error('not used here')));
    const schedule = work.scheduleGuardFor(1);
    await schedule(repo, { pr: 42, model: 'gpt2' }, new Date(NOW.getTime() + 30 * 60_000));
    await schedule(repo, { pr: 43, model: 'gpt2' }, new Date(NOW.getTime() + 60 * 60_000));
    expect(new Set(scheduled.map((s) => s.key)).size).toBe(2);
  });

  it("runs a guard's job under its model's lock, the one promotions and ChatOps take", async () => {
    const locks: string[] = [];
    const { work } = workOn(async (key) => {
      locks.push(key);
      throw new Error('stop here');
    });
    await expect(work.run(guardJob(42))).rejects.toThrow('stop here');
    await expect(work.run(guardJob(43))).rejects.toThrow('stop here');
    expect(locks).toEqual(['guard:1:acme/models:gpt2', 'guard:1:acme/models:gpt2']);
  });

  it('a model held past the wait (a long promotion, on Redis) runs the guard job 30 s later, not as a failure, and says so', async () => {
    const { work, warnings } = workOn(async (key) => {
      throw new KeyBusyError(key, 60_000);
    });
    expect(await work.run(guardJob(42))).toEqual({ retryAt: new Date(NOW.getTime() + 30_000) });
    expect(warnings).toEqual([
      'guard:1:acme/models:gpt2#42: guard:1:acme/models:gpt2 is busy (held for 60 s): try again; the guard judges at 2026-11-23T10:00:30.000Z',
    ]);
  });

  // A job an earlier version scheduled under the model's key holds that key while it runs (on Redis),
  // so it could never take the lock: it deferred for ever and its guard was judged no more.
  it("a job scheduled under the model's key (before guards had their own) moves to the guard's own key", async () => {
    const locks: string[] = [];
    const { work, scheduled } = workOn(async (key) => {
      locks.push(key);
      throw new Error('not taken');
    });
    const old = { ...guardJob(42), key: 'guard:1:acme/models:gpt2' };
    expect(await work.run(old)).toBeUndefined();
    expect(locks).toEqual([]);
    expect(scheduled).toEqual([{ key: 'guard:1:acme/models:gpt2#42', at: NOW }]);
  });
});
