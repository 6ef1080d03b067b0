import { Context, type Probot } from 'probot';
import type { CanaryWake } from '../core/canary/step.js';
import type { Verdict } from '../core/canary/judge.js';
import type { Octokit } from '../io/github/octokit.js';
import type { AppConfig } from './config.js';
import { judgeGuard } from './guard-judge.js';
import { judgeCanary } from './judge-canary.js';
import type { AppMetrics, CanarySummary } from './metrics.js';
import { asOctokit } from './octokit.js';
import type { RateBudget, WorkPriority } from './rate-budget.js';
import { reconcileRepository } from './reconcile.js';
import type { RecoveryReport } from './recover.js';
import { KeyBusyError, type Deferral, type Job, type Scheduler } from './scheduler/scheduler.js';
import type { AppTrust, CanaryTarget, GuardTarget } from './trust.js';
import { openEvent } from './queued-event.js';
import type { SealKey } from '../core/integrity/seal.js';

type Repo = { owner: string; repo: string };

/** The events the app handles, as queued work carries them: the webhook event, its delivery id and payload. */
export interface QueuedEvent {
  id: string;
  name: 'deployment_status' | 'issue_comment';
  payload: Record<string, unknown>;
}

/** Told what the app's work did (tests count on it; the metrics are kept by the work itself). */
export interface WorkObserver {
  /** An interval was judged, `lagSeconds` after it was due. */
  judged?: (lagSeconds: number) => void;
  /** A guard window was judged, and what it decided. */
  guarded?: (decision: 'watch' | 'alert' | 'rollback' | 'end') => void;
  /** The recovery on start finished. */
  recovered?: (report: RecoveryReport) => void;
}

/** The app's work: what it schedules, and how a job is run, whichever scheduler runs it. */
export interface AppWork {
  /** The `schedule` callback of an installation's AppTrust. */
  scheduleFor: (installationId: number) => NonNullable<AppTrust['schedule']>;
  /** The `scheduleGuard` callback of an installation's AppTrust. */
  scheduleGuardFor: (installationId: number) => NonNullable<AppTrust['scheduleGuard']>;
  /** Runs one job (the scheduler's handler). */
  run: (job: Job) => Promise<void | Deferral>;
  /** Live canaries by status and the earliest pending judgment, from the schedule (the gauges, at each scrape). */
  canaries: () => Promise<{ summary: CanarySummary; oldestDue?: Date }>;
  /** Production guards with a judgment scheduled (the gauge, at each scrape; counted up to 10,000). */
  guards: () => Promise<number>;
}

/**
 * One job per canary (repository and model): scheduling it again moves it,
 * so a canary never has two pending judgments. Names come from GitHub (owner,
 * repository) and validated manifests (model), never from free text.
 */
export function judgmentKey(installationId: number, repo: Repo, model: string): string {
  return `judge:${installationId}:${repo.owner}/${repo.repo}:${model}`;
}

/**
 * One job per production guard (repository, model and the pull request of
 * its release), apart from the canary's: a guard runs after its canary has
 * ended, and the next release's canary may start while it still watches.
 * Each guard of a model keeps its own: a rolled-back guard's look at its
 * rollback is due half an hour later, and a newer release's guard, started
 * or steered meanwhile, must not replace it. One guard of a model acts at a
 * time all the same ({@link guardLockKey}).
 */
function guardKey(installationId: number, repo: Repo, guard: GuardTarget): string {
  return `guard:${installationId}:${repo.owner}/${repo.repo}:${guard.model}#${guard.pr}`;
}

/** The lease every guard of one model judges and acts under: never two of them at once. */
export function guardLockKey(installationId: number, repo: Repo, model: string): string {
  return `guard:${installationId}:${repo.owner}/${repo.repo}:${model}`;
}

/** What a guard job carries: the guard, and when it was due. */
interface GuardJobData extends GuardTarget {
  owner: string;
  repo: string;
  due: string;
}

function isGuardJobData(data: Record<string, unknown>): data is GuardJobData & Record<string, unknown> {
  return (
    typeof data.owner === 'string' &&
    typeof data.repo === 'string' &&
    typeof data.model === 'string' &&
    typeof data.pr === 'number' &&
    typeof data.due === 'string'
  );
}

/** What a judgment job carries: the canary, and what the schedule knew when it planned the job. */
interface JudgmentData extends CanaryTarget {
  owner: string;
  repo: string;
  /** When it was due (for the lag histogram). */
  due: string;
  status: CanaryWake['status'];
  since: string;
}

