import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';

export type Octokit = ReturnType<typeof getOctokit>;

/**
 * An Octokit for the Action: GITHUB_API_URL (GitHub Enterprise, tests) as base
 * URL, and retries on 5xx and secondary rate limits so a passing fault does
 * not leave a release half-done.
 */
export function createOctokit(token: string): Octokit {
  return getOctokit(token, { baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com' }, retry);
}

/** The HTTP status of an Octokit error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
