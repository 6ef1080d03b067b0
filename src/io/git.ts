import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CommandError } from '../core/repository.js';

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

/** Runs git in `cwd` (never through a shell), with `input` on its stdin, and returns stdout as bytes. */
export function git(cwd: string, args: readonly string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
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
    if (input === undefined) return;
    child.stdin?.on('error', () => {}); // git exiting early is reported by its exit status, above
    child.stdin?.end(input);
  });
}

/** Runs git (with `input` on its stdin) and returns stdout as text. */
export async function gitText(cwd: string, args: readonly string[], input?: string): Promise<string> {
  return (await git(cwd, args, input)).toString('utf8');
}

/**
 * The folder `root` relative to the top of its git repository ("" at the top,
 * "examples/registry/" below it), or a CommandError that says `root` is not
 * in one. Only git's line end is cut: a folder name may start or end with a space.
 */
export function repositoryPrefix(root: string): Promise<string> {
  return gitText(root, ['rev-parse', '--show-prefix']).then(
    (prefix) => prefix.replace(/\n$/, ''),
    (error: unknown) => {
      const detail = error instanceof GitError ? error.stderr.trim() : String(error);
      throw new CommandError(
        `${root} is not inside a git repository (${detail})`,
        'Run it in a git clone of the registry (git clone, or git init and a first commit).',
      );
    },
  );
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

interface PendingBlob {
  oid: string;
  resolve: (bytes: Buffer) => void;
  reject: (error: Error) => void;
}

/** One `git cat-file --batch` process and the reads it owes. */
interface BatchSession {
  child: ChildProcessWithoutNullStreams;
  pending: PendingBlob[];
  /** A header line not complete yet. */
  buffer: Buffer;
  /** The blob being received: its bytes so far, into a buffer of its size. */
  body?: { bytes: Buffer; filled: number; type: string };
}

/** How long an idle `git cat-file --batch` process is kept for the next read. */
const BATCH_IDLE_MS = 50;
const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Reads blobs through one `git cat-file --batch` process instead of a process
 * per blob: a model's files at a ref (config, tokenizer, template, …) cost one
 * process start, not one each. Answers come in the order the requests were
 * written; the process ends after a moment idle and is started again on the
 * next read. Callers cap sizes before they read (the tree lists every blob's
 * size).
 */
export class GitBlobReader {
  private session?: BatchSession;
  private idle?: NodeJS.Timeout;

  constructor(private readonly cwd: string) {}

  read(oid: string): Promise<Buffer> {
    if (!OBJECT_ID.test(oid))
      return Promise.reject(new GitError(['cat-file', '--batch'], `not an object id: ${oid}`));
    clearTimeout(this.idle);
    const session = this.session ?? this.start();
    // While a read is owed the process keeps Node alive; idle, it never does.
    if (!session.pending.length) hold(session, true);
    return new Promise((resolve, reject) => {
      session.pending.push({ oid, resolve, reject });
      session.child.stdin.write(`${oid}\n`);
    });
  }

  /** Ends the process; a later read starts a new one. */
  close(): void {
    const session = this.session;
    this.session = undefined;
    session?.child.stdin.end();
  }

  private start(): BatchSession {
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: this.cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    });
    const session: BatchSession = { child, pending: [], buffer: Buffer.alloc(0) };
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (chunk: Buffer) => this.take(session, chunk));
    // A process that fails or ends fails only the reads it owes; the next read starts another.
    const fail = (message: string) => {
      if (this.session === session) this.session = undefined;
      const error = new GitError(['cat-file', '--batch'], stderr.trim() || message);
      for (const waiting of session.pending.splice(0)) waiting.reject(error);
    };
    child.on('error', (error) => fail(error.message));
    child.on('close', (code) => fail(`git cat-file --batch exited with ${code}`));
    child.stdin.on('error', () => undefined); // a write after the process died: the close above reports it
    this.session = session;
    return session;
  }

  /**
   * Parses answers: `<oid> <type> <size>\n<bytes>\n`, or `<oid> missing\n`. A
   * blob's bytes are copied once into a buffer of its size as they arrive
   * (never re-joined chunk by chunk: a 30 MB tokenizer comes in hundreds).
   */
  private take(session: BatchSession, chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const head = session.pending[0];
      if (!head) break;
      if (session.body) {
        const body = session.body;
        const wanted = body.bytes.length - body.filled;
        if (wanted > 0) {
          const copied = chunk.copy(body.bytes, body.filled, at, at + wanted);
          body.filled += copied;
          at += copied;
          if (body.filled < body.bytes.length) break;
        }
        if (at >= chunk.length) break; // the blob's closing newline comes with the next chunk
        at += 1; // its closing newline
        session.body = undefined;
        session.pending.shift();
        if (body.type === 'blob') head.resolve(body.bytes);
        else
          head.reject(
            new GitError(['cat-file', 'blob', head.oid], `${head.oid} is a ${body.type}, not a blob`),
          );
        continue;
      }
      const newline = chunk.indexOf(10, at);
      if (newline < 0) {
        session.buffer = Buffer.concat([session.buffer, chunk.subarray(at)]);
        break;
      }
      const header = Buffer.concat([session.buffer, chunk.subarray(at, newline)]).toString('utf8');
      session.buffer = Buffer.alloc(0);
      at = newline + 1;
      const [, type, size] = header.split(' ');
      if (type === undefined || type === 'missing' || size === undefined) {
        session.pending.shift();
        head.reject(new GitError(['cat-file', 'blob', head.oid], `${head.oid} is missing`));
        continue;
      }
      session.body = { bytes: Buffer.allocUnsafe(Number(size)), filled: 0, type };
    }
    if (!session.pending.length) hold(session, false);
    if (!session.pending.length && this.session === session) {
      this.idle = setTimeout(() => this.close(), BATCH_IDLE_MS);
      this.idle.unref();
    }
  }
}

/** Whether a batch process (and its pipes) keeps Node's event loop alive: only while it owes a read. */
function hold(session: BatchSession, alive: boolean): void {
  const { child } = session;
  for (const handle of [child, child.stdin, child.stdout, child.stderr] as unknown as {
    ref?: () => void;
    unref?: () => void;
  }[])
    if (alive) handle.ref?.();
    else handle.unref?.();
}
