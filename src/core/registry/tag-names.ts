import { NAME_MAX_LENGTH, tagCounter, versionProblem } from './names.js';

/**
 * GTO's git tag grammar (iterative/gto `gto/constants.py` `tag_re`, `gto/tag.py`
 * `parse_name`), so `gto show` reads what modelgate writes and modelgate reads
 * every tag GTO wrote:
 *
 * | tag | meaning |
 * |---|---|
 * | `name@v1.2.3`, `name@v1.2.3#N` | version 1.2.3 registered on the tagged commit |
 * | `name@v1.2.3!`, `name@v1.2.3!#N` | version 1.2.3 deregistered |
 * | `name#stage#N`, `name#stage` | the version on the tagged commit assigned to `stage` |
 * | `name#stage!#N`, `name#stage!` | that assignment withdrawn |
 * | `name@deprecated`, `name@deprecated#N` | the whole model deprecated |
 *
 * Names and stages are GTO names (letters of either case, digits, `-`, `_`,
 * `/`); a name may carry a folder, written `dir=name` in a tag and read as
 * GTO's `dir:name`. Versions are SemVer 2 with build metadata; counters are
 * decimal (`#007` is 7, as GTO reads it).
 */
export type RegistryTag =
  | { action: 'register'; name: string; version: string; number?: number }
  | { action: 'deregister'; name: string; version: string; number?: number }
  | { action: 'assign'; name: string; stage: string; number?: number }
  | { action: 'unassign'; name: string; stage: string; number?: number }
  | { action: 'deprecate'; name: string; number?: number };

/**
 * How a tag reads: a registry tag; a tag of a registered-looking model that
 * modelgate cannot use (a version or counter out of range, GTO's unreadable
 * `@created`), which is ignored and reported; or anyone else's tag.
 * `number` is the tag's counter whenever it has one, ignored or not: the next
 * counter is one more than the highest on any tag of the model (GTO's `name_tag`).
 */
export type TagReading =
  | { kind: 'registry'; tag: RegistryTag }
  | { kind: 'ignored'; name: string; reason: string; number?: number }
  | { kind: 'foreign' };

/** The name a folder-qualified model has in a tag: GTO writes `dir:name` as `dir=name`. */
export const nameInTag = (name: string) => name.replaceAll(':', '=');

// Written from GTO's expressions; a JS class needs "-" escaped where Python reads it as a literal.
const GTO_NAME = '[a-zA-Z0-9](?:[a-zA-Z0-9\\-/_]*[a-zA-Z0-9])?';
const GTO_DIRNAME = '[a-zA-Z0-9\\-_./]+';
const GTO_SEMVER =
  '(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:-(?:(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+(?:[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?';
/** GTO's `name_re`: a model (without its folder) or a stage. */
export const GTO_NAME_PATTERN = new RegExp(`^${GTO_NAME}$`);
/** GTO's `fullname_re`: a model name as GTO's commands take it, `dir:name` for a model in a folder. */
export const GTO_FULLNAME_PATTERN = new RegExp(`^(?:${GTO_DIRNAME}:)?${GTO_NAME}$`);
const TAG = new RegExp(
  `^(?<artifact>(?:${GTO_DIRNAME}=)?${GTO_NAME})` +
    `(?:(?:#(?<stage>${GTO_NAME})|@v(?<version>${GTO_SEMVER}))(?<cancel>!?)|@(?:(?<deprecated>deprecated)|(?<created>created)))` +
    `(?:#(?<counter>[0-9]+))?$`,
);

/** Reads a tag name with GTO's grammar; out-of-range versions and counters are ignored with a reason. */
export function readRegistryTag(tag: string): TagReading {
  const match = TAG.exec(tag);
  if (!match?.groups) return { kind: 'foreign' };
  const { artifact = '', stage, version, cancel, deprecated, counter: digits } = match.groups;
  const name = artifact.replace('=', ':');
  let number: number | undefined;
  if (digits !== undefined) {
    number = tagCounter(digits);
    if (number === undefined)
      return {
        kind: 'ignored',
        name,
        reason: `counter ${clip(digits)} is larger than ${Number.MAX_SAFE_INTEGER - 1}, the largest modelgate can count on from`,
      };
  }
  const numbered = number === undefined ? {} : { number };
  const ignored = (reason: string): TagReading => ({ kind: 'ignored', name, reason, ...numbered });
  if (name.length > NAME_MAX_LENGTH) return ignored(`the name is longer than ${NAME_MAX_LENGTH} characters`);
  // git stores such a ref only when it came from elsewhere; it cannot be written back, so it is not read either.
  if (name.includes('//') || stage?.includes('//')) return ignored('a name with "//" (git refuses it)');
  if (stage !== undefined)
    return {
      kind: 'registry',
      tag: { action: cancel ? 'unassign' : 'assign', name, stage, ...numbered },
    };
  if (version !== undefined) {
    const problem = versionProblem(version);
    if (problem) return ignored(`version "${clip(version)}": ${problem}`);
    return {
      kind: 'registry',
      tag: { action: cancel ? 'deregister' : 'register', name, version, ...numbered },
    };
  }
  if (deprecated) return { kind: 'registry', tag: { action: 'deprecate', name, ...numbered } };
  return ignored('GTO reserves name@created but does not read it (its registry fails on it)');
}

/** Reads a tag name; tags in any other format, or out of range, are not the registry's and give undefined. */
export function parseRegistryTag(tag: string): RegistryTag | undefined {
  const reading = readRegistryTag(tag);
  return reading.kind === 'registry' ? reading.tag : undefined;
}

/** A short, printable excerpt of the part of a tag that was refused. */
const clip = (text: string) =>
  (text.length > 40 ? `${text.slice(0, 40)}…` : text).replace(/[^\x20-\x7e…]/g, '?');

/** `name@v1.2.3` (GTO's simple registration, which `gto register` writes too). */
export function releaseTag(name: string, version: string): string {
  return `${nameInTag(name)}@v${version}`;
}

/** `name#stage#N` */
export function assignmentTag(name: string, stage: string, number: number): string {
  return `${nameInTag(name)}#${stage}#${number}`;
}

/** `name#stage!#N` */
export function unassignmentTag(name: string, stage: string, number: number): string {
  return `${nameInTag(name)}#${stage}!#${number}`;
}

/** `name@v1.2.3!` (GTO's simple deregistration, `gto deregister`'s default). */
export function deregistrationTag(name: string, version: string): string {
  return `${nameInTag(name)}@v${version}!`;
}

/** `name@v1.2.3!#N`: a deregistration when the simple one exists already (a re-registered version). */
export function numberedDeregistrationTag(name: string, version: string, number: number): string {
  return `${nameInTag(name)}@v${version}!#${number}`;
}

/** `name@deprecated` (`gto deprecate`'s default), or `name@deprecated#N` once that one exists (a model deprecated again). */
export function deprecationTag(name: string, number?: number): string {
  return `${nameInTag(name)}@deprecated${number === undefined ? '' : `#${number}`}`;
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
