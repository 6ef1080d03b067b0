import {
  weightsIndexFile,
  weightsIndexShards,
  WEIGHTS_INDEX_MAX_BYTES,
  type FoundManifest,
} from './shared-files.js';

/**
 * Where a rollback reads the files beyond the manifests (weights indexes,
 * symlink targets) at one commit: the working tree or a git ref
 * (src/core/rollback/prepare.ts), or a commit through GitHub's API
 * (src/app/revert.ts). Both keep the containment rule.
 */
export interface RollbackReader {
  /** A file's bytes, up to `maxBytes`, or why not. */
  read(
    path: string,
    maxBytes: number,
  ): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; problem: string }>;
  /** The file `path` leads to through in-repository symlinks, or undefined when it leads nowhere readable. */
  resolve(path: string): Promise<string | undefined>;
}

// Reads in flight at once: an API reader sends one request each.
const READS_AT_ONCE = 8;

async function inBatches<T, R>(items: readonly T[], each: (item: T) => Promise<R>): Promise<R[]> {
  const done: R[] = [];
  for (let i = 0; i < items.length; i += READS_AT_ONCE)
    done.push(...(await Promise.all(items.slice(i, i + READS_AT_ONCE).map(each))));
  return done;
}

/** A manifest with the weights index it names (if any), read with `reader`. */
async function withWeightsIndex(reader: RollbackReader, found: FoundManifest): Promise<FoundManifest> {
  const index = weightsIndexFile(found);
  return index === undefined
    ? found
    : { ...found, weightsIndex: await reader.read(index, WEIGHTS_INDEX_MAX_BYTES) };
}

/** The manifests with the weights index each names (`except` the rolled-back one, left as it is): one read per index. */
export function withWeightsIndexes(
  reader: RollbackReader,
  manifests: readonly FoundManifest[],
  except?: string,
): Promise<FoundManifest[]> {
  return inBatches(manifests, (found) =>
    found.file === except ? Promise.resolve(found) : withWeightsIndex(reader, found),
  );
}

/** Each path to the file its in-repository symlinks lead to, where that is another path. */
export async function realPaths(
  reader: RollbackReader,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const resolved = await inBatches(paths, (path) => reader.resolve(path));
  const real = new Map<string, string>();
  paths.forEach((path, i) => {
    const to = resolved[i];
    if (to !== undefined && to !== path) real.set(path, to);
  });
  return real;
}

/**
 * The shards the rolled-back model's own weights index lists at one commit
 * (`where`: "in the working tree", "at gpt2@v1.2.0"), so a rollback restores
 * the release's shards and removes the newer ones like any other file; none
 * when the manifest is not valid there or names no index. When they cannot be
 * known the rollback is refused: restoring the index without its shards would
 * not be the release.
 */
export async function ownShards(
  reader: RollbackReader,
  file: string,
  manifest: FoundManifest['manifest'],
  where: string,
): Promise<{ paths: string[] } | { problem: string; fix: string }> {
  const shards = weightsIndexShards(await withWeightsIndex(reader, { file, manifest }));
  if ('paths' in shards) return shards;
  return {
    problem: `cannot tell which shards ${file} has ${where}: ${shards.problem}`,
    fix: 'Fix the weights index (modelgate validate names the problem), then roll back again; or roll back by hand.',
  };
}
