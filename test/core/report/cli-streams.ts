import { Writable } from 'node:stream';
import { main } from '../../../src/cli/main.js';
import { streamOutput } from '../../../src/cli/output.js';

/** Collects what a stream receives, the way a terminal or the runner would. */
export class CollectedStream extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: string, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the CLI in-process on the same Output the `modelgate` binary uses, its streams collected. */
export async function runCliOnStreams(...argv: string[]) {
  const stdout = new CollectedStream();
  const stderr = new CollectedStream();
  const code = await main(argv, streamOutput({ stdout, stderr }));
  return { code, stdout: stdout.text, stderr: stderr.text };
}
