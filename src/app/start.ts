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
  overrides: Pick<Options, 'baseUrl' | 'log'> = {},
): Promise<RunningApp> {
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
    overrides: { ...overrides, Octokit: ProbotOctokit.plugin(githubRequests({ metrics, budget })) },
  });
  const scheduler = createScheduler({
    redisUrl: config.redisUrl,
    manual: config.tickSeconds === 0,
    log: probot.log,
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
    server.listen(wanted, env.HOST);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', (error) =>
        reject(new AppConfigError(`cannot listen on port ${wanted}: ${error.message}`)),
      );
    });
  } catch (error) {
    await stopJobs();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  probot.log.info(`modelgate listening on port ${port}`);
  return {
    server,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).then(stopJobs),
  };
}
