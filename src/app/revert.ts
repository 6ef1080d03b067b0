import { referencedPaths } from '../core/manifest/references.js';
import type { CanaryState } from '../core/canary/state.js';
import { rollbackChanges, type FileChange } from '../core/rollback/plan.js';
import { planRevertPullRequest, type RequestSeal } from '../core/rollback/revert-pr.js';
import { releaseTag } from '../core/registry/tag-names.js';
import type { Octokit } from '../io/github/octokit.js';
import { githubReleaseApi } from '../io/github/release-api.js';
import { openRevertPullRequest, type ReleasedBlob } from '../io/github/revert.js';
import { readManifestAt } from './manifest.js';

type Repo = { owner: string; repo: string };

/** What a rollback pull request restores, and who asked for it. */
export interface RollbackRequest {
  model: string;
  /** The manifest's path (the same at both commits). */
  manifest: string;
  from: string;
  to: string;
  reason: string;
  requestedBy?: string;
  /** The comment, workflow run or analysis that asked. */
  link?: string;
  /** More for the body: what led here. */
  note?: string;
  autoMerge?: boolean;
  /** Seals who asked, so the release that merges the pull request believes it. */
  requestSeal?: RequestSeal;
}

/**
 * The files a rollback to `tag` changes at `head`, from both trees and both
 * manifests, all read through the API. The release's own blobs are returned
 * so the new tree can point at them.
 */
export async function rollbackFiles(
  octokit: Octokit,
  repo: Repo,
  manifest: string,
  tag: string,
  head: string,
): Promise<RollbackFiles | { problem: string }> {
  const targetCommit = await githubReleaseApi(octokit, repo).tagCommit(tag);
  if (!targetCommit) return { problem: `the release tag ${tag} does not exist` };
  const [thenTree, nowTree, thenManifest, nowManifest] = await Promise.all([
    tree(octokit, repo, targetCommit),
    tree(octokit, repo, head),
    readManifestAt(octokit, repo, manifest, tag),
    readManifestAt(octokit, repo, manifest, head),
  ]);
  if (!thenManifest) return { problem: `${tag} has no valid manifest at ${manifest}` };
  const files = (m: typeof thenManifest | undefined) =>
    m ? [manifest, ...referencedPaths(m, manifest)] : [manifest];
  const pick = (paths: string[], entries: Map<string, ReleasedBlob>) =>
    new Map(paths.flatMap((p) => (entries.has(p) ? [[p, entries.get(p)!.sha] as const] : [])));
  return {
    changes: rollbackChanges(pick(files(nowManifest), nowTree), pick(files(thenManifest), thenTree)),
    blobs: thenTree,
  };
}

type RollbackFiles = { changes: FileChange[]; blobs: Map<string, ReleasedBlob> };

/**
 * Opens (or finds) the pull request that restores `to` on the default branch,
 * and enables auto-merge on it when asked (rollback.mode: auto_merge). `files`
 * is what rollbackFiles found, when the caller has it already.
 */
export async function openRollback(
  octokit: Octokit,
  repo: Repo,
  request: RollbackRequest,
  files?: RollbackFiles,
): Promise<{ url: string; number: number; created: boolean } | { problem: string }> {
  const tag = releaseTag(request.model, request.to);
  if (!files) {
    const { data: repository } = await octokit.rest.repos.get(repo);
    const { data: head } = await octokit.rest.git.getRef({
      ...repo,
      ref: `heads/${repository.default_branch}`,
    });
    const found = await rollbackFiles(octokit, repo, request.manifest, tag, head.object.sha);
    if ('problem' in found) return found;
    files = found;
  }
  const plan = planRevertPullRequest({ ...request, tag, changes: files.changes });
  const pull = await openRevertPullRequest(
    octokit,
    repo,
    { ...plan, body: request.note ? `${plan.body}\n\n${request.note}` : plan.body },
    files.changes,
    files.blobs,
  );
  if (request.autoMerge) {
    // GitHub merges it once its required checks pass (auto-merge must be allowed in the repository).
    await octokit.graphql(
      'mutation($id: ID!) { enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: SQUASH }) { clientMutationId } }',
      { id: pull.nodeId },
    );
  }
  return pull;
}

/** Opens (or finds) the pull request that restores the baseline release after a failed canary, the analysis linked as evidence. */
export async function revertFailedCanary(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  evidence: string,
  autoMerge = false,
): Promise<{ url: string } | { problem: string }> {
  if (!state.baselineVersion)
    return { problem: `no earlier release of ${state.model} is in production to roll back to` };
  return openRollback(octokit, repo, {
    model: state.model,
    manifest: state.manifest,
    from: state.version,
    to: state.baselineVersion,
    reason: `the canary of ${state.version} failed`,
    link: evidence,
    note: `Introduced in #${state.pr}; the failed analysis: ${evidence}`,
    autoMerge,
  });
}

async function tree(octokit: Octokit, repo: Repo, commit: string): Promise<Map<string, ReleasedBlob>> {
  const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: commit, recursive: 'true' });
  const entries = new Map<string, ReleasedBlob>();
  for (const entry of data.tree) {
    if (entry.type === 'blob' && entry.path && entry.sha)
      entries.set(entry.path, {
        path: entry.path,
        sha: entry.sha,
        mode: entry.mode === '100755' ? '100755' : '100644',
      });
  }
  return entries;
}
