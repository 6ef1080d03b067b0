import { inertLog, inertText } from '../core/report/escape.js';

/** Where the CLI writes: injectable so tests capture it. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  /** A transient progress line (only on a terminal). */
  progress(text: string): void;
}

/** The part of a Node stream the CLI uses: process.stdout, or a test's own. */
export interface TextStream {
  write(text: string): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The streams behind an {@link Output}, and what to do when one fails. */
export interface OutputStreams {
  stdout: TextStream;
  stderr: TextStream;
  /** Width of the terminal on stderr, or undefined when stderr is not a terminal (no progress line). */
  terminalWidth?: () => number | undefined;
  /** Called once when a write fails for another reason than a reader that went away: the output is incomplete. */
  onLost?: (reason: string) => void;
}

/**
 * An Output on two streams. Everything written passes {@link inertLog}, so no
 * line can restyle the terminal or act as a workflow command. A reader that
 * stops reading (`modelgate history | head -1`: EPIPE) ends that stream
 * quietly: later writes to it are dropped, the command finishes its work and
 * keeps its own exit code. Any other write failure is reported on stderr once
 * and passed to `onLost`.
 */
export function streamOutput(streams: OutputStreams): Output {
  const lost = (name: string, reason: string) => {
    if (name === 'standard output')
      stderr.write(
        `modelgate: cannot write to standard output (${reason}): the output is incomplete\n  fix: check where standard output goes (a full disk, a closed descriptor)\n`,
      );
    streams.onLost?.(reason);
  };
  const stdout = guardedStream(streams.stdout, 'standard output', lost);
  const stderr = guardedStream(streams.stderr, 'standard error', lost);
  let progressShown = false;
  return {
    stdout: (text) => stdout.write(text),
    stderr: (text) => {
      if (progressShown) stderr.writeRaw('\r\x1b[K');
      progressShown = false;
      stderr.write(text);
    },
    progress: (text) => {
      const columns = streams.terminalWidth?.();
      if (columns === undefined) return;
      const width = Math.max(20, columns - 1);
      // Only the line redraw is raw; the text is escaped like any other.
      stderr.writeRaw(`\r\x1b[K${Array.from(inertText(text)).slice(0, width).join('')}`);
      progressShown = true;
    },
  };
}

function guardedStream(stream: TextStream, name: string, lost: (name: string, reason: string) => void) {
  let open = true;
  const toLog = inertLog();
  const fail = (error: unknown) => {
    if (!open) return;
    open = false;
    const code = (error as { code?: unknown } | undefined)?.code;
    // EPIPE: the reader went away on purpose (head, less, grep -q); nothing is wrong.
    if (code !== 'EPIPE') lost(name, typeof code === 'string' ? code : String(error));
  };
  stream.on('error', fail);
  const writeRaw = (text: string) => {
    if (!open) return;
    try {
      stream.write(text);
    } catch (error) {
      fail(error);
    }
  };
  return { writeRaw, write: (text: string) => writeRaw(toLog(text)) };
}

/** The process's own streams; the progress line redraws on a terminal and is silent elsewhere. */
function processOutput(onLost?: (reason: string) => void): Output {
  const terminal = process.stderr.isTTY === true;
  return streamOutput({
    stdout: process.stdout,
    stderr: process.stderr,
    terminalWidth: () => (terminal ? (process.stderr.columns ?? 80) : undefined),
    onLost,
  });
}

/**
 * Runs a command on the process's streams and sets the exit code: the
 * command's own (also when the reader of its output stopped early), or 2 when
 * its output could not be written, even if that failure comes while a large
 * report is still draining after the command returned.
 */
export async function runWithProcessStreams(command: (out: Output) => Promise<number>): Promise<void> {
  let lost = false;
  const out = processOutput(() => {
    lost = true;
    process.exitCode = 2;
  });
  const code = await command(out);
  process.exitCode = lost ? 2 : code;
}
