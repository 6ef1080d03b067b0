import { posix } from 'node:path';
import picomatch from 'picomatch';

export type RepoPath = { ok: true; path: string } | { ok: false; reason: string };

/**
 * The syntactic half of modelgate's one containment rule (the other half,
 * what the disk or the git tree makes of the path, is the reader's): a
 * repository-relative POSIX path that stays inside the root and never names
 * git's own metadata. `.git/` holds credentials (actions/checkout writes the
 * token into .git/config), so no artifact, manifest, setting or write may
 * reach it, in any letter case (git itself treats `.GIT` as `.git` on
 * case-insensitive file systems).
 */
export function checkRepoPath(path: string): RepoPath {
  if (path.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  if (posix.isAbsolute(path) || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\')) {
    return { ok: false, reason: 'is an absolute path; paths are relative to the repository' };
  }
  const normal = posix.normalize(path.replaceAll('\\', '/'));
  if (normal === '..' || normal.startsWith('../')) {
    return { ok: false, reason: 'points outside the repository' };
  }
  if (normal.split('/').some(isGitDir)) {
    return {
      ok: false,
      reason: "is inside .git/, git's own metadata, which modelgate never reads or writes",
    };
  }
  return { ok: true, path: normal === '.' ? '' : normal.replace(/\/$/, '') };
}

/**
 * A path segment that names git's metadata folder on some file system, as
 * git itself refuses them (is_ntfs_dotgit, is_hfs_dotgit): any letter case;
 * on NTFS trailing dots and spaces, an alternate data stream (`.git::$DATA`)
 * and the 8.3 short name `GIT~1`; on HFS+ the code points it ignores.
 */
export function isGitDir(segment: string): boolean {
  const visible = segment.replace(/[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g, '');
  const ntfs = visible.split(':')[0]!.replace(/[. ]+$/, '');
  return /^\.git$/i.test(ntfs) || /^git~\d+$/i.test(ntfs);
}

/**
 * Resolves `ref`, written relative to the folder of `manifestFile`, to a
 * repository-relative POSIX path under the rule of checkRepoPath.
 */
export function resolveArtifactPath(manifestFile: string, ref: string): RepoPath {
  if (ref.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  if (posix.isAbsolute(ref) || /^[a-zA-Z]:[\\/]/.test(ref) || ref.startsWith('\\')) {
    return { ok: false, reason: 'is an absolute path; artifact paths are relative to the manifest folder' };
  }
  return checkRepoPath(posix.join(posix.dirname(manifestFile), ref.replaceAll('\\', '/')));
}

/**
 * Where a symlink found at `link` (repository-relative) leads, when its
 * target text is `target`: the repository-relative path, or why it leaves.
 */
export function resolveLinkTarget(link: string, target: string): RepoPath {
  if (posix.isAbsolute(target))
    return { ok: false, reason: `is a symlink to ${target}, outside the repository` };
  const resolved = checkRepoPath(posix.join(posix.dirname(link), target));
  return resolved.ok
    ? resolved
    : { ok: false, reason: `is a symlink to ${target}, which ${resolved.reason}` };
}

/**
 * Checks a manifest glob from settings or an option: relative, inside the
 * root, never into .git/. A glob cannot name what a path may not.
 */
export function checkGlob(pattern: string): { ok: true } | { ok: false; reason: string } {
  if (!pattern.trim()) return { ok: false, reason: 'is empty' };
  if (pattern.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  if (pattern.startsWith('/') || pattern.startsWith('\\') || /^[a-zA-Z]:/.test(pattern))
    return { ok: false, reason: 'is absolute; globs are relative to the registry root' };
  const segments = pattern.replaceAll('\\', '/').split('/');
  if (segments.includes('..')) return { ok: false, reason: 'climbs out of the registry root with ..' };
  if (segments.some(isGitDir)) return { ok: false, reason: 'reaches into .git/' };
  return { ok: true };
}

/** Compiled manifest globs: what matches, and the folders a walk must start from. */
export interface GlobMatcher {
  match(path: string): boolean;
  /** The fixed leading folders of the positive globs, none inside another ("" for the root). */
  startFolders: string[];
}

/**
 * Compiles manifest globs (`!glob` excludes) after checking each with
 * checkGlob; the first unusable glob is returned with its reason.
 */
export function compileGlobs(
  patterns: readonly string[],
): ({ ok: true } & GlobMatcher) | { ok: false; pattern: string; reason: string } {
  for (const pattern of patterns) {
    const checked = checkGlob(pattern.replace(/^!/, ''));
    if (!checked.ok) return { ok: false, pattern, reason: checked.reason };
  }
  const included = patterns.filter((p) => !p.startsWith('!'));
  const excluded = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const isIncluded = included.length ? picomatch(included, { dot: false }) : () => false;
  const isExcluded = excluded.length ? picomatch(excluded, { dot: false }) : () => false;
  const baseOf = (pattern: string) => {
    const scan = picomatch.scan(pattern);
    return (scan.isGlob ? scan.base : posix.dirname(scan.base)).replace(/^\.$/, '').replace(/\/$/, '');
  };
  const bases = [...new Set(included.map(baseOf))].sort();
  return {
    ok: true,
    match: (path) => isIncluded(path) && !isExcluded(path),
    startFolders: bases.filter(
      (b) => !bases.some((other) => other !== b && (other === '' || b.startsWith(`${other}/`))),
    ),
  };
}
