import { decodeUtf8 } from '../bytes.js';
import { MANIFEST_MAX_BYTES, parseManifest } from '../manifest/parse.js';
import type { ModelFacts } from '../model/facts.js';
import { loadModel } from '../model/load-model.js';
import { readRegistry } from '../registry/state.js';
import { CommandError, type Repository } from '../repository.js';
import { fileDigests, rollbackChanges, rollbackTarget, type FileChange, type SharedFile } from './plan.js';
import type { ArtifactSource } from '../source.js';
import {
  otherModelsFiles,
  pathsOtherModelsUse,
  weightsIndexFile,
  weightsIndexShards,
  WEIGHTS_INDEX_MAX_BYTES,
  type FoundManifest,
} from './shared-files.js';

/** A rollback worked out against the working tree: what it restores and from where. */
export interface PreparedRollback {
  model: string;
  manifestFile: string;
  from: string;
  to: string;
  tag: string;
  commit: string;
  reason: string;
  changes: FileChange[];
  /** Files the target release does not have but another model uses: left in place. */
  kept: SharedFile[];
}

/**
 * Finds the model's manifest, the release to go back to (`to`, or the last
 * good one) and the files that differ from it, leaving alone the files the
 * working tree's other manifests use (through symlinks and index shards
 * too). Problems a user can fix are
 * CommandErrors, a file another model uses that would change among them.
 */
export async function prepareRollback(
  repo: Repository,
  options: { manifests: readonly string[]; stages: readonly string[]; model: string; to?: string },
): Promise<PreparedRollback> {
  const registry = readRegistry(await repo.readTags());
  const model = registry.get(options.model);
  if (!model) {
    const known = [...registry.keys()].sort().join(', ') || 'none';
    throw new CommandError(`no model named "${options.model}" is registered (registered: ${known})`);
  }
  const manifests = await readManifests(repo, options.manifests);
  const manifestFile = findManifest(manifests, options.model);
  const now = await loadModel(repo.worktree, manifestFile);
  if (!now.facts)
    throw new CommandError(`${manifestFile} is not a valid manifest; fix it first (modelgate validate)`);
  const target = rollbackTarget(model, now.facts.manifest.version, options.stages, options.to);
  if (!target.ok) throw new CommandError(target.reason, target.fix);
  const then = repo.at(target.version.tag);
  const thenLoaded = await loadModel(then, manifestFile);
  if (!thenLoaded.facts)
    throw new CommandError(
      `${target.version.tag} has no valid manifest at ${manifestFile}`,
      'Roll back by hand: the manifest moved since that release.',
    );
  const others = await withWeightsIndexes(repo.worktree, manifests, manifestFile);
  const planned = rollbackChanges(
    options.model,
    await fileDigests(
      repo.worktree,
      now.facts,
      await ownShards(repo.worktree, now.facts, 'the working tree'),
    ),
    await fileDigests(then, thenLoaded.facts, await ownShards(then, thenLoaded.facts, target.version.tag)),
    otherModelsFiles(
      others,
      manifestFile,
      options.model,
      await realPaths(repo.worktree, pathsOtherModelsUse(others, manifestFile)),
    ),
  );
  if (!planned.ok) throw new CommandError(planned.reason, planned.fix);
  return {
    model: options.model,
    manifestFile,
    from: now.facts.manifest.version,
    to: target.version.version,
    tag: target.version.tag,
    commit: target.version.commit,
    reason: target.reason,
    changes: planned.changes,
    kept: planned.kept,
  };
}

/** Every manifest the settings' globs find in the working tree, parsed once. */
async function readManifests(repo: Repository, globs: readonly string[]): Promise<FoundManifest[]> {
  const found: FoundManifest[] = [];
  for (const file of await repo.findManifests(globs)) {
    const read = await repo.worktree.read(file, MANIFEST_MAX_BYTES);
    found.push({
      file,
      manifest: read.ok ? parseManifest(decodeUtf8(read.value), file).manifest : undefined,
    });
  }
  return found;
}

/** The other manifests with the weights index each names, read from the same source. */
async function withWeightsIndexes(
  source: ArtifactSource,
  manifests: readonly FoundManifest[],
  manifestFile: string,
): Promise<FoundManifest[]> {
  const found: FoundManifest[] = [];
  for (const manifest of manifests)
    found.push(manifest.file === manifestFile ? manifest : await withWeightsIndex(source, manifest));
  return found;
}

/** A manifest with the weights index it names (if any), read from `source`. */
async function withWeightsIndex(source: ArtifactSource, manifest: FoundManifest): Promise<FoundManifest> {
  const index = weightsIndexFile(manifest);
  if (index === undefined) return manifest;
  const read = await source.read(index, WEIGHTS_INDEX_MAX_BYTES);
  return {
    ...manifest,
    weightsIndex: read.ok ? { ok: true, bytes: read.value } : { ok: false, problem: read.problem.detail },
  };
}

/**
 * The shards the model's own weights index lists at one version (`where`:
 * the working tree or the release's tag), so a rollback restores the
 * release's shards and removes the newer ones like any other file. When they
 * cannot be known the rollback is refused: restoring the index without its
 * shards would not be the release.
 */
async function ownShards(source: ArtifactSource, facts: ModelFacts, where: string): Promise<string[]> {
  const shards = weightsIndexShards(
    await withWeightsIndex(source, { file: facts.manifestFile, manifest: facts.manifest }),
  );
  if ('paths' in shards) return shards.paths;
  throw new CommandError(
    `cannot tell which shards ${facts.manifestFile} has in ${where}: ${shards.problem}`,
    'Fix the weights index (modelgate validate names the problem), then roll back again; or roll back by hand.',
  );
}

/** Each path to the file its in-repository symlinks lead to, where that is another path (the source's containment rule). */
async function realPaths(source: ArtifactSource, paths: readonly string[]): Promise<Map<string, string>> {
  const real = new Map<string, string>();
  for (const path of paths) {
    const resolved = await source.resolve(path);
    if (resolved !== undefined && resolved !== path) real.set(path, resolved);
  }
  return real;
}

function findManifest(manifests: readonly FoundManifest[], name: string): string {
  const found = manifests.find((m) => m.manifest?.name === name);
  if (found) return found.file;
  throw new CommandError(
    `no manifest of ${name} in the working tree`,
    'A model that was removed is restored with git, not rollback.',
  );
}
