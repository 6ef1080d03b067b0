/** Commands one commenter may have acted on per window (default): far more than a person steering a rollout types. */
const DEFAULT_PER_WINDOW = 20;
/** The window (default): ten minutes. */
const DEFAULT_WINDOW_MS = 10 * 60_000;
/** Commenters remembered at most; the one heard from least recently is forgotten first. */
const DEFAULT_MAX_COMMENTERS = 10_000;

/** The answer to "is this commenter's command acted on?". */
export type CommenterAdmission = { ok: true } | { ok: false; first: boolean; until: Date };

/**
 * How many ChatOps commands each commenter of an installation has acted on,
 * so no commenter spends the installation's GitHub budget for everyone: a
 * command costs up to a few dozen requests, and scheduled judgments (the
 * canary's, the production guard's) wait once the budget runs low, so a
 * stranger repeating `/canary status` on a public repository could hold the
 * guard off production. Past `perWindow` commands in `windowMs`, a
 * commenter's commands are not acted on (no reaction, no reply: refusing
 * costs requests too) until the oldest leaves the window; `first` marks the
 * first refusal of a run, for one log line. Kept in memory, per replica.
 */
export class CommenterLimit {
  readonly #acted = new Map<string, { at: number[]; refused: boolean }>();
  readonly #perWindow: number;
  readonly #windowMs: number;
  readonly #maxCommenters: number;

  constructor(options: { perWindow?: number; windowMs?: number; maxCommenters?: number } = {}) {
    this.#perWindow = options.perWindow ?? DEFAULT_PER_WINDOW;
    this.#windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
    this.#maxCommenters = options.maxCommenters ?? DEFAULT_MAX_COMMENTERS;
  }

  /** The limit as a sentence: "20 commands in 10 minutes". */
  get description(): string {
    return `${this.#perWindow} commands in ${Math.round(this.#windowMs / 60_000)} minutes`;
  }

  /** Whether a command of `login` in installation `installation` is acted on at `now` (and counts it when it is). */
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
