// What `npm i -g modelgate` / `npx modelgate` installs: the package `npm pack` makes from this
// checkout, installed from its tarball into a temporary prefix (no registry, no network) and run
// from there, as a user runs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedNode } from '../../scripts/pinned-node.js';

const ROOT = join(import.meta.dirname, '..', '..');
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

let work: string;
let packed: PackResult;
let installed: string;
/** The user's environment: Node 24 (engines) first on PATH, nothing of this checkout's. */
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'modelgate-pack-'));
  env = { ...process.env, PATH: `${dirname(pinnedNode(ROOT))}${delimiter}${process.env.PATH ?? ''}` };
  const npm = (...args: string[]) =>
    execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: work,
      env,
      encoding: 'utf8',
    });
  packed = (JSON.parse(npm('pack', ROOT, '--json', '--pack-destination', work)) as PackResult[])[0]!;
  // -g into a prefix of our own: the layout `npm i -g modelgate` makes (prefix/bin, prefix/lib/node_modules).
  npm('install', '--global', '--offline', '--prefix', join(work, 'global'), join(work, packed.filename));
  installed = join(work, 'global', 'lib', 'node_modules', 'modelgate');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the installed `modelgate` command through its bin link and shebang, outside this checkout. */
function modelgate(...args: string[]) {
  const run = spawnSync(join(work, 'global', 'bin', 'modelgate'), args, { cwd: work, env, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const filesUnder = (folder: string) =>
  readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(ROOT.length + 1).split('\\').join('/'));

describe('the npm package (npm pack)', () => {
  it('holds the CLI bundle, its bin, the JSON schemas and the documents, and nothing else', () => {
    // Not the Action's bundle (dist/index.js and its chunks run from the repository at a tag), not its build record.
    const cli = filesUnder('dist').filter(
      (file) => file !== 'dist/index.js' && !file.startsWith('dist/action/') && file !== 'dist/source-digest',
    );
    expect(packed.files.map((file) => file.path).sort()).toEqual(
      [
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'package.json',
        'bin/modelgate.js',
        ...cli,
        ...filesUnder('schema'),
      ].sort(),
    );
    expect(cli).toContain('dist/cli.js');
  });

  it('stays small: under 1 MB to download, under 4 MB installed', () => {
    expect(packed.size).toBeLessThan(1_000_000);
    expect(packed.unpackedSize).toBeLessThan(4_000_000);
  });

  it('declares no runtime dependency, so installing it fetches nothing else', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies'])
      expect(manifest[field], field).toBeUndefined();
    expect(readdirSync(join(work, 'global', 'lib', 'node_modules'))).toEqual(['modelgate']);
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
    expect(manifest.engines).toEqual({ node: '>=24' });
  });
});

describe('the installed modelgate command', () => {
  it("prints the package's version", () => {
    expect(modelgate('--version')).toEqual({ status: 0, stdout: `${rootPackage.version}\n`, stderr: '' });
  });

  it('runs its help and a real validation with nothing but the package installed', () => {
    const help = modelgate('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: modelgate <command> \[options\]/);
    const validate = modelgate('validate', '--root', join(ROOT, 'examples', 'registry'), '--format', 'json');
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
    expect(JSON.parse(validate.stdout).models).toContainEqual(expect.objectContaining({ name: 'support-bot' }));
  });

  it('refuses a bad command with exit code 2 and a message, never a stack trace', () => {
    const bad = modelgate('releasee');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown command "releasee"');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
