import { parseManifest } from '../core/manifest/parse.js';
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
