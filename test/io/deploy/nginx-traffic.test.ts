import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { DeploymentRecord } from '../../../src/core/deploy/plan.js';
import { deployOnce, type DeployOptions } from '../../../src/io/deploy/apply-deploy.js';
import { githubDeployerApi } from '../../../src/io/deploy/deployer-api.js';
import { createOctokit, FAST_FAKE_GITHUB } from '../../../src/io/github/octokit.js';
import { FakeGitHub } from '../../helpers/fake-github.js';
import { FakeLlm } from '../../helpers/fake-llm.js';
import { freePort, startNginx, type RunningNginx } from '../../helpers/nginx.js';
import { TempRegistry } from '../../helpers/registry.js';

/*
 * End to end, with real traffic: the deployments the app creates for a
 * canary of gpt2 1.1.0 (a shadow, then 5, 25, 50 %, then the promotion to
 * production) are applied by deployOnce with the nginx target: the real
 * renderer, the real writer and the workflow's reload command against
 * Debian's nginx. Two OpenAI-compatible servers stand in for the versions;
 * each answers with its version, so the client sees who answered.
 */

/** Requests per deployment: enough that a 5 % share is measured within about ±2 points. */
const REQUESTS = 2500;
/** Requests in flight at once, over keep-alive connections, as a busy client would send them. */
const CONCURRENCY = 32;
/**
 * How far a measured count may be from the asked share, in standard
 * deviations of the binomial count: a correct split fails one check about
 * 7 times in a million (the file's four: about 1 run in 37 000), while a
 * share a few points off fails it.
 */
const SIGMAS = 4.5;
const LOG_URL = 'https://github.com/acme/models/actions/runs/77';

/** The largest distance a binomial(n, percent) count may have from its mean here. */
function tolerance(n: number, percent: number): number {
  const p = percent / 100;
  return SIGMAS * Math.sqrt(n * p * (1 - p));
}

/** Who answered a batch of requests sent through nginx: the answers by version, and any non-200 answer. */
interface Traffic {
  answers: Map<string, number>;
  failures: string[];
}

/**
 * Sends `n` chat completions through nginx, CONCURRENCY at a time over
 * keep-alive connections (one agent per batch, closed after it, so a reload
 * never waits on this client's idle connections).
 */
async function sendTraffic(port: number, n: number, label: string): Promise<Traffic> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const answers = new Map<string, number>();
  const failures: string[] = [];
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({
        model: 'gpt2',
        messages: [{ role: 'user', content: `${label} request ${i}` }],
      });
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/chat/completions',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            if (res.statusCode !== 200) failures.push(`${res.statusCode}: ${text.slice(0, 200)}`);
            else {
              const answer = (JSON.parse(text) as { choices: { message: { content: string } }[] }).choices[0]!
                .message.content;
              answers.set(answer, (answers.get(answer) ?? 0) + 1);
            }
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const worker = async () => {
    while (next < n) await one(next++);
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    agent.destroy();
  }
  return { answers, failures };
}

/** One model version's server: it answers with its version and remembers the prompts it was sent. */
async function versionServer(version: string) {
  const prompts: string[] = [];
  const server = await FakeLlm.start({
    answer: (lastUser) => {
      prompts.push(lastUser);
      return version;
    },
  });
  return { server, prompts, port: Number(new URL(server.url).port) };
}

let production: Awaited<ReturnType<typeof versionServer>>;
let canary: Awaited<ReturnType<typeof versionServer>>;
let nginx: RunningNginx;
let github: FakeGitHub;
let registry: TempRegistry;
let listen: number;
let options: DeployOptions;
let releaseCommit: string;
/** The deployments this rollout created, in order. */
const rollout: DeploymentRecord[] = [];

