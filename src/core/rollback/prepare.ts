import { decodeUtf8 } from '../bytes.js';
import { MANIFEST_MAX_BYTES, parseManifest } from '../manifest/parse.js';
import type { ModelFacts } from '../model/facts.js';
import { loadModel } from '../model/load-model.js';
import { readRegistry } from '../registry/state.js';
import { ModelManifests } from '../semver/model-manifests.js';
import { CommandError, type Repository } from '../repository.js';
import { fileDigests, rollbackChanges, rollbackTarget, type FileChange, type SharedFile } from './plan.js';
import type { ArtifactSource } from '../source.js';
import { ownShards, realPaths, withWeightsIndexes, type RollbackReader } from './rollback-reader.js';
import { otherModelsFiles, pathsOtherModelsUse, type FoundManifest } from './shared-files.js';

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
  const tags = await repo.readTags();
  const registry = readRegistry(tags);
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
  // Found by the model's name at the tag (its Manifest: line first), never by today's path: the model
  // may have moved since, and that path may hold another model's manifest at the tag.
  const { tag, version } = target.version;
  const release = await new ModelManifests(repo, { globs: options.manifests, tags }).release(
    options.model,
    version,
    [manifestFile],
    tag,
  );
  if (release.kind !== 'found' || release.facts.manifest.version !== version)
    throw new CommandError(
      `${tag} has no valid manifest of ${options.model} ${version}: ${
        release.kind === 'unknown'
          ? release.reason
          : release.kind === 'absent'
            ? 'no manifest at the tag declares the model'
            : `${release.file} declares version ${release.facts.manifest.version}`
      }`,
      `Roll back by hand (git checkout ${tag} -- <the model's folder>), then run modelgate validate.`,
    );
  const { source: then, facts: thenFacts } = release;
  const worktree = readerOf(repo.worktree);
  const others = await withWeightsIndexes(worktree, manifests, manifestFile);
  const planned = rollbackChanges(
    options.model,
    await fileDigests(repo.worktree, now.facts, await shardsOf(repo.worktree, now.facts, 'the working tree')),
    await fileDigests(then, thenFacts, await shardsOf(then, thenFacts, tag)),
    otherModelsFiles(
      others,
      manifestFile,
      options.model,
      await realPaths(worktree, pathsOtherModelsUse(others, manifestFile)),
    ),
  );
  if (!planned.ok) throw new CommandError(planned.reason, planned.fix);
  return {
    model: options.model,
    manifestFile,
    from: now.facts.manifest.version,
    to: version,
    tag,
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

/** A working tree or git ref as the rollback reader (src/core/rollback/rollback-reader.ts). */
function readerOf(source: ArtifactSource): RollbackReader {
  return {
    async read(path, maxBytes) {
      const read = await source.read(path, maxBytes);
      return read.ok ? { ok: true, bytes: read.value } : { ok: false, problem: read.problem.detail };
    },
    resolve: (path) => source.resolve(path),
  };
}

/** The shards the model's own index lists at one version; a CommandError when they cannot be known. */
async function shardsOf(source: ArtifactSource, facts: ModelFacts, where: string): Promise<string[]> {
  const shards = await ownShards(readerOf(source), facts.manifestFile, facts.manifest, `in ${where}`);
  if ('paths' in shards) return shards.paths;
  throw new CommandError(shards.problem, shards.fix);
}

function findManifest(manifests: readonly FoundManifest[], name: string): string {
  const found = manifests.find((m) => m.manifest?.name === name);
  if (found) return found.file;
  throw new CommandError(
    `no manifest of ${name} in the working tree`,
    'A model that was removed is restored with git, not rollback.',
  );
}
