import { Registry } from 'prom-client';
import type { ApplicationFunctionOptions, Context, Probot } from 'probot';
import { sameSecret } from '../core/integrity/seal.js';
import { parseCommand } from '../core/chatops/command.js';
import { readDeploymentPayload } from '../core/release/plan.js';
import type { CommentAuthor } from '../core/report/sticky.js';
import { handleComment } from './chatops/handle-comment.js';
import { CommenterLimit, type CommenterAdmitter } from './commenter-limit.js';
import { appConfig, type AppConfig } from './config.js';
import { createAppMetrics, metricsRoute, type AppMetrics } from './metrics.js';
import { RateBudget } from './rate-budget.js';
import { asOctokit } from './octokit.js';
import { queuedEvent, sealEvent } from './queued-event.js';
import { recoverMissedWork, type RecoveryLimits } from './recover.js';
import { createScheduler } from './scheduler/index.js';
import type { Scheduler } from './scheduler/scheduler.js';
import { isUnappliedRollback, startAnalysis } from './start-analysis.js';
import { alertSink } from './guard-alerts.js';
import type { AppTrust } from './trust.js';
import {
  appWork,
  guardLockKey,
  judgmentKey,
  reconcileWith,
  type EventHandlers,
  type WorkObserver,
} from './work.js';

/**
 * The app's bot account, from GET /app with the app's own JWT: `<slug>[bot]`
 * of type Bot. Its comments are the only ones the app reads state from.
 * (`performed_via_github_app` is not used: GitHub documents it as nullable,
 * and it also names an app when a person acts through it, so it does not
 * prove the app wrote the text.)
 */
async function appIdentity(app: Probot): Promise<CommentAuthor> {
  const octokit = await app.auth();
  const { data } = await octokit.rest.apps.getAuthenticated();
  if (!data?.slug) throw new Error('GitHub did not name the app (GET /app has no slug)');
  return { login: `${data.slug}[bot]`, type: 'Bot' };
}

/** Whether an Authorization header carries the tick secret (compared in constant time). */
export function tickAuthorized(header: string | undefined, secret: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
  return given !== undefined && sameSecret(given, secret);
}

/** What a test or an embedding process may hand the app instead of what it builds from its settings. */
export interface AppOptions extends Partial<ApplicationFunctionOptions> {
  config?: AppConfig;
  now?: () => Date;
  scheduler?: Scheduler;
  observer?: WorkObserver;
  /** The app's metrics; the GitHub client's plugin (github-requests.ts) records into the same ones. */
  metrics?: AppMetrics;
  /** The rate-limit budget the GitHub client's plugin keeps. */
  budget?: RateBudget;
  /** Recovery of missed deliveries at start (default on; limits from DEFAULT_RECOVERY_LIMITS). */
  recovery?: false | RecoveryLimits;
  /** How many commands each commenter may have acted on (default: CommenterLimit's, in this process). */
  commenterLimit?: CommenterAdmitter;
}

/** Jobs name an installation; the recovery works for the app as a whole (its jobs are not budgeted per installation). */
const RECOVERY_INSTALLATION = 1;

/**
 * Whether a deployment_status is worth work: a modelgate deployment the
 * deployer reports live, or the production guard's rollback it did not apply.
 */
function analysable(context: Context<'deployment_status'>): boolean {
  const { deployment, deployment_status: status } = context.payload;
  const payload = readDeploymentPayload(deployment.payload);
  if (!payload) return false;
  return status.state === 'success' || isUnappliedRollback(status.state, payload.trigger);
}

/**
 * The modelgate GitHub App. Work is driven by events, never by scanning: a
 * canary becomes known when the deployer reports its deployment live
 * (deployment_status), each interval's judgment is scheduled for its due
 * time, ChatOps commands in comments (issue_comment) steer it, and finished
 * canaries are never read again. The schedule runs in the process, or on
 * Redis (REDIS_URL) across any number of replicas, where webhook deliveries
 * are queued and acknowledged at once. On start the app redelivers what it
 * missed and rebuilds its schedule from GitHub's record of deliveries.
 */
