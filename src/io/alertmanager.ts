import type { PlannedAlert } from '../core/guard/alerts.js';

/** Where alerts go: an Alertmanager (from the app's environment, never from a repository). */
export interface AlertmanagerConfig {
  /** e.g. http://alertmanager:9093 */
  url: string;
  /** Sent as Authorization, when a proxy in front of Alertmanager needs one. */
  authorization?: string;
  timeoutSeconds?: number;
}

/**
 * Posts alerts to Alertmanager's API v2 (`POST /api/v2/alerts`, a JSON list
 * of postableAlert). Alertmanager groups, deduplicates and routes them with
 * the team's own configuration (Slack, PagerDuty, e-mail). Returns why it
 * failed, or undefined: an alert that cannot be sent never stops the work
 * that planned it, and the next judgment sends it again.
 */
export async function postAlerts(
  config: AlertmanagerConfig,
  alerts: readonly PlannedAlert[],
): Promise<string | undefined> {
  if (!alerts.length) return undefined;
  const url = new URL('/api/v2/alerts', config.url);
  try {
    const response = await fetch(url, {
      method: 'POST',
      body: JSON.stringify(alerts),
      headers: {
        'content-type': 'application/json',
        ...(config.authorization ? { authorization: config.authorization } : {}),
      },
      signal: AbortSignal.timeout((config.timeoutSeconds ?? 10) * 1000),
    });
    if (response.ok) return undefined;
    const text = (await response.text().catch(() => '')).slice(0, 300);
    return `Alertmanager at ${url.origin} answered ${response.status}${text ? `: ${text}` : ''}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return (error as Error).name === 'TimeoutError'
      ? `Alertmanager at ${url.origin} did not answer within ${config.timeoutSeconds ?? 10} s`
      : `Alertmanager cannot be reached at ${url.origin}${cause ? ` (${cause})` : ''}`;
  }
}
