import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import modelgateApp from '../../src/app/index.js';
import { createAppMetrics } from '../../src/app/metrics.js';
import { BullmqScheduler } from '../../src/app/scheduler/bullmq.js';
import { queuedEvent } from '../../src/app/queued-event.js';
import { DEPLOYER_PATIENCE_MS } from '../../src/core/canary/step.js';
import { APP_BOT } from '../helpers/fake-github.js';
import {
  appState,
  deploymentStatus,
  issueComment,
  liveCanary as liveCanaryAt,
  STATE_KEY,
  testProbot,
} from '../helpers/canary-app.js';
import { requestSeries, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';

let prometheus: RunningPrometheus;
beforeAll(async () => {
  prometheus = await startPrometheus(requestSeries('gpt2', { '1.2.0': 0.01, '1.3.0': 0.01 }));
}, 60_000);
afterAll(async () => prometheus?.stop());

const liveCanary = (extra: Record<string, unknown> = {}) => liveCanaryAt('1.3.0', prometheus.url, extra);

/** Requests to GitHub from `from` on, without the token exchanges (`POST /app/installations/{id}/access_tokens`). */
const requestsSince = (github: { requests: { method: string; operation: string }[] }, from: number) =>
  github.requests
    .slice(from)
    .filter((r) => !r.operation.endsWith('/access_tokens'))
    .map((r) => `${r.method} ${r.operation}`);

describe('work follows events, never a scan', () => {
  it('an hour of 60 s ticks with no canary running costs no request, whatever the installation holds', async () => {
    const { github, tick, app } = await liveCanary();
    github.installedRepositories = 1000;
    const before = github.requests.length;
    for (let minute = 0; minute < 60; minute++) await tick(1);
    expect(requestsSince(github, before)).toEqual([]);
    expect(app().judged()).toBe(0);
  });

  it('a running canary costs a few reads and writes per interval, and none between intervals', async () => {
    const { github, deliver, tick } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    let before = github.requests.length;
    for (let minute = 0; minute < 4; minute++) expect(await tick(1)).toBe(0); // the 5-minute interval is not due
    expect(requestsSince(github, before)).toEqual([]);
    before = github.requests.length;
    expect(await tick(2)).toBe(1);
    const judgment = requestsSince(github, before);
    // Read the report and what it names (comment, deployment, check runs, manifest), and whether the
    // deployment is still live (its newest status), then act and save.
    expect(judgment.filter((r) => r.startsWith('GET')).length).toBeLessThanOrEqual(8);
    expect(judgment).toContain('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses');
    expect(judgment.filter((r) => !r.startsWith('GET'))).toEqual([
      'POST /repos/{owner}/{repo}/deployments',
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
    ]);
  });

  it('a finished canary is never read again', async () => {
    const { github, deliver, tick, state } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    await tick(6);
    await deliver({ id: 1002, weight: 100 });
    expect(await tick(6)).toBe(1);
    expect(state().status).toBe('promoted');
    const before = github.requests.length;
    for (let hour = 0; hour < 48; hour++) await tick(60);
    expect(requestsSince(github, before)).toEqual([]);
  });

  it('a paused canary is looked at once a day, never judged; /canary resume schedules its next interval', async () => {
    const { github, deliver, tick, state, probot } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    github.roles.set('alice', 'write');
    await probot().receive({
      id: 'pause',
      name: 'issue_comment',
      payload: issueComment('/canary pause', { login: 'alice' }),
    } as any);
    const before = github.requests.length;
    for (let hour = 0; hour < 23; hour++) expect(await tick(60)).toBe(0);
    expect(requestsSince(github, before)).toEqual([]);
    expect(await tick(60)).toBe(0); // the daily look: reads, judges nothing
    expect(requestsSince(github, before).every((r) => r.startsWith('GET'))).toBe(true);
    expect(state().intervals).toEqual([]);
    await probot().receive({
      id: 'resume',
      name: 'issue_comment',
      payload: issueComment('/canary resume', { login: 'alice' }),
    } as any);
    expect(await tick(6)).toBe(1);
  });

  it('a step the deployer has not reported live after 30 minutes is logged, and looked at again later, not judged', async () => {
    const { deliver, tick, state, warnings } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    expect(await tick(6)).toBe(1);
    expect(state().awaiting).toBe(1002);
    expect(await tick(DEPLOYER_PATIENCE_MS / 60_000 - 10)).toBe(0);
    expect(warnings.filter((w) => w.includes('waited for the deployer'))).toEqual([]);
    expect(await tick(10)).toBe(0);
    expect(warnings.filter((w) => w.includes('waited for the deployer'))).toEqual([
      expect.stringMatching(
        /^acme\/models: gpt2 1\.3\.0 has waited for the deployer to report deployment 1002 live since /,
      ),
    ]);
    await deliver({ id: 1002, weight: 100 }); // late, but it comes: the analysis goes on
    expect(await tick(6)).toBe(1);
    expect(state().status).toBe('promoted');
  });

  it("a live step whose report the app wrote but cannot believe restarts paused, even from the deployer's status", async () => {
    const { github, deliver, tick, state } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    expect(await tick(6)).toBe(1);
    const own = github.comments.find((c) => c.user.login === APP_BOT.login)!;
    own.body = own.body.replace(/"weight":10/, '"weight":100'); // not even sealed any more: a stale cache would be
    own.body = own.body.replace(/<!-- modelgate-state:[^ ]*/, '<!-- modelgate-state:e30');
    await deliver({ id: 1002, weight: 100 });
    expect(state()).toMatchObject({
      deploymentId: 1002,
      weight: 100,
      intervals: [],
      paused: { by: APP_BOT.login },
    });
    expect(await tick(6)).toBe(0);
  });
});

describe('ChatOps and judgments of one canary never interleave', () => {
  it('a /canary pause that arrives while an interval is being judged waits for it: the pause and the interval both stand', async () => {
    // A Prometheus that answers slowly (no data), so the judgment is still running when the command arrives.
    const slow = createServer((_req, res) =>
      setTimeout(
        () =>
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } })),
        400,
      ),
    );
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    try {
      const { github, deliver, tick, state, probot } = await liveCanary();
      await deliver({ id: 2, weight: 10 });
      github.roles.set('alice', 'write');
      const judging = tick(6, slowUrl);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await probot().receive({
        id: 'pause-during-judgment',
        name: 'issue_comment',
        payload: issueComment('/canary pause', { login: 'alice' }),
      } as any);
      expect(await judging).toBe(1);
      expect(state()).toMatchObject({ paused: { by: 'alice' } });
      expect(state().intervals).toHaveLength(1);
      expect(github.comments.at(-1)!.body).toContain('paused the canary of **gpt2 1.3.0**');
    } finally {
      slow.close();
    }
  });
});