beforeAll(async () => {
  production = await versionServer('1.0.0');
  canary = await versionServer('1.1.0');
  listen = await freePort();
  registry = TempRegistry.create('file');
  registry.write(
    '.github/modelgate.yml',
    stringify({
      deploy: {
        nginx: {
          path: 'deploy/nginx/{model}.conf',
          listen: `127.0.0.1:${listen}`,
          upstream: { '1.0.0': `127.0.0.1:${production.port}`, '1.1.0': `127.0.0.1:${canary.port}` },
        },
      },
    }),
  );
  registry.write('models/gpt2/model.yaml', 'name: gpt2\nversion: 1.0.0\n');
  const live = registry.commit('Merge pull request #41: gpt2 1.0.0');
  registry.tag('gpt2@v1.0.0', { commit: live, message: 'Release gpt2 1.0.0' });
  registry.write('models/gpt2/model.yaml', 'name: gpt2\nversion: 1.1.0\n');
  releaseCommit = registry.commit('Merge pull request #42: gpt2 1.1.0');
  registry.tag('gpt2@v1.1.0', { commit: releaseCommit, message: 'Release gpt2 1.1.0' });
  // nginx runs before any deployment, as on the VM: the include matches nothing yet.
  nginx = await startNginx(`${registry.root}/deploy/nginx/*.conf`);
  github = await FakeGitHub.start();
  github.localRepo = registry.root;
  // gpt2 1.0.0 is live in production: the deployer reported it deployed.
  github.deployments.push({
    id: 900,
    ref: 'gpt2@v1.0.0',
    sha: live,
    environment: 'production',
    payload: {
      model: 'gpt2',
      version: '1.0.0',
      weight: 100,
      manifest: 'models/gpt2/model.yaml',
      trigger: live,
    },
    description: '',
    production_environment: true,
  });
  github.reportDeployed(900, 'success');
  const octokit = createOctokit('ghs_test', () => {}, {
    GITHUB_API_URL: github.url,
    [FAST_FAKE_GITHUB]: '1',
  });
  options = {
    api: githubDeployerApi(octokit, { owner: 'acme', repo: 'models' }),
    repo: { owner: 'acme', repo: 'models' },
    gitops: octokit,
    root: registry.root,
    target: 'nginx',
    reloadCommand: nginx.reloadCommand,
    logUrl: LOG_URL,
    dryRun: false,
    log: () => {},
  };
}, 30_000);

afterAll(async () => {
  await nginx?.stop();
  await github?.close();
  await production?.server.close();
  await canary?.server.close();
});

/**
 * Creates the deployment the app would (a canary step, or the promotion),
 * applies it with deployOnce and the workflow's reload command, and waits
 * until nginx serves the new configuration.
 */
async function deploy(step: { weight: number; mirror?: number; environment?: string }) {
  const environment = step.environment ?? 'canary';
  const record = {
    id: 1000 + github.deployments.length,
    ref: 'gpt2@v1.1.0',
    sha: releaseCommit,
    environment,
    payload: {
      model: 'gpt2',
      version: '1.1.0',
      weight: step.weight,
      manifest: 'models/gpt2/model.yaml',
      trigger: releaseCommit,
      ...(step.mirror ? { strategy: 'shadow', mirror: step.mirror } : {}),
    },
    description: `Deploy gpt2 1.1.0 to ${environment} at ${step.weight}%`,
    production_environment: environment === 'production',
  };
  github.deployments.push(record);
  rollout.push(record);
  const before = nginx.workers();
  const outcome = await deployOnce(record, options);
  expect(outcome).toMatchObject({ kind: 'applied', target: 'nginx', path: 'deploy/nginx/gpt2.conf' });
  await nginx.reloaded(before);
  return { id: record.id, summary: outcome.kind === 'applied' ? outcome.summary : '' };
}

/** Sends a batch through nginx and waits until every copy nginx made of it reached a server. */
async function measure(label: string) {
  production.prompts.length = 0;
  canary.prompts.length = 0;
  const traffic = await sendTraffic(listen, REQUESTS, label);
  await nginx.drained();
  expect(traffic.failures).toEqual([]);
  return traffic;
}

