/**
 * Runs the tests' own commands (git for a registry, git show for the fake
 * GitHub, promtool) from one small long-lived bash per vitest worker, not by
 * forking the worker. On the 2-core VMs CI runs on, a fork costs time in
 * proportion to the forking process's memory: 3 ms from a 50 MB process, 25-40
 * ms from a vitest worker (300-500 MB, isolate: false), and the suite forks
 * about 3,000 times. bash forks in about a millisecond.
 *
 * Synchronous, like execFileSync: the worker writes a script per command,
 * names it on a FIFO the shell reads, and waits for the exit status file. The
 * shell exits when the worker does (the worker holds the FIFO's only writer),
 * and a shell that died is reported, not waited on.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { constants, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunOptions {
  cwd?: string;
  /** Variables set (or, with undefined, unset) for the command on top of the worker's environment. */
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
}

export interface RunResult {
  status: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** A command that exited non-zero: its status and stderr, as execFileSync's error carries them. */
export class RunError extends Error {
  constructor(
    readonly command: readonly string[],
    readonly status: number,
    readonly stdout: Buffer,
    readonly stderr: Buffer,
  ) {
    super(`${command.join(' ')} exited ${status}: ${stderr.toString('utf8').trim() || 'no message'}`);
    this.name = 'RunError';
  }
}

/** How long one command may run before the worker stops waiting: longer than any test's own timeout. */
const COMMAND_TIMEOUT_MS = 120_000;

// The loop reads one script path per line from fd 3, the FIFO, runs it in a subshell and writes its
// status (builtins only: each external command would be one more fork). The worker holds the FIFO
// open for writing for its whole life, so the loop ends, at end-of-file, when the worker does.
const LOOP = `
exec 3<"$1"
while IFS= read -r script <&3; do
  ( . "$script" ) 3<&-
  echo "$?" > "$script.status"
done
`;

interface Shell {
  child: ChildProcess;
  /** The worker's environment when the shell started: the shell's own. */
  env: Readonly<Record<string, string | undefined>>;
  dir: string;
  requests: number;
  serial: number;
}

let shell: Shell | undefined;

/** Runs `file` with `args` and returns its status and output, whatever the status. */
export function run(file: string, args: readonly string[], options: RunOptions = {}): RunResult {
  const session = (shell ??= startShell());
  const script = join(session.dir, `${++session.serial}.sh`);
  const input = options.input === undefined ? '/dev/null' : `${script}.in`;
  if (options.input !== undefined) writeFileSync(input, options.input);
  const env = { ...changedSince(session.env), ...options.env };
  const lines = [
    `cd -- ${quote(options.cwd ?? process.cwd())} || exit 126`,
    ...Object.entries(env).map(([name, value]) =>
      value === undefined ? `unset ${checkedName(name)}` : `export ${checkedName(name)}=${quote(value)}`,
    ),
    `exec ${[file, ...args].map(quote).join(' ')} <${quote(input)} >${quote(`${script}.out`)} 2>${quote(`${script}.err`)}`,
  ];
  writeFileSync(script, `${lines.join('\n')}\n`);
  writeSync(session.requests, `${script}\n`);
  const status = Number(waitForStatus(`${script}.status`, session));
  const result = {
    status,
    stdout: readIfThere(`${script}.out`),
    stderr: readIfThere(`${script}.err`),
  };
  for (const suffix of ['', '.in', '.out', '.err', '.status']) rmSync(`${script}${suffix}`, { force: true });
  return result;
}

/** The shell's process id, once a command has started it. */
export function shellProcessId(): number | undefined {
  return shell?.child.pid;
}

/** Runs `file` and returns its stdout; a non-zero status throws RunError. */
export function runOk(file: string, args: readonly string[], options: RunOptions = {}): Buffer {
  const result = run(file, args, options);
  if (result.status !== 0) throw new RunError([file, ...args], result.status, result.stdout, result.stderr);
  return result.stdout;
}

function startShell(): Shell {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-shell-'));
  const fifo = join(dir, 'requests');
  // Node has no mkfifo: one fork of the worker, once per worker.
  if (spawnSync('mkfifo', ['-m', '600', fifo]).status !== 0) throw new Error(`mkfifo ${fifo} failed`);
  // Opened read-write, which never blocks on Linux, so the shell's open for reading does not wait either.
  const requests = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  const child = spawn('bash', ['--noprofile', '--norc', '-c', LOOP, 'small-fork', fifo], { stdio: 'ignore' });
  child.unref();
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return { child, env: { ...process.env }, dir, requests, serial: 0 };
}

/**
 * What the worker's environment changed since the shell started (a test may
 * set a variable for a while), so that a command sees the environment
 * execFileSync would give it. Names bash cannot export are left as they were.
 */
function changedSince(
  start: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const changed: Record<string, string | undefined> = {};
  for (const name of new Set([...Object.keys(start), ...Object.keys(process.env)])) {
    if (process.env[name] !== start[name] && ENV_NAME.test(name)) changed[name] = process.env[name];
  }
  return changed;
}

/** Waits for the status line in `path`, backing off from 0.1 ms to 2 ms; a dead shell or a timeout throws. */
function waitForStatus(path: string, session: Shell): string {
  const started = Date.now();
  let pause = 0.1;
  for (let polls = 0; ; polls++) {
    const written = readIfThere(path).toString('utf8');
    if (written.endsWith('\n')) return written.trim();
    if (polls % 64 === 63) {
      if (!alive(session.child.pid)) {
        shell = undefined;
        throw new Error(`the test shell (pid ${session.child.pid}) died; its last command never finished`);
      }
      if (Date.now() - started > COMMAND_TIMEOUT_MS)
        throw new Error(`a command run through the test shell took more than ${COMMAND_TIMEOUT_MS / 1000} s`);
    }
    sleep(pause);
    pause = Math.min(pause * 2, 2);
  }
}

/** Whether the process runs: a zombie (dead, not yet reaped: the worker is blocked) counts as dead. */
function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function readIfThere(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    return Buffer.alloc(0);
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

/** A word bash reads back unchanged: single quotes, each ' written as '\''. */
function quote(word: string): string {
  if (word.includes('\0')) throw new Error('a command argument cannot hold a NUL byte');
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkedName(name: string): string {
  if (!ENV_NAME.test(name)) throw new Error(`${name} is not an environment variable name`);
  return name;
}
