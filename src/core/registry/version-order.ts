import semverCompare from 'semver/functions/compare.js';
import semverParse from 'semver/functions/parse.js';

/**
 * A registry version ready to be ordered as node-semver orders it. Almost
 * every registered version is a plain `X.Y.Z`; those are read with one small
 * expression instead of node-semver's parser (a history of 10,000 tags parses
 * thousands of them in a process that runs once, so each parse counts).
 * Anything else (a prerelease, build metadata, an odd form) is node-semver's
 * own parse, so what is accepted and how it sorts stays node-semver's.
 */
export interface VersionKey {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The version text (without the tag's `v`), compared by node-semver when its main parts tie. */
  readonly text: string;
  /** `X.Y.Z` and nothing more: two such versions with equal main parts are equal. */
  readonly plain: boolean;
}

// No leading zeros, as SemVer 2 (and node-semver) require; the numbers are checked for size below.
const PLAIN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** The version read for ordering, or null where node-semver's `parse` gives null (not a version it can compare). */
export function versionKey(text: string): VersionKey | null {
  const match = PLAIN.exec(text);
  if (match) {
    const major = Number(match[1]);
    const minor = Number(match[2]);
    const patch = Number(match[3]);
    // node-semver refuses a part above Number.MAX_SAFE_INTEGER: left to it, so it refuses here too.
    if (Number.isSafeInteger(major) && Number.isSafeInteger(minor) && Number.isSafeInteger(patch))
      return { major, minor, patch, text, plain: true };
  }
  const parsed = semverParse(text);
  return parsed && { major: parsed.major, minor: parsed.minor, patch: parsed.patch, text, plain: false };
}

/** node-semver's `compare` of two keys: main parts as numbers, then (when either has more) node-semver itself. */
export function compareVersionKeys(a: VersionKey, b: VersionKey): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  return a.plain && b.plain ? 0 : semverCompare(a.text, b.text);
}