// The tests are the steps of one rollout, in order: each deploys on top of the one before.
describe('command: deploy with the nginx target, under real traffic', () => {
  it('copies the asked share of requests to a shadow, whose answers no client sees', async () => {
    const shadow = await deploy({ weight: 0, mirror: 20 });
    expect(shadow.summary).toBe('gpt2 1.0.0 answers 100%; 20% of requests are copied to 1.1.0');
    const traffic = await measure('shadow');
    // Every client got production's answer, and production saw every request once.
    expect(Object.fromEntries(traffic.answers)).toEqual({ '1.0.0': REQUESTS });
    expect(production.prompts).toHaveLength(REQUESTS);
    // The shadow got copies of real requests, each at most once, about 20 % of them.
    const sent = new Set(production.prompts);
    expect(canary.prompts.filter((p) => !sent.has(p))).toEqual([]);
    expect(new Set(canary.prompts).size).toBe(canary.prompts.length);
    expect(
      Math.abs(canary.prompts.length - REQUESTS * 0.2),
      `the shadow got ${canary.prompts.length} copies of ${REQUESTS} requests, asked 20%`,
    ).toBeLessThanOrEqual(tolerance(REQUESTS, 20));
  });

  for (const weight of [5, 25, 50]) {
    it(`sends ${weight}% of requests to the canary at weight ${weight}`, async () => {
      const step = await deploy({ weight });
      expect(step.summary).toBe(`gpt2 1.1.0 answers ${weight}%, 1.0.0 ${100 - weight}%`);
      const traffic = await measure(`weight ${weight}`);
      const toCanary = traffic.answers.get('1.1.0') ?? 0;
      expect(toCanary + (traffic.answers.get('1.0.0') ?? 0)).toBe(REQUESTS);
      expect(
        Math.abs(toCanary - (REQUESTS * weight) / 100),
        `the canary answered ${toCanary} of ${REQUESTS} requests, asked ${weight}%`,
      ).toBeLessThanOrEqual(tolerance(REQUESTS, weight));
      // What the servers saw is what the clients were told: no copies left over from the shadow.
      expect(canary.prompts).toHaveLength(toCanary);
      expect(production.prompts).toHaveLength(REQUESTS - toCanary);
    });
  }

  it('changes nothing when the workflow re-runs the live step: no write, no reload, no status', async () => {
    const live = rollout.at(-1)!;
    const statuses = github.deploymentStatuses.length;
    const workers = nginx.workers();
    expect(await deployOnce(live, options)).toMatchObject({ kind: 'unchanged' });
    expect(github.deploymentStatuses).toHaveLength(statuses);
    expect(nginx.workers()).toEqual(workers);
  });

  it('sends every request to the new version once it is promoted to production', async () => {
    const promoted = await deploy({ weight: 100, environment: 'production' });
    expect(promoted.summary).toBe('gpt2 1.1.0 answers 100% of requests');
    const traffic = await measure('promoted');
    expect(Object.fromEntries(traffic.answers)).toEqual({ '1.1.0': REQUESTS });
    expect(production.prompts).toEqual([]);
  });

  it('reported each deployment in_progress, then success at its weight, with the run, as the app reads them', async () => {
    const ids = rollout.map((d) => d.id);
    const summaries = [
      'gpt2 1.0.0 answers 100%; 20% of requests are copied to 1.1.0',
      'gpt2 1.1.0 answers 5%, 1.0.0 95%',
      'gpt2 1.1.0 answers 25%, 1.0.0 75%',
      'gpt2 1.1.0 answers 50%, 1.0.0 50%',
      'gpt2 1.1.0 answers 100% of requests',
    ];
    expect(
      github.deploymentStatuses.map(({ deployment, state, description, log_url }) => ({
        deployment,
        state,
        description,
        log_url,
      })),
    ).toEqual(
      ids.flatMap((deployment, i) => [
        { deployment, state: 'in_progress', description: `applying: ${summaries[i]}`, log_url: LOG_URL },
        { deployment, state: 'success', description: summaries[i], log_url: LOG_URL },
      ]),
    );
    // The app's view: 1.1.0 is the version live in production now.
    expect(await options.api.liveVersion('production', 'gpt2')).toBe('1.1.0');
    expect(github.violations).toEqual([]);
    expect(nginx.errorLog()).not.toMatch(/\[(emerg|alert|crit|error)\]/);
  });
});
