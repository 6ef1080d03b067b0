import { readFileSync } from 'node:fs';
import {
  explicitSealKey,
  MIN_EXPLICIT_KEY_LENGTH,
  sealKeyFrom,
  type SealKey,
} from '../core/integrity/seal.js';

/** What the app reads from its environment (never from a repository). */
export interface AppConfig {
  prometheusUrl?: string;
  prometheusAuthorization?: string;
  /** Bearer secret of POST /modelgate/tick; the route is off without it. */
  tickSecret?: string;
  /**
   * 0: judgments are not run by a timer in the process, only by POST
   * /modelgate/tick (a cron job drives the app). Any other value: they run
   * at their due times (the number itself is no longer used: the schedule is
   * per canary, not a scan every N seconds).
   */
  tickSeconds: number;
  /** Redis for the scale-out scheduler (BullMQ): any number of replicas share the work. Unset: one process. */
  redisUrl?: string;
  /** Bearer token GET /metrics requires; unset, the route is open (keep it on a private network). */
  metricsToken?: string;
  /** Share of each installation's rate limit kept for urgent work (ChatOps, releases), 0 to 1. */
  rateReserveShare?: number;
  /** The key that seals the canary state and rollback request lines the app writes into GitHub. */
  stateKey: SealKey;
  /** Alertmanager (API v2) that receives the guard's and the canary's alerts; unset: no alerts (logged once). */
  alertmanagerUrl?: string;
  /** Sent as Authorization to Alertmanager, when a proxy in front of it needs one. */
  alertmanagerAuthorization?: string;
  /** The request log a shadow's answers are read from (PostgreSQL URL, with its password). */
  shadowDatabaseUrl?: string;
  /** The API key sent to versions' endpoints (a shadow's replay, a blue-green preview's suites). */
  evalApiKey?: string;
  /** The judge of `llm_judge` scorers in a preview's suites, and the key of a shadow's pairwise judge. */
  judge?: { baseUrl?: string; model?: string; apiKey?: string };
}

/** A setting the app cannot start with: the message says which and how to fix it. */
export class AppConfigError extends Error {
  override readonly name = 'AppConfigError';
}

/** The app's settings from its environment; an unusable one throws AppConfigError with the fix. */
export function appConfig(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => Uint8Array = (path) => readFileSync(path),
): AppConfig {
  const seconds = Number(env.MODELGATE_TICK_SECONDS ?? 60);
  return {
    prometheusUrl: env.PROMETHEUS_URL || undefined,
    prometheusAuthorization: env.PROMETHEUS_AUTHORIZATION || undefined,
    tickSecret: env.MODELGATE_TICK_SECRET || undefined,
    tickSeconds: Number.isFinite(seconds) && seconds >= 0 ? seconds : 60,
    redisUrl: env.REDIS_URL || undefined,
    metricsToken: env.MODELGATE_METRICS_TOKEN || undefined,
    rateReserveShare: shareOf(env.MODELGATE_RATE_RESERVE),
    stateKey: stateKeyOf(env, readFile),
    alertmanagerUrl: alertmanagerUrlOf(env.ALERTMANAGER_URL),
    alertmanagerAuthorization: env.ALERTMANAGER_AUTHORIZATION || undefined,
    shadowDatabaseUrl: env.MODELGATE_SHADOW_DATABASE_URL || undefined,
    evalApiKey: env.MODELGATE_EVAL_API_KEY || env.OPENAI_API_KEY || undefined,
    judge: {
      baseUrl: env.MODELGATE_JUDGE_BASE_URL || undefined,
      model: env.MODELGATE_JUDGE_MODEL || undefined,
      apiKey: env.MODELGATE_JUDGE_API_KEY || undefined,
    },
  };
}

/** ALERTMANAGER_URL: an http(s) address of Alertmanager, or unset. */
function alertmanagerUrlOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new AppConfigError(
      `ALERTMANAGER_URL is ${JSON.stringify(text.slice(0, 80))}: set it to Alertmanager's address, e.g. http://alertmanager:9093`,
    );
  return text;
}

/**
 * The seal key: MODELGATE_STATE_KEY when it is set (recommended: it
 * survives rotating the app's private key, and the Action can be given the
 * same one); otherwise derived (HKDF-SHA256) from a secret the app already
 * has, so a running installation needs no new setting: the private key
 * (PRIVATE_KEY, or the file at PRIVATE_KEY_PATH), else the webhook secret
 * when it is at least MIN_EXPLICIT_KEY_LENGTH characters long.
 * Changing the secret it comes from invalidates the state of running
 * canaries: each restarts from GitHub's deployments.
 */
export function stateKeyOf(env: NodeJS.ProcessEnv, readFile: (path: string) => Uint8Array): SealKey {
  const explicit = explicitSealKey(env.MODELGATE_STATE_KEY);
  if (explicit && 'problem' in explicit) throw new AppConfigError(explicit.problem);
  if (explicit) return explicit;
  if (env.PRIVATE_KEY) return sealKeyFrom(env.PRIVATE_KEY);
  if (env.PRIVATE_KEY_PATH) {
    try {
      return sealKeyFrom(readFile(env.PRIVATE_KEY_PATH));
    } catch (error) {
      throw new AppConfigError(
        `PRIVATE_KEY_PATH (${env.PRIVATE_KEY_PATH}) cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  // Sealed lines are public: a short webhook secret could be guessed offline from them, and then forge webhooks too.
  if (env.WEBHOOK_SECRET && env.WEBHOOK_SECRET.length >= MIN_EXPLICIT_KEY_LENGTH)
    return sealKeyFrom(env.WEBHOOK_SECRET);
  if (env.WEBHOOK_SECRET)
    throw new AppConfigError(
      `WEBHOOK_SECRET has ${env.WEBHOOK_SECRET.length} characters, too few to derive the canary state key from (at least ${MIN_EXPLICIT_KEY_LENGTH}): set MODELGATE_STATE_KEY (e.g. \`openssl rand -hex 32\`), or PRIVATE_KEY / PRIVATE_KEY_PATH`,
    );
  throw new AppConfigError(
    'modelgate has no secret to seal its canary state with: set MODELGATE_STATE_KEY (at least 32 characters, e.g. `openssl rand -hex 32`), or PRIVATE_KEY / PRIVATE_KEY_PATH',
  );
}

/** MODELGATE_RATE_RESERVE: a share of the rate limit, 0 to 1 (unset: the budget's default). */
function shareOf(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const share = Number(text);
  if (!(share >= 0 && share <= 1))
    throw new AppConfigError(
      `MODELGATE_RATE_RESERVE is ${JSON.stringify(text.slice(0, 40))}: set it to a share of the rate limit between 0 and 1 (default 0.2)`,
    );
  return share;
}
