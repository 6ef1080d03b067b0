/**
 * The other end of git-relay.ts: a small Node process that starts the git
 * commands a vitest worker asks for over the IPC channel, and sends back
 * their output and how they ended, event by event, in the order git's
 * ChildProcess emitted them. Run by node itself (type stripping): it imports
 * nothing but Node.
 */
import { spawn, type ChildProcess } from 'node:child_process';

type Request =
  | ['spawn', number, string, string[], { cwd?: string; env: NodeJS.ProcessEnv; stdin: 'pipe' | 'ignore' }]
  | ['stdin', number, Uint8Array]
  | ['end', number]
  | ['kill', number, NodeJS.Signals | number];

const children = new Map<number, ChildProcess>();
const send = (message: unknown[]) => process.send?.(message);

process.on('message', (request: Request) => {
  switch (request[0]) {
    case 'spawn': {
      const [, id, file, args, options] = request;
      let child: ChildProcess;
      try {
        child = spawn(file, args, {
          cwd: options.cwd,
          env: options.env,
          stdio: [options.stdin, 'pipe', 'pipe'],
        });
      } catch (error) {
        // A call Node refuses outright (the worker sends none it knows of): that call fails, the relay stays.
        const { message, code } = error as NodeJS.ErrnoException;
        send(['error', id, { message, code }]);
        send(['close', id, null, null]);
        break;
      }
      children.set(id, child);
      child.on('spawn', () => send(['spawn', id, child.pid]));
      child.on('error', (error: NodeJS.ErrnoException & { spawnargs?: string[] }) =>
        send([
          'error',
          id,
          {
            message: error.message,
            code: error.code,
            errno: error.errno,
            syscall: error.syscall,
            path: error.path,
            spawnargs: error.spawnargs,
          },
        ]),
      );
      child.stdout?.on('data', (chunk: Buffer) => send(['stdout', id, chunk]));
      child.stderr?.on('data', (chunk: Buffer) => send(['stderr', id, chunk]));
      // A write after git exited: the worker's side already dropped it, as its own handlers would.
      child.stdin?.on('error', () => undefined);
      child.on('close', (code, signal) => {
        children.delete(id);
        send(['close', id, code, signal]);
      });
      break;
    }
    case 'stdin':
      children.get(request[1])?.stdin?.write(request[2]);
      break;
    case 'end':
      children.get(request[1])?.stdin?.end();
      break;
    case 'kill':
      children.get(request[1])?.kill(request[2]);
      break;
  }
});

// The worker is gone: so is everything it started.
process.on('disconnect', () => {
  for (const child of children.values()) child.kill();
  process.exit(0);
});
