import { startApp } from './start.js';

/**
 * Runs the app: `node build/app/main.js` (the Docker image's command).
 * Settings come from the environment as Probot reads them (APP_ID,
 * PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST, LOG_LEVEL,
 * PORT, HOST, WEBHOOK_PATH) plus modelgate's own (docs/app.md#settings). Unlike
 * `probot run`, the webhook route has a body limit and checks signatures
 * before Probot sees a delivery.
 */
async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const app = await startApp(env);
  // Running jobs finish (or, on Redis, are left to another replica) before the process ends.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void app.close().finally(() => process.exit(0)));
}

try {
  await main(process.env);
} catch (error) {
  // Settings are the operator's input: a message, not a stack trace.
  console.error(`modelgate cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
  // A Redis connection still closing must not keep a process that cannot serve alive.
  setTimeout(() => process.exit(1), 1_000).unref();
}
