import type { CanaryState } from '../canary/state.js';
import { inertText } from '../report/escape.js';
import type { GuardState } from './state.js';

/**
 * An alert as Alertmanager's API v2 takes it (`postableAlert`): the labels
 * identify it (one alert per label set; posting it again refreshes it), an
 * `endsAt` in the past resolves it.
 */
export interface PlannedAlert {
  labels: {
    alertname:
      | 'ModelgateGuardBreach'
      | 'ModelgateModelRolledBack'
      | 'ModelgateRollbackNotApplied'
      | 'ModelgateCanaryFailed';
    model: string;
    version: string;
    severity: 'critical' | 'warning';
    repository: string;
  };
  annotations: { summary: string; pull_request: string; report: string; description?: string };
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

/** Where an alert points people: the repository, its pull request and the report comment. */
export interface AlertContext {
  repository: string;
  pullRequestUrl: string;
  reportUrl: string;
}

/**
 * How long an event alert (a rollback, a failed canary) stays firing: long
 * enough for Alertmanager to notify (group_wait, group_interval), then it
 * resolves on its own. Nothing re-sends it.
 */
const EVENT_ALERT_MS = 60 * 60_000;

/**
 * The alerts a guard's state implies at `now`. A breach fires from its
 * first failed window and stays firing while the guard watches (each
 * judgment re-sends it with `endsAt` past the next one, so a dead app lets
 * it expire rather than fire forever); it is resolved (`endsAt` = the end)
 * when the guard ends or the version is rolled back. A rollback is an event
 * alert of its own.
 */
export function guardAlerts(
  state: GuardState,
  context: AlertContext,
  now: Date,
  validUntil?: Date,
): PlannedAlert[] {
  const alerts: PlannedAlert[] = [];
  const base = { model: state.model, version: state.version, repository: context.repository };
  const links = { pull_request: context.pullRequestUrl, report: context.reportUrl };
  if (state.breachedAt) {
    const ended = state.status !== 'watching';
    alerts.push({
      labels: {
        alertname: 'ModelgateGuardBreach',
        ...base,
        severity: state.status === 'rolled_back' || state.previousVersion ? 'critical' : 'warning',
      },
      annotations: {
        summary: `${state.model} ${state.version} breached its production guard${ended ? ` (guard ended: ${state.status.replace('_', ' ')})` : ''}`,
        ...links,
        // Segment labels come from Prometheus: shown as text, never as a line of their own in a chat message.
        description: inertText(
          [
            state.intervals
              .at(-1)
              ?.measurements.find((m) => m.verdict === 'fail')
              ?.reason.slice(0, 1000),
            // Who is paged must know a rollback is theirs to do.
            state.notRolledBack && `Not rolled back: ${state.notRolledBack.reason.slice(0, 1000)}`,
          ]
            .filter(Boolean)
            .join('. '),
        ),
      },
      startsAt: state.breachedAt,
      endsAt: ended
        ? (state.endedAt ?? now.toISOString())
        : (validUntil ?? new Date(now.getTime() + EVENT_ALERT_MS)).toISOString(),
      generatorURL: context.reportUrl,
    });
  }
  if (state.status === 'rolled_back' && state.endedAt) {
    alerts.push({
      labels: { alertname: 'ModelgateModelRolledBack', ...base, severity: 'critical' },
      annotations: {
        summary: `${state.model} ${state.version} was rolled back to ${state.previousVersion ?? 'the previous version'} by its production guard`,
        ...links,
        ...(state.revertUrl ? { description: `Revert pull request: ${state.revertUrl}` } : {}),
      },
      startsAt: state.endedAt,
      endsAt: new Date(Date.parse(state.endedAt) + EVENT_ALERT_MS).toISOString(),
      generatorURL: context.reportUrl,
    });
  }
  return alerts;
}

/**
 * The alert of a failed canary (an event: it fires once and resolves after
 * EVENT_ALERT_MS). A first release has no version to go back to: the deployer
 * sent it every request, and it keeps them (outOfTraffic), so the alert says
 * that, not the share a canary with a baseline would have had.
 */
export function canaryFailedAlert(state: CanaryState, context: AlertContext, now: Date): PlannedAlert {
  const failedAt = state.intervals.at(-1)?.at ?? now.toISOString();
  const summary = state.baselineVersion
    ? `the canary of ${state.model} ${state.version} failed at ${state.weight}% of traffic; its traffic goes back to ${state.baselineVersion}`
    : `the canary of ${state.model} ${state.version} failed; it is the model's first release, so it still answers every request (no version to go back to)`;
  return {
    labels: {
      alertname: 'ModelgateCanaryFailed',
      model: state.model,
      version: state.version,
      severity: 'warning',
      repository: context.repository,
    },
    annotations: {
      summary,
      pull_request: context.pullRequestUrl,
      report: context.reportUrl,
      ...(state.revertUrl ? { description: `Revert pull request: ${state.revertUrl}` } : {}),
    },
    startsAt: failedAt,
    endsAt: new Date(
      Math.max(Date.parse(failedAt) || now.getTime(), now.getTime()) + EVENT_ALERT_MS,
    ).toISOString(),
    generatorURL: context.reportUrl,
  };
}

/**
 * The production guard's rollback that the deployer did not apply (it
 * reported failure or error, or had not reported it live when the guard
 * looked, ROLLBACK_APPLY_MS on): the guard has ended "rolled back", yet
 * production may still serve the version that breached. An event alert,
 * critical: a person puts production right by hand.
 */
export function rollbackNotAppliedAlert(
  rollback: { model: string; version: string; deploymentId: number | undefined; reason: string },
  context: AlertContext,
  now: Date,
): PlannedAlert {
  return {
    labels: {
      alertname: 'ModelgateRollbackNotApplied',
      model: rollback.model,
      version: rollback.version,
      severity: 'critical',
      repository: context.repository,
    },
    annotations: {
      summary: `the production guard's rollback of ${rollback.model} to ${rollback.version} was not applied${rollback.deploymentId === undefined ? '' : ` (deployment ${rollback.deploymentId})`}`,
      pull_request: context.pullRequestUrl,
      report: context.reportUrl,
      description: inertText(rollback.reason.slice(0, 1000)),
    },
    startsAt: now.toISOString(),
    endsAt: new Date(now.getTime() + EVENT_ALERT_MS).toISOString(),
    generatorURL: context.reportUrl,
  };
}
