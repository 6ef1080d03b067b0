/** One attempt at a webhook delivery, as GitHub's `GET /app/hook/deliveries` lists it. */
export interface DeliveryAttempt {
  id: number;
  /** The event's id: every attempt at the same event (redeliveries included) shares it. */
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status_code: number;
  event: string;
  action?: string | null;
  installation_id?: number | null;
  repository_id?: number | null;
}

/** What the app does about the deliveries it missed. */
export interface RecoveryPlan {
  /** Attempts to redeliver: the newest attempt of each event that never reached the app. */
  redeliver: DeliveryAttempt[];
  /** Repositories (installation, repository id) that had canary work in the window, to rebuild the schedule from. */
  repositories: { installationId: number; repositoryId: number }[];
  /** Whether the listing reached the start of the window (false: capped; older deliveries were not examined). */
  complete: boolean;
}

/**
 * The events the app acts on, and how old a missed one may be and still be
 * redelivered. A deployer's status is news however late it comes (the
 * canary waits for it); a ChatOps command is not: `/promote` typed an hour
 * ago, while the app was down, may no longer be what its author wants, so
 * it is left for them to repeat.
 */
const REDELIVERABLE: ReadonlyMap<string, number> = new Map([
  ['deployment_status', Number.POSITIVE_INFINITY],
  ['issue_comment', 3_600_000],
]);

const reached = (attempt: DeliveryAttempt) => attempt.status_code >= 200 && attempt.status_code < 300;

/**
 * Plans recovery from GitHub's record of webhook deliveries (newest first, as
 * GitHub lists them) since `since`: an event whose every attempt failed
 * (the app was down, or answered with an error) is redelivered once, from
 * its newest attempt, while it is young enough (REDELIVERABLE); a delivery
 * that reached the app is never sent again.
 * Repositories whose deployment_status or issue_comment deliveries fall in
 * the window are where running canaries can be: the app rebuilds its
 * schedule from their authenticated state, and scans nothing else.
 */
export function planRecovery(
  attempts: readonly DeliveryAttempt[],
  since: Date,
  now: Date,
  options: { complete: boolean; events?: ReadonlyMap<string, number> },
): RecoveryPlan {
  const events = options.events ?? REDELIVERABLE;
  const byEvent = new Map<string, DeliveryAttempt[]>();
  const repositories = new Map<string, { installationId: number; repositoryId: number }>();
  for (const attempt of attempts) {
    if (!events.has(attempt.event)) continue;
    if (!(Date.parse(attempt.delivered_at) >= since.getTime())) continue;
    byEvent.set(attempt.guid, [...(byEvent.get(attempt.guid) ?? []), attempt]);
    if (attempt.installation_id && attempt.repository_id)
      repositories.set(`${attempt.installation_id}/${attempt.repository_id}`, {
        installationId: attempt.installation_id,
        repositoryId: attempt.repository_id,
      });
  }
  const redeliver: DeliveryAttempt[] = [];
  for (const tries of byEvent.values()) {
    if (tries.some(reached)) continue;
    const first = Math.min(...tries.map((t) => Date.parse(t.delivered_at)));
    const newest = tries.reduce((a, b) => (Date.parse(b.delivered_at) > Date.parse(a.delivered_at) ? b : a));
    if (now.getTime() - first <= (events.get(newest.event) ?? 0)) redeliver.push(newest);
  }
  redeliver.sort((a, b) => Date.parse(a.delivered_at) - Date.parse(b.delivered_at)); // in the order they happened
  return { redeliver, repositories: [...repositories.values()], complete: options.complete };
}