export default function modelgateApp(app: Probot, options?: AppOptions): void {
  const config = options?.config ?? appConfig(process.env);
  const now = options?.now ?? (() => new Date());
  const scheduler =
    options?.scheduler ??
    createScheduler({ redisUrl: config.redisUrl, manual: config.tickSeconds === 0, log: app.log });
  let identity: Promise<CommentAuthor> | undefined;
  const alerts = alertSink(config, { info: (m) => app.log.info(m), warn: (m) => app.log.warn(m) });
  const trustFor = async (installationId: number): Promise<AppTrust> => {
    // Asked once per process; a failed answer is asked again next time.
    identity ??= appIdentity(app).catch((error: unknown) => {
      identity = undefined;
      throw error;
    });
    return {
      self: await identity,
      key: config.stateKey,
      warn: (message) => app.log.warn(message),
      schedule: work.scheduleFor(installationId),
      exclusive: (repo, model, fn) => scheduler.exclusive(judgmentKey(installationId, repo, model), fn),
      exclusiveGuard: (repo, model, fn) => scheduler.exclusive(guardLockKey(installationId, repo, model), fn),
      scheduleGuard: work.scheduleGuardFor(installationId),
      alerts,
    };
  };
  const installationOf = (context: { payload: { installation?: { id: number } } }) => {
    const id = context.payload.installation?.id;
    if (!id) throw new Error('the delivery names no installation: the app cannot act for it');
    return id;
  };
  const events: EventHandlers = {
    deployment_status: (context) => startAnalysis(context, now, () => trustFor(installationOf(context))),
    issue_comment: (context) =>
      handleComment(context as Context<'issue_comment.created'>, now, () =>
        trustFor(installationOf(context)),
      ),
  };
  // Without a client plugin feeding them (tests, an embedding process), they are kept but see no requests.
  const metrics = options?.metrics ?? createAppMetrics(new Registry(), { defaultMetrics: false });
  const budget = options?.budget ?? new RateBudget({ reserveShare: config.rateReserveShare });
  const work = appWork({
    app,
    scheduler,
    config,
    stateKey: config.stateKey,
    now,
    trustFor,
    events,
    recover: async () =>
      recoverMissedWork(
        {
          appOctokit: asOctokit(await app.auth()),
          installationOctokit: async (id) => asOctokit(await app.auth(id)),
          reconcile: reconcileWith(config, now, trustFor),
          now,
          log: { info: (m) => app.log.info(m), warn: (m) => app.log.warn(m) },
        },
        options?.recovery || undefined,
      ),
    metrics,
    budget,
    observer: options?.observer,
  });

  // Scale-out: a delivery is queued (small: only what the handler reads) and acknowledged at once.
  const queue = config.redisUrl !== undefined;
  const enqueue = (context: Context<'deployment_status' | 'issue_comment'>) =>
    scheduler.schedule(
      {
        key: `event:${context.id}`,
        kind: 'event',
        installationId: installationOf(context),
        data: {
          ...sealEvent(
            queuedEvent(context.id, context.name as 'deployment_status', context.payload),
            config.stateKey,
          ),
        },
      },
      now(),
    );
  app.on('deployment_status', (context) =>
    metrics.timeWebhook('deployment_status', async () => {
      if (!analysable(context)) return;
      await (queue ? enqueue(context) : events.deployment_status(context));
    }),
  );
  const commenters = options?.commenterLimit ?? new CommenterLimit();
  app.on('issue_comment.created', (context) =>
    metrics.timeWebhook('issue_comment', async () => {
      const { comment, repository } = context.payload;
      if (!parseCommand(comment.body)) return; // not a command: nothing to queue
      const login = comment.user?.login ?? '';
      const admitted = await commenters.admit(installationOf(context), login, now());
      if (!admitted.ok) {
        if (admitted.first)
          app.log.warn(
            `${repository.full_name}: ${login} commented more than ${commenters.description}: their commands are not acted on until ${admitted.until.toISOString()}`,
          );
        return;
      }
      await (queue ? enqueue(context) : events.issue_comment(context));
    }),
  );
  scheduler.start((job) => work.run(job));

  options?.addHandler?.(
    metricsRoute(metrics.registry, {
      ...(config.metricsToken ? { token: config.metricsToken } : {}),
      refresh: async () => {
        metrics.setQueueDepth('waiting', await scheduler.depth());
        const { summary, oldestDue } = await work.canaries();
        metrics.setCanaries(summary);
        metrics.setOldestDue(oldestDue);
        metrics.setGuards(await work.guards());
      },
    }),
  );
  options?.addHandler?.(async (req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/modelgate/tick')) return false;
    if (!config.tickSecret || !tickAuthorized(req.headers.authorization, config.tickSecret)) {
      res.writeHead(config.tickSecret ? 401 : 404).end();
      return true;
    }
    const ran = (await scheduler.runDue?.()) ?? 0;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ judged: ran }));
    return true;
  });

  // One recovery at a time across replicas: the job's key is shared, so a second start moves it, not doubles it.
  if (options?.recovery !== false)
    void scheduler
      .schedule({ key: 'recover', kind: 'recover', installationId: RECOVERY_INSTALLATION, data: {} }, now())
      .catch((error: unknown) =>
        app.log.error({ err: error }, 'recovery of missed deliveries could not be scheduled'),
      );
}
