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
/** How often a Redis that stays away (or keeps failing the script) is said again in the log. */
const AWAY_REPEAT_MS = 10 * 60_000;

/**
 * The commenter limit of CommenterLimit, shared by every replica on one
 * Redis (REDIS_URL): per replica, N replicas would act on N times the limit.
 * A Redis that is not connected, or does not answer within 250 ms, leaves the
 * command to this replica's own count, and Redis is asked again 30 s later:
 * the limit is kept, only not shared, while it is away, and a webhook is
 * never held waiting for it. Commands are never queued while disconnected
 * (a replay after a reconnect would count them late); one that timed out
 * while Redis was slow may still run there, so it can be counted twice.
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
  /** When the log last said Redis is away (undefined while it answers). */
  #saidAt: number | undefined;
  /** Until the first command: the connection made (or failed), or the command timeout passed. */
  #connecting: Promise<void> | undefined;

  constructor(
    url: string,
    options: CommenterLimitOptions & {
      prefix?: string;
      warn?: (message: string) => void;
      /** How long one answer may take (tests on a loaded machine give it more). */
      commandTimeoutMs?: number;
    } = {},
  ) {
    this.#settings = commenterLimitSettings(options);
    this.description = limitText(this.#settings.perWindow, this.#settings.windowMs);
    this.#local = new CommenterLimit(options);
    this.#prefix = options.prefix ?? 'modelgate:commenters';
    this.#warn = options.warn ?? (() => {});
    this.#password = passwordOf(url);
    this.#redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS,
      enableOfflineQueue: false,
    });
    this.#redis.on('error', () => {}); // said where a command fails
    const timeout = options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS;
    this.#connecting = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeout).unref();
      const done = () => (clearTimeout(timer), resolve());
      this.#redis.once('ready', done);
      this.#redis.once('error', done);
    });
  }

  async admit(installation: number, login: string, now: Date): Promise<CommenterAdmission> {
    if (this.#awayUntil !== undefined && now.getTime() < this.#awayUntil)
      return this.#local.admit(installation, login, now);
    // The first command waits for the connection as long as for an answer; later ones never do.
    if (this.#connecting) {
      await this.#connecting;
      this.#connecting = undefined;
    }
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
      this.#saidAt = undefined;
      if (answer[0] === 1) return { ok: true };
      return { ok: false, first: answer[2] === 1, until: new Date(answer[1]! + this.#settings.windowMs) };
    } catch (error) {
      const at = now.getTime();
      if (this.#saidAt === undefined || at - this.#saidAt >= AWAY_REPEAT_MS) {
        this.#warn(unreachableWarning(error, this.#password, this.#saidAt !== undefined));
        this.#saidAt = at;
      }
      this.#awayUntil = at + AWAY_RETRY_MS;
      return this.#local.admit(installation, login, now);
    }
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}

/**
 * What the log says when the shared count failed: the error (a connection
 * that is away, a timeout, or Redis's own answer such as OOM or READONLY),
 * without `password` in any spelling.
 */
export function unreachableWarning(error: unknown, password: string, still = false): string {
  let reason = error instanceof Error ? error.message : String(error);
  for (const spelling of new Set([password, encodeURIComponent(password)]))
    if (spelling) reason = reason.replaceAll(spelling, '***');
  return `the commenter limit's Redis ${still ? 'still fails' : 'failed'} (${reason}): each replica counts commenters on its own, and Redis is asked again every ${AWAY_RETRY_MS / 1000} s`;
}

/** The password REDIS_URL carries, kept out of log lines. */
function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
