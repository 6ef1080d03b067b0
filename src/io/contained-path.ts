import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath, rename, rm, type FileHandle } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkRepoPath, isGitDir } from '../core/repo-path.js';
import type { SourceStat } from '../core/source.js';

/** A path that passed the containment rule: open it with openContained. */
export interface ContainedFile {
  kind: 'file';
  /** The real path on disk (symlinks resolved). */
  real: string;
  /** The real path relative to the root, POSIX separators: what a symlink resolves to. */
  resolved: string;
  size: number;
}

export type Located = ContainedFile | Exclude<SourceStat, { kind: 'file' }>;

/**
 * modelgate's one containment rule on the disk, for every read and write of
 * the working tree (artifacts, manifests, settings, datasets, results,
 * restored files). A path is followed only when:
 * - it passes checkRepoPath (relative, no `..` out, never `.git/`);
 * - no folder on the way is a symlink (a symlinked folder can swap the rest
 *   of the path for any place on the host);
 * - its real path (a symlinked *file* is resolved) stays under the root's
 *   real path and outside every `.git/`;
 * - it is a regular file (a FIFO would block, a device never ends).
 */
export class ContainedRoot {
  private rootReal?: Promise<string>;

  constructor(readonly root: string) {}

  /** The real path of the root itself. */
  real(): Promise<string> {
    return (this.rootReal ??= realpath(this.root));
  }

  /** Where `path` leads under the rule, without opening it. */
  async locate(path: string): Promise<Located> {
    const checked = checkRepoPath(path);
    if (!checked.ok) return { kind: 'outside', detail: checked.reason };
    if (!checked.path) return { kind: 'not-a-file', detail: 'is the repository root' };
    const segments = checked.path.split('/');
    let at = this.root;
    for (const [index, segment] of segments.entries()) {
      at = join(at, segment);
      const info = await lstat(at).catch(() => undefined);
      if (!info) return { kind: 'missing' };
      const last = index === segments.length - 1;
      if (info.isSymbolicLink()) {
        if (!last) {
          const target = await readlink(at).catch(() => '?');
          return {
            kind: 'outside',
            detail: `goes through ${segments.slice(0, index + 1).join('/')}, a symlinked folder (-> ${target}); modelgate does not follow symlinked folders`,
          };
        }
        return this.followFileLink(at);
      }
      if (!last && !info.isDirectory()) return { kind: 'missing' };
      if (last) return this.realFile(at, info);
    }
    return { kind: 'missing' };
  }

  /**
   * The last segment, not a link: checked once more by its real path, the
   * name the file system itself resolved (an 8.3 short name or a case
   * variant of `.git` on Windows and macOS, a root under a symlink).
   */
  private async realFile(at: string, info: Parameters<ContainedRoot['regular']>[2]): Promise<Located> {
    const real = await realpath(at).catch(() => undefined);
    if (!real) return { kind: 'missing' };
    const rel = relative(await this.real(), real);
    if (rel === '' || rel.split(sep)[0] === '..' || rel.startsWith(sep) || /^[a-zA-Z]:/.test(rel))
      return { kind: 'outside', detail: 'resolves outside the repository' };
    const resolved = rel.split(sep).join('/');
    if (resolved.split('/').some(isGitDir))
      return {
        kind: 'outside',
        detail: "resolves into .git/, git's own metadata, which modelgate never reads",
      };
    return this.regular(real, resolved, info);
  }

  private async followFileLink(link: string): Promise<Located> {
    const target = await readlink(link).catch(() => '?');
    let real: string;
    try {
      real = await realpath(link);
    } catch {
      return { kind: 'missing' }; // a dangling symlink
    }
    const rel = relative(await this.real(), real);
    if (rel === '' || rel.split(sep)[0] === '..' || rel.startsWith(sep) || /^[a-zA-Z]:/.test(rel))
      return { kind: 'outside', detail: `is a symlink to ${target}, outside the repository` };
    const resolved = rel.split(sep).join('/');
    if (resolved.split('/').some(isGitDir))
      return {
        kind: 'outside',
        detail: `is a symlink to ${target}, inside .git/, which modelgate never reads`,
      };
    return this.regular(real, resolved, await lstat(real));
  }

