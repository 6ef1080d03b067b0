import { open } from 'node:fs/promises';
import { constants } from 'node:fs';
import { readPairsJsonl, type RecordedPairs } from '../../core/shadow/recorded.js';
import { MalformedFileError } from '../../core/user-file-error.js';

/** The largest pairs file read (the file provider): a recorded sample, not a whole request log. */
const MAX_PAIRS_FILE_BYTES = 256 * 1024 * 1024;

/**
 * Reads a JSONL file of shadow outputs (the file provider of `modelgate
 * shadow analyze --pairs`): a regular file only (a FIFO would block, a device
 * never ends), at most MAX_PAIRS_FILE_BYTES, every malformed line named.
 */
export async function readPairsFile(path: string): Promise<RecordedPairs> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new MalformedFileError(path, 'not a regular file', 'Name a JSONL file.');
    if (stat.size > MAX_PAIRS_FILE_BYTES)
      throw new MalformedFileError(
        path,
        `${stat.size} bytes, more than ${MAX_PAIRS_FILE_BYTES}`,
        'Sample the outputs first (outputs.sample pairs per interval are all the analysis reads).',
      );
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await handle.readFile());
    } catch {
      throw new MalformedFileError(path, 'not UTF-8 text', 'Write the file as UTF-8 JSON lines.');
    }
    return readPairsJsonl(text, path);
  } finally {
    await handle.close();
  }
}
