import { execFile } from 'node:child_process';
import { CommandError } from '../../core/repository.js';
import { decodeUtf8 } from '../../core/bytes.js';
import { ContainedRoot, ContainmentError } from '../contained-path.js';
import { FileSystemSource } from '../fs-source.js';

/** A generated nginx file is a few KiB; a larger one at the path is not modelgate's. */
const NGINX_FILE_MAX_BYTES = 1024 * 1024;
/** How long the workflow's reload command may take. */
const RELOAD_TIMEOUT_MS = 60_000;

/**
 * Writes the nginx configuration under the workspace root through the
 * containment rule (no `..`, no `.git/`, never through a symlinked folder,
 * atomically). Returns whether the file changed.
 */
export async function writeNginxConfig(root: string, path: string, content: string): Promise<boolean> {
  const read = await new FileSystemSource(root).read(path, NGINX_FILE_MAX_BYTES);
  if (read.ok && decodeUtf8(read.value) === content) return false;
  if (!read.ok && read.problem.kind !== 'missing')
    throw new CommandError(
      `deploy.nginx.path ${path} cannot be written: ${read.problem.detail}`,
      'Point deploy.nginx.path at a regular file inside the workspace.',
    );
  try {
    await new ContainedRoot(root).write(path, content);
  } catch (error) {
    if (error instanceof ContainmentError)
      throw new CommandError(
        error.message,
        'Point deploy.nginx.path at a regular file inside the workspace.',
      );
    throw error;
  }
  return true;
}

/**
 * Runs the reload command the workflow gave (input "reload-command", e.g.
 * `sudo nginx -t && sudo nginx -s reload`) with `sh -c` in the root. The
 * command is the workflow's, never the repository's or a pull request's.
 */
export function runReloadCommand(
  root: string,
  command: string,
): Promise<{ ok: true } | { ok: false; detail: string }> {
  return new Promise((resolve) => {
    execFile(
      'sh',
      ['-c', command],
      { cwd: root, timeout: RELOAD_TIMEOUT_MS, maxBuffer: 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (!error) return resolve({ ok: true });
        const last = String(stderr).trim().split('\n').slice(-3).join(' | ');
        const how = error.killed
          ? `timed out after ${RELOAD_TIMEOUT_MS / 1000} s`
          : `exit ${String(error.code)}`;
        resolve({ ok: false, detail: `${how}${last ? `: ${last}` : ''}` });
      },
    );
  });
}
