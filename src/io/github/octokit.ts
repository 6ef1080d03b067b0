import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type Octokit = ReturnType<typeof getOctokit>;

/** Retries of a request that hit a primary or secondary rate limit, each after the wait GitHub asks for. */
const RATE_LIMIT_RETRIES = 2;

/**
 * An Octokit for the Action: GITHUB_API_URL (GitHub Enterprise, tests) as base
 * URL; retries on 5xx (plugin-retry), and waits out primary and secondary
 * rate limits as GitHub asks (plugin-throttling), so a passing fault does not
 * leave a release half-done.
 */
export function createOctokit(token: string, log: (message: string) => void = () => {}): Octokit {
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
      baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com',
      throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
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
