import { CommandError } from '../../core/repository.js';
import { statusOf, type Octokit } from '../github/octokit.js';

/** Attempts when another push moves the branch between reading it and moving it (other models' deployers too). */
const ATTEMPTS = 5;

/** A file committed to a branch of a GitOps repository. */
export interface GitOpsWrite {
  owner: string;
  repo: string;
  /** Undefined: the repository's default branch. */
  branch?: string;
  path: string;
  /**
   * The file's content and the commit's message, asked again on each head a
   * commit is built on, after that head was read: so what is written was
   * decided knowing every push before it. Undefined: write nothing.
   */
  file: () => Promise<{ content: string; message: string } | undefined>;
}

/**
 * Commits one file to a branch through the Git Data API (a tree on the
 * branch's head with the file inline, a commit, a fast-forward of the
 * branch), so Argo CD or Flux applies it; no cluster credentials. When the
 * branch already has exactly this content nothing is committed: a re-run
 * changes nothing. A push that lands in between is not overwritten: the
 * fast-forward fails, and the file is asked for again and committed on the
 * new head. Undefined when `file` gave nothing to write.
 */
export async function commitGitOpsFile(
  octokit: Octokit,
  write: GitOpsWrite,
): Promise<{ commit: string; changed: boolean; branch: string } | undefined> {
  const repo = { owner: write.owner, repo: write.repo };
  const branch = write.branch ?? (await octokit.rest.repos.get(repo)).data.default_branch;
  for (let attempt = 1; ; attempt += 1) {
    let head: string;
    try {
      head = (await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` })).data.object.sha;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      throw new CommandError(
        `the GitOps branch ${branch} does not exist in ${repo.owner}/${repo.repo} (or the token cannot read it)`,
        'Create the branch, or fix deploy.<target>.gitops in .github/modelgate.yml; a token for another repository goes in the input "gitops-token".',
      );
    }
    const file = await write.file();
    if (!file) return undefined;
    if ((await contentAt(octokit, repo, write.path, head)) === file.content)
      return { commit: head, changed: false, branch };
    const { data: headCommit } = await octokit.rest.git.getCommit({ ...repo, commit_sha: head });
    const { data: tree } = await octokit.rest.git.createTree({
      ...repo,
      base_tree: headCommit.tree.sha,
      tree: [{ path: write.path, mode: '100644', type: 'blob', content: file.content }],
    });
    const { data: commit } = await octokit.rest.git.createCommit({
      ...repo,
      message: file.message,
      tree: tree.sha,
      parents: [head],
    });
    try {
      await octokit.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha: commit.sha, force: false });
      return { commit: commit.sha, changed: true, branch };
    } catch (error) {
      // 422: not a fast-forward any more (someone pushed); read the new head and build again.
      if (statusOf(error) !== 422) throw error;
      if (attempt >= ATTEMPTS)
        throw new CommandError(
          `the GitOps branch ${branch} of ${repo.owner}/${repo.repo} moved ${ATTEMPTS} times while this deployment was being committed`,
          'Re-run the job: other deployments were being committed to the branch at the same time.',
        );
    }
  }
}

/** The text of `path` at `ref`, or undefined when there is no such file. */
async function contentAt(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  path: string,
  ref: string,
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
    return Buffer.from(data.content, 'base64').toString('utf8');
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
