import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { Probot, ProbotOctokit } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import modelgateApp from '../../src/app/index.js';
import { decodeState } from '../../src/core/canary/state.js';
import { tickRepository } from '../../src/app/tick.js';
import type { Octokit } from '../../src/io/github/octokit.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { addRealModel } from '../helpers/models.js';
import { requestSeries, startPrometheus, T0, type RunningPrometheus } from '../helpers/prometheus.js';
import { TempRegistry } from '../helpers/registry.js';
import { fixturePath } from '../setup/fixture-packages.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

const CANARY = {
  steps: [10, 100],
  interval: '5m',
  failure_limit: 0,
  metrics: [
    {
      name: 'error_rate',
      query:
        'sum(rate(llm_requests_total{model="{{model}}",version="{{version}}",code=~"5.."}[1m])) / sum(rate(llm_requests_total{model="{{model}}",version="{{version}}"}[1m]))',
      max: 0.03,
      direction: 'increase',
    },
  ],
};

let prometheus: RunningPrometheus;
beforeAll(async () => {
  prometheus = await startPrometheus(requestSeries('gpt2', { '1.2.0': 0.01, '1.3.0': 0.01, '1.4.0': 0.025 }));
}, 60_000);
afterAll(async () => prometheus?.stop());

/** A Probot for tests: the fake GitHub as API, retries and throttling off, quiet. */
function testProbot(baseUrl: string): Probot {
  return new Probot({
    appId: 1,
    privateKey,
    baseUrl,
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    logLevel: 'fatal',
  });
}

/** Loads modelgate into it, reading Prometheus and the clock the test controls. */
function loadApp(probot: Probot, now: () => Date): Promise<void> {
  return probot.load((app) =>
    modelgateApp(app, { config: { prometheusUrl: prometheus.url, tickSeconds: 0 }, now }),
  );
}

/** The real deployment_status example from @octokit/webhooks-examples, pointed at our deployment. */
function deploymentStatus(deployment: {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload: object;
}) {
  const examples = JSON.parse(readFileSync(fixturePath.webhookExamples, 'utf8')) as {
    name: string;
    examples: any[];
  }[];
  const example = structuredClone(examples.find((e) => e.name === 'deployment_status')!.examples[0]);
  Object.assign(example.deployment, deployment);
  example.deployment_status.state = 'success';
  example.repository.name = 'models';
  example.repository.owner.login = 'acme';
  example.repository.full_name = 'acme/models';
  example.installation = { id: 1, node_id: 'I' };
  return example;
}

