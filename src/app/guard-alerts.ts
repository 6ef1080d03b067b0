import type { PlannedAlert } from '../core/guard/alerts.js';
import { postAlerts } from '../io/alertmanager.js';
import type { AppConfig } from './config.js';
import type { AlertSink } from './trust.js';

/**
 * The app's alert sink: Alertmanager when ALERTMANAGER_URL is set. Without
 * it alerts are dropped, and that is logged once per process (not once per
 * alert). A failed post is logged and not retried here: firing alerts are
 * re-sent at the next judgment.
 */
export function alertSink(
  config: Pick<AppConfig, 'alertmanagerUrl' | 'alertmanagerAuthorization'>,
  log: { info: (m: string) => void; warn: (m: string) => void },
): AlertSink {
  let saidNone = false;
  return async (alerts: readonly PlannedAlert[]) => {
    if (!alerts.length) return;
    if (!config.alertmanagerUrl) {
      if (!saidNone) log.info('ALERTMANAGER_URL is not set: the guard and canary alerts are not sent');
      saidNone = true;
      return;
    }
    const problem = await postAlerts(
      { url: config.alertmanagerUrl, authorization: config.alertmanagerAuthorization },
      alerts,
    );
    if (problem)
      log.warn(
        `${alerts.length} alert(s) (${alerts.map((a) => a.labels.alertname).join(', ')}) not sent: ${problem}`,
      );
  };
}
