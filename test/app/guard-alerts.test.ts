import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertSink } from '../../src/app/guard-alerts.js';
import { guardAlerts, canaryFailedAlert } from '../../src/core/guard/alerts.js';
import type { GuardState } from '../../src/core/guard/state.js';
import type { CanaryState } from '../../src/core/canary/state.js';
import { startAlertmanager, type RunningAlertmanager } from '../helpers/alertmanager.js';

let alertmanager: RunningAlertmanager;
beforeAll(async () => {
  alertmanager = await startAlertmanager();
}, 60_000);
afterAll(async () => alertmanager?.stop());

const links = {
  repository: 'acme/models',
  pullRequestUrl: 'https://github.com/acme/models/pull/42',
  reportUrl: 'https://github.com/acme/models/pull/42#issuecomment-7',
};

function guard(now: Date, over: Partial<GuardState> = {}): GuardState {
  return {
    v: 1,
    model: 'support-bot',
    version: '1.3.0',
    previousVersion: '1.2.0',
    ref: 'support-bot@v1.3.0',
    sha: 'a'.repeat(40),
    manifest: 'models/support-bot/model.yaml',
    trigger: 'a'.repeat(40),
    pr: 42,
    productionEnvironment: 'production',
    productionStage: 'production',
    deploymentId: 3,
    startedAt: new Date(now.getTime() - 3 * 3_600_000).toISOString(),
    bakeEndsAt: new Date(now.getTime() + 21 * 3_600_000).toISOString(),
    intervals: [],
    failures: 1,
    consecutiveErrors: 0,
    status: 'watching',
    breachedAt: now.toISOString(),
    ...over,
  };
}

describe('alerts through a real Alertmanager (API v2) to a team’s webhook receiver', () => {
  it('a guard breach fires with model, version, severity and the links; a rollback resolves it and fires its own alert', async () => {
    const logs: string[] = [];
    const send = alertSink(
      { alertmanagerUrl: alertmanager.url },
      { info: (m) => logs.push(m), warn: (m) => logs.push(m) },
    );
    const now = new Date();
    await send(
      guardAlerts(guard(now, { status: 'watching' }), links, now, new Date(now.getTime() + 2 * 3_600_000)),
    );
    const firing = await alertmanager.waitFor(
      (n) => n.status === 'firing' && n.groupLabels.alertname === 'ModelgateGuardBreach',
    );
    expect(firing).toMatchObject({
      receiver: 'team',
      groupLabels: { alertname: 'ModelgateGuardBreach', model: 'support-bot' },
      commonLabels: {
        model: 'support-bot',
        version: '1.3.0',
        severity: 'critical',
        repository: 'acme/models',
      },
      commonAnnotations: { pull_request: links.pullRequestUrl, report: links.reportUrl },
    });
    expect(firing.alerts).toHaveLength(1);
    expect(firing.alerts[0]!.annotations.summary).toBe('support-bot 1.3.0 breached its production guard');
    expect(firing.alerts[0]!.generatorURL).toBe(links.reportUrl);

    // The next judgment rolls back: the breach ends then, the rollback is an alert of its own. (An endsAt
    // still in the future would not resolve it: Alertmanager keeps the later end of a firing alert.)
    const later = new Date();
    await send(
      guardAlerts(
        guard(now, {
          status: 'rolled_back',
          endedAt: later.toISOString(),
          revertUrl: 'https://github.com/acme/models/pull/100',
        }),
        links,
        later,
      ),
    );
    const resolved = await alertmanager.waitFor(
      (n) => n.status === 'resolved' && n.groupLabels.alertname === 'ModelgateGuardBreach',
    );
    expect(resolved.alerts[0]).toMatchObject({ status: 'resolved', labels: { version: '1.3.0' } });
    const rolledBack = await alertmanager.waitFor(
      (n) => n.groupLabels.alertname === 'ModelgateModelRolledBack',
    );
    expect(rolledBack).toMatchObject({
      status: 'firing',
      commonLabels: { severity: 'critical', model: 'support-bot' },
      commonAnnotations: { description: 'Revert pull request: https://github.com/acme/models/pull/100' },
    });
    expect(rolledBack.alerts[0]!.annotations.summary).toBe(
      'support-bot 1.3.0 was rolled back to 1.2.0 by its production guard',
    );
    expect(logs).toEqual([]);
  }, 30_000);

  it('re-sending a firing alert does not notify twice: Alertmanager groups and deduplicates by its labels', async () => {
    const send = alertSink(
      { alertmanagerUrl: alertmanager.url },
      { info: () => undefined, warn: () => undefined },
    );
    const now = new Date();
    const state = guard(now, { model: 'resend-bot', status: 'watching' });
    const until = new Date(now.getTime() + 2 * 3_600_000);
    await send(guardAlerts(state, links, now, until));
    await alertmanager.waitFor((n) => n.groupLabels.model === 'resend-bot');
    await send(guardAlerts(state, links, new Date(), new Date(until.getTime() + 3_600_000)));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // past one group_interval
    expect(alertmanager.notifications.filter((n) => n.groupLabels.model === 'resend-bot')).toHaveLength(1);
  }, 30_000);

  it('several failed canaries of one model arrive grouped in one notification', async () => {
    const send = alertSink(
      { alertmanagerUrl: alertmanager.url },
      { info: () => undefined, warn: () => undefined },
    );
    const now = new Date();
    const canary = (version: string) =>
      ({ model: 'grouped-bot', version, weight: 10, intervals: [], pr: 42 }) as unknown as CanaryState;
    await send([
      canaryFailedAlert(canary('2.0.0'), links, now),
      canaryFailedAlert(canary('2.0.1'), links, now),
    ]);
    const grouped = await alertmanager.waitFor((n) => n.groupLabels.model === 'grouped-bot');
    expect(grouped.groupLabels).toEqual({ alertname: 'ModelgateCanaryFailed', model: 'grouped-bot' });
    expect(grouped.alerts.map((a) => a.labels.version).sort()).toEqual(['2.0.0', '2.0.1']);
    expect(grouped.commonLabels.severity).toBe('warning');
  }, 30_000);

  it('without ALERTMANAGER_URL nothing is sent and that is logged once; an Alertmanager that is down is a warning, not a failure', async () => {
    const logs: string[] = [];
    const log = {
      info: (m: string) => logs.push(`info: ${m}`),
      warn: (m: string) => logs.push(`warn: ${m}`),
    };
    const none = alertSink({}, log);
    const now = new Date();
    await none(guardAlerts(guard(now), links, now));
    await none(guardAlerts(guard(now), links, now));
    expect(logs).toEqual(['info: ALERTMANAGER_URL is not set: the guard and canary alerts are not sent']);
    await alertSink({ alertmanagerUrl: 'http://127.0.0.1:9' }, log)(guardAlerts(guard(now), links, now));
    expect(logs[1]).toMatch(
      /^warn: 1 alert\(s\) \(ModelgateGuardBreach\) not sent: Alertmanager cannot be reached at http:\/\/127\.0\.0\.1:9/,
    );
  });
});
