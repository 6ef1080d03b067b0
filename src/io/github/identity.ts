import type { CommentAuthor } from '../../core/report/sticky.js';
import type { Octokit } from './octokit.js';

/** The identity of the workflow's GITHUB_TOKEN: what its comments and pull requests show as author. */
const GITHUB_ACTIONS_BOT: CommentAuthor = { login: 'github-actions[bot]', type: 'Bot' };

const ACCOUNT_TYPES = new Set(['User', 'Bot', 'Organization']);

/**
 * Who a token acts as, so the Action recognises its own comments and pull
 * requests. GraphQL's `viewer` answers for every kind of token (the
 * workflow's GITHUB_TOKEN, an app installation token, a personal token),
 * where REST `GET /user` refuses installation tokens. When GitHub does not
 * answer, the workflow token's bot is assumed: the cost of a wrong guess is a
 * second comment, never editing someone else's.
 */
export async function tokenIdentity(
  octokit: Octokit,
  warn: (message: string) => void = () => {},
): Promise<CommentAuthor> {
  try {
    const { viewer } = await octokit.graphql<{ viewer?: { login?: unknown; __typename?: unknown } }>(
      'query { viewer { login __typename } }',
    );
    if (typeof viewer?.login === 'string' && viewer.login) {
      const type = typeof viewer.__typename === 'string' ? viewer.__typename : '';
      return { login: viewer.login, type: ACCOUNT_TYPES.has(type) ? type : 'User' };
    }
    warn(`GitHub did not say who the token acts as; assuming ${GITHUB_ACTIONS_BOT.login}`);
  } catch (error) {
    warn(
      `could not ask GitHub who the token acts as (${error instanceof Error ? error.message : String(error)}); assuming ${GITHUB_ACTIONS_BOT.login}`,
    );
  }
  return GITHUB_ACTIONS_BOT;
}
