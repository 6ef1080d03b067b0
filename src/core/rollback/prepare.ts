import { decodeUtf8 } from '../bytes.js';
import { MANIFEST_MAX_BYTES, parseManifest } from '../manifest/parse.js';
import { loadModel } from '../model/load-model.js';
import { readRegistry } from '../registry/state.js';
import { CommandError, type Repository } from '../repository.js';
import { fileDigests, rollbackChanges, rollbackTarget, type FileChange } from './plan.js';

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
}

/**
 * Finds the model's manifest, the release to go back to (`to`, or the last
 * good one) and the files that differ from it. Problems a user can fix are
 * CommandErrors.
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
  const manifestFile = await findManifest(repo, options.manifests, options.model);
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
  return {
    model: options.model,
    manifestFile,
    from: now.facts.manifest.version,
    to: target.version.version,
    tag: target.version.tag,
    commit: target.version.commit,
    reason: target.reason,
    changes: rollbackChanges(
      await fileDigests(repo.worktree, now.facts),
      await fileDigests(then, thenLoaded.facts),
    ),
  };
}

async function findManifest(repo: Repository, manifests: readonly string[], name: string): Promise<string> {
  for (const file of await repo.findManifests(manifests)) {
    const read = await repo.worktree.read(file, MANIFEST_MAX_BYTES);
    if (read.ok && parseManifest(decodeUtf8(read.value), file).manifest?.name === name) return file;
  }
  throw new CommandError(
    `no manifest of ${name} in the working tree`,
    'A model that was removed is restored with git, not rollback.',
  );
}
