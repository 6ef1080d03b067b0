import { findSticky, stickyBody, type CommentAuthor } from '../../core/report/sticky.js';
import type { Octokit } from './octokit.js';

/** A comment found by its marker: its id, text, address and author. */
export interface StickyComment {
  id: number;
  body?: string;
  html_url: string;
  user: CommentAuthor | null;
}

const asSticky = (c: {
  id: number;
  body?: string;
  html_url: string;
  user: { login: string; type: string } | null;
}): StickyComment => ({
  id: c.id,
  ...(c.body !== undefined ? { body: c.body } : {}),
  html_url: c.html_url,
  user: c.user ? { login: c.user.login, type: c.user.type } : null,
});

/**
 * The comment on an issue or pull request that `author` wrote with `marker`
 * (read page by page and no further than needed: the sticky comments come
 * early, long ChatOps conversations after them), and the comments before it
 * that carry the marker but were written by anyone else.
 */
export async function findStickyComment(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  issueNumber: number,
  marker: string,
  author: CommentAuthor,
): Promise<{ own?: StickyComment; strangers: StickyComment[] }> {
  const strangers: StickyComment[] = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
  })) {
    const found = findSticky(page.data, marker, author);
    strangers.push(...found.strangers.map(asSticky));
    if (found.own) return { own: asSticky(found.own), strangers };
  }
  return { strangers };
}

/**
 * Creates or updates the one comment that `author` (the token's own
 * identity) wrote with `marker`: never a second one, and never anyone
 * else's, even when it carries the marker. Unchanged text is not written
 * again. The strangers' comments are returned so the caller can say it
 * ignored them.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  issueNumber: number,
  marker: string,
  markdown: string,
  author: CommentAuthor,
): Promise<{ action: 'created' | 'updated' | 'unchanged'; url: string; strangers: StickyComment[] }> {
  const body = stickyBody(marker, markdown);
  const { own, strangers } = await findStickyComment(octokit, repo, issueNumber, marker, author);
  if (!own) {
    const created = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
    return { action: 'created', url: created.data.html_url, strangers };
  }
  if (own.body === body) return { action: 'unchanged', url: own.html_url, strangers };
  const updated = await octokit.rest.issues.updateComment({ ...repo, comment_id: own.id, body });
  return { action: 'updated', url: updated.data.html_url, strangers };
}
