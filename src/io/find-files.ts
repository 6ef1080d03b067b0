import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compileGlobs, isGitDir, type GlobMatcher } from '../core/repo-path.js';
import { CommandError } from '../core/repository.js';

/** Folders never walked besides `.git/`: installed packages. */
const SKIPPED = new Set(['node_modules']);
/** Deeper than this, or more entries than that, and the walk stops with an error rather than a partial answer. */
const MAX_DEPTH = 32;
const MAX_ENTRIES = 1_000_000;

/** Manifest globs compiled, or the CommandError (exit 2) that names the unusable one. */
export function manifestGlobs(patterns: readonly string[]): GlobMatcher {
  const compiled = compileGlobs(patterns);
  if (!compiled.ok)
    throw new CommandError(
      `the manifest glob "${compiled.pattern}" ${compiled.reason}`,
      'Write globs relative to the registry root, e.g. models/**/model.yaml (in .github/modelgate.yml: manifests).',
    );
  return compiled;
}

/**
 * The paths under `root` that match `patterns`, sorted, relative with POSIX
 * separators. Unlike a general glob library this walk keeps modelgate's
 * containment rule: it starts only below the root, never enters `.git/`,
 * never follows a symlinked folder (a committed `models/evil -> /` would
 * otherwise walk the host), and it returns every matching entry, not only
 * regular files: a manifest that is a FIFO, a folder or a link out is then
 * reported by the reader instead of silently missing.
 */
export async function findFiles(root: string, patterns: readonly string[]): Promise<string[]> {
  const globs = manifestGlobs(patterns);
  const found = new Set<string>();
  let seen = 0;

  const walk = async (folder: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH)
      throw new CommandError(
        `${folder} is more than ${MAX_DEPTH} folders deep`,
        'Narrow the manifest globs in .github/modelgate.yml.',
      );
    let entries;
    try {
      entries = await readdir(folder ? join(root, folder) : root, { withFileTypes: true });
    } catch {
      return; // a start folder that does not exist matches nothing
    }
    for (const entry of entries) {
      if (++seen > MAX_ENTRIES)
        throw new CommandError(
          `the manifest globs walk more than ${MAX_ENTRIES} files under ${root}`,
          'Narrow the manifest globs in .github/modelgate.yml.',
        );
      if (isGitDir(entry.name) || SKIPPED.has(entry.name)) continue;
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (globs.match(path)) found.add(path);
      if (entry.isDirectory()) await walk(path, depth + 1); // a symlink is never a directory entry here
    }
  };

  for (const start of globs.startFolders) {
    if (start && !(await isRealFolder(root, start))) continue;
    await walk(start, start ? start.split('/').length : 0);
  }
  return [...found].sort();
}

/** Whether every folder of `path` is a real folder (no symlink on the way). */
async function isRealFolder(root: string, path: string): Promise<boolean> {
  let at = root;
  for (const segment of path.split('/')) {
    if (isGitDir(segment)) return false;
    at = join(at, segment);
    const info = await lstat(at).catch(() => undefined);
    if (!info?.isDirectory()) return false;
  }
  return true;
}
