import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  CommenterLimit,
  commenterLimitSettings,
  limitText,
  type CommenterAdmission,
  type CommenterAdmitter,
  type CommenterLimitOptions,
} from './commenter-limit.js';

// One commenter's commands acted on in the window, as a sorted set of their times, and the mark of a
// refusal already said. The times are Redis's own (TIME), never a replica's: replicas whose clocks
// differ would otherwise drop each other's commands from the window, or keep them for ever.
// KEYS: the set, the mark. ARGV: window (ms), per window, a unique member.
// Returns {1} when admitted (and counted), {0, oldest time, 1 when this is the first refusal}.
const ADMIT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local first = redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1])
  return {0, tonumber(oldest[2]), first and 1 or 0}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return {1}
`;

/** How long the limit waits for Redis's answer to one command. */
const COMMAND_TIMEOUT_MS = 250;
/** How long a Redis that did not answer is left alone before it is asked again. */
const AWAY_RETRY_MS = 30_000;

/**
 * The commenter limit of CommenterLimit, shared by every replica on one
 * Redis (REDIS_URL): per replica, N replicas would act on N times the limit.
 * A Redis that does not answer within 250 ms falls back to this replica's own
 * count for 30 s, said once per outage in the log: the limit is kept, only not
 * shared, while it is away, and a webhook is never held waiting for it.
 */
export class RedisCommenterLimit implements CommenterAdmitter {
  readonly description: string;
  readonly #redis: Redis;
  readonly #local: CommenterLimit;
  readonly #settings: Required<CommenterLimitOptions>;
  readonly #prefix: string;
  readonly #warn: (message: string) => void;
  readonly #password: string;
  /** While Redis is away: when to ask it again (the local count decides until then). */
  #awayUntil: number | undefined;

  constructor(
    url: string,
    options: CommenterLimitOptions & { prefix?: string; warn?: (message: string) => void } = {},
  ) {
    this.#settings = commenterLimitSettings(options);
    this.description = limitText(this.#settings.perWindow, this.#settings.windowMs);
    this.#local = new CommenterLimit(options);
    this.#prefix = options.prefix ?? 'modelgate:commenters';
    this.#warn = options.warn ?? (() => {});
    this.#password = passwordOf(url);
    // A webhook is not held while Redis is away: an answer later than COMMAND_TIMEOUT_MS is a failure,
    // and the local count decides.
    this.#redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: COMMAND_TIMEOUT_MS });
    this.#redis.on('error', () => {}); // said once, where a command fails
  }

  async admit(installation: number, login: string, now: Date): Promise<CommenterAdmission> {
    if (this.#awayUntil !== undefined && now.getTime() < this.#awayUntil)
      return this.#local.admit(installation, login, now);
    const who = `{${installation}:${login.toLowerCase()}}`;
    try {
      const answer = (await this.#redis.eval(
        ADMIT,
        2,
        `${this.#prefix}:${who}`,
        `${this.#prefix}:${who}:refused`,
        this.#settings.windowMs,
        this.#settings.perWindow,
        randomUUID(),
      )) as [number, number?, number?];
      this.#awayUntil = undefined;
      if (answer[0] === 1) return { ok: true };
      return { ok: false, first: answer[2] === 1, until: new Date(answer[1]! + this.#settings.windowMs) };
    } catch (error) {
      if (this.#awayUntil === undefined) this.#warn(unreachableWarning(error, this.#password));
      this.#awayUntil = now.getTime() + AWAY_RETRY_MS;
      return this.#local.admit(installation, login, now);
    }
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}

/** What the log says when Redis did not answer: the error, without `password` in any spelling. */
export function unreachableWarning(error: unknown, password: string): string {
  let reason = error instanceof Error ? error.message : String(error);
  for (const spelling of new Set([password, encodeURIComponent(password)]))
    if (spelling) reason = reason.replaceAll(spelling, '***');
  return `the commenter limit cannot reach Redis (${reason}): each replica counts commenters on its own until it answers`;
}

/** The password REDIS_URL carries, kept out of log lines. */
function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
