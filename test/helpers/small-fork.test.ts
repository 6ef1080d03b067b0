import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, runOk, RunError, shellProcessId } from './small-fork.js';

describe('commands run from the small shell', () => {
  it('get their arguments, input and working folder exactly as execFileSync gives them', () => {
    const args = ["it's", 'a "quoted" $HOME `date` \\ word', 'two\nlines', '', '-n'];
    const printed = runOk('node', [
      '-e',
      'process.stdout.write(JSON.stringify(process.argv.slice(1)))',
      ...args,
    ]);
    expect(JSON.parse(printed.toString('utf8'))).toEqual(args);
    expect(runOk('cat', [], { input: Buffer.from([0, 1, 2, 255]) })).toEqual(Buffer.from([0, 1, 2, 255]));
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'modelgate-small-fork-')));
    expect(runOk('pwd', [], { cwd: dir }).toString('utf8')).toBe(`${dir}\n`);
  });

  it('see the environment the worker has now, with the overrides given', () => {
    process.env.MODELGATE_SMALL_FORK_PROBE = "set 'later'";
    try {
      const env = (name: string, options = {}) =>
        runOk('sh', ['-c', `printf %s "\${${name}-unset}"`], options).toString('utf8');
      expect(env('MODELGATE_SMALL_FORK_PROBE')).toBe("set 'later'");
      expect(env('MODELGATE_SMALL_FORK_PROBE', { env: { MODELGATE_SMALL_FORK_PROBE: undefined } })).toBe(
        'unset',
      );
      expect(env('GIT_COMMITTER_DATE', { env: { GIT_COMMITTER_DATE: '1700000000 +0000' } })).toBe(
        '1700000000 +0000',
      );
    } finally {
      delete process.env.MODELGATE_SMALL_FORK_PROBE;
    }
    expect(runOk('sh', ['-c', 'printf %s "${MODELGATE_SMALL_FORK_PROBE-unset}"']).toString('utf8')).toBe(
      'unset',
    );
  });

  it('report a failure with its status and stderr, and a program that does not exist', () => {
    expect(run('sh', ['-c', 'echo out; echo err >&2; exit 3'])).toEqual({
      status: 3,
      stdout: Buffer.from('out\n'),
      stderr: Buffer.from('err\n'),
    });
    expect(() => runOk('git', ['no-such-command'])).toThrow(RunError);
    expect(run('modelgate-no-such-program', []).status).toBe(127);
  });

  it('come from one shell, which ends with the process that started it', () => {
    runOk('true', []);
    const pid = shellProcessId();
    runOk('true', []);
    expect(shellProcessId()).toBe(pid);
    // A process of its own (Node strips the helper's types), exiting without any cleanup of its own.
    const script = `const { runOk, shellProcessId } = await import(${JSON.stringify(join(import.meta.dirname, 'small-fork.ts'))}); runOk('true', []); console.log(shellProcessId()); process.reallyExit(0);`;
    const child = Number(
      execFileSync(
        process.execPath,
        ['--experimental-transform-types', '--no-warnings', '--input-type=module', '-e', script],
        {
          encoding: 'utf8',
        },
      ),
    );
    expect(child).toBeGreaterThan(0);
    const gone = Date.now() + 5_000;
    while (existsSync(`/proc/${child}`) && Date.now() < gone)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    expect(existsSync(`/proc/${child}`)).toBe(false);
  });
});
