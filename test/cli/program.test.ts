// The program around the commands: --version, --help, and what each of them loads. The
// command registry (src/cli/main.ts) must stay cheap to load: `modelgate --help` and every
// command load the registry, and a command's dependencies load only when that command runs.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { assertFreshBundle } from '../../scripts/source-digest.js';
import { COMMANDS } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/**
 * The source files a module loads when it is imported: its static imports,
 * followed through src/, leaving out `import type` (erased) and `import()`
 * (loaded only when the code that calls it runs).
 */
function staticImportClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      const from =
        (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) ||
        (ts.isExportDeclaration(statement) && !statement.isTypeOnly)
          ? statement.moduleSpecifier
          : undefined;
      if (!from || !ts.isStringLiteral(from) || !from.text.startsWith('.')) continue;
      visit(resolve(dirname(file), from.text.replace(/\.js$/, '.ts')));
    }
  };
  visit(join(ROOT, entry));
  return [...seen].map((file) => relative(ROOT, file).split('\\').join('/')).sort();
}

describe('modelgate --version', () => {
  it("prints package.json's version and exits 0", async () => {
    expect(await runCli('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(await runCli('-v')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('modelgate --help', () => {
  it('lists every command with its summary, and exits 0 (2 when no command was given)', async () => {
    const help = await runCli('--help');
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^Usage: modelgate <command> \[options\]\n/);
    for (const command of COMMANDS)
      expect(help.stdout).toMatch(
        new RegExp(`\\n  ${command.name} +${command.summary.replace(/[()]/g, '\\$&')}\\n`),
      );
    expect(await runCli()).toEqual({ code: 2, stdout: help.stdout, stderr: '' });
    expect(await runCli('help')).toEqual(help);
  });

  it("prints a command's usage and options without running it", async () => {
    // No --root and no repository: the command would fail if it ran.
    const help = await runCli('history', '--help', '--root', '/nonexistent');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: modelgate history \[model\]/);
    expect(help.stdout).toContain(
      'Exit codes: 0 nothing blocking, 1 errors found, 2 the command could not run.',
    );
  });

  it('names an unknown command and the fix, exit 2', async () => {
    expect(await runCli('valdate')).toEqual({
      code: 2,
      stdout: '',
      stderr: `modelgate: unknown command "valdate"\n  fix: Run 'modelgate --help' for the commands.\n`,
    });
  });
});

describe('the command registry loads no command’s dependencies', () => {
  it('`modelgate --help` loads the command descriptions, the output and the version, nothing of core or io', () => {
    const loaded = staticImportClosure('src/cli/index.ts');
    const descriptions = readdirSync(join(ROOT, 'src/cli/commands')).map((f) => `src/cli/commands/${f}`);
    expect(loaded).toEqual(
      [
        'src/cli/command.ts',
        'src/cli/index.ts',
        'src/cli/main.ts',
        'src/cli/output.ts',
        'src/cli/version.ts',
        ...descriptions,
        // CommandError (exit 2) and the escaping every line of output goes through: two small leaf modules.
        'src/core/repository.ts',
        'src/core/report/escape.ts',
      ].sort(),
    );
  });

  it('each command loads its implementation (src/cli/run/) only when it runs', () => {
    for (const command of COMMANDS) {
      const file = join(ROOT, 'src/cli/commands', `${command.name === 'gate' ? 'check' : command.name}.ts`);
      expect(readFileSync(file, 'utf8'), command.name).toMatch(/await import\('\.\.\/run\/[a-z-]+\.js'\)/);
    }
  });
});

describe('the bundled CLI (bin/modelgate.js, dist/cli.js and its chunks)', () => {
  const bin = join(ROOT, 'bin', 'modelgate.js');
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

  it('prints the version embedded at build time, and the same help as the sources', async () => {
    assertFreshBundle(ROOT);
    expect(run('--version')).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: '' });
    expect(run('--help')).toMatchObject({ status: 0, stdout: (await runCli('--help')).stdout, stderr: '' });
  });

  // The machine's own Node when it is older than package.json's engines allow (Debian's Node 20
  // on CI's fresh machines): the bin must say what it needs, not fail on an API it lacks.
  const olderNode = ['/usr/bin/node', '/usr/local/bin/node'].find((node) => {
    const probe = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    return probe.status === 0 && Number(probe.stdout.split('.')[0]) < 24;
  });

  it.runIf(olderNode)('on a Node older than 24, says which Node it needs (exit 2), not a stack trace', () => {
    const older = spawnSync(olderNode!, [bin, 'validate', '--root', ROOT], { encoding: 'utf8' });
    expect(older.status).toBe(2);
    expect(older.stdout).toBe('');
    expect(older.stderr).toMatch(
      /^modelgate: needs Node\.js 24 or later, and this is Node\.js \d+\.\d+\.\d+\n {2}fix: /,
    );
    expect(older.stderr).not.toMatch(/ at |Error/);
  });

  it('loads under 64 KiB for --help: every command is a chunk of its own, loaded when it runs', () => {
    assertFreshBundle(ROOT);
    // dist/cli.js and the chunks it imports statically: what Node compiles before main() runs.
    const loaded = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const [, chunk] of readFileSync(file, 'utf8').matchAll(/^import [^;]*?from '(\.[^']+)';$/gm))
        visit(resolve(dirname(file), chunk!));
    };
    visit(join(ROOT, 'dist', 'cli.js'));
    const bytes = [...loaded].reduce((sum, file) => sum + statSync(file).size, 0);
    expect(bytes).toBeLessThan(64 * 1024);
    // The heavy dependencies exist in the bundle, in chunks --help does not load.
    const chunks = readdirSync(join(ROOT, 'dist', 'cli')).map((f) => join(ROOT, 'dist', 'cli', f));
    expect(chunks.filter((file) => !loaded.has(file)).length).toBeGreaterThan(COMMANDS.length / 2);
    expect(readFileSync(join(ROOT, 'dist', 'cli.js'), 'utf8')).toMatch(/import\('\.\/cli\/[^']+\.js'\)/);
  });
});
