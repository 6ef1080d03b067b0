import { open, readFile } from 'node:fs/promises';
import { parseYamlDocument } from '../core/yaml-document.js';
import { CommandError } from '../core/repository.js';
import { parseJsonFile, userFileProblem } from '../core/user-file-error.js';

/** How a command names a JSON file the user passed, and reads what is in it. */
export interface UserJsonFile<T> {
  /** The file as given on the command line. */
  path: string;
  /** How the message names it, e.g. `--metrics canary.json`. */
  label: string;
  /** Turns the parsed JSON into what the command needs; throws MalformedFileError for what the user must fix. */
  read: (json: unknown, file: string) => T;
  /** The parser: JSON.parse unless the file may be Python's JSON (NaN, Infinity). */
  parse?: (text: string) => unknown;
  /** The fix when the problem does not name one. */
  fix?: string;
}

/**
 * Reads a JSON file the user named. A file that cannot be read, is not JSON or
 * that `read` refuses (MalformedFileError) is a CommandError (exit 2) naming
 * the file, what is wrong and the fix. Anything else `read` throws is a bug in
 * modelgate and goes on to main's "internal error (please report it)", never
 * dressed as a problem with the user's file.
 */
export async function readUserJsonFile<T>(file: UserJsonFile<T>): Promise<T> {
  try {
    const text = await readFile(file.path, 'utf8');
    return file.read(parseJsonFile(text, file.path, file.parse), file.path);
  } catch (error) {
    const found = userFileProblem(error);
    if (!found) throw error;
    throw new CommandError(`${file.label} cannot be used: ${found.problem}`, found.fix ?? file.fix);
  }
}

/**
 * Reads a YAML mapping the user named (at most `maxBytes`): one that cannot be
 * read, is not YAML or is not a mapping is a CommandError naming the file.
 */
export async function readUserYamlFile(
  path: string,
  maxBytes: number,
  fix: string,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new CommandError(`${path} is not a regular file`, fix);
      if (info.size > maxBytes) throw new CommandError(`${path} is larger than ${maxBytes / 1024} KiB`, fix);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CommandError) throw error;
    const found = userFileProblem(error);
    if (!found) throw error;
    throw new CommandError(`${path} cannot be read: ${found.problem}`, fix);
  }
  const document = parseYamlDocument(text);
  if (document.errors[0])
    throw new CommandError(`${path} is not valid YAML: ${document.errors[0].message.split('\n')[0]}`, fix);
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new CommandError(`${path} is not a YAML mapping`, fix);
  return value as Record<string, unknown>;
}
