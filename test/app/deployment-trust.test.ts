import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BOT, type FakeGitHub } from '../helpers/fake-github.js';
import { deploymentStatus, liveCanary } from '../helpers/canary-app.js';
import { requestSeries, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';

// What a deployment says is believed only as far as GitHub and the release
// back it: anyone with deployments: write writes a deployment's payload, and
// a deployment_status delivery is one status out of order (GitHub does not
// order deliveries, and redelivers old ones for days). Data: gpt2 1.2.0 in
// production; 1.3.0 as good; 1.4.0 with 2.5 times its errors, which fails
// its first interval under gpt2's own manifest (test/app/canary.test.ts).

let prometheus: RunningPrometheus;
beforeAll(async () => {
  prometheus = await startPrometheus(requestSeries('gpt2', { '1.2.0': 0.01, '1.3.0': 0.01, '1.4.0': 0.025 }));
}, 60_000);
afterAll(async () => prometheus?.stop());

/** A manifest that passes anything: one metric that is always 0 under a max of 1. */
const lax = (name: string, version: string) => `apiVersion: modelgate.dev/v1
kind: Model
name: ${name}
version: ${version}
artifacts:
  config: config.json
  tokenizer: tokenizer.json
  weights: []
canary:
  steps: [10, 100]
  interval: 5m
  failure_limit: 5
  metrics:
    - { name: error_rate, query: "vector(0)", max: 1 }
`;

const report = (github: FakeGitHub) =>
  github.comments.find((c) => c.body.startsWith('<!-- modelgate:canary:gpt2 -->'))?.body;
const contentsRead = (github: FakeGitHub) =>
  github.requests.filter((r) => r.operation === '/repos/{owner}/{repo}/contents/{path}').map((r) => r.path);

/** The success delivery of a deployment as GitHub sends it, without the deployer reporting anything now. */
function lateSuccess(live: Awaited<ReturnType<typeof liveCanary>>, id: number) {
  const deployment = live.github.deployments.find((d) => d.id === id)!;
  return live.probot().receive({
    id: `late-${id}`,
    name: 'deployment_status',
    payload: deploymentStatus({
      id,
      sha: deployment.sha ?? live.v2,
      ref: deployment.ref,
      environment: deployment.environment,
      payload: deployment.payload as object,
    }),
  } as any);
}

describe("a deployment's payload.manifest: the release's own manifest, or no analysis", () => {
  it("another model's manifest at the release commit does not judge the release; its own does", async () => {
    const live = await liveCanary(
      '1.4.0',
      prometheus.url,
      {},
      {
        // Any file at the release commit that parses as a manifest: another model's, an example, a fixture.
        files: { 'models/lax/model.yaml': lax('lax', '0.0.1') },
        // Someone with deployments: write deploys the real tag gpt2@v1.4.0, naming that file.
        first: { payload: { manifest: 'models/lax/model.yaml' } },
      },
    );
    const { github, deliver, tick } = live;
    await deliver({ id: 2, weight: 10 });
    expect(report(github)).toBeUndefined();
    expect(github.checkRuns).toEqual([]);
    expect(await tick(6)).toBe(0);
    expect(github.deployments.map((d) => d.id)).toEqual([1, 2]); // nothing moved to the next step

    // The deployer's own deployment of the release, naming gpt2's manifest: judged by it, and failed.
    github.deployments.push({
      ...github.deployments[1]!,
      id: 3,
      payload: { ...(github.deployments[1]!.payload as object), manifest: 'models/gpt2/model.yaml' },
    });
    await deliver({ id: 3 });
    expect(live.state()).toMatchObject({ manifest: 'models/gpt2/model.yaml', deploymentId: 3 });
    expect(await tick(6)).toBe(1);
    expect(live.state()).toMatchObject({ status: 'failed', intervals: [{ verdict: 'fail' }] });
    expect(github.violations).toEqual([]);
  });

  it("a file with the model's name but another version (an old copy) is not the release's manifest", async () => {
    const live = await liveCanary(
      '1.4.0',
      prometheus.url,
      {},
      {
        files: { 'archive/gpt2-1.2.0/model.yaml': lax('gpt2', '1.2.0') },
        first: { payload: { manifest: 'archive/gpt2-1.2.0/model.yaml' } },
      },
    );
    await live.deliver({ id: 2, weight: 10 });
    expect(report(live.github)).toBeUndefined();
    expect(live.github.checkRuns).toEqual([]);
  });

  // Before: any file at the release commit declaring gpt2 1.4.0 judged it, so a decoy added with the
  // release (an "example" with lax gates) let a deployment naming it pass the canary.
  it("a file declaring the release's model and version outside the manifest globs does not judge it", async () => {
    const live = await liveCanary(
      '1.4.0',
      prometheus.url,
      {},
      {
        files: { 'docs/gpt2-example.yaml': lax('gpt2', '1.4.0') },
        first: { payload: { manifest: 'docs/gpt2-example.yaml' } },
      },
    );
    await live.deliver({ id: 2, weight: 10 });
    expect(report(live.github)).toBeUndefined();
    expect(live.github.checkRuns).toEqual([]);
    expect(contentsRead(live.github)).not.toContain('/repos/acme/models/contents/docs%2Fgpt2-example.yaml');
    expect(await live.tick(6)).toBe(0);
  });

  // The tag's Manifest: line decides, even where the globs would take the decoy too.
  it("a decoy the globs find is not the release's manifest when the tag records another", async () => {
    const live = await liveCanary(
      '1.4.0',
      prometheus.url,
      {},
      {
        files: { 'models/gpt2-example/model.yaml': lax('gpt2', '1.4.0') },
        tagMessage: `Release gpt2 1.4.0\n\nManifest: models/gpt2/model.yaml sha256:${'0'.repeat(64)}\n`,
        first: { payload: { manifest: 'models/gpt2-example/model.yaml' } },
      },
    );
    await live.deliver({ id: 2, weight: 10 });
    expect(report(live.github)).toBeUndefined();
    expect(live.github.checkRuns).toEqual([]);
    expect(contentsRead(live.github)).not.toContain(
      '/repos/acme/models/contents/models%2Fgpt2-example%2Fmodel.yaml',
    );
  });

  it.each([
    ['.git/config', "git's metadata"],
    ['../models/gpt2/model.yaml', 'a path out of the repository'],
    ['/models/gpt2/model.yaml', 'an absolute path'],
    ['models/gpt2/./model.yaml', "the model's manifest spelled another way"],
  ])('%s (%s) is never read, and nothing starts', async (manifest) => {
    const live = await liveCanary('1.3.0', prometheus.url, {}, { first: { payload: { manifest } } });
    const before = contentsRead(live.github).length;
    await live.deliver({ id: 2, weight: 10 });
    expect(contentsRead(live.github).slice(before)).toEqual([
      '/repos/acme/models/contents/.github%2Fmodelgate.yml',
    ]);
    expect(report(live.github)).toBeUndefined();
    expect(live.github.checkRuns).toEqual([]);
  });
});

describe('a deployment_status delivery is believed only when it is still the newest status at GitHub', () => {
  it('a success delivered after the deployer failed the deployment starts nothing', async () => {
    const live = await liveCanary('1.3.0', prometheus.url);
    const { github, tick } = live;
    github.reportDeployed(2, 'success');
    github.reportDeployed(2, 'failure'); // the deployer took it out (a crash loop, or a person aborted it)
    await lateSuccess(live, 2); // ...and only now does the success delivery reach the app
    expect(await tick(6)).toBe(0);
    expect(report(github)).toBeUndefined();
    expect(github.checkRuns).toEqual([]);
    expect(github.deployments.map((d) => d.id)).toEqual([1, 2]);
  });

  it('a late success of the next step, after the deployer failed it, does not move the analysis onto it', async () => {
    const live = await liveCanary('1.3.0', prometheus.url);
    const { github, deliver, tick, state } = live;
    await deliver({ id: 2, weight: 10 });
    expect(await tick(6)).toBe(1);
    expect(state()).toMatchObject({ deploymentId: 2, awaiting: 1002 });
    github.reportDeployed(1002, 'success');
    github.reportDeployed(1002, 'failure');
    await lateSuccess(live, 1002);
    expect(state()).toMatchObject({ deploymentId: 2, weight: 10, awaiting: 1002 });
  });

  it.each([
    ['failure', 'the deployer reported deployment 2 failure: crash loop'],
    ['error', 'the deployer reported deployment 2 error: crash loop'],
    ['inactive', 'deployment 2 is inactive: a newer deployment of its environment replaced it: crash loop'],
  ])(
    'a running canary whose deployment turns %s is ended as failed at its next judgment, not judged or advanced',
    async (status, reason) => {
      const { github, deliver, tick, state, warnings } = await liveCanary('1.3.0', prometheus.url);
      await deliver({ id: 2, weight: 10 });
      // The deployer's newest status of deployment 2, with the description it gives (GitHub lists it first).
      const reported = { deployment: 2, state: status, at: 1_000, description: 'crash loop' };
      github.deployerStatuses.push(reported);
      expect(await tick(6)).toBe(0);
      // No next step; 1.2.0, which it replaced, answers every request again (its deployment is the model's newest).
      expect(github.deployments.map((d) => [d.id, d.environment, d.ref])).toEqual([
        [1, 'production', 'gpt2@v1.2.0'],
        [2, 'canary', 'gpt2@v1.3.0'],
        [1002, 'production', 'gpt2@v1.2.0'],
      ]);
      expect(state()).toMatchObject({
        status: 'failed',
        intervals: [],
        endedBy: { by: APP_BOT.login, link: reason },
      });
      expect(github.checkRuns[0]).toMatchObject({
        status: 'completed',
        conclusion: 'failure',
        title: 'gpt2 1.3.0: rollout ended, its deployment is gone',
      });
      expect(report(github)).toContain(
        `Ended by @\u200bmodelgate\\[bot\\]: ${reason}. Nothing more is judged.`,
      );
      expect(github.pullRequests).toEqual([]); // nothing was judged against 1.3.0: a person decides
      expect(warnings).toContain(`acme/models: gpt2 1.3.0 ended as failed: ${reason}`);
      expect(await tick(60)).toBe(0);
      expect(github.deployments.map((d) => d.id)).toEqual([1, 2, 1002]);
      expect(github.violations).toEqual([]);
    },
  );

  it('a deployment the deployer is applying again is not judged until it reports success', async () => {
    const { github, deliver, tick, state } = await liveCanary('1.3.0', prometheus.url);
    await deliver({ id: 2, weight: 10 });
    github.reportDeployed(2, 'in_progress');
    expect(await tick(6)).toBe(0);
    expect(state()).toMatchObject({ status: 'running', intervals: [] });
    expect(await tick(5)).toBe(0); // looked at again five minutes later: still applying
    github.reportDeployed(2, 'success');
    expect(await tick(5)).toBe(1);
    expect(state()).toMatchObject({ awaiting: 1002, intervals: [{ verdict: 'pass' }] });
  });

  it('a blue-green rollout whose production deployment the deployer failed after the switch switches back', async () => {
    const { github, deliver, tick, state } = await liveCanary(
      '1.3.0',
      prometheus.url,
      {
        rollout: {
          strategy: 'blue_green',
          blue_green: {
            pre_switch: { duration: '5m' },
            post_switch: { duration: '10m', interval: '5m' },
            scale_down_delay: '10m',
          },
        },
      },
      { first: { environment: 'preview', payload: { weight: 0, strategy: 'blue_green', role: 'preview' } } },
    );
    await deliver({ id: 2 });
    await tick(0);
    await tick(5); // the preview passed: the switch
    const switchId = github.deployments.at(-1)!.id;
    await deliver({ id: switchId });
    expect(state()).toMatchObject({ deploymentId: switchId, environment: 'production' });
    github.reportDeployed(switchId, 'failure');
    expect(await tick(5)).toBe(0);
    expect(state()).toMatchObject({ status: 'failed', blueGreen: { phase: 'switched-back' } });
    expect(github.deployments.at(-1)).toMatchObject({
      environment: 'production',
      ref: 'gpt2@v1.2.0',
      payload: { version: '1.2.0', weight: 100, strategy: 'blue_green', role: 'active' },
    });
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
    expect(github.violations).toEqual([]);
  });
});

describe('a failed canary whose revert would change a file another model uses', () => {
  it('opens no revert pull request, and the report says why', async () => {
    // ticket-router reads gpt2's generation_config.json, which 1.4.0 changed: restoring it would change
    // ticket-router's artifact without a new version of it.
    const ticketRouter = `apiVersion: modelgate.dev/v1
kind: Model
name: ticket-router
version: 2.0.0
artifacts:
  config: config.json
  tokenizer: tokenizer.json
  generation_config: ../gpt2/generation_config.json
  weights: []
`;
    const live = await liveCanary(
      '1.4.0',
      prometheus.url,
      {},
      {
        files: { 'models/ticket-router/model.yaml': ticketRouter },
      },
    );
    await live.deliver({ id: 2, weight: 10 });
    expect(await live.tick(6)).toBe(1);
    expect(live.state()).toMatchObject({
      status: 'failed',
      revertProblem:
        "rolling gpt2 back would change models/gpt2/generation_config.json (used by ticket-router): another model's artifact would change without a new version of it. Give each model its own copy of the file (copy it into the model's folder and point its manifest at the copy), release that, then roll back again; or roll back by hand.",
    });
    expect(live.state()).not.toHaveProperty('revertUrl');
    expect(live.github.pullRequests).toEqual([]);
    expect(report(live.github)).toContain(
      'No revert pull request was opened: rolling gpt2 back would change models/gpt2/generation_config.json',
    );
    expect(live.github.violations).toEqual([]);
  });
});
