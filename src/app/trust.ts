import type { CanaryWake } from '../core/canary/step.js';
import type { PlannedAlert } from '../core/guard/alerts.js';
import type { SealKey } from '../core/integrity/seal.js';
import { ignoredNotice, reportedKeys, type IgnoredItem } from '../core/integrity/notice.js';
import { stickyMarker, type CommentAuthor } from '../core/report/sticky.js';
import { findStickyComment, upsertStickyComment } from '../io/github/comments.js';
import type { Octokit } from '../io/github/octokit.js';

type Repo = { owner: string; repo: string };

/**
 * What the app trusts when it reads back what it wrote into GitHub: its own
 * identity (only its comments are read or edited) and its seal key (only
 * state with a MAC that verifies is believed).
 */
export interface AppTrust {
  /** The app's bot account: `<slug>[bot]`, type Bot (from GET /app). */
  self: CommentAuthor;
  key: SealKey;
  /** Where what was ignored is logged (once per new item). */
  warn: (message: string) => void;
  /**
   * Plans when the app looks at a canary next (`wake`), or drops it
   * (undefined: the canary has finished). Called with every state the app
   * saves, so the schedule follows GitHub's state.
   */
  schedule?: (repo: Repo, canary: CanaryTarget, wake: CanaryWake | undefined) => Promise<void>;
  /**
   * Runs `fn` while no judgment of the model's canary runs, and holds its
   * judgments until `fn` returns (on Redis: across replicas). Work outside
   * the schedule that changes a canary's state (a ChatOps command, the
   * deployer's status) runs inside it, so it never interleaves with a
   * judgment of the same canary. Never called from inside a judgment.
   */
  exclusive?: <T>(repo: Repo, model: string, fn: () => Promise<T>) => Promise<T>;
  /**
   * Plans when the app judges a production guard next (`at`), or drops it
   * (undefined: the guard has ended or is paused). Called with every guard
   * state the app saves.
   */
  scheduleGuard?: (repo: Repo, guard: GuardTarget, at: Date | undefined) => Promise<void>;
  /**
   * The same hold as `exclusive`, on the model's production guards (the model's lock, under which
   * every guard job of the model runs). A promotion
   * takes it inside the canary's hold (lock order: canary, then guard); guard work never takes the
   * canary's key, so the two cannot wait on each other.
   */
  exclusiveGuard?: <T>(repo: Repo, model: string, fn: () => Promise<T>) => Promise<T>;
  /** Where alerts go (Alertmanager, or nowhere when none is configured). */
  alerts?: AlertSink;
}

/** Sends alerts (to Alertmanager, or nowhere when none is configured). Never throws. */
export type AlertSink = (alerts: readonly PlannedAlert[]) => Promise<void>;

/** A production guard as the schedule knows it: the model, and the pull request whose guard comment holds its state. */
export interface GuardTarget {
  pr: number;
  model: string;
}

/** Runs `fn` under the canary's exclusive hold when the trust has one (tests without a scheduler run it directly). */
export function exclusively<T>(trust: AppTrust, repo: Repo, model: string, fn: () => Promise<T>): Promise<T> {
  return trust.exclusive ? trust.exclusive(repo, model, fn) : fn();
}

/** Runs `fn` under the production guard's exclusive hold when the trust has one. */
export function guardExclusively<T>(
  trust: AppTrust,
  repo: Repo,
  model: string,
  fn: () => Promise<T>,
): Promise<T> {
  return trust.exclusiveGuard ? trust.exclusiveGuard(repo, model, fn) : fn();
}

/** A canary as the schedule knows it: the model, and the pull request whose comment holds its state. */
export interface CanaryTarget {
  pr: number;
  model: string;
}

/**
 * Logs what was ignored on a pull request and says it there, once: in the
 * app's own notice comment for the model, updated only when an item is new.
 */
export async function reportIgnored(
  octokit: Octokit,
  repo: Repo,
  pr: number,
  model: string,
  items: readonly IgnoredItem[],
  trust: AppTrust,
): Promise<void> {
  if (!items.length) return;
  const marker = stickyMarker('ignored', model);
  const { own } = await findStickyComment(octokit, repo, pr, marker, trust.self);
  // Logged before the notice is written: a notice that is full (strangers can fill it) still leaves a log line.
  const reported = reportedKeys(own?.body);
  for (const item of items)
    if (!reported.has(item.key))
      trust.warn(`${repo.owner}/${repo.repo}#${pr}: ignored ${item.key}: ${item.text}`);
  const notice = ignoredNotice(model, own?.body, items);
  if (!notice) return; // reported already, or the notice is full
  await upsertStickyComment(octokit, repo, pr, marker, notice, trust.self);
}
