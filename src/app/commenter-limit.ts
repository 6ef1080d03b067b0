/** Commands one commenter may have acted on per window (default): far more than a person steering a rollout types. */
const DEFAULT_PER_WINDOW = 20;
/** The window (default): ten minutes. */
const DEFAULT_WINDOW_MS = 10 * 60_000;
/** Commenters remembered at most; the one heard from least recently is forgotten first. */
const DEFAULT_MAX_COMMENTERS = 10_000;

/** The answer to "is this commenter's command acted on?". */
export type CommenterAdmission = { ok: true } | { ok: false; first: boolean; until: Date };

/** How many commands a commenter may have acted on: in this process, or shared by replicas (commenter-limit-redis.ts). */
export interface CommenterAdmitter {
  /** The limit as a sentence: "20 commands in 10 minutes". */
  readonly description: string;
  /** Whether a command of `login` in installation `installation` is acted on at `now` (and counts it when it is). */
  admit(installation: number, login: string, now: Date): CommenterAdmission | Promise<CommenterAdmission>;
}

/** The limit's settings: commands per window, the window, and commenters remembered in memory. */
export interface CommenterLimitOptions {
  perWindow?: number;
  windowMs?: number;
  maxCommenters?: number;
}

/** The settings with their defaults. */
export function commenterLimitSettings(options: CommenterLimitOptions = {}): Required<CommenterLimitOptions> {
  return {
    perWindow: options.perWindow ?? DEFAULT_PER_WINDOW,
    windowMs: options.windowMs ?? DEFAULT_WINDOW_MS,
    maxCommenters: options.maxCommenters ?? DEFAULT_MAX_COMMENTERS,
  };
}

/** "20 commands in 10 minutes". */
export const limitText = (perWindow: number, windowMs: number) =>
  `${perWindow} commands in ${Math.round(windowMs / 60_000)} minutes`;

/**
 * How many ChatOps commands each commenter of an installation has acted on,
 * so no commenter spends the installation's GitHub budget for everyone: a
 * command costs up to a few dozen requests, and scheduled judgments (the
 * canary's, the production guard's) wait once the budget runs low, so a
 * stranger repeating `/canary status` on a public repository could hold the
 * guard off production. Past `perWindow` commands in `windowMs`, a
 * commenter's commands are not acted on (no reaction, no reply: refusing
 * costs requests too) until the oldest leaves the window; `first` marks the
 * first refusal of a run, for one log line. Kept in memory, per replica; on
 * Redis the replicas share one count (RedisCommenterLimit).
 */
export class CommenterLimit implements CommenterAdmitter {
  readonly #acted = new Map<string, { at: number[]; refused: boolean }>();
  readonly #perWindow: number;
  readonly #windowMs: number;
  readonly #maxCommenters: number;

  constructor(options: CommenterLimitOptions = {}) {
    const settings = commenterLimitSettings(options);
    this.#perWindow = settings.perWindow;
    this.#windowMs = settings.windowMs;
    this.#maxCommenters = settings.maxCommenters;
  }

  get description(): string {
    return limitText(this.#perWindow, this.#windowMs);
  }

  admit(installation: number, login: string, now: Date): CommenterAdmission {
    const key = `${installation}:${login.toLowerCase()}`;
    const known = this.#acted.get(key) ?? { at: [], refused: false };
    // Re-inserted: the map's order is the order commenters were last heard from.
    this.#acted.delete(key);
    this.#acted.set(key, known);
    if (this.#acted.size > this.#maxCommenters) this.#acted.delete(this.#acted.keys().next().value!);
    const since = now.getTime() - this.#windowMs;
    while (known.at.length && known.at[0]! <= since) known.at.shift();
    if (known.at.length >= this.#perWindow) {
      const first = !known.refused;
      known.refused = true;
      return { ok: false, first, until: new Date(known.at[0]! + this.#windowMs) };
    }
    known.at.push(now.getTime());
    known.refused = false;
    return { ok: true };
  }
}
