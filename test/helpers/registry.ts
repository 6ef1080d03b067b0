import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import { stringify } from 'yaml';
import { validate, type ValidationReport } from '../../src/core/validate.js';
import { rememberBehaviour } from '../../src/core/tokenizer/behaviour.js';
import { sharedTokenizerSandbox } from '../../src/io/tokenizer-sandbox.js';
import { GitRepository } from '../../src/io/git-repository.js';
import { runOk } from './small-fork.js';
import { LocalClone } from './local-clone.js';
import { DEFAULT_MANIFESTS } from '../../src/io/settings.js';

/** A real git repository in a temporary folder, removed after each test. */
export class TempRegistry {
  private constructor(readonly root: string) {}

  /** A new repository on branch main, removed after the test (or, with `'file'`, after the test file). */
  static create(lifetime: 'test' | 'file' = 'test'): TempRegistry {
    const root = mkdtempSync(join(tmpdir(), 'modelgate-test-'));
    (lifetime === 'test' ? created : templates).push(root);
    // A copy of the worker's freshly initialised .git: what `git init` would write, without its process.
    cpSync(emptyGitDir(), join(root, '.git'), { recursive: true });
    return new TempRegistry(root);
  }

  /**
   * A copy of this repository, working tree and .git, in a new temporary folder
   * removed after the test: the same commits, tags and branches, without
   * paying again for the setup that made them. Symbolic links are copied as
   * they are written.
   */
  duplicate(): TempRegistry {
    const root = mkdtempSync(join(tmpdir(), 'modelgate-test-'));
    created.push(root);
    cpSync(this.root, root, { recursive: true, verbatimSymlinks: true });
    return new TempRegistry(root);
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
    return runOk('git', args, { cwd: this.root }).toString('utf8').trim();
  }

  /**
   * Commits everything and returns the commit id, read from the branch's ref
   * file when the files settle it (no git process for that).
   */
  commit(message: string): string {
    runOk('git', ['add', '-A'], { cwd: this.root });
    runOk('git', ['commit', '-q', '--allow-empty', '-m', message], { cwd: this.root });
    return new LocalClone(this.root).resolve('HEAD') ?? this.git('rev-parse', 'HEAD');
  }

  /** The tree of `commit` (`git rev-parse <commit>^{tree}`), read from its object file without a git process. */
  treeOf(commit: string): string {
    return new LocalClone(this.root).treeOf(commit);
  }

  /** Creates an annotated tag (on HEAD unless `commit`), dated `date` (seconds) when given: git dates have one-second resolution. */
  tag(name: string, options: { message?: string; commit?: string; date?: number } = {}): this {
    const env = options.date === undefined ? {} : { GIT_COMMITTER_DATE: `${options.date} +0000` };
    runOk(
      'git',
      ['tag', '-a', name, '-m', options.message ?? name, ...(options.commit ? [options.commit] : [])],
      {
        cwd: this.root,
        env,
      },
    );
    return this;
  }

  validate(options: { base?: string; manifests?: string[] } = {}): Promise<ValidationReport> {
    return validate(new GitRepository(this.root), {
      manifests: options.manifests ?? DEFAULT_MANIFESTS,
      base: options.base,
      tokenizerRunner: sharedTokenizerSandbox(),
      behaviourCache: measuredInThisWorker,
    });
  }
}

/**
 * Tokenizer behaviour measured by this worker's earlier tests, as the CLI's
 * disk cache keeps it between runs: the key is the tokenizer's bytes and the
 * corpus, so a copy of the same tokenizer.json (most tests use gpt2 or Llama
 * 3) is measured once per worker, not once per test. A measurement that
 * failed is not kept (rememberBehaviour writes successes only).
 */
const measuredInThisWorker = rememberBehaviour();

/** The `.git` the test setup initialised once for the run (test/setup/fixtures.ts): copied, not `git init`-ed. */
function emptyGitDir(): string {
  return join(inject('gitTemplate'), '.git');
}

const created: string[] = [];
const templates: string[] = [];

/** A new empty folder in the temporary folder, removed after the test (or, with `'file'`, after the test file). */
export function temporaryFolder(prefix: string, lifetime: 'test' | 'file' = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  (lifetime === 'test' ? created : templates).push(dir);
  return dir;
}

/**
 * Removes the registries of the test that ended (`'test'`) or of the file
 * that ended (`'file'`). Called from test/setup/cleanup.ts, which every test
 * file runs: hooks registered here would attach only to the first file a
 * worker loads, since modules are shared between files (isolate: false).
 */
export function removeRegistries(lifetime: 'test' | 'file'): void {
  for (const root of (lifetime === 'test' ? created : templates).splice(0))
    rmSync(root, { recursive: true, force: true });
}

/**
 * A registry built once per test file, on first use, by `build` (real
 * tokenizers copied, commits, tags), of which every call returns a fresh copy
 * ({@link TempRegistry.duplicate}) with what `build` returned (a commit id, say).
 * Tests change their copy freely; the template is removed after the file.
 */
export function registryTemplate<T>(
  build: (registry: TempRegistry) => T,
): () => { registry: TempRegistry; built: T } {
  let template: { registry: TempRegistry; built: T } | undefined;
  return () => {
    if (!template) {
      const registry = TempRegistry.create('file');
      template = { registry, built: build(registry) };
    }
    return { registry: template.registry.duplicate(), built: template.built };
  };
}

/** Findings of one rule, for compact assertions. */
export function findingsOf(report: ValidationReport, rule: string) {
  return report.findings.filter((f) => f.rule === rule);
}
