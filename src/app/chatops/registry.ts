import { compileGlobs } from '../../core/repo-path.js';
import type { Manifest } from '../../core/manifest/schema.js';
import { readRegistry, type ModelRegistry } from '../../core/registry/state.js';
import { restoreRefusal, type Refusal } from '../../core/registry/registration-tags.js';
import { parseRegistryTag } from '../../core/registry/tag-names.js';
import type { Octokit } from '../../io/github/octokit.js';
import { tagRecordsOf, versionTagRecords, type TagRef } from '../../io/github/registry-tags.js';
import { readManifestAt } from '../manifest.js';

type Repo = { owner: string; repo: string };
export type { TagRef };

/** Every tag of the repository, as refs (GitHub answers matching-refs in one response; nothing peeled yet). */
export async function tagRefs(octokit: Octokit, repo: Repo): Promise<TagRef[]> {
  const { data: refs } = await octokit.rest.git.listMatchingRefs({ ...repo, ref: 'tags/' });
  return refs.map((r) => ({ name: r.ref.replace(/^refs\/tags\//, ''), object: r.object }));
}

/** The models that have at least one registered version, sorted. */
export function registeredModels(refs: readonly TagRef[]): string[] {
  const names = new Set<string>();
  for (const ref of refs) {
    const tag = parseRegistryTag(ref.name);
    if (tag?.action === 'register') names.add(tag.name);
  }
  return [...names].sort();
}

/** One model's registry from its tags, read through the API (tagRecordsOf). */
export async function modelRegistry(
  octokit: Octokit,
  repo: Repo,
  refs: readonly TagRef[],
  model: string,
): Promise<ModelRegistry | undefined> {
  const own = refs.filter((r) => parseRegistryTag(r.name)?.name === model);
  return readRegistry(await tagRecordsOf(octokit, repo, own)).get(model);
}

/** Why `version` cannot be put back into production (restoreRefusal), read from its registration tags at GitHub. */
export async function restoreRefusalAt(
  octokit: Octokit,
  repo: Repo,
  model: string,
  version: string,
): Promise<Refusal | undefined> {
  const records = await versionTagRecords(octokit, repo, model, version);
  return restoreRefusal(readRegistry(records).get(model), model, version);
}

/**
 * The default branch as commands see it: its head commit and the manifests
 * there (tree matched against the globs), each read at most once however many
 * questions are asked of it.
 */
export interface BranchView {
  branch: string;
  head: string;
  paths: string[];
  manifest(path: string): Promise<Manifest | undefined>;
}

export async function branchView(
  octokit: Octokit,
  repo: Repo,
  branch: string,
  globs: readonly string[],
): Promise<BranchView> {
  const { data: ref } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` });
  const head = ref.object.sha;
  const { data } = await octokit.rest.git.getTree({ ...repo, tree_sha: head, recursive: 'true' });
  // GitHub lists a tree over its limits (100,000 entries, 7 MB) only in part: a manifest it left out
  // would be a model the command cannot see, so nothing is decided from such a listing.
  if (data.truncated)
    throw new Error(
      `GitHub listed the files of ${branch} only in part (its tree is truncated), so the models' manifests cannot all be found; run the command from a checkout (modelgate) instead`,
    );
  // The settings were checked when read; an unusable glob matches nothing rather than everything.
  const compiled = compileGlobs(globs);
  const match = (path: string) => compiled.ok && compiled.match(path);
  const paths = data.tree
    .flatMap((e) => (e.type === 'blob' && e.path && match(e.path) ? [e.path] : []))
    .sort();
  const read = new Map<string, Promise<Manifest | undefined>>();
  return {
    branch,
    head,
    paths,
    manifest(path) {
      if (!read.has(path)) read.set(path, readManifestAt(octokit, repo, path, head));
      return read.get(path)!;
    },
  };
}

const folderOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);

/**
 * The manifest of `model` on the branch. Manifests in a folder named like the
 * model are read first (the usual layout), then the rest until one matches.
 */
export async function findManifest(
  view: BranchView,
  model: string,
): Promise<{ path: string; manifest: Manifest } | undefined> {
  const leaf = model.split('/').at(-1)!;
  const likely = (p: string) => folderOf(p).endsWith(`/${leaf}/`) || folderOf(p) === `${leaf}/`;
  for (const path of [...view.paths.filter(likely), ...view.paths.filter((p) => !likely(p))]) {
    const manifest = await view.manifest(path);
    if (manifest?.name === model) return { path, manifest };
  }
  return undefined;
}

/** The models whose folders a pull request changes (a manifest's folder holds its artifacts). */
export async function touchedModels(
  octokit: Octokit,
  repo: Repo,
  pullNumber: number,
  view: BranchView,
): Promise<string[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    ...repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  const changed = files.flatMap((f) => [f.filename, ...(f.previous_filename ? [f.previous_filename] : [])]);
  const touched = view.paths.filter((p) => changed.some((file) => file.startsWith(folderOf(p))));
  const names = await Promise.all(touched.map((p) => view.manifest(p)));
  return [...new Set(names.flatMap((m) => (m ? [m.name] : [])))].sort();
}
