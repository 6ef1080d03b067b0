import { findSticky, stickyBody } from '../../core/report/sticky.js';
import type { Octokit } from './octokit.js';

/**
 * The first comment on an issue or pull request that carries `marker`, read
 * page by page and no further than needed: the sticky comments come early,
 * long ChatOps conversations after them.
 */
export async function findStickyComment(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  issueNumber: number,
  marker: string,
): Promise<{ id: number; body?: string; html_url: string } | undefined> {
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100,
  })) {
    const found = findSticky(page.data, marker);
    if (found) return found;
  }
  return undefined;
}

/**
 * Creates or updates the one comment that carries `marker` on an issue or
 * pull request: never a second one. Unchanged text is not written again.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  issueNumber: number,
  marker: string,
  markdown: string,
): Promise<{ action: 'created' | 'updated' | 'unchanged'; url: string }> {
  const body = stickyBody(marker, markdown);
  const existing = await findStickyComment(octokit, repo, issueNumber, marker);
  if (!existing) {
    const created = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
    return { action: 'created', url: created.data.html_url };
  }
  if (existing.body === body) return { action: 'unchanged', url: existing.html_url };
  const updated = await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
  return { action: 'updated', url: updated.data.html_url };
}
