import { createHmac, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Probot, ProbotOctokit } from 'probot';
import { afterAll, expect, it } from 'vitest';
import modelgateApp from '../src/app/index.js';
import { createAppServer } from '../src/app/server.js';
import { sealKeyFrom } from '../src/core/integrity/seal.js';
import { FakeGitHub } from '../test/helpers/fake-github.js';
import { addRealModel } from '../test/helpers/models.js';
import { TempRegistry } from '../test/helpers/registry.js';
import { fixturePath } from '../test/setup/fixture-packages.js';
import { report } from './measure.js';

const DELIVERIES = 400;
const CONCURRENCY = 8;
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

it('webhook handling on loopback: deliveries per second and p99 latency', async () => {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2', {
    manifest: { canary: { steps: [10, 100], metrics: [{ name: 'e', query: 'q', max: 1 }] } },
  });
  const commit = registry.commit('gpt2 1.0.0');
  registry.tag('gpt2@v1.0.0', { commit });
  const github = await FakeGitHub.start();
  cleanups.push(() => github.close());
  github.localRepo = registry.root;
  github.pulls.set(commit, [
    { number: 42, title: 'gpt2', merged_at: '2026-11-22T00:00:00Z', user: { login: 'alice' } },
  ]);
  // The canary deployment the deliveries are about, as GitHub has it (the app checks its state against it).
  const canaryPayload = {
    model: 'gpt2',
    version: '1.0.0',
    weight: 10,
    manifest: 'models/gpt2/model.yaml',
    trigger: commit,
  };
  github.deployments.push({
    id: 2,
    ref: 'gpt2@v1.0.0',
    sha: commit,
    environment: 'canary',
    payload: canaryPayload,
    description: '',
    production_environment: false,
  });
  github.reportDeployed(2);

  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const secret = 'bench-secret';
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret,
    baseUrl: github.url,
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    logLevel: 'fatal',
  });
  // The server `node build/app/main.js` runs: body limit and signature check in front of Probot.
  const server = await createAppServer({
    probot,
    app: (app, options) =>
      modelgateApp(app, { ...options, config: { tickSeconds: 0, stateKey: sealKeyFrom(secret) } }),
    secret,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;

  // The real deployment_status example, pointed at our canary deployment.
  const examples = JSON.parse(readFileSync(fixturePath.webhookExamples, 'utf8')) as {
    name: string;
    examples: any[];
  }[];
  const payload = structuredClone(examples.find((e) => e.name === 'deployment_status')!.examples[0]);
  Object.assign(payload.deployment, {
    id: 2,
    sha: commit,
    ref: 'gpt2@v1.0.0',
    environment: 'canary',
    payload: canaryPayload,
  });
  payload.deployment_status.state = 'success';
  Object.assign(payload.repository, { name: 'models', full_name: 'acme/models' });
  payload.repository.owner.login = 'acme';
  payload.installation = { id: 1, node_id: 'I' };
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const deliver = async (i: number) => {
    const start = performance.now();
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'deployment_status',
        'x-github-delivery': `bench-${i}`,
        'x-hub-signature-256': signature,
      },
    });
    await response.text();
    return { status: response.status, ms: performance.now() - start };
  };
  await deliver(-1); // the first starts the analysis; the rest are redeliveries of a live canary

  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < DELIVERIES) {
        const result = await deliver(next++);
        expect(result.status).toBe(200);
        latencies.push(result.ms);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.floor(latencies.length * 0.99)]!;
  const p50 = latencies[Math.floor(latencies.length * 0.5)]!;
  expect(github.comments).toHaveLength(1);
  report(
    `app webhooks: ${DELIVERIES} signed deployment_status deliveries at concurrency ${CONCURRENCY}: ${(DELIVERIES / seconds).toFixed(0)} deliveries/s, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (GitHub API: local stub)`,
  );
});
