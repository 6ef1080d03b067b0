import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { formatBytes } from '../core/bytes.js';
import { parseYamlDocument } from '../core/yaml-document.js';
import { CommandError } from '../core/repository.js';
import { parseJsonFile, userFileProblem } from '../core/user-file-error.js';
import { ContainedRoot, ContainmentError } from '../io/contained-path.js';

const MiB = 1024 * 1024;

/**
 * The most read of a recording passed on the command line (`--metrics`,
 * `--counts`): real ones are a few KiB to a few MiB (a week of one-minute
 * intervals of five metrics is under 5 MiB).
 */
export const RECORDING_MAX_BYTES = 64 * MiB;
/** The most read of a results file passed on the command line (`--baseline-results`, `--suites`): real ones are a few MiB at most. */
export const RESULTS_MAX_BYTES = 64 * MiB;
/** The most read of a JSONL file of shadow answers (`--pairs`): a recorded sample, not a whole request log. */
export const PAIRS_MAX_BYTES = 256 * MiB;

/** A file the user named on the command line, and where it may be read from. */
export interface UserFile {
  /** The file as given on the command line. */
  path: string;
  /** How the message names it, e.g. `--metrics canary.json`. */
  label: string;
  /** The registry root (`--root`, default the current folder): a file under it is read under the containment rule. */
  root: string;
  /** The most read; a larger file is refused. */
  maxBytes: number;
  /** The fix when the problem does not name one. */
  fix: string;
}

/** How a command names a JSON file the user passed, and reads what is in it. */
export interface UserJsonFile<T> extends UserFile {
  /** Turns the parsed JSON into what the command needs; throws MalformedFileError for what the user must fix. */
  read: (json: unknown, file: string) => T;
  /** The parser: JSON.parse unless the file may be Python's JSON (NaN, Infinity). */
  parse?: (text: string) => unknown;
}

/**
 * Reads a file the user named on the command line, the way the repository's
 * own files are read: a path under the registry root goes through the
 * containment rule (ContainedRoot: a symlink out of the repository or into
 * `.git/` is refused, so a committed recording a pull request replaced with a
 * link to `/dev/zero` or `/proc/self/environ` is never opened); any path is
 * opened without blocking (a FIFO), must be a regular file, and is read
 * through the opened handle up to `maxBytes` (a file that says it is empty,
 * as /proc files do, is still cut there). Every refusal is a CommandError
 * (exit 2) naming the option, the file, the rule and the fix.
 */
export async function readUserFile(file: UserFile): Promise<Buffer> {
  try {
    const handle = await openUserFile(file);
    try {
      return await readCapped(handle, file);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CommandError) throw error;
    // Swapped for something else between the check and the open: refused like any other file that is not regular.
    if (error instanceof ContainmentError) throw refusal(file, `it ${error.reason}`, 'Pass a regular file.');
    const found = userFileProblem(error);
    if (!found) throw error;
    throw new CommandError(`${file.label} cannot be used: ${found.problem}`, found.fix ?? file.fix);
  }
}

/**
 * Reads a JSON file the user named (readUserFile's checks). A file that
 * cannot be read, is not JSON or that `read` refuses (MalformedFileError) is
 * a CommandError (exit 2) naming the file, what is wrong and the fix; a file
 * that is not JSON is described by the parser's position, never quoted.
 * Anything else `read` throws is a bug in modelgate and goes on to main's
 * "internal error (please report it)", never dressed as a problem with the
 * user's file.
 */
export async function readUserJsonFile<T>(file: UserJsonFile<T>): Promise<T> {
  const text = (await readUserFile(file)).toString('utf8');
  try {
    return file.read(parseJsonFile(text, file.path, file.parse), file.path);
  } catch (error) {
    const found = userFileProblem(error);
    if (!found) throw error;
    throw new CommandError(`${file.label} cannot be used: ${found.problem}`, found.fix ?? file.fix);
  }
}

/**
 * Reads a YAML mapping the user named (readUserFile's checks): one that is
 * not YAML or is not a mapping is a CommandError naming the file.
 */
export async function readUserYamlFile(file: UserFile): Promise<Record<string, unknown>> {
  const text = (await readUserFile(file)).toString('utf8');
  const document = parseYamlDocument(text);
  const error = document.errors[0];
  // The yaml library quotes the offending lines after its first line: only the first (what and where) is said.
  if (error)
    throw new CommandError(
      `${file.label} cannot be used: not valid YAML (${error.message.split('\n')[0]?.replace(/:$/, '')})`,
      file.fix,
    );
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new CommandError(`${file.label} cannot be used: not a YAML mapping`, file.fix);
  return value as Record<string, unknown>;
}

/** Opens the file for reading: under the root through the containment rule, elsewhere without following into a FIFO's wait. */
async function openUserFile(file: UserFile): Promise<FileHandle> {
  const root = resolve(file.root);
  const inRoot = relative(root, resolve(file.path));
  if (inRoot !== '' && inRoot.split(sep)[0] !== '..' && !isAbsolute(inRoot)) {
    const contained = new ContainedRoot(root);
    const located = await contained.locate(inRoot.split(sep).join('/'));
    if (located.kind === 'missing')
      throw refusal(file, 'it does not exist', 'Check the path: it must name a file you can read.');
    if (located.kind !== 'file')
      throw refusal(
        file,
        `it ${located.detail}`,
        located.kind === 'outside'
          ? `Pass the file itself: a file under --root ${file.root} is read only where it stays inside the repository (no symlink out of it, nothing in .git/).`
          : 'Pass a regular file.',
      );
    return (await contained.open(located)).handle;
  }
  const handle = await open(file.path, constants.O_RDONLY | constants.O_NONBLOCK);
  const info = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (!info.isFile()) {
    await handle.close();
    throw refusal(
      file,
      info.isDirectory() ? 'it is a directory' : 'it is not a regular file (a FIFO, socket or device)',
      'Pass a regular file.',
    );
  }
  return handle;
}

/** The file's bytes through its handle, refused past `maxBytes` whatever size the file claims. */
async function readCapped(handle: FileHandle, file: UserFile): Promise<Buffer> {
  const tooLarge = (size: string) =>
    refusal(
      file,
      `it is ${size}; modelgate reads at most ${formatBytes(file.maxBytes)} of it`,
      `Check that ${file.label.split(' ')[0]} names the right file: a real one is far smaller.`,
    );
  const { size } = await handle.stat();
  if (size > file.maxBytes) throw tooLarge(formatBytes(size));
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(Math.min(4 * MiB, file.maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > file.maxBytes) throw tooLarge(`more than ${formatBytes(file.maxBytes)}`);
  }
  return Buffer.concat(chunks, total);
}

function refusal(file: UserFile, problem: string, fix: string): CommandError {
  return new CommandError(`${file.label} cannot be used: ${problem}`, fix);
}
