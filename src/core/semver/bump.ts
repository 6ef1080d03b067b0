import semver from 'semver';

/** Kinds of version change, smallest first. */
export const BUMPS = ['none', 'patch', 'minor', 'major'] as const;
export type Bump = (typeof BUMPS)[number];

export const bumpRank = (bump: Bump): number => BUMPS.indexOf(bump);
export const largerBump = (a: Bump, b: Bump): Bump => (bumpRank(a) >= bumpRank(b) ? a : b);

/** How `to` moved from `from`: 'backwards' when it went down. */
export function declaredBump(from: string, to: string): Bump | 'backwards' {
  const order = semver.compare(to, from);
  if (order === 0) return 'none';
  if (order < 0) return 'backwards';
  const diff = semver.diff(from, to);
  if (diff === 'major' || diff === 'premajor') return 'major';
  if (diff === 'minor' || diff === 'preminor') return 'minor';
  return 'patch';
}

/**
 * Whether a declared bump covers a required one. Below 1.0.0 the minor number
 * is the breaking one (as Cargo and npm's caret read it), so 0.3.0 -> 0.4.0
 * may carry a breaking change.
 */
export function bumpCovers(declared: Bump, required: Bump, from: string): boolean {
  if (required === 'major' && declared === 'minor' && semver.major(from) === 0) return true;
  return bumpRank(declared) >= bumpRank(required);
}
