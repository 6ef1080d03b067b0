import { execFile } from 'node:child_process';
import { ignoredServerWarning, nginxServersIn } from '../../core/deploy/nginx.js';
import type { RenderedRouting } from '../../core/deploy/rendered.js';
import { CommandError } from '../../core/repository.js';
import { decodeUtf8 } from '../../core/bytes.js';
import { ContainedRoot, ContainmentError } from '../contained-path.js';
import { FileSystemSource } from '../fs-source.js';

/** A generated nginx file is a few KiB; a larger one at the path is not modelgate's. */
const NGINX_FILE_MAX_BYTES = 1024 * 1024;
/** How long the workflow's reload command may take. */
const RELOAD_TIMEOUT_MS = 60_000;

/** A write of the nginx file, and how to take it back: the content it replaced, or none when it made the file. */
export type NginxWrite = { changed: false } | { changed: true; previous: string | undefined };

/**
 * Writes the nginx configuration under the workspace root through the
 * containment rule (no `..`, no `.git/`, never through a symlinked folder,
 * atomically). Says whether the file changed, and what it held before.
 */
export async function writeNginxConfig(root: string, path: string, content: string): Promise<NginxWrite> {
  const read = await new FileSystemSource(root).read(path, NGINX_FILE_MAX_BYTES);
  const previous = read.ok ? decodeUtf8(read.value) : undefined;
  if (previous === content) return { changed: false };
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
  return { changed: true, previous };
}

/**
 * Takes a write back after the reload failed: the file holds what nginx
 * runs again (the content it replaced, or no file), so the next reload of
 * anything, or a restart, does not put the refused routing live.
 */
async function undoNginxWrite(root: string, path: string, write: NginxWrite): Promise<void> {
  if (!write.changed) return;
  const contained = new ContainedRoot(root);
  if (write.previous === undefined) await contained.remove(path);
  else await contained.write(path, write.previous);
}

/**
 * Runs the reload command the workflow gave (input "reload-command", e.g.
 * `sudo nginx -t && sudo nginx -s reload`) with `sh -c` in the root. The
 * command is the workflow's, never the repository's or a pull request's.
 */
export function runReloadCommand(
  root: string,
  command: string,
): Promise<{ ok: true; output: string } | { ok: false; detail: string }> {
  return new Promise((resolve) => {
    execFile(
      'sh',
      ['-c', command],
      { cwd: root, timeout: RELOAD_TIMEOUT_MS, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, output: `${String(stderr)}\n${String(stdout)}` });
        const last = String(stderr).trim().split('\n').slice(-3).join(' | ');
        const how = error.killed
          ? `timed out after ${RELOAD_TIMEOUT_MS / 1000} s`
          : `exit ${String(error.code)}`;
        resolve({ ok: false, detail: `${how}${last ? `: ${last}` : ''}` });
      },
    );
  });
}

/** The nginx file was not applied: the reload failed, or nginx ignored its server. The file holds what it held. */
export class NginxNotApplied extends CommandError {}

/**
 * Writes the nginx file and runs the reload command (when given, and when
 * the file changed or `reloadUnchanged`). A reload that fails puts the file
 * back to what it held and throws NginxNotApplied. So does a reload after
 * which nginx says it ignored a server this write added (another server
 * answers the same port and host name, so nginx gives their requests to the
 * one it read first: another model's versions), which also reloads the file
 * as it was. A server the file already had is not refused for a conflict:
 * the conflict is not this write's, and refusing would keep, say, a guard's
 * rollback from going live; it is returned, for the log. nginx says so in
 * `nginx -t`, which the reload command runs first.
 */
export async function applyNginxFile(
  root: string,
  rendered: RenderedRouting,
  reload: string | undefined,
  reloadUnchanged: boolean,
): Promise<NginxWrite & { conflict?: string }> {
  const { path } = rendered;
  const write = await writeNginxConfig(root, path, rendered.content);
  if (!reload || (!write.changed && !reloadUnchanged)) return write;
  const result = await runReloadCommand(root, reload);
  if (!result.ok) {
    await undoNginxWrite(root, path, write);
    throw new NginxNotApplied(
      `the reload command failed (${result.detail}); ${path} holds what it held before`,
      'Fix the reload command or the nginx server, then deploy again.',
    );
  }
  const had = write.changed && write.previous !== undefined ? nginxServersIn(write.previous) : [];
  const servers = rendered.servers ?? [];
  const added = write.changed
    ? servers.filter((s) => !had.some((h) => h.listen === s.listen && h.name === s.name))
    : [];
  const conflict = ignoredServerWarning(result.output, servers);
  if (!conflict || !ignoredServerWarning(result.output, added))
    return conflict ? { ...write, conflict } : write;
  await undoNginxWrite(root, path, write);
  const again = await runReloadCommand(root, reload);
  throw new NginxNotApplied(
    `a server of ${path} conflicts with another on the same port and host name (nginx: ${conflict}), and nginx gives all their requests to the one it read first; ${path} holds what it held before${again.ok ? ', and nginx was reloaded with it' : `, but reloading that failed (${again.detail}): nginx may still run the refused file`}`,
    'Give each model a host name of its own (deploy.nginx.server_name, such as {model}.llm.internal), or a listen of its own.',
  );
}