describe('late commands', () => {
  it('a command that reaches the app more than an hour after it was written is not acted on, and its author is told', async () => {
    const { github, deliver, state, probot, clock } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    github.roles.set('alice', 'write');
    const written = new Date(clock().getTime() - 2 * 3_600_000).toISOString();
    await probot().receive({
      id: 'late-pause',
      name: 'issue_comment',
      payload: issueComment('/canary pause', { login: 'alice', createdAt: written }),
    } as any);
    expect(github.comments.at(-1)!.body).toContain(
      'this command was written 120 minutes ago and reached modelgate only now, so nothing was done',
    );
    expect(state().paused).toBeUndefined();
  });
});

describe('the rate-limit budget', () => {
  it('defers scheduled judgments when an installation runs low, while ChatOps still answers', async () => {
    const { github, deliver, tick, app, probot, clock } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    const reset = new Date(clock().getTime() + 30 * 60_000);
    app().budget.record(1, { remaining: 400, limit: 5000, resetAt: reset });
    expect(await tick(6)).toBe(0);
    github.roles.set('alice', 'read');
    await probot().receive({
      id: 'status',
      name: 'issue_comment',
      payload: issueComment('/canary status', { login: 'alice' }),
    } as any);
    expect(github.comments.at(-1)!.body).toContain('running at 10% of traffic');
    const exposition = await app().metrics.registry.metrics();
    expect(exposition).toContain('modelgate_work_deferred_total{priority="routine",reason="reserve"} 1');
    expect(await tick(30)).toBe(1); // the window reset: the judgment runs
  });
});

