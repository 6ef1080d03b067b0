import childProcess, { type ChildProcess, type ExecFileException } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GitBlobReader, gitText } from '../../src/io/git.js';
import { unrelayed } from './git-relay.js';
import { TempRegistry } from './registry.js';

type Result = { error?: Record<string, unknown>; stdout: string; stderr: string };

// Megabytes compared as one string, not byte by byte (toEqual walks a Buffer's elements).
const comparable = (output: string | Buffer) =>
  Buffer.isBuffer(output) ? `bytes:${output.toString('base64')}` : `text:${output}`;

/** execFile's result, through the given function, with the error fields callers read. */
function execFileWith(
  execFile: typeof childProcess.execFile,
  args: string[],
  options: childProcess.ExecFileOptions & { encoding?: string },
  input?: string,
): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile('git', args, options, (error: ExecFileException | null, stdout, stderr) =>
      resolve({
        ...(error && {
          error: { code: error.code, killed: error.killed, signal: error.signal, message: error.message },
        }),
        stdout: comparable(stdout),
        stderr: comparable(stderr),
      }),
    );
    if (input === undefined) return;
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
  });
}

const parentOf = (pid: number) =>
  Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);

function started(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid!));
    child.once('error', reject);
  });
}

const closed = (child: ChildProcess) =>
  new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (code, signal) => resolve([code, signal])),
  );

describe("the code under test's git, run by the worker's relay", () => {
  it('is not a child of the worker, and reads what src/io/git.ts reads', async () => {
    const registry = TempRegistry.create();
    registry.write('weights.bin', Buffer.from([0, 1, 2, 255, 10, 13]));
    const commit = registry.commit('binary');
    const child = childProcess.spawn('git', ['cat-file', '--batch'], { cwd: registry.root });
    expect(parentOf(await started(child))).not.toBe(process.pid);
    child.kill();
    // Killed as Node's own child is: no exit code, the signal.
    expect(await closed(child)).toEqual([null, 'SIGTERM']);

    const oid = (await gitText(registry.root, ['rev-parse', `${commit}:weights.bin`])).trim();
    const reader = new GitBlobReader(registry.root);
    expect(await reader.read(oid)).toEqual(Buffer.from([0, 1, 2, 255, 10, 13]));
    reader.close();
  });

  it("gives execFile's callback what Node's own execFile gives, case by case", async () => {
    const registry = TempRegistry.create();
    const big = Buffer.alloc(3 * 1024 * 1024, 'modelgate ');
    registry.write('big.txt', big);
    const commit = registry.commit('big');
    const fakeBin = mkdtempSync(join(tmpdir(), 'modelgate-relay-path-'));
    writeFileSync(join(fakeBin, 'git'), '#!/bin/sh\necho "fake git: $*"; echo to stderr >&2; exit 5\n');
    chmodSync(join(fakeBin, 'git'), 0o755);
    const cwd = registry.root;
    const cases: [string[], childProcess.ExecFileOptions & { encoding?: string }, string?][] = [
      [['cat-file', 'blob', `${commit}:big.txt`], { cwd, encoding: 'buffer', maxBuffer: 1024 ** 3 }],
      [['rev-parse', '--verify', 'refs/heads/no-such-branch'], { cwd, encoding: 'buffer' }],
      [['hash-object', '--stdin'], { cwd, encoding: 'buffer' }, 'some input\n'],
      [['log', '--format=%s'], { cwd }],
      [['status'], { cwd: join(cwd, 'no-such-folder'), encoding: 'buffer' }],
      [['cat-file', 'blob', `${commit}:big.txt`], { cwd, encoding: 'buffer', maxBuffer: 1000 }],
      [['anything'], { cwd, env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` } }],
    ];
    for (const [args, options, input] of cases) {
      const relayed = await execFileWith(childProcess.execFile, args, options, input);
      const own = await execFileWith(unrelayed.execFile, args, options, input);
      if (own.error?.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
        // Both stop at the cap; how much either kept before is a matter of chunking.
        expect(relayed.error).toMatchObject({ code: own.error.code, message: own.error.message });
        continue;
      }
      expect({ args, ...relayed }).toEqual({ args, ...own });
    }
  });

  it('keeps promisify(execFile) resolving { stdout, stderr }, relayed or not', async () => {
    const registry = TempRegistry.create();
    const run = promisify(childProcess.execFile);
    expect(await run('git', ['rev-parse', '--is-inside-work-tree'], { cwd: registry.root })).toEqual({
      stdout: 'true\n',
      stderr: '',
    });
    expect(await run('sh', ['-c', 'echo out; echo err >&2'])).toEqual({ stdout: 'out\n', stderr: 'err\n' });
    await expect(run('git', ['no-such-command'], { cwd: registry.root })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("'no-such-command' is not a git command"),
    });
  });

  it('throws in the caller, as Node does, for a call Node refuses outright, and the relay keeps running', async () => {
    const registry = TempRegistry.create();
    const refusal = (execFile: typeof childProcess.execFile, args: string[]) => {
      try {
        execFile('git', args, { cwd: registry.root }, () => undefined);
        return undefined;
      } catch (error) {
        return { name: (error as Error).name, code: (error as NodeJS.ErrnoException).code };
      }
    };
    const tooLong = Array.from({ length: 600 }, (_, i) => `refs/tags/${String(i).padStart(4096, 'x')}`);
    for (const args of [
      ['rev-parse', 'a\0b'],
      ['for-each-ref', ...tooLong],
    ]) {
      const own = refusal(unrelayed.execFile, args);
      expect(own).toBeDefined();
      expect(refusal(childProcess.execFile, args)).toEqual(own);
    }
    const child = childProcess.spawn('git', ['cat-file', '--batch'], { cwd: registry.root });
    expect(parentOf(await started(child))).not.toBe(process.pid);
    child.kill();
    await closed(child);
  });

  it("leaves every other command, and git with other options, to Node's own spawn", async () => {
    const parent = async (file: string, args: string[], options: childProcess.SpawnOptions) => {
      const child = childProcess.spawn(file, args, options);
      const pid = await started(child);
      const ppid = parentOf(pid);
      child.kill();
      await closed(child);
      return ppid;
    };
    expect(await parent('sleep', ['5'], {})).toBe(process.pid);
    expect(await parent('git', ['cat-file', '--batch'], { stdio: 'inherit' })).toBe(process.pid);
    expect(await parent('git', ['cat-file', '--batch'], { detached: true })).toBe(process.pid);
    expect(await parent('git', ['cat-file', '--batch'], {})).not.toBe(process.pid);
  });
});
