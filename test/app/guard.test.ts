import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlannedAlert } from '../../src/core/guard/alerts.js';
import { APP_BOT, person, type FakeGitHub } from '../helpers/fake-github.js';
import { appTrust, deploymentStatus } from '../helpers/canary-app.js';
import { startGuard } from '../../src/app/guard-start.js';
import { parseDeploymentPayload } from '../../src/core/release/plan.js';
import type { Octokit } from '../../src/io/github/octokit.js';
import { GUARD, guardState, promoted as promotedGuard, startGuardPrometheus } from '../helpers/guard-app.js';
import type { RunningPrometheus } from '../helpers/prometheus.js';

let prometheus: RunningPrometheus;
const posted: PlannedAlert[][] = [];
let alertmanager: { url: string; close: () => void };
beforeAll(async () => {
  prometheus = await startGuardPrometheus();
  // What the app posts to Alertmanager's API (the real Alertmanager is in guard-alerts.test.ts: its
  // clock is the wall clock, and this test's is T0's).
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/api/v2/alerts')
        posted.push(JSON.parse(body) as PlannedAlert[]);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  alertmanager = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}, 120_000);
afterAll(async () => {
  alertmanager?.close();
  await prometheus?.stop();
});

/** gpt2 `version` promoted; its guard posts alerts to this file's Alertmanager stand-in (`posted`). */
const promoted = (version: string, guard?: Record<string, unknown>) => {
  posted.length = 0;
  return promotedGuard(version, prometheus.url, { guard, alertmanagerUrl: alertmanager.url });
};

const guardComment = (github: FakeGitHub) =>
  github.comments.find((c) => c.body.startsWith('<!-- modelgate:guard:gpt2 -->'))!;

/**
 * gpt2 `to` (from `from` in the manifest), released from pull request #43 and promoted: its
 * production deployment (3000, not reported live) and the guard startGuard gives it, against
 * `baseline`. Returns the release commit.
 */
async function promoteNewer(
  app: Awaited<ReturnType<typeof promoted>>,
  from: string,
  to: string,
  baseline: string,
): Promise<string> {
  const { github, registry, probot, clock, state } = app;
  registry.write(
    'models/gpt2/model.yaml',
    registry.read('models/gpt2/model.yaml').replace(`version: ${from}`, `version: ${to}`),
  );
  const commit = registry.commit(`gpt2 ${to} (#43)`);
  registry.tag(`gpt2@v${to}`, { commit, date: 1_760_000_200 });
  github.pulls.set(commit, [
    { number: 43, title: `gpt2 ${to}`, merged_at: '2026-11-23T00:00:00Z', user: { login: 'alice' } },
  ]);
  const payload = {
    model: 'gpt2',
    version: to,
    weight: 100,
    manifest: 'models/gpt2/model.yaml',
    trigger: commit,
  };
  github.deployments.push({
    id: 3000,
    ref: `gpt2@v${to}`,
    sha: commit,
    environment: 'production',
    payload,
    description: '',
    production_environment: true,
  });
  const octokit = (await probot().auth(1)) as unknown as Octokit;
  const release = { ref: `gpt2@v${to}`, sha: commit, trigger: commit, pr: 43 };
  await startGuard(
    octokit,
    { owner: 'acme', repo: 'models' },
    { ...state(), ...release, version: to, baselineVersion: baseline, status: 'promoted' as const },
    { deploymentId: 3000, promotedAt: clock() },
    appTrust(),
  );
  return commit;
}

