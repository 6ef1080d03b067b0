import type { RevertPullRequest } from '../../core/rollback/revert-pr.js';
import type { FileChange } from '../../core/rollback/plan.js';
import { statusOf, type Octokit } from './octokit.js';

/** A file of the target release: its git blob id and mode (identical on GitHub: same object). */
export interface ReleasedBlob {
  path: string;
  sha: string;
  /** 120000: a symlink, restored as one (its blob is the link's target path). */
  mode: '100644' | '100755' | '120000';
}

/**
 * Opens the rollback pull request through the Git Data API: one tree on top
 * of the default branch (restored files point at the release's own blobs,
 * removed ones at null), one commit, one branch, one pull request. An open
 * pull request from the same branch is returned instead of a second one.
 */
export async function openRevertPullRequest(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  plan: RevertPullRequest,
  changes: readonly FileChange[],
  blobs: ReadonlyMap<string, ReleasedBlob>,
): Promise<{ url: string; number: number; nodeId: string; created: boolean }> {
  const openFromBranch = async () => {
    const { data } = await octokit.rest.pulls.list({
      ...repo,
      head: `${repo.owner}:${plan.branch}`,
      state: 'open',
      per_page: 1,
    });
    const pull = data[0];
    return pull && { url: pull.html_url, number: pull.number, nodeId: pull.node_id, created: false };
  };
  const existing = await openFromBranch();
  if (existing) return existing;

  const { data: repository } = await octokit.rest.repos.get(repo);
  const base = repository.default_branch;
  const { data: head } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${base}` });
  const { data: headCommit } = await octokit.rest.git.getCommit({ ...repo, commit_sha: head.object.sha });
  const tree = changes.map((change) => {
    if (change.action === 'remove')
      return { path: change.path, mode: '100644' as const, type: 'blob' as const, sha: null };
    const blob = blobs.get(change.path);
    if (!blob) throw new Error(`no released blob for ${change.path}`);
    return { path: change.path, mode: blob.mode, type: 'blob' as const, sha: blob.sha };
  });
  const { data: newTree } = await octokit.rest.git.createTree({
    ...repo,
    base_tree: headCommit.tree.sha,
    tree,
  });
  const { data: commit } = await octokit.rest.git.createCommit({
    ...repo,
    message: plan.commitMessage,
    tree: newTree.sha,
    parents: [head.object.sha],
  });
  try {
    await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${plan.branch}`, sha: commit.sha });
  } catch (error) {
    // The branch is left from an earlier rollback whose pull request was closed: point it at the new commit.
    if (statusOf(error) !== 422) throw error;
    await octokit.rest.git.updateRef({ ...repo, ref: `heads/${plan.branch}`, sha: commit.sha, force: true });
  }
  try {
    const { data: pull } = await octokit.rest.pulls.create({
      ...repo,
      title: plan.title,
      head: plan.branch,
      base,
      body: plan.body,
    });
    return { url: pull.html_url, number: pull.number, nodeId: pull.node_id, created: true };
  } catch (error) {
    // Another tick or delivery opened it a moment ago: GitHub refuses a second one for the branch.
    if (statusOf(error) !== 422) throw error;
    const opened = await openFromBranch();
    if (!opened) throw error;
    return opened;
  }
}
