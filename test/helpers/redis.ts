import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real Redis (Debian's redis-server) on 127.0.0.1, in a temporary folder, persisting nothing. */
export interface RunningRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether a server on `port` answers PING (+PONG, or -NOAUTH when it wants a password: ready all the same). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}

/**
 * Starts /usr/bin/redis-server (a missing binary fails the test: scripts/test.sh
 * installs it, and CI must not skip real-server tests silently) on a random
 * free port, with no RDB or AOF file, and waits until it answers PING.
 * `requirePass` starts it with a password (then in the URL).
 */
export async function startRedis(options: { requirePass?: string } = {}): Promise<RunningRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-redis-'));
  const port = await freePort();
  const args = [
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
  if (options.requirePass) args.push('--requirepass', options.requirePass);
  const child: ChildProcess = spawn('/usr/bin/redis-server', args, { stdio: 'ignore' });
  let spawnError: Error | undefined;
  child.on('error', (error) => (spawnError = error));
  const auth = options.requirePass ? `:${encodeURIComponent(options.requirePass)}@` : '';
  const url = `redis://${auth}127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !spawnError && child.exitCode === null) {
    if (await answersPing(port)) return { url, port, stop };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await stop();
  throw new Error(
    `redis-server did not answer on 127.0.0.1:${port}${spawnError ? `: ${spawnError.message}` : ''}`,
  );
}
