import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';

/** Runs the CLI in-process and captures what it prints. */
export async function runCli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const out: Output = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    progress: () => {},
  };
  const code = await main(argv, out);
  return { code, stdout, stderr };
}
