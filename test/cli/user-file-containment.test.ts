import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, truncateSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readUserFile } from '../../src/cli/user-file.js';
import { runCli } from '../helpers/cli.js';
import { temporaryFolder, TempRegistry } from '../helpers/registry.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'registry');
const RECORDING = 'canary/support-bot-1.3.0.json';
const PAIRS = 'shadow/support-bot-1.3.0.pairs.jsonl';

/** The example registry in a temporary folder: the committed recordings a workflow passes on the command line. */
function exampleRegistry(): TempRegistry {
  const registry = TempRegistry.create();
  cpSync(EXAMPLES, registry.root, { recursive: true });
  return registry;
}

/** A FIFO (mkfifo): opening it for reading without O_NONBLOCK waits for a writer that never comes. */
function fifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/** `canary analyze` on `file`, as a workflow runs it from the registry root. */
const canaryAnalyze = (registry: TempRegistry, file: string) =>
  runCli('canary', 'analyze', '--root', registry.root, '--metrics', file);

const OUT_OF_REPOSITORY_FIX = (root: string) =>
  `  fix: Pass the file itself: a file under --root ${root} is read only where it stays inside the repository (no symlink out of it, nothing in .git/).\n`;

describe('a file named on the command line, under --root, is read under the containment rule', () => {
  it('a committed recording replaced by a symlink to /dev/zero is refused at once, exit 2, no stack trace', async () => {
    const registry = exampleRegistry();
    registry.symlink(RECORDING, '/dev/zero');
    const { code, stdout, stderr } = await canaryAnalyze(registry, join(registry.root, RECORDING));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `modelgate: --metrics ${registry.root}/${RECORDING} cannot be used: it is a symlink to /dev/zero, outside the repository\n` +
        OUT_OF_REPOSITORY_FIX(registry.root),
    );
  });

  it('a symlink to /proc/self/environ is refused without a byte of the environment in the message', async () => {
    const registry = exampleRegistry();
    registry.symlink(RECORDING, '/proc/self/environ');
    const { code, stderr } = await canaryAnalyze(registry, join(registry.root, RECORDING));
    expect(code).toBe(2);
    expect(stderr).toContain('cannot be used: it is a symlink to /proc/self/environ, outside the repository');
    const environment = readFileSync('/proc/self/environ', 'latin1');
    expect(stderr).not.toContain(environment.slice(0, 10));
  });

  it('a path relative to the current folder is refused the same way', async () => {
    const registry = exampleRegistry();
    registry.symlink(RECORDING, '/etc/passwd');
    const root = relative(process.cwd(), registry.root);
    const file = join(root, RECORDING);
    const { code, stderr } = await runCli('canary', 'analyze', '--root', root, '--metrics', file);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `modelgate: --metrics ${file} cannot be used: it is a symlink to /etc/passwd, outside the repository\n` +
        OUT_OF_REPOSITORY_FIX(registry.root),
    );
  });

  it('a symlink to another file of the repository is followed (and judged: the example goes bad)', async () => {
    const registry = exampleRegistry();
    registry.symlink('canary/latest.json', 'support-bot-1.3.0.json');
    const { code, stderr } = await canaryAnalyze(registry, join(registry.root, 'canary/latest.json'));
    expect(stderr).not.toContain('cannot be used');
    expect(code).toBe(1);
  });

  it('a FIFO or a file in .git/ under the root is refused without waiting or reading', async () => {
    const registry = exampleRegistry();
    fifo(join(registry.root, 'canary/pipe.json'));
    const piped = await canaryAnalyze(registry, join(registry.root, 'canary/pipe.json'));
    expect(piped.code).toBe(2);
    expect(piped.stderr).toBe(
      `modelgate: --metrics ${registry.root}/canary/pipe.json cannot be used: it is not a regular file (a FIFO, socket or device)\n` +
        '  fix: Pass a regular file.\n',
    );
    const git = await canaryAnalyze(registry, join(registry.root, '.git/config'));
    expect(git.code).toBe(2);
    expect(git.stderr).toMatch(/cannot be used: it resolves into \.git\/|cannot be used: .*\.git/);
  });

  it('every option that names a file: --baseline-results, --suites, --counts, --pairs, --policy', async () => {
    const registry = exampleRegistry();
    registry.symlink('evals/baseline.json', '/dev/zero');
    const gate = await runCli(
      'gate',
      '--root',
      registry.root,
      '--baseline-results',
      join(registry.root, 'evals/baseline.json'),
    );
    expect(gate.code).toBe(2);
    expect(gate.stderr).toMatch(
      /^modelgate: --baseline-results \S+ cannot be used: it is a symlink to \/dev\/zero/,
    );

    registry.symlink('blue-green/suite.json', '/dev/zero');
    const blueGreen = await runCli(
      'bluegreen',
      'analyze',
      '--root',
      registry.root,
      '--metrics',
      join(registry.root, 'blue-green/support-bot-1.3.0.json'),
      '--suites',
      join(registry.root, 'blue-green/suite.json'),
    );
    expect(blueGreen.code).toBe(2);
    expect(blueGreen.stderr).toMatch(
      /^modelgate: --suites \S+ cannot be used: it is a symlink to \/dev\/zero/,
    );

    registry.symlink('ab/support-bot-1.3.0.json', '/dev/zero');
    const ab = await runCli(
      'ab',
      'analyze',
      '--root',
      registry.root,
      '--counts',
      join(registry.root, 'ab/support-bot-1.3.0.json'),
    );
    expect(ab.code).toBe(2);
    expect(ab.stderr).toMatch(/^modelgate: --counts \S+ cannot be used: it is a symlink to \/dev\/zero/);

    registry.symlink(PAIRS, '/dev/zero');
    const shadow = await runCli(
      'shadow',
      'analyze',
      '--root',
      registry.root,
      '--pairs',
      join(registry.root, PAIRS),
    );
    expect(shadow.code).toBe(2);
    expect(shadow.stderr).toMatch(/^modelgate: --pairs \S+ cannot be used: it is a symlink to \/dev\/zero/);

    const policy = fifo(join(registry.root, 'policy.yaml'));
    const withPolicy = await runCli(
      'canary',
      'analyze',
      '--root',
      registry.root,
      '--metrics',
      join(registry.root, RECORDING),
      '--policy',
      policy,
    );
    expect(withPolicy.code).toBe(2);
    expect(withPolicy.stderr).toBe(
      `modelgate: --policy ${policy} cannot be used: it is not a regular file (a FIFO, socket or device)\n` +
        '  fix: Pass a regular file.\n',
    );
  });
});