/** gpt2 1.2.0 in production, `version` released from pull request #42 and live at 10 % on canary. */
async function liveCanary(version: string, extra: Record<string, unknown> = {}) {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2', { version: '1.2.0', manifest: { canary: CANARY, ...extra } });
  const v1 = registry.commit('gpt2 1.2.0');
  registry.tag('gpt2@v1.2.0', { commit: v1, date: 1_760_000_000 });
  registry.tag('gpt2#production#1', { commit: v1, date: 1_760_000_001 });
  const manifest = parse(registry.read('models/gpt2/model.yaml')) as Record<string, any>;
  registry.editJson('models/gpt2/generation_config.json', (c) => (c.temperature = 0.7));
  registry.write('models/gpt2/model.yaml', stringify({ ...manifest, version }));
  const v2 = registry.commit(`gpt2 ${version} (#42)`);
  registry.tag(`gpt2@v${version}`, { commit: v2, date: 1_760_000_100 });
  const github = await FakeGitHub.start({
    onTag: (name, commit, message) => registry.tag(name, { commit, message }),
  });
  github.localRepo = registry.root;
  github.seedBranch('main', v2, registry.git('rev-parse', `${v2}^{tree}`));
  github.pulls.set(v2, [
    { number: 42, title: `gpt2 ${version}`, merged_at: '2026-11-22T00:00:00Z', user: { login: 'alice' } },
  ]);
  github.deployments.push({
    id: 1,
    ref: 'gpt2@v1.2.0',
    sha: v1,
    environment: 'production',
    payload: {
      model: 'gpt2',
      version: '1.2.0',
      weight: 100,
      manifest: 'models/gpt2/model.yaml',
      trigger: v1,
    },
    description: '',
    production_environment: true,
  });
  github.deployments.push({
    id: 2,
    ref: `gpt2@v${version}`,
    sha: v2,
    environment: 'canary',
    payload: { model: 'gpt2', version, weight: 10, manifest: 'models/gpt2/model.yaml', trigger: v2 },
    description: '',
    production_environment: false,
  });
  const probot = testProbot(github.url);
  let clock = new Date((T0 + 600) * 1000);
  await loadApp(probot, () => clock);
  const deliver = (deployment: { id: number; weight: number }) =>
    probot.receive({
      id: `d-${deployment.id}`,
      name: 'deployment_status',
      payload: deploymentStatus({
        id: deployment.id,
        sha: v2,
        ref: `gpt2@v${version}`,
        environment: 'canary',
        payload: {
          model: 'gpt2',
          version,
          weight: deployment.weight,
          manifest: 'models/gpt2/model.yaml',
          trigger: v2,
        },
      }),
    } as any);
  let octokit = (await probot.auth(1)) as unknown as Octokit;
  const tick = (minutes: number, prometheusUrl = prometheus.url) => {
    clock = new Date(clock.getTime() + minutes * 60_000);
    return tickRepository(
      octokit,
      { owner: 'acme', repo: 'models' },
      { prometheusUrl, tickSeconds: 0 },
      clock,
    );
  };
  /** A new app process: nothing carried over in memory. */
  const restart = async () => {
    const fresh = testProbot(github.url);
    await loadApp(fresh, () => clock);
    octokit = (await fresh.auth(1)) as unknown as Octokit;
  };
  const state = () =>
    decodeState(github.comments.find((c) => c.body.startsWith('<!-- modelgate:canary:gpt2 -->'))!.body)!;
  return { registry, github, deliver, tick, restart, state, v1, v2 };
}