describe('the production guard after promotion (real Prometheus)', () => {
  it('a healthy bake is judged every hour against the same hours of the two days before, and ends quietly', async () => {
    const { github, tick, guard, guarded, registry, restart } = await promoted('1.3.0');
    expect(guard()).toMatchObject({
      status: 'watching',
      version: '1.3.0',
      previousVersion: '1.2.0',
      intervals: [],
    });
    expect(github.checkRuns.find((r) => r.name === 'modelgate guard: gpt2')).toMatchObject({
      status: 'in_progress',
    });
    for (let hour = 0; hour < 7; hour++) await tick(60);
    expect(guarded()).toEqual(['watch', 'watch', 'watch', 'watch', 'watch', 'end']);
    const state = guard();
    expect(state.status).toBe('passed');
    expect(state.intervals.map((i) => i.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    const latest = state.intervals.at(-1)!.measurements[0]!;
    expect(latest).toMatchObject({ metric: 'error_rate', verdict: 'pass', judged: 3, breached: 0 });
    // 60 one-minute points now, 120 over the same hour of two earlier days.
    expect(latest.worst[0]).toMatchObject({ current: { n: 61 }, baseline: { n: 122 } });
    expect(github.checkRuns.find((r) => r.name === 'modelgate guard: gpt2')).toMatchObject({
      status: 'completed',
      conclusion: 'success',
    });
    expect(github.pullRequests).toEqual([]);
    expect(github.deployments.filter((d) => d.environment === 'production')).toHaveLength(2);
    expect(registry.git('tag', '--list', 'gpt2#production#*').split('\n')).toEqual([
      'gpt2#production#1',
      'gpt2#production#2',
    ]);
    expect(posted).toEqual([]); // nothing breached: nothing to alert
    expect(await tick(60)).toBe(0);
    expect(guarded()).toHaveLength(6); // ended: never judged again
    // Its report deleted after the bake: a restart's reconciliation starts no guard again (its check run completed).
    github.comments.splice(github.comments.indexOf(guardComment(github)), 1);
    await restart();
    expect(github.comments.filter((c) => c.body.startsWith('<!-- modelgate:guard:gpt2 -->'))).toEqual([]);
    expect(github.violations).toEqual([]);
  }, 60_000);

  it('a version that degrades in one language only is rolled back exactly once, with that segment as the evidence', async () => {
    const { github, tick, guard, guarded, registry, v1 } = await promoted('1.4.0');
    for (let hour = 0; hour < 7 && !guarded().includes('rollback'); hour++) await tick(60);
    expect(guarded().at(-1)).toBe('rollback');
    const state = guard();
    expect(state).toMatchObject({
      status: 'rolled_back',
      revertUrl: 'https://github.com/acme/models/pull/100',
    });
    const failed = state.intervals.at(-1)!.measurements[0]!;
    expect(failed).toMatchObject({ verdict: 'fail', breached: 1, judged: 3 });
    expect(failed.worst[0]).toMatchObject({ segment: { language: 'de' }, verdict: 'fail' });
    expect(failed.worst[0]!.test!.adjusted).toBeLessThan(0.05);
    expect(failed.worst.slice(1).every((s) => s.verdict === 'pass')).toBe(true);
    // The previous version back in production: a deployment, the stage tag on its commit, one revert pull request.
    // Its payload keeps the deployer's contract, so `command: deploy` applies it (it refused it before).
    expect(parseDeploymentPayload(github.deployments.at(-1)!.payload)).toMatchObject({ ok: true });
    expect(github.deployments.at(-1)).toMatchObject({
      environment: 'production',
      ref: 'gpt2@v1.2.0',
      payload: { model: 'gpt2', version: '1.2.0', weight: 100 },
    });
    expect(registry.git('rev-list', '-n', '1', 'gpt2#production#3')).toBe(v1);
    expect(github.pullRequests).toEqual([expect.objectContaining({ title: 'Roll back gpt2 to 1.2.0' })]);
    const comment = github.comments.find((c) => c.body.startsWith('<!-- modelgate:guard:gpt2 -->'))!;
    expect(comment.body).toContain('↩️ rolled back');
    expect(comment.body).toContain('language=de');
    expect(github.checkRuns.find((r) => r.name === 'modelgate guard: gpt2')).toMatchObject({
      conclusion: 'failure',
    });
    // Alerts: the breach (resolved by the rollback) and the rollback itself.
    const last = posted.at(-1)!;
    expect(last.map((a) => a.labels.alertname)).toEqual(['ModelgateGuardBreach', 'ModelgateModelRolledBack']);
    expect(last[0]).toMatchObject({
      labels: { model: 'gpt2', version: '1.4.0', severity: 'critical' },
      endsAt: state.endedAt,
      annotations: { pull_request: 'https://github.com/acme/models/pull/42' },
    });
    // The deployer applies the rollback; the guard looks once more, 30 minutes on, and says so.
    expect(comment.body).toContain('Waiting for the deployer to report the rollback deployment live');
    const rollback = github.deployments.at(-1)!;
    github.reportDeployed(rollback.id, 'success');
    await tick(60);
    expect(guard()).toMatchObject({
      rollbackOutcome: `the deployer reported deployment ${rollback.id} live`,
    });
    expect(guard().rollbackDue).toBeUndefined();
    expect(guardComment(github).body).toContain(
      `Rollback: the deployer reported deployment ${rollback.id} live.`,
    );
    expect(posted.flat().map((a) => a.labels.alertname)).not.toContain('ModelgateRollbackNotApplied');
    // Once: later ticks and a duplicate job do nothing more.
    const writes = github.writes().length;
    for (let hour = 0; hour < 3; hour++) await tick(60);
    expect(github.writes()).toHaveLength(writes);
    expect(github.pullRequests).toHaveLength(1);
    expect(github.violations).toEqual([]);
  }, 60_000);

  it('a rollback whose deployer run never reports (cancelled, never started) fires the critical alert once its time is up', async () => {
    const { github, tick, guard, guarded, warnings, restart } = await promoted('1.4.0');
    for (let hour = 0; hour < 7 && !guarded().includes('rollback'); hour++) await tick(60);
    const rollback = github.deployments.at(-1)!;
    expect(rollback).toMatchObject({ environment: 'production', ref: 'gpt2@v1.2.0' });
    expect(guard().rollbackDue).toBeDefined();
    // Nothing reports on the rollback deployment: no status at all. The app restarts meanwhile (its
    // schedule is rebuilt from GitHub): the look is not lost.
    await tick(20);
    expect(posted.flat().map((a) => a.labels.alertname)).not.toContain('ModelgateRollbackNotApplied');
    await restart();
    expect(posted.flat().map((a) => a.labels.alertname)).not.toContain('ModelgateRollbackNotApplied');
    await tick(20);
    const alert = posted.flat().find((a) => a.labels.alertname === 'ModelgateRollbackNotApplied')!;
    const why = `the deployer reported nothing for deployment ${rollback.id} within 30 minutes (its run was cancelled, never started, or waits for a runner)`;
    expect(alert).toMatchObject({
      labels: { model: 'gpt2', version: '1.2.0', severity: 'critical' },
      annotations: { pull_request: 'https://github.com/acme/models/pull/42', description: why },
    });
    expect(warnings.some((w) => w.includes(`was not applied: ${why}`))).toBe(true);
    expect(guard()).toMatchObject({ status: 'rolled_back', rollbackOutcome: `not applied: ${why}` });
    expect(guardComment(github).body).toContain('Rollback: not applied: the deployer reported nothing');
    // Said once: later ticks page nobody again.
    const pages = posted.length;
    for (let hour = 0; hour < 2; hour++) await tick(60);
    expect(posted).toHaveLength(pages);
    expect(github.violations).toEqual([]);
  }, 60_000);

  describe('the look at a rollback is not lost', () => {
    /** gpt2 1.4.0 promoted and rolled back by its guard; the rollback deployment, which nothing reports on. */
    const rolledBack = async () => {
      const app = await promoted('1.4.0');
      for (let hour = 0; hour < 7 && !app.guarded().includes('rollback'); hour++) await app.tick(60);
      const rollback = app.github.deployments.at(-1)!;
      expect(rollback).toMatchObject({ environment: 'production', ref: 'gpt2@v1.2.0' });
      return { ...app, rollback };
    };
    const notApplied = () =>
      posted.flat().filter((a) => a.labels.alertname === 'ModelgateRollbackNotApplied');

    it("when the release's manifest can no longer be read (its tag deleted after the breach)", async () => {
      const { github, tick, guard, rollback } = await rolledBack();
      github.fail('GET', '/repos/{owner}/{repo}/contents/{path}', 404, 10);
      await tick(40);
      expect(notApplied()).toHaveLength(1);
      expect(notApplied()[0]!.annotations.summary).toContain(`(deployment ${rollback.id})`);
      expect(guard().rollbackDue).toBeUndefined();
    }, 60_000);

    it('when its report cannot be believed any more: looked at from GitHub alone', async () => {
      const { github, tick, rollback } = await rolledBack();
      const comment = guardComment(github);
      comment.body = comment.body.replace(
        /(modelgate-guard-state:[A-Za-z0-9_-]+\.)[A-Za-z0-9_-]{4}/,
        '$1AAAA',
      );
      await tick(20);
      expect(notApplied()).toHaveLength(0);
      await tick(20);
      expect(notApplied()).toHaveLength(1);
      expect(notApplied()[0]).toMatchObject({
        labels: { model: 'gpt2', version: '1.2.0' },
        annotations: {
          description: expect.stringContaining(`the deployer reported nothing for deployment ${rollback.id}`),
          pull_request: 'https://github.com/acme/models/pull/42',
        },
      });
    }, 60_000);

    it('when its report was deleted: looked at from GitHub alone, once', async () => {
      const { github, tick, rollback, guarded } = await rolledBack();
      github.comments.splice(github.comments.indexOf(guardComment(github)), 1);
      await tick(40);
      expect(notApplied()).toHaveLength(1);
      expect(notApplied()[0]!.annotations.summary).toContain(`(deployment ${rollback.id})`);
      // Its job ended with that look: nothing more is judged or looked at.
      const decisions = guarded().length;
      await tick(60);
      expect(notApplied()).toHaveLength(1);
      expect(guarded()).toHaveLength(decisions);
    }, 60_000);

    it('a rollback deployment GitHub knows no more (deleted) is not applied: alerted', async () => {
      const { github, tick, guard, rollback } = await rolledBack();
      github.fail('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', 404, 100);
      await tick(40);
      github.clearFailures();
      expect(notApplied()).toHaveLength(1);
      expect(guard().rollbackOutcome).toBe(
        `not applied: deployment ${rollback.id} is gone (deleted) before the deployer reported it live`,
      );
    }, 60_000);

    it('a GitHub that keeps failing for an hour past the look: the alert goes anyway, saying the look could not be made', async () => {
      const { github, tick, guard } = await rolledBack();
      github.fail('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', 502, 100_000);
      await tick(40);
      for (let i = 0; i < 9; i++) await tick(5); // 55 minutes past the look: still asked again
      expect(notApplied()).toHaveLength(0);
      await tick(10);
      github.clearFailures();
      expect(notApplied()).toHaveLength(1);
      expect(notApplied()[0]!.annotations.description).toMatch(
        /^whether the deployer applied deployment \d+ cannot be told: GitHub did not answer for an hour/,
      );
      expect(guard().rollbackOutcome).toMatch(/^not checked: GitHub did not answer for an hour/);
    }, 60_000);

    it("a deployment anyone made with the guard's trigger, on a branch, pages nobody when the report is gone", async () => {
      const { github, tick, rollback } = await rolledBack();
      github.reportDeployed(rollback.id, 'success');
      github.comments.splice(github.comments.indexOf(guardComment(github)), 1);
      github.deployments.push({ ...rollback, id: 7777, ref: 'main' });
      await tick(40);
      expect(notApplied()).toHaveLength(0);
    }, 60_000);

    // Before: the guards of one model shared one job, so whatever scheduled the newer guard (its start,
    // a /guard command on its pull request) replaced the rolled-back guard's look: no alert, and its
    // report said it was waiting for ever.
    it('when a newer release is promoted and steered before the look: each guard keeps its own schedule', async () => {
      const app = await rolledBack();
      const { github, tick, say, rollback } = app;
      await tick(10);
      // gpt2 1.5.0, released from pull request #43 and promoted; its deployment is not live yet either.
      await promoteNewer(app, '1.4.0', '1.5.0', '1.2.0');
      // Someone extends the new guard's bake: the app reschedules that guard.
      expect(await say('/guard extend 2h gpt2', 43)).toContain(
        'extended the production guard of **gpt2 1.5.0** by 2h',
      );
      expect(guardState(github, 'gpt2', 43)).toMatchObject({ version: '1.5.0', status: 'watching' });
      await tick(25);
      expect(notApplied()).toHaveLength(1);
      expect(notApplied()[0]!.annotations).toMatchObject({
        pull_request: 'https://github.com/acme/models/pull/42',
        summary: expect.stringContaining(`(deployment ${rollback.id})`),
      });
      expect(guardState(github, 'gpt2', 42)).toMatchObject({ status: 'rolled_back' });
      expect(guardState(github, 'gpt2', 42).rollbackDue).toBeUndefined();
    }, 60_000);

    it('when GitHub does not answer at that moment: asked again five minutes later', async () => {
      const { github, tick, guard, warnings } = await rolledBack();
      // Every attempt of this look (Octokit's retries included) fails; the next one is answered.
      github.fail('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', 502, 100);
      await tick(40);
      github.clearFailures();
      expect(notApplied()).toHaveLength(0);
      expect(
        warnings.some((w) => w.includes("could not look at the production guard's rollback of gpt2")),
      ).toBe(true);
      expect(guard().rollbackDue).toBeDefined();
      await tick(5);
      expect(notApplied()).toHaveLength(1);
      expect(guard().rollbackDue).toBeUndefined();
    }, 60_000);
  });

  it('a rollback the deployer does not apply is said at once: a critical alert and the log', async () => {
    const { github, tick, guarded, probot, warnings } = await promoted('1.4.0');
    for (let hour = 0; hour < 7 && !guarded().includes('rollback'); hour++) await tick(60);
    const rollback = github.deployments.at(-1)!;
    expect(rollback).toMatchObject({ environment: 'production', ref: 'gpt2@v1.2.0' });
    // The deployer refuses it (its target is down, say) and reports failure.
    github.reportDeployed(rollback.id, 'failure');
    const event = deploymentStatus(rollback as Parameters<typeof deploymentStatus>[0]);
    event.deployment_status.state = 'failure';
    event.deployment_status.description = 'not applied: the GitOps branch main does not exist';
    await probot().receive({ id: 'rollback-failed', name: 'deployment_status', payload: event } as any);
    const alert = posted.at(-1)!.find((a) => a.labels.alertname === 'ModelgateRollbackNotApplied')!;
    expect(alert).toMatchObject({
      labels: { model: 'gpt2', version: '1.2.0', severity: 'critical' },
      annotations: {
        summary: `the production guard's rollback of gpt2 to 1.2.0 was not applied (deployment ${rollback.id})`,
        pull_request: 'https://github.com/acme/models/pull/42',
        description: 'the deployer reported failure: not applied: the GitOps branch main does not exist',
      },
    });
    expect(warnings.some((w) => w.includes(`(deployment ${rollback.id}) was not applied`))).toBe(true);
    // Applied by a re-run since: the same failure delivered again (late, or by recovery) pages nobody.
    github.reportDeployed(rollback.id, 'success');
    const pages = posted.length;
    await probot().receive({ id: 'rollback-failed-again', name: 'deployment_status', payload: event } as any);
    expect(posted).toHaveLength(pages);
    // A deployment anyone made with the guard's trigger, on a branch, reported failed: no page either.
    const forged = {
      ...rollback,
      id: 7777,
      ref: 'main',
      payload: { ...(rollback.payload as object), model: 'payments <b>team</b>' },
    };
    github.deployments.push(forged);
    github.reportDeployed(7777, 'error');
    const spam = deploymentStatus(forged as Parameters<typeof deploymentStatus>[0]);
    spam.deployment_status.state = 'error';
    await probot().receive({ id: 'forged', name: 'deployment_status', payload: spam } as any);
    expect(posted).toHaveLength(pages);
  }, 60_000);

  it('a breach rolls nothing back to a previous version deregistered since: it alerts, and the report says why', async () => {
    const { github, tick, guard, guarded, registry, v1 } = await promoted('1.4.0');
    // 1.2.0, which the promotion replaced, is withdrawn mid-bake (GTO's deregistration tag).
    registry.git('tag', '-a', '-m', 'Deregistering gpt2 1.2.0', 'gpt2@v1.2.0!#90', v1);
    const deployments = github.deployments.length;
    for (let hour = 0; hour < 7; hour++) await tick(60);
    expect(guarded()).toContain('alert');
    expect(guarded()).not.toContain('rollback');
    expect(guard()).toMatchObject({
      status: 'breached',
      notRolledBack: {
        reason: 'gpt2 1.2.0 was deregistered (gpt2@v1.2.0 is withdrawn), so it is no release',
      },
    });
    expect(github.deployments).toHaveLength(deployments);
    expect(registry.git('tag', '--list', 'gpt2#production#*').split('\n')).toHaveLength(2);
    expect(github.pullRequests).toEqual([]);
    expect(guardComment(github).body).toContain('Not rolled back: gpt2 1.2.0 was deregistered');
    const breach = posted.at(-1)!.find((a) => a.labels.alertname === 'ModelgateGuardBreach')!;
    expect(breach.labels.severity).toBe('critical');
    expect(breach.annotations.description).toContain('Not rolled back: gpt2 1.2.0 was deregistered');
    expect(github.violations).toEqual([]);
  }, 60_000);

  it('a rollback that died half-way is finished by the retry, even if the previous version was deregistered in between', async () => {
    const { github, tick, guard, guarded, registry, v1 } = await promoted('1.4.0');
    const deployments = github.deployments.length;
    // The rollback's deployment is made, then its stage tag fails: the step dies before saving.
    github.fail('POST', '/repos/{owner}/{repo}/git/tags', 500, 1);
    github.fail('POST', '/repos/{owner}/{repo}/git/refs', 500, 1);
    for (let hour = 0; hour < 8 && github.deployments.length === deployments; hour++) await tick(60);
    expect(github.deployments.at(-1)).toMatchObject({ ref: 'gpt2@v1.2.0', payload: { version: '1.2.0' } });
    expect(guard().status).toBe('watching');
    registry.git('tag', '-a', '-m', 'Deregistering gpt2 1.2.0', 'gpt2@v1.2.0!#90', v1);
    for (let hour = 0; hour < 3; hour++) await tick(60);
    // Production already went back: the stage tag and the revert follow it, and the guard ends rolled back.
    expect(guarded().at(-1)).toBe('rollback');
    expect(guard()).toMatchObject({ status: 'rolled_back' });
    expect(guard().notRolledBack).toBeUndefined();
    expect(github.deployments).toHaveLength(deployments + 1);
    // Numbered past the deregistration's counter, as GTO numbers every tag of the model.
    expect(registry.git('rev-list', '-n', '1', 'gpt2#production#91')).toBe(v1);
    expect(github.pullRequests).toEqual([expect.objectContaining({ title: 'Roll back gpt2 to 1.2.0' })]);
  }, 60_000);

  it('a deleted guard report is no way to stop the guard: it restarts paused and says so', async () => {
    const { github, tick, guard, guarded, warnings } = await promoted('1.3.0');
    await tick(60);
    github.comments.splice(github.comments.indexOf(guardComment(github)), 1);
    await tick(60);
    expect(guard()).toMatchObject({
      status: 'watching',
      paused: { link: "the production guard's report on pull request #42 is gone (deleted)" },
    });
    expect(guardComment(github).body).toContain('Paused');
    expect(warnings).toContain(
      "acme/models: the production guard's report on pull request #42 is gone (deleted): restarted paused",
    );
    const judged = guarded().length;
    await tick(60);
    expect(guarded()).toHaveLength(judged); // paused: nothing is judged until /guard resume
    expect(github.violations).toEqual([]);
  }, 60_000);

  it('/guard stop after its report was deleted says so and restarts it paused at once; asked again, it stops', async () => {
    const { github, tick, guard, say } = await promoted('1.3.0');
    github.roles.set('alice', 'admin');
    await tick(60);
    github.comments.splice(github.comments.indexOf(guardComment(github)), 1);
    expect(await say('/guard stop')).toContain(
      'nothing was done: the production guard report of **gpt2** on pull request #42 is gone (deleted)',
    );
    await tick(0);
    expect(guard()).toMatchObject({ status: 'watching', paused: expect.anything() });
    expect(await say('/guard stop')).toContain('stopped the production guard of **gpt2 1.3.0**');
    expect(guard().status).toBe('stopped');
  }, 60_000);

  it("a deleted guard report beside a stranger's comment with its marker restarts paused too", async () => {
    const { github, tick, guard } = await promoted('1.3.0');
    await tick(60);
    github.comments.splice(github.comments.indexOf(guardComment(github)), 1);
    github.postComment(42, '<!-- modelgate:guard:gpt2 -->\nall good, nothing to watch', person('mallory'));
    await tick(60);
    expect(guard()).toMatchObject({
      status: 'watching',
      paused: { link: expect.stringContaining('is gone') },
    });
  }, 60_000);

  it("a rollout step in production (the next release, where production is the only stage) does not end the guard: only a deployment of all production's traffic does", async () => {
    const { github, tick, guard, v2, restart } = await promoted('1.3.0');
    github.deployments.push({
      id: 5000,
      ref: 'gpt2@v1.3.0',
      sha: v2,
      environment: 'production',
      payload: {
        model: 'gpt2',
        version: '1.4.0',
        weight: 10,
        manifest: 'models/gpt2/model.yaml',
        trigger: v2,
      },
      description: '',
      production_environment: true,
    });
    await tick(60);
    expect(guard()).toMatchObject({ status: 'watching' });
    expect(guard().intervals.length).toBeGreaterThan(0);
    // The next release's step, on a commit of its own, is the newest production deployment: after a
    // restart the schedule is rebuilt from GitHub, and the guard is still the one production's
    // traffic (all of it but the step's share) answers to.
    github.deployments.push({
      ...github.deployments.at(-1)!,
      id: 5001,
      sha: 'c'.repeat(40),
      payload: { ...(github.deployments.at(-1)!.payload as object), weight: 25, trigger: 'c'.repeat(40) },
    });
    const judged = guard().intervals.length;
    await restart();
    await tick(60);
    expect(guard().intervals.length).toBeGreaterThan(judged);
  }, 60_000);

  it('a version that degrades everywhere breaches overall; with on_breach: alert it alerts until the bake ends and rolls nothing back', async () => {
    const { github, tick, guard, guarded } = await promoted('1.5.0', { ...GUARD, on_breach: 'alert' });
    for (let hour = 0; hour < 7; hour++) await tick(60);
    const state = guard();
    expect(state.status).toBe('breached');
    expect(guarded()).toContain('alert');
    expect(guarded().at(-1)).toBe('end');
    expect(state.intervals.at(-1)!.measurements[0]).toMatchObject({ verdict: 'fail', breached: 3 });
    expect(github.pullRequests).toEqual([]);
    expect(github.deployments.filter((d) => d.ref === 'gpt2@v1.2.0' && d.id > 2)).toEqual([]);
    // Re-sent with each window while firing, then resolved when the guard ends.
    const breaches = posted.map((batch) => batch.find((a) => a.labels.alertname === 'ModelgateGuardBreach')!);
    expect(breaches.length).toBeGreaterThanOrEqual(2);
    expect(new Set(breaches.map((a) => a.startsAt)).size).toBe(1);
    expect(breaches.at(-1)!.endsAt).toBe(state.endedAt);
    expect(Date.parse(breaches.at(-2)!.endsAt)).toBeGreaterThan(Date.parse(state.endedAt!));
  }, 60_000);

  it('after a restart of the app mid-bake the guard is rebuilt from the delivery log and goes on to the end of its bake', async () => {
    const { github, tick, guard, restart, app } = await promoted('1.3.0');
    for (let hour = 0; hour < 3; hour++) await tick(60);
    expect(guard().intervals).toHaveLength(3);
    const report = await restart();
    expect(report.repositories).toBe(1);
    expect(app().guarded).toEqual([]); // a new process: nothing carried over in memory
    for (let hour = 0; hour < 4; hour++) await tick(60);
    expect(app().guarded).toEqual(['watch', 'watch', 'end']);
    const state = guard();
    expect(state.status).toBe('passed');
    expect(state.intervals.map((i) => i.verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    // One report, one check run: the restart wrote nothing twice.
    expect(github.comments.filter((c) => c.body.startsWith('<!-- modelgate:guard:gpt2 -->'))).toHaveLength(1);
    expect(github.checkRuns.filter((r) => r.name === 'modelgate guard: gpt2')).toEqual([
      expect.objectContaining({ status: 'completed', conclusion: 'success' }),
    ]);
    expect(github.violations).toEqual([]);
  }, 60_000);

  it('a guard state edited by hand is said once and restarts the guard paused from the promotion; /guard resume judges every window again and finds the breach', async () => {
    const { github, tick, guard, guarded, say, warnings } = await promoted('1.4.0');
    const promotedAt = guard().startedAt;
    await tick(60);
    expect(guard().intervals).toHaveLength(1);
    // Someone with write access "clears" the guard: the state line no longer verifies.
    const comment = guardComment(github);
    comment.body = comment.body.replace(/(modelgate-guard-state:[A-Za-z0-9_-]+\.)[A-Za-z0-9_-]{4}/, '$1AAAA');
    await tick(60);
    const restarted = guard();
    expect(restarted).toMatchObject({
      status: 'watching',
      startedAt: promotedAt,
      intervals: [],
      failures: 0,
      paused: { by: APP_BOT.login, link: expect.stringMatching(/\/pull\/42#issuecomment-\d+$/) },
    });
    expect(guardComment(github).body).toContain('⏸️ Paused: the saved state could not be believed');
    const notices = () => github.comments.filter((c) => c.body.startsWith('<!-- modelgate:ignored:gpt2 -->'));
    expect(notices()).toHaveLength(1);
    expect(notices()[0]!.body).toContain('does not verify');
    expect(warnings.filter((w) => w.includes('ignored guard-state:'))).toHaveLength(1);
    // Paused: nothing is judged however long it waits.
    for (let hour = 0; hour < 3; hour++) await tick(60);
    expect(guarded()).toEqual(['watch']);
    expect(await say('/guard status')).toContain('production guard: paused (restarted from GitHub');
    expect(await say('/guard resume')).toContain(
      `resumed the production guard of **gpt2 1.4.0**: the guard judges again, from the first window it has not judged (every window since the promotion at ${promotedAt})`,
    );
    // It catches up one window per run, from the promotion, and finds the breach in \`de\` again.
    for (let run = 0; run < 6 && guard().status === 'watching'; run++) await tick(1);
    expect(guarded().at(-1)).toBe('rollback');
    expect(guard()).toMatchObject({ status: 'rolled_back', steeredBy: { by: 'alice' } });
    expect(guard().intervals.at(-1)!.measurements[0]!.worst[0]).toMatchObject({
      segment: { language: 'de' },
    });
    expect(github.pullRequests).toHaveLength(1);
    expect(notices()).toHaveLength(1); // said once
    expect(github.violations).toEqual([]);
  }, 60_000);

  it('/guard stop after a breach resolves the firing alert and ends the guard; nothing is judged after it', async () => {
    const { github, tick, guard, guarded, say, app } = await promoted('1.5.0', {
      ...GUARD,
      on_breach: 'alert',
    });
    for (let hour = 0; hour < 4; hour++) await tick(60);
    expect(guarded()).toContain('alert');
    expect(guard()).toMatchObject({ status: 'watching', breachedAt: expect.any(String) });
    expect(await app().scheduler.pending('guard', 10)).toHaveLength(1);
    const reply = await say('/guard stop');
    expect(reply).toContain(
      'stopped the production guard of **gpt2 1.5.0**: nothing more is judged or rolled back, the check run is cancelled and the breach alert resolved.',
    );
    const state = guard();
    expect(state).toMatchObject({ status: 'stopped', steeredBy: { by: 'alice' } });
    const breach = posted.at(-1)!.find((a) => a.labels.alertname === 'ModelgateGuardBreach')!;
    expect(breach.endsAt).toBe(state.endedAt);
    expect(breach.annotations.summary).toContain('(guard ended: stopped)');
    expect(github.checkRuns.find((r) => r.name === 'modelgate guard: gpt2')).toMatchObject({
      status: 'completed',
      conclusion: 'cancelled',
    });
    expect(await app().scheduler.pending('guard', 10)).toEqual([]);
    const judged = guarded().length;
    for (let hour = 0; hour < 3; hour++) await tick(60);
    expect(guarded()).toHaveLength(judged);
    expect(await say('/guard stop')).toContain('nothing to stop: the guard has ended (stopped).');
    expect(github.pullRequests).toEqual([]);
  }, 60_000);

  it('a newer promotion ends the guard of the release it replaces: stopped by the app, naming what superseded it', async () => {
    const app = await promoted('1.3.0');
    const { github, guard, state } = app;
    expect(guard().status).toBe('watching');
    // 1.4.0, released from pull request #43 and promoted: production no longer serves 1.3.0.
    const v3 = await promoteNewer(app, '1.3.0', '1.4.0', '1.3.0');

    expect(guard()).toMatchObject({
      status: 'stopped',
      steeredBy: { by: APP_BOT.login, link: 'superseded by gpt2 1.4.0 (pull request #43)' },
    });
    const runs = github.checkRuns.filter((r) => r.name === 'modelgate guard: gpt2');
    expect(runs.map((r) => [r.head_sha, r.status, r.conclusion])).toEqual([
      [state().sha, 'completed', 'cancelled'],
      [v3, 'in_progress', undefined],
    ]);
    expect(guardState(github, 'gpt2', 43)).toMatchObject({
      version: '1.4.0',
      status: 'watching',
      previousVersion: '1.3.0',
    });
  }, 60_000);
});
