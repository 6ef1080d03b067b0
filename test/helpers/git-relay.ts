/**
 * Runs the git commands of the code under test (src/io/git.ts: execFile and
 * spawn of `git`) from one small Node process per vitest worker instead of
 * forking the worker. A fork costs time in proportion to the forking
 * process's memory: on the 2-core VMs CI runs on, a worker of 300-500 MB
 * (isolate: false) paid 15-30 ms of system time for each of the suite's
 * ~2,500 git commands, where the relay pays about 2 ms. Measured on the whole
 * suite: 139-145 s -> 123 s of wall time, 66-80 s -> 45 s of system time.
 *
 * installGitRelay() replaces node:child_process's spawn and execFile for the
 * worker (syncBuiltinESMExports updates the sources' imports): a call to run
 * `git` with the options src/io/git.ts uses goes to the relay
 * (git-relay-server.ts), which starts git and sends back each event; any other
 * call, or one with other options, goes to Node's own function. The relayed
 * child is a ChildProcess to its caller: the same events in the same order
 * ('spawn', 'error', 'close'), stdin, stdout and stderr streams, kill, ref and
 * unref. git-relay.test.ts holds it to Node's behaviour.
 */
import childProcess, { type ChildProcess, type ExecFileException } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';

const SERVER = join(import.meta.dirname, 'git-relay-server.ts');
const OPTIONS = new Set(['cwd', 'env', 'encoding', 'maxBuffer', 'stdio']);
// execFile's default, as Node documents it.
const DEFAULT_MAX_BUFFER = 1024 * 1024;

/** Node's own functions, as they were before installGitRelay. */
export const unrelayed = { spawn: childProcess.spawn, execFile: childProcess.execFile };

interface RelayOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  encoding?: string;
  maxBuffer?: number;
  stdio?: unknown;
}

type Event =
  | ['spawn', number, number]
  | ['error', number, Partial<NodeJS.ErrnoException>]
  | ['stdout' | 'stderr', number, Uint8Array]
  | ['close', number, number | null, NodeJS.Signals | null];

/** A git process the relay runs, seen from the worker as a ChildProcess. */
class RelayedChild extends EventEmitter {
  pid: number | undefined;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  killed = false;
  readonly stdin: Writable | null;
  readonly stdout = new Readable({ read: () => undefined });
  readonly stderr = new Readable({ read: () => undefined });
  private referenced = true;
  private ended = false;

  constructor(
    private readonly relay: Relay,
    readonly id: number,
    stdin: 'pipe' | 'ignore',
  ) {
    super();
    this.stdin =
      stdin === 'ignore'
        ? null
        : new Writable({
            write: (chunk: Buffer, _encoding, done) => {
              if (!this.ended) relay.send(['stdin', id, chunk]);
              done();
            },
            final: (done) => {
              if (!this.ended) relay.send(['end', id]);
              done();
            },
          });
  }

  kill(signal: NodeJS.Signals | number = 'SIGTERM'): boolean {
    if (this.ended) return false;
    this.killed = true;
    this.relay.send(['kill', this.id, signal]);
    return true;
  }

  ref(): void {
    if (this.referenced || this.ended) return;
    this.referenced = true;
    this.relay.hold(1);
  }

  unref(): void {
    if (!this.referenced || this.ended) return;
    this.referenced = false;
    this.relay.hold(-1);
  }

  /** One event the relay sent for this process. */
  take(event: Event): void {
    switch (event[0]) {
      case 'spawn':
        this.pid = event[2];
        this.emit('spawn');
        break;
      case 'error':
        this.emit('error', Object.assign(new Error(event[2].message), event[2]));
        break;
      case 'stdout':
      case 'stderr': {
        const bytes = event[2];
        this[event[0]].push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        break;
      }
      case 'close':
        this.end(event[2], event[3]);
        break;
    }
  }

  /**
   * Ends the process as Node does: its output streams end, then 'exit' (only
   * if it started: a spawn that failed emits 'error' and 'close') and 'close'.
   */
  end(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.ended) return;
    if (this.referenced) this.relay.hold(-1);
    this.ended = true;
    this.exitCode = code;
    this.signalCode = signal;
    this.stdout.push(null);
    this.stderr.push(null);
    // After the streams' 'end' (emitted on a later tick), as Node's 'close' follows its streams'.
    setImmediate(() => {
      if (this.pid !== undefined) this.emit('exit', code, signal);
      this.emit('close', code, signal);
    });
  }
}

/** The relay process of this worker and the git processes it runs for it. */
class Relay {
  private readonly server: ChildProcess;
  private readonly children = new Map<number, RelayedChild>();
  private serial = 0;
  private held = 0;

