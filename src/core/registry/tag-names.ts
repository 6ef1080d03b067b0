import semver from 'semver';
import { MODEL_NAME } from '../manifest/schema.js';

/**
 * GTO's git tag formats (https://dvc.org/doc/gto), so `gto show` reads what
 * modelgate writes and modelgate reads what GTO wrote:
 *
 * | tag | meaning |
 * |---|---|
 * | `name@v1.2.3` | version 1.2.3 registered on the tagged commit |
 * | `name@v1.2.3!` | version 1.2.3 deregistered |
 * | `name#stage#N` | the version on the tagged commit assigned to `stage`; N counts every numbered tag of the model |
 * | `name#stage!#N` | that assignment withdrawn |
 * | `name#stage` | an assignment in GTO's older "simple" notation (read, never written) |
 * | `name@deprecated` | the whole model deprecated |
 */
export type RegistryTag =
  | { action: 'register'; name: string; version: string }
  | { action: 'deregister'; name: string; version: string }
  | { action: 'assign'; name: string; stage: string; number?: number }
  | { action: 'unassign'; name: string; stage: string; number: number }
  | { action: 'deprecate'; name: string };

const STAGE = /^[a-z0-9]([a-z0-9-_/]*[a-z0-9])?$/;

/** Reads a tag name; tags in any other format are not the registry's and give undefined. */
export function parseRegistryTag(tag: string): RegistryTag | undefined {
  const at = tag.lastIndexOf('@');
  if (at > 0) {
    const name = tag.slice(0, at);
    const rest = tag.slice(at + 1);
    if (!MODEL_NAME.test(name)) return undefined;
    if (rest === 'deprecated') return { action: 'deprecate', name };
    const deregister = rest.endsWith('!');
    const version = (deregister ? rest.slice(0, -1) : rest).replace(/^v/, '');
    if (!rest.startsWith('v') || !semver.valid(version) || semver.clean(version) !== version)
      return undefined;
    return { action: deregister ? 'deregister' : 'register', name, version };
  }
  const parts = tag.split('#');
  const [name = '', rawStage = '', number] = parts;
  if (parts.length < 2 || parts.length > 3 || !MODEL_NAME.test(name)) return undefined;
  const unassign = rawStage.endsWith('!');
  const stage = unassign ? rawStage.slice(0, -1) : rawStage;
  if (!STAGE.test(stage)) return undefined;
  if (number === undefined) return unassign ? undefined : { action: 'assign', name, stage };
  if (!/^[1-9]\d*$/.test(number)) return undefined;
  return unassign
    ? { action: 'unassign', name, stage, number: Number(number) }
    : { action: 'assign', name, stage, number: Number(number) };
}

/** `name@v1.2.3` */
export function releaseTag(name: string, version: string): string {
  return `${name}@v${version}`;
}

/** `name#stage#N` */
export function assignmentTag(name: string, stage: string, number: number): string {
  return `${name}#${stage}#${number}`;
}

/** `name#stage!#N` */
export function unassignmentTag(name: string, stage: string, number: number): string {
  return `${name}#${stage}!#${number}`;
}

/** `name@v1.2.3!` */
export function deregistrationTag(name: string, version: string): string {
  return `${name}@v${version}!`;
}

/** `name@deprecated` */
export function deprecationTag(name: string): string {
  return `${name}@deprecated`;
}

/** Released versions per model name (registered, deregistration aside: a released version stays taken). */
export function releasedVersions(tags: readonly string[]): Map<string, Set<string>> {
  const released = new Map<string, Set<string>>();
  for (const tag of tags) {
    const parsed = parseRegistryTag(tag);
    if (parsed?.action !== 'register') continue;
    const versions = released.get(parsed.name) ?? new Set<string>();
    versions.add(parsed.version);
    released.set(parsed.name, versions);
  }
  return released;
}
