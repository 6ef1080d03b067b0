import { createHash } from 'node:crypto';
import type { ModelFacts } from '../model/facts.js';
import type { ArtifactSource } from '../source.js';
import { stableJson } from '../tokenizer/tokenizer-json.js';
import type { ContentDigests } from './required-bump.js';

/**
 * sha256 of every file that makes up a model version. The manifest counts
 * without its `version`, so a bump alone is not a change; weights count by
 * the digest already computed (or their LFS pointer's oid), never hashed twice.
 */
export async function contentDigests(source: ArtifactSource, facts: ModelFacts): Promise<ContentDigests> {
  const digests = new Map<string, string>();
  const { version: _version, ...rest } = facts.manifest;
  digests.set(facts.manifestFile, createHash('sha256').update(stableJson(rest)).digest('hex'));
  for (const path of [...facts.files].sort()) {
    const digest = await source.sha256(path);
    if (digest.ok) digests.set(path, digest.value.sha256);
  }
  for (const file of facts.weightFiles.values()) {
    digests.set(file.path, file.kind === 'file' ? file.sha256 : file.pointer.oid);
  }
  return digests;
}

/** The paths whose digests differ between two versions (added and removed included). */
export function changedPaths(a: ContentDigests, b: ContentDigests): string[] {
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => a.get(p) !== b.get(p)).sort();
}
