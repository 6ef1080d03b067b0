import { referencedPaths } from '../core/manifest/references.js';
import type { CanaryState } from '../core/canary/state.js';
import { compileGlobs } from '../core/repo-path.js';
import { rollbackChanges, type FileChange, type SharedFile } from '../core/rollback/plan.js';
import {
  ownShards,
  realPaths,
  withWeightsIndexes,
  type RollbackReader,
} from '../core/rollback/rollback-reader.js';
import { otherModelsFiles, pathsOtherModelsUse, type FoundManifest } from '../core/rollback/shared-files.js';
import { followTreeLinks } from '../core/rollback/tree-links.js';
import { planRevertPullRequest, type RequestSeal } from '../core/rollback/revert-pr.js';
import { releaseTag } from '../core/registry/tag-names.js';
import type { Octokit } from '../io/github/octokit.js';
import { openRevertPullRequest, type ReleasedBlob } from '../io/github/revert.js';
import { SETTINGS_FILE } from '../io/settings.js';
import { inertText } from '../core/report/escape.js';
import { findReleaseManifest, readManifestAt } from './manifest.js';
import { loadSettingsAt } from './settings.js';
import { restoreRefusalAt } from './chatops/registry.js';

type Repo = { owner: string; repo: string };

/** What a rollback pull request restores, and who asked for it. */
export interface RollbackRequest {
  model: string;
  /** The manifest's path on the default branch (the release restored is found by the model's name). */
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

/** More manifests than this on the default branch: a rollback is refused rather than read with unbounded requests. */
export const MAX_OTHER_MANIFESTS = 500;
/** Manifests read at once (one contents request each). */
const MANIFEST_READS_AT_ONCE = 8;

/** Where a rollback's files are read: the model, its manifest, the release tag, the default branch's head and the settings' manifest globs. */
export interface RollbackSource {
  model: string;
  /** The manifest's path on the default branch (at the tag the model is found by name: it may have moved since). */
  manifest: string;
  tag: string;
  /** The version the tag releases, when it is the release tag `<model>@v<version>`: the manifest there must declare it. */
  version?: string;
  head: string;
  /** The default branch's `manifests:` globs: how the other models, whose files a rollback leaves alone, are found. */
  globs: readonly string[];
}

/** Why a rollback pull request is not opened: the problem, and what to do about it when the user can. */
/** Why a rollback was refused, and the fix (ending with `command`, a shell command, when one does it). */
export type RollbackProblem = { problem: string; fix?: string; command?: string | undefined };

/**
 * The files a rollback to `tag` changes at `head`, from both trees and both
 * manifests (with the shards the model's own weights index lists at each, one
 * blob request per index), all read through the API, leaving alone the files the other
 * models' manifests at `head` use (each read once, at most
 * MAX_OTHER_MANIFESTS), the shards their weights indexes list (one blob
 * request per index) and the files their symlinks lead to (one blob request
 * per link, at most MAX_LINK_READS). A tree GitHub lists only in part refuses the rollback:
 * an unseen file could be another model's. The release's own blobs are
 * returned so the new tree can point at them.
 */
export async function rollbackFiles(
  octokit: Octokit,
  repo: Repo,
  source: RollbackSource,
): Promise<RollbackFiles | RollbackProblem> {
  const { model, manifest, tag, head } = source;
  // The release is restored as it was, at its own paths: the model may have moved since, and the path it
  // has now may hold another model at the tag (whose files would be "restored" in its place).
  const release = await findReleaseManifest(octokit, repo, {
    model,
    tag,
    ...(source.version !== undefined ? { version: source.version } : {}),
    likely: [manifest],
  });
  if ('problem' in release)
    return {
      problem: release.problem,
      fix: `Roll back by hand: restore the files of ${tag} in a pull request (git checkout ${tag} -- <the model's folder then>), removing the model's files of now.`,
    };
  const thenFile = release.path;
  const thenManifest = release.manifest;
  const [thenTree, nowTree, nowManifest] = await Promise.all([
    tree(octokit, repo, release.commit),
    tree(octokit, repo, head),
    readManifestAt(octokit, repo, manifest, head),
  ]);
  for (const [listed, at] of [
    [thenTree, tag],
    [nowTree, 'the default branch'],
  ] as const)
    if (listed.truncated)
      return {
        problem: `GitHub listed the files of ${at} only in part (its tree is truncated), so the files other models use cannot all be seen`,
        fix: 'Roll back by hand (modelgate rollback in a checkout, or command: rollback in a workflow).',
      };
  // What stands at the path now must be the model: another model's files would be taken for its own (and
  // removed), and with nothing there the model's files of now, wherever they moved, would be left beside the release's.
  if (nowManifest?.name !== model)
    return {
      problem: `${inertText(manifest)} on the default branch ${nowManifest ? `is the manifest of ${inertText(nowManifest.name)}, not of ${model}` : `holds no valid manifest (of ${model} or any model)`}`,
      fix: `Roll back with /rollback ${model}, which finds the model's manifest on the default branch by its name.`,
    };
  const atHead = headFiles(octokit, repo, nowTree);
  const atTag = headFiles(octokit, repo, thenTree, tag);
  // The model's own files include the shards its weights index lists at each commit: restoring the index without them is not the release.
  let shards;
  try {
    shards = await Promise.all([
      ownShards(atHead, manifest, nowManifest, 'at the default branch'),
      ownShards(atTag, thenFile, thenManifest, `at ${tag}`),
    ]);
  } catch (error) {
    if (!(error instanceof LinkBudgetSpent)) throw error;
    return linkBudgetSpent();
  }
  const [nowShards, thenShards] = shards;
  if ('problem' in nowShards) return nowShards;
  if ('problem' in thenShards) return thenShards;
  const files = (file: string, m: typeof thenManifest, own: readonly string[]) => [
    file,
    ...referencedPaths(m, file),
    ...own,
  ];
  const pick = (paths: string[], entries: Map<string, ReleasedBlob>) =>
    new Map(paths.flatMap((p) => (entries.has(p) ? [[p, entries.get(p)!.sha] as const] : [])));
  // Each release's files at its own paths: a moved model's old files are restored, its new ones removed.
  const now = pick(files(manifest, nowManifest, nowShards.paths), nowTree.blobs);
  const then = pick(files(thenFile, thenManifest, thenShards.paths), thenTree.blobs);
  const same = now.size === then.size && [...then].every(([path, sha]) => now.get(path) === sha);
  // Nothing to change: the other manifests need not be read.
  if (same) return { changes: [], kept: [], blobs: thenTree.blobs };
  const found = await otherManifests(octokit, repo, source, [...nowTree.blobs.keys()]);
  if ('problem' in found) return found;
  // What the other models use is what their paths lead to, through links and index shards too.
  let others: FoundManifest[];
  let real: Map<string, string>;
  try {
    others = await withWeightsIndexes(atHead, found);
    real = await realPaths(atHead, pathsOtherModelsUse(others, manifest));
  } catch (error) {
    if (!(error instanceof LinkBudgetSpent)) throw error;
    return linkBudgetSpent();
  }
  const planned = rollbackChanges(model, now, then, otherModelsFiles(others, manifest, model, real));
  if (!planned.ok) return { problem: planned.reason, fix: planned.fix };
  return { changes: planned.changes, kept: planned.kept, blobs: thenTree.blobs };
}

/** More symlinks to follow than the app reads: refused. */
const linkBudgetSpent = (): RollbackProblem => ({
  problem: `the files the rollback reads pass through more than ${MAX_LINK_READS} symlinks, more than the app reads`,
  fix: 'Roll back by hand (modelgate rollback in a checkout, or command: rollback in a workflow).',
});

type RollbackFiles = { changes: FileChange[]; kept: SharedFile[]; blobs: Map<string, ReleasedBlob> };

/** The manifests the globs find in the default branch's tree, besides the rolled-back one: one request each, within the cap. */
async function otherManifests(
  octokit: Octokit,
  repo: Repo,
  source: RollbackSource,
  paths: readonly string[],
): Promise<FoundManifest[] | RollbackProblem> {
  const globs = compileGlobs(source.globs);
  if (!globs.ok)
    return {
      problem: `the manifest glob ${globs.pattern} in ${SETTINGS_FILE} ${globs.reason}, so the files other models use cannot be found`,
      fix: `Fix ${SETTINGS_FILE} on the default branch.`,
    };
  const found = paths.filter((p) => p !== source.manifest && globs.match(p)).sort();
  if (found.length > MAX_OTHER_MANIFESTS)
    return {
      problem: `the default branch has ${found.length} other manifests, more than the ${MAX_OTHER_MANIFESTS} the app reads to find the files they use`,
      fix: 'Roll back by hand (modelgate rollback in a checkout, or command: rollback in a workflow).',
    };
  const read: FoundManifest[] = [];
  for (let i = 0; i < found.length; i += MANIFEST_READS_AT_ONCE)
    read.push(
      ...(await Promise.all(
        found.slice(i, i + MANIFEST_READS_AT_ONCE).map(async (file) => ({
          file,
          manifest: await readManifestAt(octokit, repo, file, source.head),
        })),
      )),
    );
  return read;
}

/** More symlinks than this on the way to the files other models use: a rollback is refused rather than read with unbounded requests. */
const MAX_LINK_READS = 500;

/** More links to read than MAX_LINK_READS: thrown by headFiles' reader, returned by rollbackFiles as a refusal. */
class LinkBudgetSpent extends Error {}

/** A commit's files as a rollback reads them beyond the listing (link targets, weights indexes): one blob request each. */
function headFiles(
  octokit: Octokit,
  repo: Repo,
  listed: ListedTree,
  at = 'the default branch',
): RollbackReader {
  const targets = new Map<string, Promise<string>>();
  const links = new Set(listed.links.keys());
  const blob = async (sha: string) => {
    const { data } = await octokit.rest.git.getBlob({ ...repo, file_sha: sha });
    return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
  };
  const target = (link: string) => {
    let read = targets.get(link);
    if (!read) {
      if (targets.size >= MAX_LINK_READS) throw new LinkBudgetSpent();
      read = blob(listed.links.get(link)!).then((bytes) => bytes.toString('utf8'));
      targets.set(link, read);
    }
    return read;
  };
  const resolve = (path: string) => followTreeLinks(path, links, target);
  return {
    resolve,
    async read(path, maxBytes) {
      const real = await resolve(path);
      const entry = real === undefined ? undefined : listed.blobs.get(real);
      if (!entry) return { ok: false, problem: `it is not a file on ${at}` };
      const size = listed.sizes.get(entry.path);
      const tooLarge = { ok: false as const, problem: `it is larger than the ${maxBytes} bytes read` };
      if (size !== undefined && size > maxBytes) return tooLarge;
      const bytes = await blob(entry.sha);
      return bytes.length > maxBytes ? tooLarge : { ok: true, bytes };
    },
  };
}

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
): Promise<{ url: string; number: number; created: boolean } | RollbackProblem> {
  const tag = releaseTag(request.model, request.to);
  if (!files) {
    const { data: repository } = await octokit.rest.repos.get(repo);
    const { data: head } = await octokit.rest.git.getRef({
      ...repo,
      ref: `heads/${repository.default_branch}`,
    });
    // The manifest globs as the default branch's head has them: which files are other models'.
    const settings = await loadSettingsAt(octokit, repo, head.object.sha);
    if ('problem' in settings)
      return {
        problem: `${SETTINGS_FILE} on the default branch cannot be used (${settings.problem}), so the files other models use cannot be found`,
        fix: `Fix ${SETTINGS_FILE} on the default branch.`,
      };
    const found = await rollbackFiles(octokit, repo, {
      model: request.model,
      manifest: request.manifest,
      tag,
      version: request.to,
      head: head.object.sha,
      globs: settings.settings.manifests,
    });
    if ('problem' in found) return found;
    files = found;
  }
  const plan = planRevertPullRequest({ ...request, tag, changes: files.changes, kept: files.kept });
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
): Promise<{ url: string } | RollbackProblem> {
  if (!state.baselineVersion)
    return { problem: `no earlier release of ${state.model} is in production to roll back to` };
  // Its validate would fail a restore of content GTO holds withdrawn: a pull request that cannot merge is not opened.
  const refusal = await restoreRefusalAt(octokit, repo, state.model, state.baselineVersion);
  if (refusal)
    return {
      problem: `production's ${state.baselineVersion} cannot be restored: ${refusal.reason}`,
      fix: refusal.fix,
    };
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

/** A commit's files as GitHub lists them: blobs (links among them), the symlinks' blob ids, sizes where given, and whether the listing is only part of them. */
interface ListedTree {
  blobs: Map<string, ReleasedBlob>;
  /** Symlinks (mode 120000): path -> the blob holding the target. */
  links: Map<string, string>;
  sizes: Map<string, number>;
  truncated: boolean;
}

async function tree(octokit: Octokit, repo: Repo, commit: string): Promise<ListedTree> {
  const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: commit, recursive: 'true' });
  const listed: ListedTree = {
    blobs: new Map(),
    links: new Map(),
    sizes: new Map(),
    truncated: data.truncated,
  };
  for (const entry of data.tree) {
    if (entry.type !== 'blob' || !entry.path || !entry.sha) continue;
    listed.blobs.set(entry.path, {
      path: entry.path,
      sha: entry.sha,
      // A link stays a link: written as 100644, its blob (the target's path) would become the file's content.
      mode: entry.mode === '100755' || entry.mode === '120000' ? entry.mode : '100644',
    });
    if (entry.mode === '120000') listed.links.set(entry.path, entry.sha);
    if (typeof entry.size === 'number') listed.sizes.set(entry.path, entry.size);
  }
  return listed;
}
