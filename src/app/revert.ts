import { referencedPaths } from '../core/manifest/references.js';
import type { CanaryState } from '../core/canary/state.js';
import { rollbackChanges, type FileChange } from '../core/rollback/plan.js';
import { planRevertPullRequest } from '../core/rollback/revert-pr.js';
import { releaseTag } from '../core/registry/tag-names.js';
import type { Octokit } from '../io/github/octokit.js';
import { githubReleaseApi } from '../io/github/release-api.js';
import { openRevertPullRequest, type ReleasedBlob } from '../io/github/revert.js';
import { readManifestAt } from './manifest.js';

type Repo = { owner: string; repo: string };

/**
 * Opens (or finds) the pull request that restores the baseline release after
 * a failed canary, with the analysis linked as evidence. Everything is read
 * through the API: the manifests at both commits, their trees (blob ids), and
 * the release's own blobs are reused in the new tree.
 */
export async function revertFailedCanary(
  octokit: Octokit,
  repo: Repo,
  state: CanaryState,
  evidence: string,
  autoMerge = false,
): Promise<{ url: string } | { problem: string }> {
  if (!state.baselineVersion)
    return { problem: `no earlier release of ${state.model} is in production to roll back to` };
  const tag = releaseTag(state.model, state.baselineVersion);
  const targetCommit = await githubReleaseApi(octokit, repo).tagCommit(tag);
  if (!targetCommit) return { problem: `the release tag ${tag} does not exist` };
  const { data: repository } = await octokit.rest.repos.get(repo);
  const { data: head } = await octokit.rest.git.getRef({
    ...repo,
    ref: `heads/${repository.default_branch}`,
  });
  const [thenTree, nowTree] = await Promise.all([
    tree(octokit, repo, targetCommit),
    tree(octokit, repo, head.object.sha),
  ]);
  const [thenManifest, nowManifest] = await Promise.all([
    readManifestAt(octokit, repo, state.manifest, tag),
    readManifestAt(octokit, repo, state.manifest, head.object.sha),
  ]);
  if (!thenManifest) return { problem: `${tag} has no valid manifest at ${state.manifest}` };
  const files = (manifest: typeof thenManifest | undefined) =>
    manifest ? [state.manifest, ...referencedPaths(manifest, state.manifest)] : [state.manifest];
  const pick = (paths: string[], entries: Map<string, ReleasedBlob>) =>
    new Map(paths.flatMap((p) => (entries.has(p) ? [[p, entries.get(p)!.sha] as const] : [])));
  const changes: FileChange[] = rollbackChanges(
    pick(files(nowManifest), nowTree),
    pick(files(thenManifest), thenTree),
  );
  const plan = planRevertPullRequest({
    model: state.model,
    from: state.version,
    to: state.baselineVersion,
    tag,
    reason: `the canary of ${state.version} failed`,
    changes,
    requestedBy: undefined,
    link: evidence,
  });
  const pull = await openRevertPullRequest(
    octokit,
    repo,
    { ...plan, body: `${plan.body}\n\nIntroduced in #${state.pr}; the failed analysis: ${evidence}` },
    changes,
    thenTree,
  );
  if (autoMerge) {
    // rollback.mode: auto_merge. GitHub merges it once its required checks pass (auto-merge must be allowed in the repository).
    await octokit.graphql(
      'mutation($id: ID!) { enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: SQUASH }) { clientMutationId } }',
      { id: pull.nodeId },
    );
  }
  return { url: pull.url };
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