describe('recovery on start', () => {
  it("redelivers what never reached the app, leaves stale commands to their authors, and rebuilds the schedule from GitHub's delivery log", async () => {
    const { github, deliver, tick, restart, clock, state } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    // While the app is down: the deployer's status and a /promote fail to arrive; an hour-old /rollback too.
    const at = (minutesAgo: number) => new Date(clock().getTime() - minutesAgo * 60_000);
    github.logDelivery({ guid: 'status-missed', event: 'deployment_status', at: at(1), status_code: 0 });
    github.logDelivery({ guid: 'promote-missed', event: 'issue_comment', at: at(2), status_code: 502 });
    github.logDelivery({ guid: 'rollback-stale', event: 'issue_comment', at: at(90), status_code: 0 });
    github.logDelivery({ guid: 'push', event: 'push', at: at(3), status_code: 0 });
    const report = await restart();
    expect(report).toEqual({ examined: 5, redelivered: 2, repositories: 1, complete: true });
    const redelivered = github.redeliveries.map((id) => github.deliveries.find((d) => d.id === id)!.guid);
    expect(redelivered.sort()).toEqual(['promote-missed', 'status-missed']);
    // The running canary was found through its repository's deliveries and is judged on time.
    expect(await tick(6)).toBe(1);
    expect(state().awaiting).toBe(1002);
  });
});

describe('scale-out: N replicas on Redis', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => redis?.stop());

  it('a webhook delivery is queued and acknowledged at once; a replica runs it from the queue', async () => {
    const { github, v2 } = await liveCanary();
    const warnings: string[] = [];
    const replicas = await Promise.all(
      [0, 1].map(async () => {
        const probot = testProbot(github.url, warnings);
        const scheduler = new BullmqScheduler({
          url: redis.url,
          queueName: 'event-driven-test',
          lockDurationMs: 2000,
        });
        await probot.load((app) =>
          modelgateApp(app, {
            config: {
              prometheusUrl: prometheus.url,
              tickSeconds: 60,
              stateKey: STATE_KEY,
              redisUrl: redis.url,
            },
            scheduler,
            recovery: false,
            metrics: createAppMetrics(new Registry(), { defaultMetrics: false }),
          }),
        );
        return { probot, scheduler };
      }),
    );
    try {
      github.reportDeployed(2);
      const before = github.requests.length;
      const payload = deploymentStatus({
        ...github.deployments[1]!,
        payload: github.deployments[1]!.payload as object,
        sha: v2,
        ref: 'gpt2@v1.3.0',
      });
      await replicas[0]!.probot.receive({ id: 'queued-1', name: 'deployment_status', payload } as any);
      // Acknowledged before any work: the handler only queued the event.
      expect(requestsSince(github, before)).toEqual([]);
      await expect.poll(() => github.comments.length, { timeout: 10_000 }).toBe(1);
      expect(appState(github)).toMatchObject({ deploymentId: 2, weight: 10, status: 'running' });
      expect(github.checkRuns).toHaveLength(1); // one analysis, whichever replica ran it

      // A job someone with access to Redis added, naming a maintainer: not sealed by modelgate, never run.
      github.roles.set('maintainer', 'admin');
      const forged = queuedEvent(
        'forged-1',
        'issue_comment',
        issueComment('/canary abort', { login: 'maintainer' }),
      );
      await replicas[1]!.scheduler.schedule(
        { key: 'event:forged-1', kind: 'event', installationId: 1, data: { ...forged } },
        new Date(),
      );
      await expect
        .poll(() => warnings, { timeout: 10_000 })
        .toContain('queued job event:forged-1 was not run: it carries no sealed event');
      expect(github.deploymentStatuses).toEqual([]); // nothing aborted
      expect(github.comments.filter((c) => c.body.includes('/canary abort'))).toEqual([]);
    } finally {
      await Promise.all(replicas.map((r) => r.scheduler.close()));
    }
  });
});
