import { decodeUtf8 } from '../core/bytes.js';
import { MANIFEST_MAX_BYTES, parseManifest } from '../core/manifest/parse.js';
import { checkRepoPath } from '../core/repo-path.js';
import { inertText } from '../core/report/escape.js';
import type { Manifest } from '../core/manifest/schema.js';
import { manifestLine } from '../core/release/manifest-line.js';
import type { ArtifactSource } from '../core/source.js';
import { statusOf, type Octokit } from '../io/github/octokit.js';
import { GitHubContentsSource } from './github-source.js';

/** A manifest as a ref of the repository has it, read through the contents API; undefined when it is absent or invalid. */
export async function readManifestAt(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  path: string,
  ref: string,
): Promise<Manifest | undefined> {
  let content: string;
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
    content = Buffer.from(data.content, 'base64').toString('utf8');
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  return parseManifest(content, path).manifest;
}

/** A rollout's release: the version's tag, and the manifest file its deployments name. */
export interface ReleaseFile {
  model: string;
  version: string;
  /** The manifest's path as a deployment payload (or a state started from one) names it. */
  manifest: string;
  ref: string;
}

/**
 * The manifest a rollout is judged by: the release's own, at its tag. The
 * path comes from a deployment payload, which anyone with deployments: write
 * writes, so it must keep the repository path rule, in its normal spelling (the
 * one the state keeps and later deployments must repeat), and the file there
 * must be this model's manifest of this version: another model's manifest, an
 * example or a fixture at the same commit would otherwise choose the canary's
 * metrics, thresholds and the revert's files.
 */
export async function readReleaseManifest(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  release: ReleaseFile,
): Promise<{ manifest: Manifest } | { problem: string }> {
  const file = inertText(release.manifest);
  const path = checkRepoPath(release.manifest);
  if (!path.ok) return { problem: `the deployment's manifest ${file} ${path.reason}` };
  if (path.path !== release.manifest)
    return { problem: `the deployment's manifest ${file} is not in its normal form ${inertText(path.path)}` };
  const manifest = await readManifestAt(octokit, repo, release.manifest, release.ref);
  if (!manifest) return { problem: `${file} at ${release.ref} is missing or is not a valid manifest` };
  if (manifest.name !== release.model || manifest.version !== release.version)
    return {
      problem: `${file} at ${release.ref} is the manifest of ${inertText(manifest.name)} ${inertText(manifest.version)}, not of ${release.model} ${release.version}`,
    };
  return { manifest };
}

/** A model's manifest at one of its release tags, found by the name it declares. */
export interface ReleaseManifest {
  tag: string;
  /** The commit the tag points at. */
  commit: string;
  /** Where the manifest is at the tag: the model's folder then, wherever it is now. */
  path: string;
  manifest: Manifest;
  /** The repository at the tag, the manifest already read into it (a later read of it sends no request). */
  source: GitHubContentsSource;
}

/**
 * The manifest of `model` at one of its release tags, wherever the model was
 * then: a model is its name, not its folder, and a path taken from another
 * release (the one deployed now, the default branch's) may hold nothing
 * there, or another model. It looks first at the file the tag's `Manifest:`
 * line names (modelgate release writes it; one tag read, which the tag's
 * commit needs anyway), then at `likely`; the file must declare the model's
 * name (and `version`, when given), like the one the CLI's lookup accepts
 * (src/core/semver/model-manifests.ts). Nothing else is scanned (a tree's
 * manifests are one request each): no match is a problem naming the tag, the
 * model and what each place holds, for the caller to fail closed on.
 */
export async function findReleaseManifest(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  release: { model: string; tag: string; version?: string; likely: readonly string[] },
): Promise<ReleaseManifest | { problem: string }> {
  const { model, tag, version } = release;
  const tagged = await tagTarget(octokit, repo, tag);
  if (!tagged) return { problem: `the release tag ${inertText(tag)} does not exist` };
  const recorded = manifestLine(tagged.message);
  const source = new GitHubContentsSource(octokit, repo, tag);
  const wanted = `${inertText(model)}${version === undefined ? '' : ` ${inertText(version)}`}`;
  const looked: string[] = [];
  const candidates = [
    ...(recorded !== undefined ? [{ path: recorded, why: "the tag's Manifest: line" }] : []),
    ...release.likely.map((path) => ({ path, why: 'the path it has now' })),
  ];
  const seen = new Set<string>();
  for (const { path, why } of candidates) {
    if (seen.has(path)) continue;
    seen.add(path);
    const held = await manifestIn(source, path);
    if (
      'manifest' in held &&
      held.manifest.name === model &&
      (version === undefined || held.manifest.version === version)
    )
      return { tag, commit: tagged.commit, path, manifest: held.manifest, source };
    looked.push(
      `${inertText(path)} (${why}) ${'manifest' in held ? `is the manifest of ${inertText(held.manifest.name)} ${inertText(held.manifest.version)}` : held.problem}`,
    );
  }
  const unrecorded =
    recorded === undefined ? `; the tag has no Manifest: line (modelgate release writes one)` : '';
  return {
    problem: `${inertText(tag)} has no manifest of ${wanted} where the app looks: ${looked.join(', ') || 'nowhere to look'}${unrecorded}`,
  };
}

/** The commit a tag points at and its message (an annotated tag's; a lightweight tag has none), or undefined when there is no such tag. */
async function tagTarget(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  tag: string,
): Promise<{ commit: string; message?: string } | undefined> {
  let ref;
  try {
    ({ data: ref } = await octokit.rest.git.getRef({ ...repo, ref: `tags/${tag}` }));
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
  if (ref.object.type !== 'tag') return { commit: ref.object.sha };
  const { data } = await octokit.rest.git.getTag({ ...repo, tag_sha: ref.object.sha });
  return { commit: data.object.sha, message: data.message };
}

/** The manifest a path holds at a source, or what it is instead. */
async function manifestIn(
  source: ArtifactSource,
  path: string,
): Promise<{ manifest: Manifest } | { problem: string }> {
  const checked = checkRepoPath(path);
  if (!checked.ok) return { problem: checked.reason };
  if (checked.path !== path) return { problem: `is not in its normal form ${inertText(checked.path)}` };
  const read = await source.read(path, MANIFEST_MAX_BYTES);
  if (!read.ok)
    return {
      problem: read.problem.kind === 'missing' ? 'is missing' : `cannot be read: ${read.problem.detail}`,
    };
  const manifest = parseManifest(decodeUtf8(read.value), path).manifest;
  return manifest ? { manifest } : { problem: 'is not a valid manifest' };
}
