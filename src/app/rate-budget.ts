/**
 * Who a GitHub request spends budget for: an installation id, or `app` for
 * requests the app makes as itself with its JWT (GET /app, listing
 * installations), which GitHub counts separately.
 */
export type BudgetHolder = number | 'app';

/** How much a piece of work may wait: ChatOps, releases and rollbacks are urgent; scheduled judgments and reconciliation are routine. */
export type WorkPriority = 'urgent' | 'routine';

/** One response's view of a rate-limit window (GitHub's `x-ratelimit-*` headers). */
export interface RateReading {
  remaining: number;
  limit: number;
  /** When the window ends and GitHub refills `limit` (`x-ratelimit-reset`). */
  resetAt: Date;
}

/** Why work was deferred: a closed list, so it can label a metric. */
export type DeferralCode = 'reserve' | 'exhausted' | 'secondary_limit';

/** The answer to "may this work spend requests now?". */
export type Admission = { ok: true } | { ok: false; retryAt: Date; reason: string; code: DeferralCode };

/** How the budget is kept. */
export interface RateBudgetOptions {
  /**
   * Share of an installation's limit kept for urgent work (0 to 1, default
   * 0.2): routine work waits for the reset once fewer requests remain.
   */
  reserveShare?: number;
  /** Most installations remembered (default 10,000); the least recently heard-from is forgotten first. */
  maxHolders?: number;
}

interface HolderState {
  /** The current window, as the lowest reading of it says. */
  window?: RateReading;
  /** Set by a secondary rate limit: nothing is sent before this time. */
  blockedUntil?: Date;
}

/** The reserve by default: a fifth of the limit, 1,000 of an installation's 5,000 requests an hour. */
const DEFAULT_RESERVE_SHARE = 0.2;

/**
 * The GitHub rate-limit budget of each installation, as the responses report
 * it, and the policy that keeps scheduled work from starving people:
 *
 * - an installation never heard from, or whose window has reset, is admitted
 *   (GitHub refilled it; the next response tells the truth again);
 * - a secondary rate limit (`retry-after`) defers all work until it passes:
 *   GitHub asks clients to wait, and sending more extends the block;
 * - with nothing left, all work waits for the reset;
 * - routine work (scheduled judgments, reconciliation) waits for the reset as
 *   soon as fewer than `reserveShare` of the limit remain, so ChatOps,
 *   releases and rollbacks (urgent) keep that reserve to themselves.
 *
 * Readings may arrive out of order (concurrent requests): within one window
 * the lowest `remaining` wins, since it only falls until the reset, and a
 * reading of an older window is ignored. Only the `core` REST budget is kept
 * here; the caller records nothing else. The clock is passed in.
 */
export class RateBudget {
  readonly #holders = new Map<BudgetHolder, HolderState>();
  readonly #reserveShare: number;
  readonly #maxHolders: number;

  constructor(options: RateBudgetOptions = {}) {
    const share = options.reserveShare ?? DEFAULT_RESERVE_SHARE;
    if (!(share >= 0 && share <= 1))
      throw new RangeError(`reserveShare must be between 0 and 1, not ${share}`);
    const max = options.maxHolders ?? 10_000;
    if (!(Number.isInteger(max) && max > 0))
      throw new RangeError(`maxHolders must be a positive integer, not ${max}`);
    this.#reserveShare = share;
    this.#maxHolders = max;
  }

  /** Requests routine work leaves untouched out of `limit`. */
  reserveOf(limit: number): number {
    return Math.ceil(limit * this.#reserveShare);
  }

  /** Takes in what one response said about the holder's window. */
  record(holder: BudgetHolder, reading: RateReading): void {
    if (!isReading(reading)) return;
    const state = this.#holders.get(holder) ?? {};
    const known = state.window;
    const reset = reading.resetAt.getTime();
    if (known && reset < known.resetAt.getTime()) return; // a late answer from a window already over
    const window =
      known && reset === known.resetAt.getTime()
        ? { ...reading, remaining: Math.min(known.remaining, reading.remaining) }
        : { ...reading };
    this.#remember(holder, { ...state, window });
  }

  /** A secondary rate limit: GitHub asked for no request before `until`. */
  block(holder: BudgetHolder, until: Date): void {
    if (Number.isNaN(until.getTime())) return;
    const state = this.#holders.get(holder) ?? {};
    const blockedUntil =
      state.blockedUntil && state.blockedUntil.getTime() > until.getTime() ? state.blockedUntil : until;
    this.#remember(holder, { ...state, blockedUntil });
  }

  /** Whether work of this priority may spend the holder's requests at `now`, and if not, until when to wait. */
  admit(holder: BudgetHolder, priority: WorkPriority, now: Date): Admission {
    const { window, blockedUntil } = this.#holders.get(holder) ?? {};
    if (blockedUntil && now.getTime() < blockedUntil.getTime())
      return {
        ok: false,
        retryAt: blockedUntil,
        code: 'secondary_limit',
        reason: `GitHub asked for a pause (secondary rate limit) until ${blockedUntil.toISOString()}`,
      };
    if (!window || now.getTime() >= window.resetAt.getTime()) return { ok: true };
    if (window.remaining <= 0)
      return {
        ok: false,
        retryAt: window.resetAt,
        code: 'exhausted',
        reason: `no GitHub requests left of ${window.limit} until ${window.resetAt.toISOString()}`,
      };
    const reserve = this.reserveOf(window.limit);
    if (priority === 'routine' && window.remaining < reserve)
      return {
        ok: false,
        retryAt: window.resetAt,
        code: 'reserve',
        reason: `${window.remaining} of ${window.limit} GitHub requests left, below the ${reserve} kept for ChatOps and releases, until ${window.resetAt.toISOString()}`,
      };
    return { ok: true };
  }

  /** The holder's window as last recorded (a copy), if any. */
  reading(holder: BudgetHolder): RateReading | undefined {
    const window = this.#holders.get(holder)?.window;
    return window && { ...window };
  }

  #remember(holder: BudgetHolder, state: HolderState): void {
    // Re-inserting keeps the map in least-recently-heard-from order.
    this.#holders.delete(holder);
    this.#holders.set(holder, state);
    if (this.#holders.size > this.#maxHolders) {
      const oldest = this.#holders.keys().next().value;
      if (oldest !== undefined) this.#holders.delete(oldest);
    }
  }
}

function isReading(reading: RateReading): boolean {
  return (
    Number.isFinite(reading.remaining) &&
    reading.remaining >= 0 &&
    Number.isFinite(reading.limit) &&
    reading.limit > 0 &&
    !Number.isNaN(reading.resetAt.getTime())
  );
}
