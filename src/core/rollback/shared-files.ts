import { referencedPaths } from '../manifest/references.js';
import type { Manifest } from '../manifest/schema.js';
import { READ_LIMITS } from '../model/artifact-reader.js';
import { describeJsonShapeProblem } from '../model/json-shape.js';
import { parseJson } from '../model/json-text.js';
import { resolveArtifactPath } from '../repo-path.js';
import { parseSafetensorsIndex } from '../weights/safetensors.js';

/** A manifest found with the settings' globs: parsed, or undefined when it is not a valid manifest. */
export interface FoundManifest {
  file: string;
  manifest: Manifest | undefined;
  /**
   * Its `weights_index` as the same source holds it (read by the adapter at
   * weightsIndexFile): the file's bytes, or why they could not be read.
   */
  weightsIndex?: { ok: true; bytes: Uint8Array } | { ok: false; problem: string };
}

/** An index read to find the shards another model uses is read up to the validator's own limit. */
export const WEIGHTS_INDEX_MAX_BYTES = READ_LIMITS.weights_index.bytes;

/** A manifest whose files cannot be known, and why. */
export interface UnreadableManifest {
  file: string;
  problem: string;
}

/**
 * What the other models of the repository use, as a rollback must respect it:
 * for every repository path, the models whose manifests reference it (or are
 * it), and the manifests whose files cannot be known.
 */
export interface OtherModelsFiles {
  usedBy: ReadonlyMap<string, readonly string[]>;
  unreadable: readonly UnreadableManifest[];
}

/** The repository path of the `weights_index` a manifest names, for the adapter to read; undefined when it names none. */
export function weightsIndexFile(found: FoundManifest): string | undefined {
  const ref = found.manifest?.artifacts.weights_index;
  if (ref === undefined) return undefined;
  const resolved = resolveArtifactPath(found.file, ref);
  return resolved.ok ? resolved.path : undefined;
}

/**
 * The files one manifest uses, as it writes them: itself, what it references,
 * and the shards its weights index lists (a model may name its shards only
 * there); or why they cannot be known.
 */
function filesOf(found: FoundManifest): { paths: string[] } | { problem: string } {
  const { file, manifest } = found;
  if (!manifest) return { problem: 'not a valid manifest' };
  const shards = weightsIndexShards(found);
  if ('problem' in shards) return shards;
  return { paths: [file, ...referencedPaths(manifest, file), ...shards.paths] };
}

/**
 * The repository paths of the shards a manifest's weights index lists,
 * resolved next to the index as the validator resolves them (none when it
 * names no index); or why they cannot be known: the index was not read, cannot
 * be read or parsed, or is not a safetensors index.
 */
export function weightsIndexShards(found: FoundManifest): { paths: string[] } | { problem: string } {
  const index = weightsIndexFile(found);
  if (index === undefined) return { paths: [] };
  const read = found.weightsIndex;
  if (!read) return { problem: `its weights_index ${index} was not read` };
  if (!read.ok) return { problem: `its weights_index ${index} cannot be read (${read.problem})` };
  const parsed = parseJson(read.bytes);
  if (!parsed.ok)
    return {
      problem: `its weights_index ${index} cannot be parsed (${'syntax' in parsed ? parsed.syntax : describeJsonShapeProblem(parsed.problem)})`,
    };
  let shards: Iterable<string>;
  try {
    shards = new Set(parseSafetensorsIndex(parsed.value).values());
  } catch (error) {
    return { problem: `its weights_index ${index} is not a safetensors index (${(error as Error).message})` };
  }
  const paths: string[] = [];
  for (const shard of shards) {
    // Shards are named relative to the index, as the validator resolves them; one that leaves the root is no file.
    const resolved = resolveArtifactPath(index, shard);
    if (resolved.ok) paths.push(resolved.path);
  }
  return { paths };
}

/**
 * Every path the manifests but `manifestFile` use, as they write them: the
 * paths the adapter resolves through symlinks for otherModelsFiles.
 */
export function pathsOtherModelsUse(manifests: readonly FoundManifest[], manifestFile: string): string[] {
  const paths = new Set<string>();
  for (const found of manifests) {
    if (found.file === manifestFile) continue;
    const files = filesOf(found);
    if ('paths' in files) for (const path of files.paths) paths.add(path);
  }
  return [...paths].sort();
}

/**
 * The files every manifest but the rolled-back model's own (`manifestFile`)
 * uses: what it references, the shards of its weights index, and the file
 * each of those leads to (`realPaths`: a path as written -> the file its
 * symlinks lead to, as the source resolves it), since a change to that file
 * changes the model as much as a change to the path it writes. A model is
 * named by its manifest's `name`; a second manifest with the rolled-back
 * model's name is named by its file too, so the message says which one.
 */
export function otherModelsFiles(
  manifests: readonly FoundManifest[],
  manifestFile: string,
  model: string,
  realPaths: ReadonlyMap<string, string> = new Map(),
): OtherModelsFiles {
  const usedBy = new Map<string, string[]>();
  const unreadable: UnreadableManifest[] = [];
  for (const found of manifests) {
    const { file, manifest } = found;
    if (file === manifestFile) continue;
    const files = filesOf(found);
    if ('problem' in files) {
      unreadable.push({ file, problem: files.problem });
      continue;
    }
    const user = manifest!.name === model ? `${manifest!.name} (${file})` : manifest!.name;
    const written = files.paths;
    const real = written.flatMap((path) => realPaths.get(path) ?? []);
    for (const path of new Set([...written, ...real])) {
      const users = usedBy.get(path) ?? [];
      if (!users.includes(user)) users.push(user);
      usedBy.set(path, users);
    }
  }
  for (const users of usedBy.values()) users.sort();
  return { usedBy, unreadable: unreadable.sort((a, b) => a.file.localeCompare(b.file)) };
}
