import { createProbot, ProbotOctokit } from 'probot';
import { RedisCommenterLimit } from './commenter-limit-redis.js';
import { githubRequests } from './github-requests.js';
import { probotEnv } from './probot-env.js';
import { createAppMetrics } from './metrics.js';
import { RateBudget } from './rate-budget.js';
import { createScheduler } from './scheduler/index.js';
import modelgateApp from './index.js';
import { appConfig, AppConfigError } from './config.js';
import { createAppServer } from './server.js';

/**
 * Runs the app: `node build/app/main.js` (the Docker image's command).
 * Settings come from the environment as Probot reads them (APP_ID,
 * PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST, LOG_LEVEL,
 * PORT, HOST, WEBHOOK_PATH) plus modelgate's own (docs/app.md#settings). Unlike
 * `probot run`, the webhook route has a body limit and checks signatures
 * before Probot sees a delivery.
 */
async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const config = appConfig(env);
  if (!env.WEBHOOK_SECRET)
    throw new AppConfigError(
      "WEBHOOK_SECRET is not set: modelgate does not accept unsigned webhook deliveries. Set it to the app's webhook secret.",
    );
  const metrics = createAppMetrics();
  const budget = new RateBudget({ reserveShare: config.rateReserveShare });
  // Every GitHub request of the app is counted and feeds the rate-limit budget.
  const probot = createProbot({
    env: probotEnv(env),
    overrides: { Octokit: ProbotOctokit.plugin(githubRequests({ metrics, budget })) },
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
  const server = await createAppServer({
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
  const port = Number(env.PORT) || 3000;
  server.on('error', (error) => {
    console.error(`modelgate cannot listen on port ${port}: ${error.message}`);
    process.exitCode = 1;
  });
  server.listen(port, env.HOST, () => probot.log.info(`modelgate listening on port ${port}`));
  // Running jobs finish (or, on Redis, are left to another replica) before the process ends.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () =>
      server.close(
        () =>
          void Promise.allSettled([scheduler.close(), commenterLimit?.close()]).finally(() =>
            process.exit(0),
          ),
      ),
    );
}

try {
  await main(process.env);
} catch (error) {
  // Settings are the operator's input: a message, not a stack trace.
  console.error(`modelgate cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
