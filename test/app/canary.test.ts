import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Probot } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeCanary } from '../../src/app/judge-canary.js';
import { parseDeploymentPayload } from '../../src/core/release/plan.js';
import type { Octokit } from '../../src/io/github/octokit.js';
import {
  appTrust,
  deploymentStatus,
  issueComment,
  liveCanary as liveCanaryAt,
  loadApp,
  privateKey,
  testProbot,
} from '../helpers/canary-app.js';
import { requestSeries, startPrometheus, T0, type RunningPrometheus } from '../helpers/prometheus.js';

let prometheus: RunningPrometheus;
beforeAll(async () => {
  prometheus = await startPrometheus(requestSeries('gpt2', { '1.2.0': 0.01, '1.3.0': 0.01, '1.4.0': 0.025 }));
}, 60_000);
afterAll(async () => prometheus?.stop());

const liveCanary = (version: string, extra: Record<string, unknown> = {}) =>
  liveCanaryAt(version, prometheus.url, extra);

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
    const { github, deliver, tick, state, registry, probot } = await liveCanary('1.4.0');
    await deliver({ id: 2, weight: 10 });
    expect(await tick(6)).toBe(1);
    expect(state()).toMatchObject({ status: 'failed', revertUrl: 'https://github.com/acme/models/pull/100' });
    expect(github.deploymentStatuses).toEqual([expect.objectContaining({ deployment: 2, state: 'failure' })]);
    // Out of traffic: a failure status moves nothing (the deployer acts on deployments), so 1.2.0, which
    // it replaced, is deployed to production at 100 %, in the deployer's contract.
    const back = github.deployments.at(-1)!;
    expect(back).toMatchObject({
      environment: 'production',
      ref: 'gpt2@v1.2.0',
      payload: { model: 'gpt2', version: '1.2.0', weight: 100 },
    });
    expect(parseDeploymentPayload(back.payload)).toMatchObject({ ok: true });
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
    expect(github.deployments.at(-1)).toBe(back);
    // The switch back is the model's newest deployment, made for this rollout: /canary status finds it there.
    github.roles.set('alice', 'read');
    const status = issueComment('/canary status gpt2', { login: 'alice' });
    await probot().receive({ id: 'status', name: 'issue_comment', payload: status } as any);
    expect(github.comments.at(-1)!.body).toMatch(/\*\*gpt2 1\.4\.0\*\* canary: failed/);
    expect(github.violations).toEqual([]);
  });

  it('a switch back that fails once is made by the retry, with the revert: the canary is not left at its share', async () => {
    const { github, deliver, tick, state } = await liveCanary('1.4.0');
    await deliver({ id: 2, weight: 10 });
    github.fail('POST', '/repos/{owner}/{repo}/deployments', 502, 1);
    await tick(6).catch(() => 0); // the judgment dies creating the switch back
    expect(state()).toMatchObject({ status: 'running' });
    expect(github.deploymentStatuses).toEqual([]); // not yet marked failed: the retry finds it live
    await tick(1);
    expect(state()).toMatchObject({ status: 'failed', revertUrl: 'https://github.com/acme/models/pull/100' });
    expect(github.deployments.at(-1)).toMatchObject({ environment: 'production', ref: 'gpt2@v1.2.0' });
    expect(github.deploymentStatuses).toEqual([expect.objectContaining({ deployment: 2, state: 'failure' })]);
  });

  it('a failed canary is not switched back over a newer deployment of the model (the guard rolled back meanwhile)', async () => {
    const { github, deliver, tick, state, warnings, v1 } = await liveCanary('1.4.0');
    await deliver({ id: 2, weight: 10 });
    // 1.2.0's production guard rolls production back while the canary runs: a newer deployment routes gpt2.
    github.deployments.push({
      id: 3,
      ref: 'gpt2@v1.2.0',
      sha: v1,
      environment: 'production',
      payload: {
        model: 'gpt2',
        version: '1.2.0',
        weight: 100,
        manifest: 'models/gpt2/model.yaml',
        trigger: 'modelgate-guard:x',
      },
      description: '',
      production_environment: true,
    });
    expect(await tick(6)).toBe(1);
    expect(state()).toMatchObject({ status: 'failed' });
    expect(github.deployments.map((d) => d.id)).toEqual([1, 2, 3]); // 1.2.0 is not deployed over the rollback
    expect(warnings).toContain(
      'acme/models: gpt2 1.4.0 was not switched back: deployment 3 (1.2.0) routes the model already',
    );
  });

  it('a bad canary whose baseline was deregistered meanwhile opens no revert pull request that could never pass: the report says why', async () => {
    const { github, deliver, tick, state, registry, v1 } = await liveCanary('1.4.0');
    registry.git('tag', '-a', '-m', 'Deregistering gpt2 1.2.0', 'gpt2@v1.2.0!#90', v1);
    await deliver({ id: 2, weight: 10 });
    expect(await tick(6)).toBe(1);
    expect(state()).toMatchObject({
      status: 'failed',
      revertProblem: expect.stringContaining(
        "production's 1.2.0 cannot be restored: gpt2 1.2.0 was deregistered (gpt2@v1.2.0 is withdrawn)",
      ),
    });
    expect(state().revertUrl).toBeUndefined();
    expect(github.pullRequests).toEqual([]);
    // Traffic still goes back to the baseline: the canary's deployment fails, as for any bad canary.
    expect(github.deploymentStatuses).toEqual([expect.objectContaining({ deployment: 2, state: 'failure' })]);
    expect(github.comments[0]!.body).toContain('gpt2 1.2.0 was deregistered');
    expect(github.violations).toEqual([]);
  });

  it("a failed canary is not switched back when production moved on since it began: the guard's rollback is not undone", async () => {
    const { github, deliver, tick, state, warnings, v1 } = await liveCanary('1.4.0');
    // 1.2.0's guard rolled production back to 1.1.0 before the canary's step was made: the step is the
    // model's newest deployment, but production's newest is the rollback.
    github.deployments.splice(1, 0, {
      id: 3,
      ref: 'gpt2@v1.1.0',
      sha: v1,
      environment: 'production',
      payload: {
        model: 'gpt2',
        version: '1.1.0',
        weight: 100,
        manifest: 'models/gpt2/model.yaml',
        trigger: `modelgate-guard:${v1}`,
      },
      description: '',
      production_environment: true,
    });
    await deliver({ id: 2, weight: 10 });
    expect(await tick(6)).toBe(1);
    expect(state()).toMatchObject({ status: 'failed' });
    expect(github.deployments.filter((d) => d.environment === 'production').map((d) => d.id)).toEqual([1, 3]);
    expect(warnings).toContain(
      'acme/models: gpt2 1.4.0 was not switched back: deployment 3 (1.1.0) routes the model already',
    );
  });

  it('a deleted report stops nothing: the judgment restarts the rollout paused, and a new success delivery cannot start it afresh', async () => {
    const { github, deliver, tick, state, warnings } = await liveCanary('1.3.0');
    await deliver({ id: 2, weight: 10 });
    const report = () =>
      github.comments.findIndex((c) => c.body.startsWith('<!-- modelgate:canary:gpt2 -->'));
    github.comments.splice(report(), 1);
    expect(await tick(6)).toBe(0);
    expect(state()).toMatchObject({
      status: 'running',
      paused: { link: "the rollout's report on pull request #42 is gone (deleted)" },
    });
    expect(warnings).toContain(
      "acme/models: the rollout's report on pull request #42 is gone (deleted): restarted paused",
    );
    expect(await tick(6)).toBe(0); // paused: nothing is judged until /canary resume
    // Deleted again, then the deployer's success delivered again: the analysis starts paused, not afresh.
    github.comments.splice(report(), 1);
    await deliver({ id: 2, weight: 10 });
    expect(state()).toMatchObject({
      paused: { link: "the rollout's report on pull request #42 is gone (deleted)" },
    });
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

  it('two replicas judging the same interval at once open one revert pull request', async () => {
    const { github, deliver, probot, clock } = await liveCanary('1.4.0');
    await deliver({ id: 2, weight: 10 });
    const octokit = (await probot().auth(1)) as unknown as Octokit;
    const judge = () =>
      judgeCanary(
        octokit,
        { owner: 'acme', repo: 'models' },
        { pr: 42, model: 'gpt2' },
        { prometheusUrl: prometheus.url },
        new Date(clock().getTime() + 6 * 60_000),
        appTrust(),
      );
    await Promise.all([judge(), judge()]);
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

  it('a judgment that dies after shifting traffic is retried, and does not shift it twice', async () => {
    const { github, deliver, tick, state, app } = await liveCanary('1.3.0');
    await deliver({ id: 2, weight: 10 });
    github.fail('PATCH', '/repos/{owner}/{repo}/issues/comments/{comment_id}', 500);
    expect(await tick(6)).toBe(0);
    expect(app().failures).toEqual([expect.stringContaining('500')]);
    expect(github.deployments).toHaveLength(3);
    expect(await tick(0)).toBe(1);
    expect(github.deployments).toHaveLength(3);
    expect(state()).toMatchObject({ awaiting: 1002 });
  });

  it('POST /modelgate/tick runs what is due, behind a bearer secret', async () => {
    const { github, state, clock, v2 } = await liveCanary('1.3.0');
    let handler: ((req: IncomingMessage, res: ServerResponse) => unknown) | undefined;
    const probot = testProbot(github.url);
    let now = clock();
    await loadApp(probot, () => now, prometheus.url, {
      tickSecret: 's3cret',
      addHandler: (h) => (handler = h),
    });
    github.reportDeployed(2);
    await probot.receive({
      id: 'd-2',
      name: 'deployment_status',
      payload: deploymentStatus({
        ...github.deployments[1]!,
        payload: github.deployments[1]!.payload as object,
        sha: v2,
        ref: 'gpt2@v1.3.0',
      }),
    } as any);
    const server = createServer(
      (req, res) =>
        void Promise.resolve(handler!(req, res)).then(
          (handled) => handled === false && res.writeHead(404).end(),
        ),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/modelgate/tick`;
    const tick = () => fetch(url, { method: 'POST', headers: { authorization: 'Bearer s3cret' } });
    try {
      expect((await fetch(url, { method: 'POST' })).status).toBe(401);
      expect(await (await tick()).json()).toEqual({ judged: 0 }); // not due yet
      now = new Date(now.getTime() + 6 * 60_000);
      const response = await tick();
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ judged: 1 });
      expect(state().awaiting).toBe(1002);
    } finally {
      server.close();
    }
  });

  it('a repository whose only stage is production rolls out there: the steps are judged against the version it replaces, and promoted', async () => {
    const { github, deliver, tick, state, registry, v2 } = await liveCanaryAt(
      '1.3.0',
      prometheus.url,
      {},
      { settings: 'stages: [production]\n', first: { environment: 'production' } },
    );
    await deliver({ id: 2 });
    expect(state()).toMatchObject({ environment: 'production', weight: 10, baselineVersion: '1.2.0' });
    expect(await tick(6)).toBe(1);
    const step = github.deployments.at(-1)!;
    expect(step).toMatchObject({ environment: 'production', payload: { version: '1.3.0', weight: 100 } });
    await deliver({ id: step.id });
    expect(await tick(6)).toBe(1);
    expect(state()).toMatchObject({ status: 'promoted' });
    expect(registry.git('rev-list', '-n', '1', 'gpt2#production#2')).toBe(v2);
    // The last step was the production deployment at 100 %: promotion found it rather than deploying twice.
    expect(github.deployments.filter((d) => d.environment === 'production')).toHaveLength(3);
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

  it("rides out a 500 (Probot's retry) and a secondary rate limit (Probot does not retry those: the job's retry resumes)", async () => {
    const { github, deliver, state } = await liveCanary('1.3.0');
    await deliver({ id: 2, weight: 10 });
    // A production-like app: Probot's default Octokit, retry and throttling on.
    const probot = new Probot({ appId: 1, privateKey, baseUrl: github.url, logLevel: 'fatal' });
    const octokit = (await probot.auth(1)) as unknown as Octokit;
    const tick = async (clock: Date) =>
      (
        await judgeCanary(
          octokit,
          { owner: 'acme', repo: 'models' },
          { pr: 42, model: 'gpt2' },
          { prometheusUrl: prometheus.url },
          clock,
          appTrust(),
        )
      ).judged;
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
    expect(await tick(new Date((T0 + 1020) * 1000))).toBe(true);
    expect(github.deployments.filter((d) => d.environment === 'canary')).toHaveLength(2); // and not created again
    expect(state()).toMatchObject({
      awaiting: 1002,
      intervals: [expect.objectContaining({ verdict: 'pass' })],
    });
  }, 30_000);
});
