import { planRecovery, type DeliveryAttempt } from '../core/delivery/recovery.js';
import type { Octokit } from '../io/github/octokit.js';

type Repo = { owner: string; repo: string };

/** What recovery needs from the app: its own client (app JWT), and a client and a reconciler per installation. */
export interface RecoveryDeps {
  appOctokit: Octokit;
  installationOctokit: (installationId: number) => Promise<Octokit>;
  /** Rebuilds the schedule of one repository from its authenticated canary state. */
  reconcile: (installationId: number, octokit: Octokit, repo: Repo) => Promise<void>;
  now: () => Date;
  log: { info: (message: string) => void; warn: (message: string) => void };
}

/** How far back recovery looks, and how much of GitHub's delivery log it reads at most. */
export interface RecoveryLimits {
  /** GitHub keeps three days of deliveries. */
  lookbackMs: number;
  /** Pages of 100 deliveries. */
  maxPages: number;
}

const DEFAULT_RECOVERY_LIMITS: RecoveryLimits = { lookbackMs: 3 * 24 * 3_600_000, maxPages: 50 };

/** What a recovery did, for the log and the tests. */
export interface RecoveryReport {
  examined: number;
  redelivered: number;
  repositories: number;
  complete: boolean;
}

/**
 * Recovers what the app missed while it was down, without scanning
 * repositories: reads GitHub's log of the app's webhook deliveries (newest
 * first, up to the limits), asks GitHub to redeliver the events that never
 * reached it, and rebuilds the schedule of the repositories that had canary
 * work in the window. Bounded by the limits: one request per page of
 * deliveries, per redelivery, per page of an installation's repositories, and
 * the reads of each canary found.
 */
export async function recoverMissedWork(
  deps: RecoveryDeps,
  limits: RecoveryLimits = DEFAULT_RECOVERY_LIMITS,
): Promise<RecoveryReport> {
  const now = deps.now();
  const since = new Date(now.getTime() - limits.lookbackMs);
  const attempts: DeliveryAttempt[] = [];
  let complete = false;
  let pages = 0;
  for await (const page of deps.appOctokit.paginate.iterator(
    deps.appOctokit.rest.apps.listWebhookDeliveries,
    {
      per_page: 100,
    },
  )) {
    pages += 1;
    attempts.push(...(page.data as DeliveryAttempt[]));
    const oldest = page.data.at(-1);
    if (!oldest || Date.parse(oldest.delivered_at) < since.getTime()) {
      complete = true;
      break;
    }
    if (pages >= limits.maxPages) break;
  }
  if (pages < limits.maxPages) complete = true; // the log ended inside the window
  const plan = planRecovery(attempts, since, now, { complete });
  if (!plan.complete)
    deps.log.warn(
      `recovery read the newest ${attempts.length} webhook deliveries (${limits.maxPages} pages) without reaching ${since.toISOString()}: older missed deliveries are not redelivered`,
    );
  for (const attempt of plan.redeliver)
    await deps.appOctokit.rest.apps.redeliverWebhookDelivery({ delivery_id: attempt.id });
  // Repositories by installation: one listing per installation (100 a page) names them all.
  const byInstallation = new Map<number, number[]>();
  for (const { installationId, repositoryId } of plan.repositories)
    byInstallation.set(installationId, [...(byInstallation.get(installationId) ?? []), repositoryId]);
  for (const [installationId, ids] of byInstallation) {
    try {
      const octokit = await deps.installationOctokit(installationId);
      const wanted = new Set(ids);
      const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
        per_page: 100,
      });
      for (const repository of repositories.filter((r) => wanted.has(r.id)))
        await deps
          .reconcile(installationId, octokit, { owner: repository.owner.login, repo: repository.name })
          .catch((error: unknown) =>
            // One repository failing does not stop the others.
            deps.log.warn(
              `recovery could not rebuild the schedule of ${repository.full_name}: ${message(error)}`,
            ),
          );
    } catch (error) {
      deps.log.warn(
        `recovery could not list the repositories of installation ${installationId}: ${message(error)}`,
      );
    }
  }
  const report = {
    examined: attempts.length,
    redelivered: plan.redeliver.length,
    repositories: plan.repositories.length,
    complete: plan.complete,
  };
  deps.log.info(
    `recovered: ${report.redelivered} missed deliveries redelivered, ${report.repositories} repositories rescheduled (${report.examined} deliveries examined)`,
  );
  return report;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
