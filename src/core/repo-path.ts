import { posix } from 'node:path';

export type RepoPath = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Resolves `ref`, written relative to the folder of `manifestFile`, to a
 * repository-relative POSIX path. Refuses absolute paths, drive letters, NUL
 * bytes and anything that climbs out of the repository. Symlinks are the
 * reader's business (it sees the disk).
 */
export function resolveArtifactPath(manifestFile: string, ref: string): RepoPath {
  if (ref.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  if (posix.isAbsolute(ref) || /^[a-zA-Z]:[\\/]/.test(ref) || ref.startsWith('\\')) {
    return { ok: false, reason: 'is an absolute path; artifact paths are relative to the manifest folder' };
  }
  const joined = posix.normalize(posix.join(posix.dirname(manifestFile), ref.replaceAll('\\', '/')));
  if (joined === '..' || joined.startsWith('../')) {
    return { ok: false, reason: 'points outside the repository' };
  }
  return { ok: true, path: joined === '.' ? '' : joined };
}