function isJudgmentData(data: Record<string, unknown>): data is JudgmentData & Record<string, unknown> {
  return (
    typeof data.owner === 'string' &&
    typeof data.repo === 'string' &&
    typeof data.model === 'string' &&
    typeof data.pr === 'number' &&
    typeof data.due === 'string'
  );
}

/** Handlers of queued webhook events, by event name. */
export type EventHandlers = {
  [Name in QueuedEvent['name']]: (context: Context<Name>) => Promise<void>;
};

/** How long a guard job whose model another holds (a promotion, a ChatOps command) waits to run again. */
const GUARD_BUSY_RETRY_MS = 30_000;

/** The most canaries (and guards) the gauges count (they read the schedule at each scrape). */
const GAUGED_CANARIES = 10_000;

/**
 * The app's work on a scheduler: judgments of running canaries at their due
 * times, looks at paused canaries and at steps the deployer has not
 * reported, and webhook events queued by the webhook route (scale-out mode).
 * Repositories without a live canary cost nothing. Scheduled work is
 * routine and waits when an installation's rate-limit budget runs low;
 * events (ChatOps, a deployer's status) are urgent.
 */
export function appWork(options: {
  app: Probot;
  scheduler: Scheduler;
  config: Pick<AppConfig, 'prometheusUrl' | 'prometheusAuthorization'>;
  /** The key queued events are sealed with (the app's state key). */
  stateKey: SealKey;
  now: () => Date;
  trustFor: (installationId: number) => Promise<AppTrust>;
  events: EventHandlers;
  /** The recovery a `recover` job runs (one replica at a time: the job's key is shared). */
  recover: () => Promise<RecoveryReport>;
  metrics: AppMetrics;
  budget: RateBudget;
  observer?: WorkObserver;
}): AppWork {
  const { app, scheduler, now, metrics, budget, observer } = options;
  const scheduleFor =
    (installationId: number) =>
    async (repo: Repo, canary: CanaryTarget, wake: CanaryWake | undefined): Promise<void> => {
      const key = judgmentKey(installationId, repo, canary.model);
      if (!wake) return scheduler.cancel(key);
      const data: JudgmentData = {
        ...repo,
        ...canary,
        due: wake.at.toISOString(),
        status: wake.status,
        since: wake.since.toISOString(),
      };
      await scheduler.schedule({ key, kind: 'judge', installationId, data: { ...data } }, wake.at);
    };

  const scheduleGuardFor =
    (installationId: number) =>
    async (repo: Repo, guard: GuardTarget, at: Date | undefined): Promise<void> => {
      const key = guardKey(installationId, repo, guard);
      if (!at) return scheduler.cancel(key);
      const data: GuardJobData = { ...repo, pr: guard.pr, model: guard.model, due: at.toISOString() };
      await scheduler.schedule({ key, kind: 'guard', installationId, data: { ...data } }, at);
    };

  /**
   * Runs one scheduled judgment (a canary's interval, a guard's window) and
   * records it: the tick with its lag when something was judged, a failure
   * otherwise. `record` counts what was decided.
   */
  async function judgment<T extends { judged: boolean; verdict?: Verdict }>(
    job: Job,
    data: { owner: string; repo: string; pr: number; model: string; due: string },
    run: (octokit: Octokit, repo: Repo, target: { pr: number; model: string }, trust: AppTrust) => Promise<T>,
    record: (judged: T, lagSeconds: number) => void,
  ): Promise<void> {
    const { owner, repo, pr, model, due } = data;
    const octokit = asOctokit(await app.auth(job.installationId));
    try {
      const judged = await run(
        octokit,
        { owner, repo },
        { pr, model },
        await options.trustFor(job.installationId),
      );
      if (!judged.judged) return;
      const lag = (now().getTime() - Date.parse(due)) / 1000;
      metrics.recordTick('ok', lag);
      if (judged.verdict) metrics.countJudgment(judged.verdict);
      record(judged, lag);
    } catch (error) {
      metrics.recordTick('failed');
      throw error;
    }
  }

  /**
   * Runs one guard's job under its model's lock, which ChatOps and promotions
   * take too: each guard has a job of its own, and one guard of a model acts
   * at a time. A lock held past the wait (on Redis) runs the job later, not
   * as a failure.
   */
  async function guard(job: Job): Promise<void | Deferral> {
    if (!isGuardJobData(job.data)) throw new Error(`job ${job.key} does not carry a guard`);
    const data = job.data;
    const lock = guardLockKey(job.installationId, data, data.model);
    // A job scheduled before guards had jobs of their own (its key is the model's lock, which it
    // holds while it runs): moved to the guard's own key, where it runs under the lock like any other.
    if (job.key === lock) {
      await scheduleGuardFor(job.installationId)(data, data, new Date(data.due));
      return;
    }
    try {
      await scheduler.exclusive(lock, () =>
        judgment(
          job,
          data,
          (octokit, repo, target, trust) => judgeGuard(octokit, repo, target, options.config, now(), trust),
          (judged) => {
            metrics.countGuardDecision(judged.decision ?? 'watch');
            observer?.guarded?.(judged.decision ?? 'watch');
          },
        ),
      );
    } catch (error) {
      if (!(error instanceof KeyBusyError)) throw error;
      const retryAt = new Date(now().getTime() + GUARD_BUSY_RETRY_MS);
      app.log.warn(`${job.key}: ${error.message}; the guard judges at ${retryAt.toISOString()}`);
      return { retryAt };
    }
  }

  function judge(job: Job): Promise<void> {
    if (!isJudgmentData(job.data)) throw new Error(`job ${job.key} does not carry a canary`);
    return judgment(
      job,
      job.data,
      (octokit, repo, target, trust) => judgeCanary(octokit, repo, target, options.config, now(), trust),
      (judged, lag) => {
        if (judged.decision) metrics.countDecision(judged.decision);
        observer?.judged?.(lag);
      },
    );
  }

  async function run(job: Job): Promise<void | Deferral> {
    if (job.kind === 'recover') {
      observer?.recovered?.(await options.recover());
      return;
    }
    const priority: WorkPriority = job.kind === 'judge' || job.kind === 'guard' ? 'routine' : 'urgent';
    const admission = budget.admit(job.installationId, priority, now());
    if (!admission.ok) {
      metrics.countDeferral(priority, admission.code);
      return { retryAt: admission.retryAt };
    }
    if (job.kind === 'judge') return judge(job);
    if (job.kind === 'guard') return guard(job);
    // Only events modelgate queued itself run: anyone who can write to Redis can add a job, not seal one.
    const event = openEvent(job.data, options.stateKey, job.installationId);
    if ('refused' in event) {
      app.log.warn(`queued job ${job.key} was not run: ${event.refused}`);
      return;
    }
    const octokit = await app.auth(job.installationId);
    if (event.name === 'deployment_status')
      return options.events.deployment_status(
        new Context<'deployment_status'>(event as never, octokit, app.log),
      );
    if (event.name === 'issue_comment')
      return options.events.issue_comment(new Context<'issue_comment'>(event as never, octokit, app.log));
    throw new Error(`job ${job.key} carries an event the app does not handle`);
  }

  async function canaries(): Promise<{ summary: CanarySummary; oldestDue?: Date }> {
    let oldestDue: Date | undefined;
    const summary: CanarySummary = {
      running: { count: 0 },
      paused: { count: 0 },
      awaiting_deployer: { count: 0 },
    };
    for (const job of await scheduler.pending('judge', GAUGED_CANARIES)) {
      const data = job.data as Partial<JudgmentData>;
      const entry = data.status && summary[data.status];
      if (!entry) continue;
      entry.count += 1;
      const due = new Date(data.due ?? '');
      if (data.status === 'running' && Number.isFinite(due.getTime()) && (!oldestDue || due < oldestDue))
        oldestDue = due;
      const since = new Date(data.since ?? '');
      if (Number.isFinite(since.getTime()) && (!entry.oldestSince || since < entry.oldestSince))
        entry.oldestSince = since;
    }
    return { summary, ...(oldestDue ? { oldestDue } : {}) };
  }
  const guards = async () => (await scheduler.pending('guard', GAUGED_CANARIES)).length;
  return { scheduleFor, scheduleGuardFor, run, canaries, guards };
}

/** Rebuilds one repository's schedule from GitHub (recovery): judges what is due, schedules the rest. */
export function reconcileWith(
  config: Pick<AppConfig, 'prometheusUrl' | 'prometheusAuthorization'>,
  now: () => Date,
  trustFor: (installationId: number) => Promise<AppTrust>,
) {
  return async (installationId: number, octokit: Octokit, repo: Repo): Promise<void> => {
    await reconcileRepository(octokit, repo, now(), await trustFor(installationId));
  };
}
