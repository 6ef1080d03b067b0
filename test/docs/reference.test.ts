import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { COMMANDS } from '../../src/action/inputs.js';
import { RULES } from '../../src/core/findings.js';
import { runCli } from '../helpers/cli.js';
import { docPages, fencedBlocks, REPO_ROOT, tableUnder } from './markdown.js';

// The reference tables of the docs say what the code has: every rule, every
// Action input, output and command, every CLI command; and the quick start is
// the two commands CI runs.

const page = (file: string) => docPages().find((p) => p.file === file)!;
const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');
/** The first cell of each row, without its backticks: the name the row documents. */
const names = (rows: string[][]) =>
  rows.map((row) => row[0]!.replace(/`/g, '').replace(/\s*\(default\)$/, ''));

describe('the rule table', () => {
  it('lists every rule of the catalogue, once, and nothing else', () => {
    const rows = tableUnder(page('docs/rules.md').text, 'What `validate` checks');
    expect([...names(rows)].sort()).toEqual(Object.keys(RULES).sort());
  });

  it('gives every rule a severity modelgate uses', () => {
    const rows = tableUnder(page('docs/rules.md').text, 'What `validate` checks');
    for (const row of rows)
      expect(row[1], row[0]).toMatch(/^(error|warning|info)( \/ (error|warning|info))?$/);
  });
});

describe('the Action reference', () => {
  const action = parseYaml(read('action.yml')) as {
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, unknown>;
  };
  const text = page('docs/action.md').text;

  it('lists every input of action.yml with its default', () => {
    const rows = tableUnder(text, 'Inputs');
    expect(names(rows)).toEqual(Object.keys(action.inputs));
    for (const row of rows) {
      const declared = action.inputs[row[0]!.replace(/`/g, '')]!.default ?? '';
      expect(row[1]!.replace(/^`|`$/g, ''), row[0]).toBe(declared);
    }
  });

  it('lists every output of action.yml', () => {
    expect(names(tableUnder(text, 'Outputs'))).toEqual(Object.keys(action.outputs));
  });

  it("lists every command of the Action's input registry", () => {
    expect(names(tableUnder(text, 'The GitHub Action'))).toEqual([...COMMANDS]);
  });
});

describe('the CLI reference', () => {
  it('lists every command of `modelgate --help`', async () => {
    const help = await runCli('--help');
    const listed = [...help.stdout.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);
    const documented = names(tableUnder(page('docs/cli.md').text, 'Commands')).flatMap((cell) =>
      cell
        .split(/\s*,\s*/)
        .map((name) => /^\[([a-z ]+)\]/.exec(name)?.[1]?.split(' ')[0])
        .filter((name): name is string => name !== undefined),
    );
    expect(listed.length).toBeGreaterThan(5);
    expect([...new Set(documented)].sort()).toEqual([...listed].sort());
  });
});

describe('the quick start', () => {
  const readme = page('README.md');
  const quickStart = fencedBlocks(readme).find((b) => b.body.includes('npm start'))!;
  const commands = quickStart.body
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);

  it('is exactly two commands: the example registry, and the whole test suite', () => {
    expect(commands).toEqual(['npm start', 'bash scripts/test.sh']);
  });

  it('is what CI runs, and what package.json starts', () => {
    // The README's test command, told how many checks before it failed (they count in its last line).
    expect(read('.ci/run')).toMatch(/^MODELGATE_CHECKS_FAILED=\$checks_failed bash scripts\/test\.sh\b/m);
    const pkg = JSON.parse(read('package.json')) as {
      scripts: Record<string, string>;
      engines: { node: string };
    };
    expect(pkg.scripts.start).toContain('check --root examples/registry');
    // The Node version the README asks for is the one package.json requires.
    const minimum = /^>=\s*(\S+)$/.exec(pkg.engines.node)?.[1];
    expect(readme.text).toContain(`Node ${minimum} or later`);
  });

  // A fresh machine's Node is often older (Debian's 20): the quick start must run there too, on Node 24.
  const olderNode = ['/usr/bin', '/usr/local/bin'].find((folder) => {
    const probe = spawnSync(join(folder, 'node'), ['-p', 'process.versions.node'], { encoding: 'utf8' });
    return probe.status === 0 && Number(probe.stdout.split('.')[0]) < 24;
  });

  it(`passes on the bundled example registry (\`npm start\`, exit 0)${olderNode ? `, started from the older Node in ${olderNode}` : ''}`, async () => {
    const env = olderNode ? { ...process.env, PATH: `${olderNode}:${process.env.PATH}` } : process.env;
    const { stdout } = await promisify(execFile)('npm', ['start', '--silent'], { cwd: REPO_ROOT, env });
    expect(stdout).toMatch(/^2 model\(s\): 0 error\(s\)/m);
  });
});
