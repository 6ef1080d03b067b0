import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { stringify } from 'yaml';
import { validate, type ValidationReport } from '../../src/core/validate.js';
import { GitRepository } from '../../src/io/git-repository.js';
import { DEFAULT_MANIFESTS } from '../../src/io/settings.js';

/** A real git repository in a temporary folder, removed after each test. */
export class TempRegistry {
  private constructor(readonly root: string) {}

  static create(): TempRegistry {
    const root = mkdtempSync(join(tmpdir(), 'modelgate-test-'));
    created.push(root);
    const registry = new TempRegistry(root);
    registry.git('init', '-q', '-b', 'main');
    registry.git('config', 'user.email', 'ml-team@example.com');
    registry.git('config', 'user.name', 'ML Team');
    registry.git('config', 'commit.gpgsign', 'false');
    registry.git('config', 'tag.gpgsign', 'false');
    return registry;
  }

  /** Writes a file; objects become JSON. */
  write(path: string, content: string | Uint8Array | object): this {
    const file = join(this.root, path);
    mkdirSync(dirname(file), { recursive: true });
    const data =
      typeof content === 'string' || content instanceof Uint8Array
        ? content
        : JSON.stringify(content, null, 2);
    writeFileSync(file, data);
    return this;
  }

  /** Writes a manifest object as YAML. */
  writeManifest(path: string, manifest: object): this {
    return this.write(path, stringify(manifest));
  }

  copy(from: string, path: string): this {
    const file = join(this.root, path);
    mkdirSync(dirname(file), { recursive: true });
    copyFileSync(from, file);
    return this;
  }

  symlink(path: string, target: string): this {
    const file = join(this.root, path);
    mkdirSync(dirname(file), { recursive: true });
    rmSync(file, { force: true });
    symlinkSync(target, file);
    return this;
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  readJson<T = Record<string, unknown>>(path: string): T {
    return JSON.parse(this.read(path)) as T;
  }

  /** Changes a JSON file in place. */
  editJson(path: string, edit: (json: Record<string, unknown>) => void): this {
    const json = this.readJson(path);
    edit(json);
    return this.write(path, json);
  }

  remove(path: string): this {
    rmSync(join(this.root, path), { recursive: true, force: true });
    return this;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  }

  /** Commits everything and returns the commit id. */
  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Creates an annotated tag (on HEAD unless `commit`), dated `date` (seconds) when given: git dates have one-second resolution. */
  tag(name: string, options: { message?: string; commit?: string; date?: number } = {}): this {
    const env =
      options.date === undefined
        ? process.env
        : { ...process.env, GIT_COMMITTER_DATE: `${options.date} +0000` };
    execFileSync(
      'git',
      ['tag', '-a', name, '-m', options.message ?? name, ...(options.commit ? [options.commit] : [])],
      { cwd: this.root, env, stdio: 'ignore' },
    );
    return this;
  }

  validate(options: { base?: string; manifests?: string[] } = {}): Promise<ValidationReport> {
    return validate(new GitRepository(this.root), {
      manifests: options.manifests ?? DEFAULT_MANIFESTS,
      base: options.base,
    });
  }
}

const created: string[] = [];
afterEach(() => {
  for (const root of created.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Findings of one rule, for compact assertions. */
export function rulesOf(report: ValidationReport): string[] {
  return report.findings.map((f) => `${f.severity} ${f.rule}`);
}

export function findingsOf(report: ValidationReport, rule: string) {
  return report.findings.filter((f) => f.rule === rule);
}
