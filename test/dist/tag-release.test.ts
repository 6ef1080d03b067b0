// The release workflow's tagging step (scripts/tag-release.js), run as the workflow runs it: in a
// real git checkout of a release, pushing to a real (bare) remote.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DIGEST_FILE, sourceDigest } from '../../scripts/source-digest.js';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'tag-release.js');
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const changelog = (...sections: string[]) =>
  ['# Changelog', '', '## [Unreleased]', '', ...sections.flatMap((s) => [s, ''])].join('\n');

/** A checkout of modelgate's own repository, reduced to what a release reads, with an empty bare remote. */
class ReleaseCheckout {
  readonly root: string;
  readonly remote: string;

  constructor() {
    const folder = mkdtempSync(join(tmpdir(), 'modelgate-release-'));
    folders.push(folder);
    this.root = join(folder, 'checkout');
    this.remote = join(folder, 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', this.remote]);
    mkdirSync(join(this.root, 'src'), { recursive: true });
    mkdirSync(join(this.root, 'dist'));
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'release@example.com');
    this.git('config', 'user.name', 'release');
    this.git('remote', 'add', 'origin', this.remote);
    writeFileSync(join(this.root, 'src', 'index.ts'), 'export {};\n');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.root, encoding: 'utf8' }).trim();
  }

  /** Commits package.json at `version`, the changelog, and a dist/ built from the sources (unless stale). */
  commit(version: string, notes: string, options: { staleDist?: boolean } = {}): string {
    writeFileSync(join(this.root, 'package.json'), `${JSON.stringify({ name: 'modelgate', version })}\n`);
    writeFileSync(join(this.root, 'CHANGELOG.md'), notes);
    writeFileSync(join(this.root, DIGEST_FILE), `${sourceDigest(this.root)}\n`);
    if (options.staleDist) writeFileSync(join(this.root, 'src', 'index.ts'), `export const v = '${version}';\n`);
    this.git('add', '-A');
    this.git('commit', '-q', '-m', `release ${version}`);
    return this.git('rev-parse', 'HEAD');
  }

  release(...args: string[]) {
    const outputs = join(this.root, '..', 'github-output');
    writeFileSync(outputs, '');
    const run = spawnSync(process.execPath, [SCRIPT, '--push', ...args], {
      cwd: this.root,
      encoding: 'utf8',
      env: { ...process.env, GITHUB_OUTPUT: outputs },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, outputs: readFileSync(outputs, 'utf8') };
  }

  /** Tag name -> commit, on the remote. */
  remoteTags(): Record<string, string> {
    const lines = execFileSync('git', ['ls-remote', '--tags', this.remote], { encoding: 'utf8' }).trim();
    const tags: Record<string, string> = {};
    for (const line of lines ? lines.split('\n') : []) {
      const [commit, ref] = line.split('\t') as [string, string];
      if (ref.endsWith('^{}')) tags[ref.slice('refs/tags/'.length, -3)] = commit;
    }
    return tags;
  }
}

describe('tagging a release of modelgate (scripts/tag-release.js)', () => {
  it('tags vX.Y.Z and the major tag vX on the release commit, pushes both, and writes the notes', () => {
    const checkout = new ReleaseCheckout();
    const head = checkout.commit('1.0.0', changelog('## [1.0.0] - 2026-11-30', '### Added\n\n- the CLI'));
    const notes = join(checkout.root, '..', 'notes.md');
    const run = checkout.release('--notes', notes);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(checkout.remoteTags()).toEqual({ 'v1.0.0': head, v1: head });
    expect(readFileSync(notes, 'utf8')).toBe('### Added\n\n- the CLI\n');
    expect(run.outputs).toBe('version=1.0.0\ntag=v1.0.0\nprerelease=false\n');
    // Run again (a re-run workflow): nothing changes.
    const again = checkout.release();
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(`v1.0.0 is already released on ${head.slice(0, 12)}: nothing to tag\n`);
    expect(checkout.remoteTags()).toEqual({ 'v1.0.0': head, v1: head });
  });

  it('moves vX to the next minor release, and leaves it where it is for a prerelease', () => {
    const checkout = new ReleaseCheckout();
    const first = checkout.commit('1.0.0', changelog('## [1.0.0] - 2026-11-30'));
    checkout.release();
    const second = checkout.commit('1.1.0', changelog('## [1.1.0] - 2026-12-01', '## [1.0.0] - 2026-11-30'));
    expect(checkout.release().stdout).toBe(
      `tagged v1.1.0 -> ${second.slice(0, 12)}\nmoved v1 -> ${second.slice(0, 12)}\n`,
    );
    const rc = checkout.commit('2.0.0-rc.1', changelog('## [2.0.0-rc.1] - 2026-12-02'));
    const run = checkout.release();
    expect(run.status).toBe(0);
    expect(run.outputs).toContain('prerelease=true');
    expect(checkout.remoteTags()).toEqual({ 'v1.0.0': first, 'v1.1.0': second, v1: second, 'v2.0.0-rc.1': rc });
  });

  it('a fix to an older minor is tagged without moving vX back', () => {
    const checkout = new ReleaseCheckout();
    checkout.commit('1.0.0', changelog('## [1.0.0] - 2026-11-30'));
    checkout.release();
    const newer = checkout.commit('1.1.0', changelog('## [1.1.0] - 2026-12-01'));
    checkout.release();
    const fix = checkout.commit('1.0.1', changelog('## [1.0.1] - 2026-12-02'));
    expect(checkout.release().status).toBe(0);
    expect(checkout.remoteTags()).toMatchObject({ 'v1.0.1': fix, v1: newer });
  });

  it('refuses a version with no CHANGELOG section, and says how to add it', () => {
    const checkout = new ReleaseCheckout();
    checkout.commit('1.0.0', changelog('### Added', '- not under a version heading'));
    const run = checkout.release();
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'release refused: CHANGELOG.md has no section for 1.0.0: rename "## [Unreleased]" to "## [1.0.0] - YYYY-MM-DD" (today\'s date) and add a new empty "## [Unreleased]" above it.\n',
    );
    expect(checkout.remoteTags()).toEqual({});
  });

  it('refuses to re-tag a released version on another commit: the version must be bumped', () => {
    const checkout = new ReleaseCheckout();
    const released = checkout.commit('1.0.0', changelog('## [1.0.0] - 2026-11-30'));
    checkout.release();
    const other = checkout.commit('1.0.0', changelog('## [1.0.0] - 2026-11-30', '- one more line'));
    const run = checkout.release();
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `release refused: v1.0.0 already exists on ${released.slice(0, 12)}, not on this commit (${other.slice(0, 12)}): a released version is never re-tagged. Bump "version" in package.json.\n`,
    );
    expect(checkout.remoteTags()).toEqual({ 'v1.0.0': released, v1: released });
  });

  it('refuses a commit whose dist/ is not the build of its sources', () => {
    const checkout = new ReleaseCheckout();
    checkout.commit('1.0.0', changelog('## [1.0.0] - 2026-11-30'), { staleDist: true });
    const run = checkout.release();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^release refused: dist\/ is stale: .* run npm run build\n$/);
    expect(checkout.remoteTags()).toEqual({});
  });
});
