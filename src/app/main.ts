import { createProbot } from 'probot';
import modelgateApp from './index.js';
import { appConfig, AppConfigError } from './config.js';
import { createAppServer } from './server.js';

/**
 * Runs the app: `node build/app/main.js` (the Docker image's command).
 * Settings come from the environment as Probot reads them (APP_ID,
 * PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST, LOG_LEVEL,
 * PORT, HOST, WEBHOOK_PATH) plus modelgate's own (README). Unlike
 * `probot run`, the webhook route has a body limit and checks signatures
 * before Probot sees a delivery.
 */
async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const config = appConfig(env);
  if (!env.WEBHOOK_SECRET)
    throw new AppConfigError(
      "WEBHOOK_SECRET is not set: modelgate does not accept unsigned webhook deliveries. Set it to the app's webhook secret.",
    );
  const probot = createProbot({ env });
  const server = await createAppServer({
    probot,
    app: (app, options) => modelgateApp(app, { ...options, config }),
    secret: env.WEBHOOK_SECRET,
    ...(env.WEBHOOK_PATH ? { path: env.WEBHOOK_PATH } : {}),
  });
  const port = Number(env.PORT) || 3000;
  server.on('error', (error) => {
    console.error(`modelgate cannot listen on port ${port}: ${error.message}`);
    process.exitCode = 1;
  });
  server.listen(port, env.HOST, () => probot.log.info(`modelgate listening on port ${port}`));
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => server.close(() => process.exit(0)));
}

try {
  await main(process.env);
} catch (error) {
  // Settings are the operator's input: a message, not a stack trace.
  console.error(`modelgate cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
