import { parseManifest } from '../core/manifest/parse.js';
import { checkRepoPath } from '../core/repo-path.js';
import { inertText } from '../core/report/escape.js';
import type { Manifest } from '../core/manifest/schema.js';
import { statusOf, type Octokit } from '../io/github/octokit.js';

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
