import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProbot, ProbotOctokit, type Options } from 'probot';
import { RedisCommenterLimit } from './commenter-limit-redis.js';
import { githubRequests } from './github-requests.js';
import { probotEnv } from './probot-env.js';
import { createAppMetrics } from './metrics.js';
import { RateBudget } from './rate-budget.js';
import { createScheduler } from './scheduler/index.js';
import modelgateApp from './index.js';
import { appConfig, AppConfigError } from './config.js';
import { createAppServer } from './server.js';

/** How long a start that failed waits for the scheduler to close before it says why. */
const STOP_ON_FAILURE_MS = 5_000;

/** The app, listening: its server, the port it got, and how to stop it. */
export interface RunningApp {
  server: Server;
  port: number;
  /** Stops taking webhooks, lets running jobs finish (on Redis, leaves them to another replica), closes Redis. */
  close(): Promise<void>;
}

/**
 * Starts the app as `node build/app/main.js` runs it, from the environment
 * (docs/app.md#settings): the scheduler, on Redis with REDIS_URL; the
 * commenter limit, shared on the same Redis; the webhook server on PORT
 * (default 3000; 0 for any free port) and HOST. `overrides` are Probot
 * options over the environment's, for the tests (a fake GitHub, a logger).
 * A setting that is wrong, or a port that cannot be had, is an
 * AppConfigError, and nothing is left running.
 */
export async function startApp(
  env: NodeJS.ProcessEnv,
  overrides: Pick<Options, 'baseUrl' | 'log'> & {
    /** How long close() waits for running jobs (30 s; tests take less). */
    closeTimeoutMs?: number;
  } = {},
): Promise<RunningApp> {
  const { closeTimeoutMs, ...probotOverrides } = overrides;
  const config = appConfig(env);
  if (!env.WEBHOOK_SECRET)
    throw new AppConfigError(
      "WEBHOOK_SECRET is not set: modelgate does not accept unsigned webhook deliveries. Set it to the app's webhook secret.",
    );
  const wanted = env.PORT ? Number(env.PORT) : 3000;
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535)
    throw new AppConfigError(`PORT is ${JSON.stringify(env.PORT)}: set it to a port number (0 to 65535).`);
  const metrics = createAppMetrics();
  const budget = new RateBudget({ reserveShare: config.rateReserveShare });
  // Every GitHub request of the app is counted and feeds the rate-limit budget.
  const probot = createProbot({
    env: probotEnv(env),
    overrides: { ...probotOverrides, Octokit: ProbotOctokit.plugin(githubRequests({ metrics, budget })) },
  });
  const scheduler = createScheduler({
    redisUrl: config.redisUrl,
    manual: config.tickSeconds === 0,
    log: probot.log,
    ...(closeTimeoutMs === undefined ? {} : { closeTimeoutMs }),
  });
  // On Redis, every replica counts each commenter's commands in one place.
  const commenterLimit = config.redisUrl
    ? new RedisCommenterLimit(config.redisUrl, { warn: (message) => probot.log.warn(message) })
    : undefined;
  const stopJobs = () => Promise.allSettled([scheduler.close(), commenterLimit?.close()]).then(() => {});
  let server: Server;
  try {
    server = await createAppServer({
      probot,
      app: (app, options) =>
        modelgateApp(app, {
          ...options,
          config,
          metrics,
          budget,
          scheduler,
          ...(commenterLimit ? { commenterLimit } : {}),
        }),
      secret: env.WEBHOOK_SECRET,
      ...(env.WEBHOOK_PATH ? { path: env.WEBHOOK_PATH } : {}),
    });
    await listen(server, wanted, env.HOST);
  } catch (error) {
    // The scheduler has started (and may be waiting on a Redis that is away): it gets a few seconds.
    await Promise.race([
      stopJobs(),
      new Promise((resolve) => setTimeout(resolve, STOP_ON_FAILURE_MS).unref()),
    ]);
    throw error;
  }
  // Errors once listening (a socket the OS takes back) are logged; the process goes on serving.
  server.on('error', (error) => probot.log.error(`modelgate's server: ${error.message}`));
  const { port } = server.address() as AddressInfo;
  probot.log.info(`modelgate listening on port ${port}`);
  return {
    server,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).then(stopJobs),
  };
}

/** Listens on `port`: resolved once listening, an AppConfigError when the port cannot be had. */
function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: Error) =>
      reject(new AppConfigError(`cannot listen on port ${port}: ${error.message}`));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}
