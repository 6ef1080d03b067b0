import semver from 'semver';
import type { ModelFacts } from '../model/facts.js';
import type { ArtifactSource } from '../source.js';
import type { OtherModelsFiles, UnreadableManifest } from './shared-files.js';
import type { ModelRegistry, VersionState } from '../registry/state.js';
import {
  currentRegistrations,
  deployRefusal,
  wasAssigned,
  type Refusal,
} from '../registry/registration-tags.js';

export type RollbackTarget = { ok: true; version: VersionState; reason: string } | ({ ok: false } & Refusal);

/**
 * Which released version a rollback restores: the one asked for, or the last
 * good release before the current version: the newest earlier version that
 * reached the last stage (production), else the newest earlier version. Each
 * version is its current registration (`currentRegistration`, what release and
 * deploy read), and it reached production only if that registration's commit
 * was assigned there. Deregistered versions are never targets, and a target a
 * deployment could not name (`undeployableRegistration`, from the version's
 * simple tag) is refused with its fix: the revert would merge, and its release
 * would then refuse it.
 */
export function rollbackTarget(
  model: ModelRegistry,
  current: string,
  stages: readonly string[],
  requested?: string,
): RollbackTarget {
  const chosen = pickTarget(model, current, stages, requested);
  if (!chosen.ok) return chosen;
  const { version } = chosen.version;
  const undeployable = deployRefusal(model, chosen.version);
  if (!undeployable) return chosen;
  // Chosen for the user, it may not be the only way back: another version can be named.
  const instead =
    requested === undefined ? ` (${chosen.reason}; or name another version to roll back to)` : '';
  return {
    ok: false,
    ...undeployable,
    reason: `cannot roll back to ${version}${instead}: ${undeployable.reason}`,
  };
}

function pickTarget(
  model: ModelRegistry,
  current: string,
  stages: readonly string[],
  requested: string | undefined,
): RollbackTarget {
  const usable = [...currentRegistrations(model).values()].filter((v) => !v.deregistered);
  if (requested !== undefined) {
    const wanted = requested.replace(/^v/, '');
    const found = usable.find((v) => v.version === wanted);
    if (!found) {
      const known = usable.map((v) => v.version).join(', ') || 'none';
      return {
        ok: false,
        reason: `${model.name} ${wanted} is not a released version (released: ${known})`,
        fix: 'Name a released version.',
      };
    }
    if (found.version === current)
      return { ok: false, reason: `${model.name} is already at ${current}`, fix: 'Name another version.' };
    return { ok: true, version: found, reason: `asked for ${found.version}` };
  }
  const earlier = usable.filter((v) => semver.valid(current) && semver.lt(v.version, current));
  const production = stages.at(-1);
  const good = [...earlier].reverse().find((v) => wasAssigned(model, v, production));
  if (good)
    return {
      ok: true,
      version: good,
      reason: `the last release before ${current} that reached ${production}`,
    };
  const previous = earlier.at(-1);
  if (previous)
    return {
      ok: true,
      version: previous,
      reason: `the last release before ${current} (none reached ${production})`,
    };
  return {
    ok: false,
    reason: `${model.name} has no released version before ${current}`,
    fix: 'There is nothing to roll back to; deprecate the model instead.',
  };
}

/** One file a rollback changes: restored to its content at the target release, or removed because that release did not have it. */
export interface FileChange {
  path: string;
  action: 'restore' | 'remove';
}

/** A file another model uses: left in place when the rollback would remove it, a conflict when it would change it. */
export interface SharedFile {
  path: string;
  /** The other models that reference it, sorted. */
  usedBy: readonly string[];
}

/**
 * What rolling a model back does to the repository's files, or why it must
 * not be done: it never removes or rewrites a file another model uses.
 */
export type RollbackChanges =
  | { ok: true; changes: FileChange[]; kept: SharedFile[] }
  | { ok: false; reason: string; fix: string; conflicts: SharedFile[] };

/**
 * The files that differ between the model now and at the target release:
 * `now` and `then` map repository paths to content digests. A file another
 * model uses is left in place when the release did not have it (`kept`), and
 * refuses the whole rollback when its content would change: restoring it would
 * change that model's artifact without a new version of it, and a partial
 * revert is not the release. When a manifest cannot be read its files are
 * unknown, so any change is refused.
 */
export function rollbackChanges(
  model: string,
  now: ReadonlyMap<string, string>,
  then: ReadonlyMap<string, string>,
  others: OtherModelsFiles,
): RollbackChanges {
  const differing: FileChange[] = [];
  for (const [path, digest] of then)
    if (now.get(path) !== digest) differing.push({ path, action: 'restore' });
  for (const path of now.keys()) if (!then.has(path)) differing.push({ path, action: 'remove' });
  differing.sort((a, b) => a.path.localeCompare(b.path));
  const changes: FileChange[] = [];
  const kept: SharedFile[] = [];
  const conflicts: SharedFile[] = [];
  for (const change of differing) {
    const usedBy = others.usedBy.get(change.path);
    if (!usedBy?.length) changes.push(change);
    else if (change.action === 'remove') kept.push({ path: change.path, usedBy });
    else conflicts.push({ path: change.path, usedBy });
  }
  if (conflicts.length)
    return {
      ok: false,
      conflicts,
      reason: `rolling ${model} back would change ${conflicts.map(sharedFileText).join(', ')}: another model's artifact would change without a new version of it`,
      fix: `Give each model its own copy of the file (copy it into the model's folder and point its manifest at the copy), release that, then roll back again; or roll back by hand.`,
    };
  if (others.unreadable.length && changes.length)
    return {
      ok: false,
      conflicts: [],
      reason: `cannot tell which files ${unreadableText(others.unreadable)}, so the rollback could change another model's files`,
      fix: 'Fix the manifest (modelgate validate names the problem), then roll back again; or roll back by hand.',
    };
  return { ok: true, changes, kept };
}

/** Manifests whose files are unknown as messages name them: `m uses: why`, or `m1 (why), m2 (why) use`. */
function unreadableText(unreadable: readonly UnreadableManifest[]): string {
  const [only] = unreadable;
  return unreadable.length === 1 && only
    ? `${only.file} uses: ${only.problem}`
    : `${unreadable.map((u) => `${u.file} (${u.problem})`).join(', ')} use`;
}

/** A shared file as messages name it: `path (used by a, b)`. */
function sharedFileText(file: SharedFile): string {
  return `${file.path} (used by ${file.usedBy.join(', ')})`;
}

/**
 * sha256 of every repository file of a model version: the manifest itself
 * (version included), its artifacts and weights files, and the shards its
 * weights index lists (`shards`, from weightsIndexShards at that version: a
 * model may name its weights only there).
 */
export async function fileDigests(
  source: ArtifactSource,
  facts: ModelFacts,
  shards: readonly string[] = [],
): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  const paths = new Set([
    facts.manifestFile,
    ...facts.files,
    ...[...facts.weightFiles.values()].map((w) => w.path),
    ...shards,
  ]);
  for (const path of [...paths].sort()) {
    const digest = await source.sha256(path);
    if (digest.ok) digests.set(path, digest.value.sha256);
  }
  return digests;
}