describe('the canary app', () => {
  it("starts on the deployer's success status: one sticky report and a check run; a duplicate delivery changes nothing", async () => {
    const { github, deliver, state, v2 } = await liveCanary('1.3.0');
    await deliver({ id: 2, weight: 10 });
    expect(github.comments).toHaveLength(1);
    expect(github.checkRuns).toEqual([
      expect.objectContaining({ name: 'modelgate canary: gpt2', head_sha: v2, status: 'in_progress' }),
    ]);
    expect(state()).toMatchObject({
      model: 'gpt2',
      version: '1.3.0',
      baselineVersion: '1.2.0',
      pr: 42,
      deploymentId: 2,
      weight: 10,
      status: 'running',
      intervals: [],
    });
    const writes = github.writes().length;
    await deliver({ id: 2, weight: 10 });
    expect(github.writes()).toHaveLength(writes);
    expect(github.violations).toEqual([]);
  });

  it('a good canary advances step by step, then is promoted: stage tag, production deployment, check run success', async () => {
    const { github, deliver, tick, state, registry, v2 } = await liveCanary('1.3.0');
    await deliver({ id: 2, weight: 10 });
    expect(await tick(1)).toBe(0); // not due yet
    expect(await tick(5)).toBe(1);
    expect(state()).toMatchObject({
      weight: 10,
      awaiting: 1002,
      intervals: [expect.objectContaining({ verdict: 'pass' })],
    });
    expect(github.deployments.at(-1)).toMatchObject({
      id: 1002,
      environment: 'canary',
      payload: { weight: 100 },
    });
    expect(await tick(5)).toBe(0); // waiting for the deployer to shift traffic

    await deliver({ id: 1002, weight: 100 });
    expect(state()).toMatchObject({ deploymentId: 1002, weight: 100 });
    expect(state().awaiting).toBeUndefined();
    expect(await tick(6)).toBe(1); // the last step passed: promote
    expect(state()).toMatchObject({
      status: 'promoted',
      intervals: [expect.objectContaining({ verdict: 'pass' }), expect.objectContaining({ verdict: 'pass' })],
    });
    expect(registry.git('rev-list', '-n', '1', 'gpt2#production#2')).toBe(v2); // GTO counter after gpt2#production#1
    expect(github.deployments.at(-1)).toMatchObject({
      environment: 'production',
      ref: 'gpt2@v1.3.0',
      payload: { version: '1.3.0', weight: 100 },
    });
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(github.comments[0]!.body).toContain('every step passed: promoted to production');
    expect(await tick(6)).toBe(0);
    expect(github.violations).toEqual([]);
  });

  it('a bad canary fails: failure status, one revert pull request restoring the baseline release, check run failure', async () => {
    const { github, deliver, tick, state, registry } = await liveCanary('1.4.0');
    await deliver({ id: 2, weight: 10 });
    expect(await tick(6)).toBe(1);
    expect(state()).toMatchObject({ status: 'failed', revertUrl: 'https://github.com/acme/models/pull/100' });
    expect(github.deploymentStatuses).toEqual([expect.objectContaining({ deployment: 2, state: 'failure' })]);
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(github.pullRequests).toEqual([
      expect.objectContaining({ title: 'Roll back gpt2 to 1.2.0', head: 'modelgate/rollback-gpt2-1.2.0' }),
    ]);
    const [tree] = [...github.trees.values()];
    expect(tree!.tree).toEqual(
      expect.arrayContaining([
        {
          path: 'models/gpt2/model.yaml',
          mode: '100644',
          type: 'blob',
          sha: registry.git('rev-parse', 'gpt2@v1.2.0:models/gpt2/model.yaml'),
        },
        {
          path: 'models/gpt2/generation_config.json',
          mode: '100644',
          type: 'blob',
          sha: registry.git('rev-parse', 'gpt2@v1.2.0:models/gpt2/generation_config.json'),
        },
      ]),
    );
    expect(github.comments[0]!.body).toContain(
      'Revert pull request: https://github.com/acme/models/pull/100',
    );
    expect(await tick(6)).toBe(0); // finished: nothing more, and never a second pull request
    expect(github.pullRequests).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it('resumes after a restart between ticks: the state is in GitHub, not in the process', async () => {
    const { github, deliver, tick, restart, state } = await liveCanary('1.3.0');
    await deliver({ id: 2, weight: 10 });
    await restart();
    expect(await tick(6)).toBe(1);
    expect(state()).toMatchObject({
      awaiting: 1002,
      intervals: [expect.objectContaining({ verdict: 'pass' })],
    });
    expect(github.violations).toEqual([]);
  });

  it('two ticks at once open one revert pull request', async () => {
    const { github, deliver, tick } = await liveCanary('1.4.0');
    await deliver({ id: 2, weight: 10 });
    await Promise.all([tick(6), tick(0)]);
    expect(github.pullRequests).toHaveLength(1);
  });

  it('Prometheus down is an error each interval, never a pass; past consecutive_error_limit (4) the canary fails', async () => {
    const { github, deliver, tick, state } = await liveCanary('1.3.0');
    await deliver({ id: 2, weight: 10 });
    for (let i = 0; i < 4; i++) expect(await tick(6, 'http://127.0.0.1:9')).toBe(1);
    expect(state()).toMatchObject({ status: 'running', weight: 10 });
    expect(state().intervals.map((i) => i.verdict)).toEqual(['error', 'error', 'error', 'error']);
    expect(github.deployments).toHaveLength(2); // no step was taken on missing evidence
    expect(await tick(6, 'http://127.0.0.1:9')).toBe(1);
    expect(state().status).toBe('failed');
    expect(github.pullRequests).toHaveLength(1);
  });

  it('a tick that dies after shifting traffic does not shift it twice', async () => {
    const { github, deliver, tick, state } = await liveCanary('1.3.0');
    await deliver({ id: 2, weight: 10 });
    github.fail('PATCH', '/repos/{owner}/{repo}/issues/comments/{comment_id}', 500);
    await expect(tick(6)).rejects.toThrow();
    expect(github.deployments).toHaveLength(3);
    expect(await tick(0)).toBe(1);
    expect(github.deployments).toHaveLength(3);
    expect(state()).toMatchObject({ awaiting: 1002 });
  });

  it('POST /modelgate/tick drives the same tick for every installation, behind a bearer secret', async () => {
    const { github, deliver, state } = await liveCanary('1.3.0');
    await deliver({ id: 2, weight: 10 });
    let handler: ((req: IncomingMessage, res: ServerResponse) => unknown) | undefined;
    const probot = testProbot(github.url);
    const clock = new Date((T0 + 600 + 360) * 1000);
    await probot.load((app) =>
      modelgateApp(app, {
        config: { prometheusUrl: prometheus.url, tickSecret: 's3cret', tickSeconds: 0 },
        now: () => clock,
        addHandler: (h) => (handler = h),
      }),
    );
    const server = createServer(
      (req, res) =>
        void Promise.resolve(handler!(req, res)).then(
          (handled) => handled === false && res.writeHead(404).end(),
        ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/modelgate/tick`;
    try {
      expect((await fetch(url, { method: 'POST' })).status).toBe(401);
      const response = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer s3cret' } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ judged: 1 });
      expect(state().awaiting).toBe(1002);
    } finally {
      server.close();
    }
  });

  it('with rollback.mode: auto_merge, enables auto-merge on the revert pull request', async () => {
    const { github, deliver, tick } = await liveCanary('1.4.0', { rollback: { mode: 'auto_merge' } });
    await deliver({ id: 2, weight: 10 });
    expect(await tick(6)).toBe(1);
    expect(github.pullRequests).toHaveLength(1);
    expect(github.graphqlCalls).toEqual([
      { query: expect.stringContaining('enablePullRequestAutoMerge'), variables: { id: 'PR' } },
    ]);
  });

  it("rides out a 500 (Probot's retry) and a secondary rate limit (Probot does not retry those: the next tick resumes)", async () => {
    const { github, deliver, state } = await liveCanary('1.3.0');
    await deliver({ id: 2, weight: 10 });
    // A production-like app: Probot's default Octokit, retry and throttling on.
    const probot = new Probot({ appId: 1, privateKey, baseUrl: github.url, logLevel: 'fatal' });
    const octokit = (await probot.auth(1)) as unknown as Octokit;
    const tick = (clock: Date) =>
      tickRepository(
        octokit,
        { owner: 'acme', repo: 'models' },
        { prometheusUrl: prometheus.url, tickSeconds: 0 },
        clock,
      );
    github.fail('POST', '/repos/{owner}/{repo}/deployments', 500);
    github.fail(
      'PATCH',
      '/repos/{owner}/{repo}/issues/comments/{comment_id}',
      403,
      1,
      { 'retry-after': '1' },
      'You have exceeded a secondary rate limit.',
    );
    await expect(tick(new Date((T0 + 960) * 1000))).rejects.toThrow('secondary rate limit');
    expect(github.deployments.filter((d) => d.environment === 'canary')).toHaveLength(2); // the 500 was retried once
    expect(await tick(new Date((T0 + 1020) * 1000))).toBe(1);
    expect(github.deployments.filter((d) => d.environment === 'canary')).toHaveLength(2); // and not created again
    expect(state()).toMatchObject({
      awaiting: 1002,
      intervals: [expect.objectContaining({ verdict: 'pass' })],
    });
  }, 30_000);
});