  constructor(onExit: () => void) {
    this.server = unrelayed.spawn(process.execPath, [SERVER], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.server.unref();
    this.server.channel?.unref();
    this.server.on('message', (event: Event) => this.children.get(event[1])?.take(event));
    // A relay that dies ends what it was running (as a killed process), and the next call starts another.
    this.server.on('exit', () => {
      onExit();
      for (const child of this.children.values()) child.end(null, 'SIGKILL');
      this.children.clear();
    });
  }

  spawn(file: string, args: readonly string[], options: RelayOptions): RelayedChild {
    const stdin = Array.isArray(options.stdio) && options.stdio[0] === 'ignore' ? 'ignore' : 'pipe';
    const child = new RelayedChild(this, ++this.serial, stdin);
    this.children.set(child.id, child);
    child.once('close', () => this.children.delete(child.id));
    this.hold(1);
    const env = Object.fromEntries(
      Object.entries(options.env ?? process.env).filter(([, value]) => value !== undefined),
    );
    this.send(['spawn', child.id, file, [...args], { cwd: options.cwd, env, stdin }]);
    return child;
  }

  send(message: unknown[]): void {
    this.server.send(message);
  }

  /** The channel keeps the worker alive while a referenced git process runs, as the process itself would. */
  hold(change: number): void {
    this.held += change;
    if (this.held > 0) this.server.channel?.ref();
    else this.server.channel?.unref();
  }
}

let relay: Relay | undefined;
const theRelay = () => (relay ??= new Relay(() => (relay = undefined)));

/**
 * Whether a call to run `file` is one the relay runs: git, with options
 * src/io/git.ts uses, and nothing Node's own function would refuse in the
 * caller (a NUL byte, arguments past the kernel's limit): those go to Node,
 * so they throw where they would without the relay.
 */
function relayable(file: unknown, args: unknown, options: unknown): options is RelayOptions | undefined {
  if (file !== 'git' || !Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) return false;
  if (!plainWords(args)) return false;
  if (options === undefined) return true;
  if (typeof options !== 'object' || options === null) return false;
  const { stdio, encoding, cwd, env } = options as RelayOptions;
  if (!Object.keys(options).every((key) => OPTIONS.has(key))) return false;
  if (encoding !== undefined && encoding !== 'buffer' && encoding !== 'utf8') return false;
  if (cwd !== undefined && (typeof cwd !== 'string' || !plainWords([cwd]))) return false;
  if (
    env !== undefined &&
    !plainWords(
      Object.entries(env)
        .flat()
        .filter((word) => word !== undefined),
    )
  )
    return false;
  return (
    stdio === undefined ||
    stdio === 'pipe' ||
    (Array.isArray(stdio) &&
      stdio.length === 3 &&
      (stdio[0] === 'pipe' || stdio[0] === 'ignore') &&
      stdio[1] === 'pipe' &&
      stdio[2] === 'pipe')
  );
}

// Well under the kernel's limit on a command line with its environment (ARG_MAX, 2 MiB here).
const MAX_RELAYED_BYTES = 1024 * 1024;

/** Strings with no NUL byte, together well under the kernel's limit. */
function plainWords(words: readonly unknown[]): boolean {
  let bytes = 0;
  for (const word of words) {
    if (typeof word !== 'string' || word.includes('\0')) return false;
    bytes += Buffer.byteLength(word) + 1;
  }
  return bytes < MAX_RELAYED_BYTES;
}

type ExecFileCallback = (
  error: ExecFileException | null,
  stdout: string | Buffer,
  stderr: string | Buffer,
) => void;

/** execFile over a relayed child: output collected up to maxBuffer, the error Node would give. */
function relayedExecFile(
  file: string,
  args: readonly string[],
  options: RelayOptions,
  callback: ExecFileCallback,
): RelayedChild {
  const child = theRelay().spawn(file, args, options);
  const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER;
  const output = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  let length = 0;
  let failure: ExecFileException | undefined;
  let done = false;
  const text = (chunks: Buffer[]) => {
    const bytes = Buffer.concat(chunks);
    return options.encoding === 'buffer' ? bytes : bytes.toString('utf8');
  };
  const finish = (code: number | null, signal: NodeJS.Signals | null) => {
    if (done) return;
    done = true;
    const stdout = text(output.stdout);
    const stderr = text(output.stderr);
    if (!failure && code === 0 && signal === null) return callback(null, stdout, stderr);
    const command = [file, ...args].join(' ');
    // Node's own error says signal: null when there was none, whatever @types/node says.
    const error =
      failure ??
      (Object.assign(new Error(`Command failed: ${command}\n${stderr.toString()}`), {
        code,
        killed: child.killed,
        signal,
        cmd: command,
      }) as unknown as ExecFileException);
    callback(error, stdout, stderr);
  };
  for (const stream of ['stdout', 'stderr'] as const)
    child[stream].on('data', (chunk: Buffer) => {
      if (failure) return;
      length += chunk.length;
      if (length > maxBuffer) {
        failure = Object.assign(new RangeError(`${stream} maxBuffer length exceeded`), {
          code: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER',
        }) as ExecFileException;
        child.kill();
      } else output[stream].push(chunk);
    });
  child.on('error', (error: ExecFileException) => {
    failure = error;
    finish(null, null);
  });
  child.on('close', finish);
  return child;
}

let installed = false;

/** Sends this worker's git commands through the relay (once per worker; later calls do nothing). */
export function installGitRelay(): void {
  if (installed) return;
  installed = true;
  const spawn = function (this: unknown, ...call: unknown[]) {
    const [file, args, options] = call;
    if (relayable(file, args, options))
      return theRelay().spawn(file as string, args as string[], options ?? {});
    return Reflect.apply(unrelayed.spawn, this, call) as ChildProcess;
  };
  const execFile = function (this: unknown, ...call: unknown[]) {
    const callback = call.at(-1);
    const [file, args, options] = call.length === 4 ? call : [call[0], call[1], undefined];
    if (
      typeof callback === 'function' &&
      (call.length === 3 || call.length === 4) &&
      relayable(file, args, options)
    )
      return relayedExecFile(file as string, args as string[], options ?? {}, callback as ExecFileCallback);
    return Reflect.apply(unrelayed.execFile, this, call) as ChildProcess;
  };
  // promisify(execFile) resolves { stdout, stderr }, as Node's own does.
  Object.defineProperty(execFile, promisify.custom, {
    value: (...call: unknown[]) =>
      new Promise((resolve, reject) => {
        execFile(
          ...call,
          (error: ExecFileException | null, stdout: string | Buffer, stderr: string | Buffer) =>
            error ? reject(Object.assign(error, { stdout, stderr })) : resolve({ stdout, stderr }),
        );
      }),
  });
  Object.assign(childProcess, { spawn, execFile });
  syncBuiltinESMExports();
}
