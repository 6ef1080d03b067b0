import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's nginx (apt-get install nginx-light): the binary a VM runs. */
const NGINX = '/usr/sbin/nginx';
/** How long nginx may take to start, reload or drain before the test fails with its error log. */
const NGINX_WAIT_MS = 10_000;
/** The poll interval while waiting for nginx: a bound on the wait, not a sleep the test relies on. */
const POLL_MS = 10;

/** A free TCP port on 127.0.0.1 (the kernel's choice, released at once for a server to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A running nginx master started by a test, with its own prefix, pid file and error log. */
export interface RunningNginx {
  /** The master's pid. */
  pid: number;
  /** What a workflow's "reload-command" would be for this nginx: check the configuration, then reload. */
  reloadCommand: string;
  /** The pids of the current worker processes (the master's children). */
  workers(): number[];
  /** Waits until every worker in `before` has exited and a new one serves: a reload took effect. */
  reloaded(before: readonly number[]): Promise<void>;
  /** Waits until no client connection is open: every request, mirrored subrequests included, is finished. */
  drained(): Promise<void>;
  /** The error log so far (startup, reload and proxy errors). */
  errorLog(): string;
  stop(): Promise<void>;
}

/** The parent pid of a process, from /proc (undefined once it has exited). */
function parentOf(pid: string): number | undefined {
  try {
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

async function until(what: string, ready: () => boolean | Promise<boolean>, log: () => string) {
  const deadline = Date.now() + NGINX_WAIT_MS;
  while (Date.now() < deadline) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`nginx: ${what} within ${NGINX_WAIT_MS / 1000} s; error log:\n${log()}`);
}

/**
 * Starts nginx in the foreground (`daemon off`) on 127.0.0.1 with a temp
 * prefix, `include`-ing `includeGlob` in its `http {}` block, as a VM's
 * nginx.conf includes modelgate's file. A glob, so nginx starts before the
 * first deployment wrote anything. A status server on a free port
 * (stub_status) tells when nginx is up and when every connection is closed.
 * A missing binary fails the test: the test command installs nginx-light.
 */
export async function startNginx(includeGlob: string, options: { workers?: number } = {}) {
  const prefix = mkdtempSync(join(tmpdir(), 'modelgate-nginx-'));
  const conf = join(prefix, 'nginx.conf');
  const errorLogPath = join(prefix, 'error.log');
  const statusPort = await freePort();
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, temp));
  writeFileSync(
    conf,
    [
      `worker_processes ${options.workers ?? 1};`,
      `pid ${prefix}/nginx.pid;`,
      `error_log ${errorLogPath} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '    access_log off;',
      ...['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (t) => `    ${t === 'body' ? 'client_body' : t}_temp_path ${prefix}/${t};`,
      ),
      '    server {',
      `        listen 127.0.0.1:${statusPort};`,
      '        location = /status { stub_status; }',
      '    }',
      `    include ${includeGlob};`,
      '}',
      '',
    ].join('\n'),
  );
  const flags = ['-p', prefix, '-c', conf, '-e', errorLogPath];
  const child: ChildProcess = spawn(NGINX, [...flags, '-g', 'daemon off;'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const errorLog = () => (existsSync(errorLogPath) ? readFileSync(errorLogPath, 'utf8') : '');
  const status = async () => {
    const response = await fetch(`http://127.0.0.1:${statusPort}/status`, {
      headers: { connection: 'close' },
    });
    return response.text();
  };
  const workers = () =>
    readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry) && parentOf(entry) === child.pid)
      .map(Number);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  const command = [NGINX, ...flags].map((arg) => `'${arg}'`).join(' ');
  const nginx: RunningNginx = {
    pid: child.pid!,
    reloadCommand: `${command} -t -q && ${command} -s reload`,
    workers,
    async reloaded(before) {
      await until(
        'the reload did not replace the workers',
        () => {
          const now = workers();
          return now.length > 0 && now.every((pid) => !before.includes(pid));
        },
        errorLog,
      );
    },
    async drained() {
      // The status request itself is the one active connection left.
      await until(
        'connections stayed open',
        async () => /^Active connections: 1\s/.test(await status()),
        errorLog,
      );
    },
    errorLog,
    stop,
  };
  try {
    await until(
      'did not start',
      async () => {
        if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}:\n${errorLog()}`);
        return status().then(
          () => workers().length > 0,
          () => false,
        );
      },
      errorLog,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return nginx;
}
