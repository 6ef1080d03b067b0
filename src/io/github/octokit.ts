import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';

export type Octokit = ReturnType<typeof getOctokit>;

/** Retries of a request that hit a primary or secondary rate limit, each after the wait GitHub asks for. */
const RATE_LIMIT_RETRIES = 2;

/**
 * The test harness's switch for a fake GitHub: see {@link githubPacing}. Set on
 * the Action's process by test/helpers/action.ts; it has no Action input.
 */
export const FAST_FAKE_GITHUB = 'MODELGATE_TEST_FAST_GITHUB';

/** How far apart requests go and how long a retry waits: GitHub's pace, or a fake's. */
export interface GitHubPacing {
  /** Milliseconds per second of a wait GitHub asks for (retry-after, rate-limit reset) or plugin-retry computes. */
  msPerSecond: number;
  /** Whether writes (and GraphQL) are spaced 1 s apart, and notifying writes 3 s, as GitHub asks integrators to. */
  spacedWrites: boolean;
  /** Why a set FAST_FAKE_GITHUB was ignored, to be logged. */
  ignored?: string;
}

/**
 * GitHub's pace, unless the test harness set FAST_FAKE_GITHUB=1 *and* the API
 * is on this machine's loopback interface (the fake GitHub a test started).
 * Then writes are not spaced and every wait of N seconds lasts N milliseconds,
 * so the same retries and log lines happen without minutes of sleeping. The
 * variable alone cannot change the pace against a real GitHub (api.github.com
 * or an Enterprise server): it is ignored there, with a line saying so that
 * names the server's origin only (never credentials a URL might carry).
 */
export function githubPacing(
  apiUrl: string,
  env: Readonly<Record<string, string | undefined>>,
): GitHubPacing {
  const github: GitHubPacing = { msPerSecond: 1000, spacedWrites: true };
  const requested = env[FAST_FAKE_GITHUB];
  if (requested === undefined || requested === '') return github;
  if (requested !== '1')
    return {
      ...github,
      ignored: `${FAST_FAKE_GITHUB}=${JSON.stringify(requested)} is ignored: only 1 turns it on`,
    };
  const origin = originOf(apiUrl);
  if (origin === undefined || !isLoopback(origin.hostname))
    return {
      ...github,
      ignored: `${FAST_FAKE_GITHUB} is ignored: ${origin ? `${origin.protocol}//${origin.host}` : 'GITHUB_API_URL (not a URL)'} is not a GitHub on this machine`,
    };
  return { msPerSecond: 1, spacedWrites: false };
}

function originOf(apiUrl: string): URL | undefined {
  try {
    return new URL(apiUrl);
  } catch {
    return undefined;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * A limiter group for plugin-throttling's `write`/`notifications` slots that lets
 * every request start at once; the plugin only ever calls `key(id).schedule(options, task)`.
 */
function unspacedGroup(): NonNullable<ThrottlingOptions['write']> {
  const limiter = { schedule: (_options: unknown, task: () => Promise<unknown>) => task() };
  return { key: () => limiter } as unknown as NonNullable<ThrottlingOptions['write']>;
}

/**
 * An Octokit for the Action: GITHUB_API_URL (GitHub Enterprise, tests) as base
 * URL; retries on 5xx (plugin-retry), and waits out primary and secondary
 * rate limits as GitHub asks (plugin-throttling), so a passing fault does not
 * leave a release half-done. The pace is GitHub's ({@link githubPacing}).
 */
export function createOctokit(
  token: string,
  log: (message: string) => void = () => {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): Octokit {
  const baseUrl = env.GITHUB_API_URL ?? 'https://api.github.com';
  const pacing = githubPacing(baseUrl, env);
  if (pacing.ignored) log(pacing.ignored);
  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      log(
        `GitHub ${kind} rate limit on ${options.method} ${options.url}; ${retryCount < RATE_LIMIT_RETRIES ? `retrying in ${retryAfter} s` : 'giving up'}`,
      );
      return retryCount < RATE_LIMIT_RETRIES;
    };
  return getOctokit(
    token,
    {
      baseUrl,
      retry: { retryAfterBaseValue: pacing.msPerSecond },
      throttle: {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        retryAfterBaseValue: pacing.msPerSecond,
        ...(pacing.spacedWrites ? {} : { write: unspacedGroup(), notifications: unspacedGroup() }),
      },
    },
    retry,
    throttling,
  );
}

/** The HTTP status of an Octokit error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