  private regular(
    real: string,
    resolved: string,
    info: { isFile(): boolean; isDirectory(): boolean; size: number },
  ): Located {
    if (info.isDirectory()) return { kind: 'not-a-file', detail: 'is a directory' };
    if (!info.isFile())
      return { kind: 'not-a-file', detail: 'is not a regular file (a FIFO, socket or device)' };
    return { kind: 'file', real, resolved, size: info.size };
  }

  /**
   * Opens a located file for reading without following a symlink swapped in
   * since it was located and without blocking on a FIFO; the handle is checked
   * again to be a regular file.
   */
  async open(file: ContainedFile): Promise<{ handle: FileHandle; size: number }> {
    const handle = await open(file.real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      throw new ContainmentError(file.resolved, 'changed while it was read: it is no longer a regular file');
    }
    return { handle, size: info.size };
  }

  /**
   * Writes `bytes` to `path` under the same rule: folders are created one by
   * one and must be real folders (never a symlink, so a committed link cannot
   * redirect the write), and the new content replaces what is at the path
   * atomically (a temporary file in the same folder, renamed over it): a
   * symlink there is replaced, never written through, and a failed write
   * leaves the old file whole.
   */
  async write(path: string, bytes: Uint8Array | string): Promise<void> {
    const { dir, name } = await this.folderFor(path);
    const target = join(dir, name);
    const existing = await lstat(target).catch(() => undefined);
    // A symlink in place of the file is replaced by the rename (never followed); anything else that is not a file stays.
    if (existing && !existing.isFile() && !existing.isSymbolicLink())
      throw new ContainmentError(path, 'exists and is not a regular file');
    const temporary = join(dir, `.${name}.modelgate-${randomBytes(6).toString('hex')}`);
    const handle = await open(
      temporary,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o644,
    );
    try {
      await handle.writeFile(bytes);
      await handle.close();
      await rename(temporary, target);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /** Removes `path` (a file, or a symlink itself: never what it points at). Missing is fine. */
  async remove(path: string): Promise<void> {
    const { dir, name } = await this.folderFor(path);
    const target = join(dir, name);
    const existing = await lstat(target).catch(() => undefined);
    if (!existing) return;
    if (existing.isDirectory()) throw new ContainmentError(path, 'is a directory, not a file');
    await rm(target);
  }

  /**
   * Checks that `path` could be written: the same walk as `write` without
   * creating anything. Lets a command refuse before it changes the first file.
   */
  async checkWritable(path: string): Promise<void> {
    const { dir, name } = await this.folderFor(path, false);
    const existing = await lstat(join(dir, name)).catch(() => undefined);
    if (existing?.isDirectory()) throw new ContainmentError(path, 'is a directory, not a file');
  }

  /** The real folder `path` goes into, created (when `create`) one level at a time. */
  private async folderFor(path: string, create = true): Promise<{ dir: string; name: string }> {
    const checked = checkRepoPath(path);
    if (!checked.ok) throw new ContainmentError(path, checked.reason);
    if (!checked.path) throw new ContainmentError(path, 'is the repository root');
    const segments = checked.path.split('/');
    const name = segments.pop()!;
    let at = await this.real();
    for (const segment of segments) {
      at = join(at, segment);
      const info = await lstat(at).catch(() => undefined);
      if (!info) {
        if (!create) return { dir: at, name }; // what does not exist yet will be made a real folder
        await mkdir(at).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        });
        const made = await lstat(at);
        if (made.isDirectory() && !made.isSymbolicLink()) continue;
      } else if (info.isDirectory()) continue;
      throw new ContainmentError(
        path,
        info?.isSymbolicLink()
          ? `goes through ${relative(await this.real(), at)}, a symlink; modelgate never writes through links`
          : `goes through ${relative(await this.real(), at)}, which is not a folder`,
      );
    }
    return { dir: at, name };
  }
}

/** A write or removal the containment rule refused: a user's repository made it so, not a bug. */
export class ContainmentError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} ${reason}`);
    this.name = 'ContainmentError';
  }
}