describe('a file named on the command line, outside --root, is opened without blocking and read capped', () => {
  it('/dev/zero or a FIFO is refused as not a regular file, at once', async () => {
    const registry = exampleRegistry();
    const zero = await canaryAnalyze(registry, '/dev/zero');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe(
      'modelgate: --metrics /dev/zero cannot be used: it is not a regular file (a FIFO, socket or device)\n' +
        '  fix: Pass a regular file.\n',
    );
    const pipe = fifo(join(temporaryFolder('modelgate-fifo-'), 'metrics.json'));
    const piped = await runCli('gate', '--root', registry.root, '--baseline-results', pipe);
    expect(piped.code).toBe(2);
    expect(piped.stderr).toContain(`--baseline-results ${pipe} cannot be used: it is not a regular file`);
    const policy = fifo(join(temporaryFolder('modelgate-fifo-'), 'policy.yaml'));
    const withPolicy = await runCli(
      'canary',
      'analyze',
      '--root',
      registry.root,
      '--metrics',
      join(registry.root, RECORDING),
      '--policy',
      policy,
    );
    expect(withPolicy.code).toBe(2);
    expect(withPolicy.stderr).toContain(`--policy ${policy} cannot be used: it is not a regular file`);
  });

  it('a file that is not JSON is described by where the parser stopped, never quoted', async () => {
    // /proc/self/environ is a "regular file" of size 0 that holds the environment: the parser refuses it.
    const environ = await canaryAnalyze(exampleRegistry(), '/proc/self/environ');
    expect(environ.code).toBe(2);
    expect(environ.stderr).toBe(
      'modelgate: --metrics /proc/self/environ cannot be used: not valid JSON (a character that cannot start or continue a JSON value)\n' +
        '  fix: Write the file as JSON (a tool that writes JSON, or `python -m json.tool FILE` to find the error).\n',
    );
    const folder = temporaryFolder('modelgate-json-');
    const secret = join(folder, 'secret.json');
    execFileSync('sh', ['-c', 'printf \'{"a": 1,\\n "b": ghs_0123456789abcdef}\' > "$1"', 'sh', secret]);
    const quoted = await canaryAnalyze(exampleRegistry(), secret);
    expect(quoted.code).toBe(2);
    expect(quoted.stderr).not.toContain('ghs_');
    expect(quoted.stderr).toContain(
      'cannot be used: not valid JSON (a character that cannot start or continue',
    );
    const trailing = join(folder, 'trailing.json');
    execFileSync('sh', ['-c', 'printf \'{"a": 1,\\n "b": 2,}\' > "$1"', 'sh', trailing]);
    const positioned = await canaryAnalyze(exampleRegistry(), trailing);
    expect(positioned.stderr).toContain(
      'cannot be used: not valid JSON (Expected double-quoted property name at line 2, column 9)',
    );
  });

  it('a file larger than the cap is refused from its size, before it is read', async () => {
    const big = join(temporaryFolder('modelgate-big-'), 'metrics.json');
    execFileSync('sh', ['-c', ': > "$1"', 'sh', big]);
    truncateSync(big, 65 * 1024 * 1024); // sparse: no 65 MiB written
    const { code, stderr } = await canaryAnalyze(exampleRegistry(), big);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `modelgate: --metrics ${big} cannot be used: it is 65.0 MiB; modelgate reads at most 64.0 MiB of it\n` +
        '  fix: Check that --metrics names the right file: a real one is far smaller.\n',
    );
  });

  it('a file that claims to be empty is still cut at the cap (as /proc files are)', async () => {
    await expect(
      readUserFile({
        path: '/proc/self/environ',
        label: '--metrics /proc/self/environ',
        root: temporaryFolder('modelgate-root-'),
        maxBytes: 8,
        fix: 'Pass the recording.',
      }),
    ).rejects.toMatchObject({
      name: 'CommandError',
      message:
        '--metrics /proc/self/environ cannot be used: it is more than 8 B; modelgate reads at most 8 B of it',
    });
  });
});
