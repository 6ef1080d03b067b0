/** Where the CLI writes: injectable so tests capture it. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  /** A transient progress line (only on a terminal). */
  progress(text: string): void;
}

/** The process's own streams; progress redraws one line on a terminal and is silent elsewhere. */
export function processOutput(): Output {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
      process.stderr.write(text);
    },
    progress: (text) => {
      if (!tty) return;
      const width = Math.max(20, (process.stderr.columns ?? 80) - 1);
      process.stderr.write(`\r\x1b[K${text.slice(0, width)}`);
      shown = true;
    },
  };
}
