import { nameProblem, tagCounter, versionProblem } from './names.js';

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

/**
 * How a tag reads: a registry tag; a tag of a registered-looking model that
 * modelgate cannot use (a version or counter out of range), which is ignored
 * and reported; or anyone else's tag.
 */
export type TagReading =
  | { kind: 'registry'; tag: RegistryTag }
  | { kind: 'ignored'; name: string; reason: string }
  | { kind: 'foreign' };

/** Reads a tag name with the same rules the manifest schema applies (names.ts). */
export function readRegistryTag(tag: string): TagReading {
  const foreign = { kind: 'foreign' } as const;
  const at = tag.lastIndexOf('@');
  if (at > 0) {
    const name = tag.slice(0, at);
    const rest = tag.slice(at + 1);
    if (nameProblem(name)) return foreign;
    if (rest === 'deprecated') return { kind: 'registry', tag: { action: 'deprecate', name } };
    if (!rest.startsWith('v')) return foreign;
    const deregister = rest.endsWith('!');
    const version = rest.slice(1, deregister ? -1 : undefined);
    const problem = versionProblem(version);
    if (problem) {
      // Looks like a version (digits and dots up front) but is out of range: worth a warning; anything else is not ours.
      return /^\d+\.\d+\.\d+/.test(version)
        ? { kind: 'ignored', name, reason: `version "${clip(version)}": ${problem}` }
        : foreign;
    }
    return { kind: 'registry', tag: { action: deregister ? 'deregister' : 'register', name, version } };
  }
  const parts = tag.split('#');
  const [name = '', rawStage = '', number] = parts;
  if (parts.length < 2 || parts.length > 3 || nameProblem(name)) return foreign;
  const unassign = rawStage.endsWith('!');
  const stage = unassign ? rawStage.slice(0, -1) : rawStage;
  if (nameProblem(stage)) return foreign;
  if (number === undefined)
    return unassign ? foreign : { kind: 'registry', tag: { action: 'assign', name, stage } };
  const counter = tagCounter(number);
  if (counter === undefined) {
    return /^[1-9]\d*$/.test(number)
      ? {
          kind: 'ignored',
          name,
          reason: `counter ${clip(number)} is larger than ${Number.MAX_SAFE_INTEGER - 1}, the largest modelgate can count on from`,
        }
      : foreign;
  }
  return {
    kind: 'registry',
    tag: unassign
      ? { action: 'unassign', name, stage, number: counter }
      : { action: 'assign', name, stage, number: counter },
  };
}

/** Reads a tag name; tags in any other format, or out of range, are not the registry's and give undefined. */
export function parseRegistryTag(tag: string): RegistryTag | undefined {
  const reading = readRegistryTag(tag);
  return reading.kind === 'registry' ? reading.tag : undefined;
}

/** A short, printable excerpt of the part of a tag that was refused. */
const clip = (text: string) =>
  (text.length > 40 ? `${text.slice(0, 40)}…` : text).replace(/[^\x20-\x7e…]/g, '?');

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
