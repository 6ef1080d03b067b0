import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import modelgateApp from '../src/app/index.js';
import { createAppMetrics } from '../src/app/metrics.js';
import { BullmqScheduler } from '../src/app/scheduler/bullmq.js';
import { EmbeddedScheduler } from '../src/app/scheduler/embedded.js';
import type { Scheduler } from '../src/app/scheduler/scheduler.js';
import { createAppServer } from '../src/app/server.js';
import { Probot, ProbotOctokit } from 'probot';
import { CANARY, deploymentStatus, liveCanary, privateKey, STATE_KEY } from '../test/helpers/canary-app.js';
import { requestSeries, startPrometheus, type RunningPrometheus } from '../test/helpers/prometheus.js';
import { startRedis, type RunningRedis } from '../test/helpers/redis.js';
import { report } from './measure.js';

const silent = () => undefined;
const quiet = { info: silent, warn: silent, error: silent };

/** GitHub's REST budget of an installation, per hour. */
const INSTALLATION_BUDGET = 5000;
const INSTALLED_REPOSITORIES = 1000;
const RUNNING_CANARIES = 10;

let prometheus: RunningPrometheus;
let redis: RunningRedis;
beforeAll(async () => {
  [prometheus, redis] = await Promise.all([
    startPrometheus(requestSeries('gpt2', { '1.2.0': 0.01, '1.3.0': 0.01 })),
    startRedis(),
  ]);
}, 60_000);
afterAll(async () => {
  await prometheus?.stop();
  await redis?.stop();
});

/** Requests an installation pays for (the token exchange is the app's own, on its JWT). */
const installationRequests = (requests: { operation: string }[]) =>
  requests.filter((r) => !r.operation.endsWith('/access_tokens') && !r.operation.startsWith('/app')).length;

it('requests per hour: 1,000 installed repositories, running canaries at 10-minute intervals, 60 s ticks', async () => {
  // A canary of ten steps that keeps running through the hour; the deployer reports each step live at once.
  const steps = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  const live = await liveCanary('1.3.0', prometheus.url, { canary: { ...CANARY, steps, interval: '10m' } });
  const { github, deliver, tick, state } = live;
  github.installedRepositories = INSTALLED_REPOSITORIES;

  // An hour with no canary anywhere: what 1,000 idle repositories cost.
  let before = github.requests.length;
  for (let minute = 0; minute < 60; minute++) await tick(1);
  const idle = installationRequests(github.requests.slice(before));

  // An hour with one running canary: its judgments, its steps, and the deployer's statuses.
  await deliver({ id: 2, weight: 10 });
  before = github.requests.length;
  let judged = 0;
  for (let minute = 0; minute < 60; minute++) {
    judged += await tick(1);
    const awaiting = state().awaiting;
    if (awaiting) {
      const deployment = github.deployments.find((d) => d.id === awaiting)!;
      await deliver({ id: awaiting, weight: (deployment.payload as { weight: number }).weight });
    }
  }
  const perCanary = installationRequests(github.requests.slice(before));
  expect(idle).toBe(0);
  expect(judged).toBe(6);
  const hourly = idle + RUNNING_CANARIES * perCanary;
  const scan = 60 * (3 + INSTALLED_REPOSITORIES); // the per-minute scan this replaced (issue 12's measurement)
  report(
    `app requests/hour: ${INSTALLED_REPOSITORIES} installed repositories idle: ${idle}; one running canary (6 intervals, 6 steps, the deployer's statuses): ${perCanary} (${(perCanary / judged).toFixed(1)} per interval); ${RUNNING_CANARIES} canaries: ${hourly}/h = ${((hourly / INSTALLATION_BUDGET) * 100).toFixed(1)}% of GitHub's ${INSTALLATION_BUDGET}/h (the old per-minute scan: ${scan}/h = ${(scan / INSTALLATION_BUDGET).toFixed(1)}x the budget)`,
  );
}, 120_000);

it('webhook acknowledgement under a burst of 1,000 deliveries: queued on Redis vs handled in process', async () => {
  const DELIVERIES = 1000;
  const CONCURRENCY = 50;
  const secret = 'bench-secret-bench-secret-bench-secret';
  const measure = async (mode: 'embedded' | 'redis') => {
    const { github, v2 } = await liveCanary('1.3.0', prometheus.url);
    github.reportDeployed(2);
    const probot = new Probot({
      appId: 1,
      privateKey,
      secret,
      baseUrl: github.url,
      Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
      logLevel: 'fatal',
    });
    const scheduler: Scheduler =
      mode === 'redis'
        ? new BullmqScheduler({ url: redis.url, queueName: `bench-${Date.now()}`, log: quiet })
        : new EmbeddedScheduler({ manual: true, log: quiet });
    const server = await createAppServer({
      probot,
      secret,
      app: (app, options) =>
        modelgateApp(app, {
          ...options,
          config: {
            prometheusUrl: prometheus.url,
            tickSeconds: 60,
            stateKey: STATE_KEY,
            ...(mode === 'redis' ? { redisUrl: redis.url } : {}),
          },
          scheduler,
          recovery: false,
          metrics: createAppMetrics(new Registry(), { defaultMetrics: false }),
        }),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
    const body = JSON.stringify(
      deploymentStatus({
        ...github.deployments[1]!,
        payload: github.deployments[1]!.payload as object,
        sha: v2,
        ref: 'gpt2@v1.3.0',
      }),
    );
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < DELIVERIES) {
          const i = next++;
          const start = performance.now();
          const response = await fetch(url, {
            method: 'POST',
            body,
            headers: {
              'content-type': 'application/json',
              'x-github-event': 'deployment_status',
              'x-github-delivery': `burst-${i}`,
              'x-hub-signature-256': signature,
            },
          });
          await response.text();
          expect([200, 202]).toContain(response.status);
          latencies.push(performance.now() - start);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => server.close(resolve));
    await scheduler.close();
    latencies.sort((a, b) => a - b);
    return {
      p50: latencies[Math.floor(latencies.length * 0.5)]!,
      p99: latencies[Math.floor(latencies.length * 0.99)]!,
      rate: DELIVERIES / seconds,
    };
  };
  const inProcess = await measure('embedded');
  const queued = await measure('redis');
  report(
    `app webhook burst: ${DELIVERIES} signed deployment_status deliveries at concurrency ${CONCURRENCY}: queued on Redis p50 ${queued.p50.toFixed(1)} ms, p99 ${queued.p99.toFixed(1)} ms (${queued.rate.toFixed(0)}/s); handled in process p50 ${inProcess.p50.toFixed(1)} ms, p99 ${inProcess.p99.toFixed(1)} ms (${inProcess.rate.toFixed(0)}/s); p99 ratio ${(queued.p99 / inProcess.p99).toFixed(2)} (GitHub waits 10 s)`,
  );
}, 300_000);
