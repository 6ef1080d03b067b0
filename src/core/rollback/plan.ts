import semver from 'semver';
import type { ModelFacts } from '../model/facts.js';
import type { ArtifactSource } from '../source.js';
import type { ModelRegistry, VersionState } from '../registry/state.js';

export type RollbackTarget =
  { ok: true; version: VersionState; reason: string } | { ok: false; reason: string; fix: string };

/**
 * Which released version a rollback restores: the one asked for, or the last
 * good release before the current version: the newest earlier version that
 * reached the last stage (production), else the newest earlier version.
 * Deregistered versions are never targets.
 */
export function rollbackTarget(
  model: ModelRegistry,
  current: string,
  stages: readonly string[],
  requested?: string,
): RollbackTarget {
  const usable = model.versions.filter((v) => !v.deregistered);
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
  const wasInProduction = (v: VersionState) =>
    model.events.some((e) => e.action === 'assign' && e.stage === production && e.version === v.version);
  const good = [...earlier].reverse().find(wasInProduction);
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

/**
 * The files that differ between the model now and at the target release:
 * `now` and `then` map repository paths to content digests.
 */
export function rollbackChanges(
  now: ReadonlyMap<string, string>,
  then: ReadonlyMap<string, string>,
): FileChange[] {
  const changes: FileChange[] = [];
  for (const [path, digest] of then) if (now.get(path) !== digest) changes.push({ path, action: 'restore' });
  for (const path of now.keys()) if (!then.has(path)) changes.push({ path, action: 'remove' });
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

/** sha256 of every repository file of a model version: the manifest itself (version included), its artifacts and weights files. */
export async function fileDigests(source: ArtifactSource, facts: ModelFacts): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  const paths = new Set([
    facts.manifestFile,
    ...facts.files,
    ...[...facts.weightFiles.values()].map((w) => w.path),
  ]);
  for (const path of [...paths].sort()) {
    const digest = await source.sha256(path);
    if (digest.ok) digests.set(path, digest.value.sha256);
  }
  return digests;
}
