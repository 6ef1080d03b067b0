import { execFile, spawn } from 'node:child_process';

/** A git command that failed; `stderr` holds git's own words. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed: ${stderr.trim() || 'no message'}`);
    this.name = 'GitError';
  }
}

const MAX_OUTPUT = 1024 * 1024 * 1024;

/** Runs git in `cwd` (never through a shell) and returns stdout as bytes. */
export function git(cwd: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        encoding: 'buffer',
        maxBuffer: MAX_OUTPUT,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      },
      (error, stdout, stderr) =>
        error ? reject(new GitError(args, stderr.toString() || error.message)) : resolve(stdout),
    );
  });
}

/** Runs git and returns stdout as text. */
export async function gitText(cwd: string, args: readonly string[]): Promise<string> {
  return (await git(cwd, args)).toString('utf8');
}

/** Streams a blob's bytes to `onChunk`; `onChunk` returns false to stop early. */
export function streamBlob(
  cwd: string,
  oid: string,
  onChunk: (chunk: Buffer) => boolean | void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', 'blob', oid], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stopped = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (stopped) return;
      if (onChunk(chunk) === false) {
        stopped = true;
        child.kill();
      }
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 || stopped ? resolve() : reject(new GitError(['cat-file', 'blob', oid], stderr)),
    );
  });
}
