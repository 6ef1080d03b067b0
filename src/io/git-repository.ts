import { CommandError, type Repository } from '../core/repository.js';
import { findFiles, manifestGlobs } from './find-files.js';
import { FileSystemSource } from './fs-source.js';
import { GitError, gitText, repositoryPrefix } from './git.js';
import { GitRefSource } from './git-source.js';
import { createTag, readTags, resolveCommit } from './git-tags.js';
import type { TagRecord } from '../core/registry/state.js';

/** A model registry in a folder of a local git clone (or a plain folder, for validation without a base). */
export class GitRepository implements Repository {
  readonly worktree: FileSystemSource;
  private readonly refs = new Map<string, GitRefSource>();
  private prefix?: Promise<string>;

  constructor(private readonly root: string) {
    this.worktree = new FileSystemSource(root);
  }

  at(ref: string): GitRefSource {
    let source = this.refs.get(ref);
    if (!source) {
      // Blob ids mean the same at every ref: the refs of one repository share what hashing a blob found.
      const sharing = this.refs.values().next().value?.weightMemo;
      source = new GitRefSource(this.root, ref, () => this.showPrefix(), sharing);
      this.refs.set(ref, source);
    }
    return source;
  }

  findManifests(patterns: readonly string[]): Promise<string[]> {
    return findFiles(this.root, patterns);
  }

  async findManifestsAt(ref: string, patterns: readonly string[]): Promise<string[]> {
    const globs = manifestGlobs(patterns);
    return (await this.at(ref).paths()).filter((p) => globs.match(p)).sort();
  }

  async changedSince(ref: string): Promise<string[]> {
    const [diff, untracked] = await Promise.all([
      this.git(['diff', '--name-only', '-z', '--no-renames', '--relative', ref, '--']),
      this.git(['ls-files', '--others', '--exclude-standard', '-z']),
    ]);
    const paths = new Set([...diff.split('\0'), ...untracked.split('\0')].filter(Boolean));
    for (const link of await this.linksTo(paths)) paths.add(link);
    return [...paths].sort();
  }

  /**
   * The symlinks of the working tree (tracked, mode 120000) whose target is
   * one of `changed`: a change to the target changes every artifact that
   * leads to it, so `--base` validates those models too.
   */
  private async linksTo(changed: ReadonlySet<string>): Promise<string[]> {
    if (!changed.size) return [];
    const staged = await this.git(['ls-files', '-s', '-z']);
    const links: string[] = [];
    for (const record of staged.split('\0')) {
      // "<mode> <oid> <stage>\t<path>"
      if (!record.startsWith('120000 ')) continue;
      const path = record.slice(record.indexOf('\t') + 1);
      const target = await this.worktree.resolve(path);
      if (target !== undefined && target !== path && changed.has(target)) links.push(path);
    }
    return links;
  }

  async mergeBase(ref: string): Promise<string> {
    // One process answers both the folder's prefix and the ref's commit (a --base run's first questions).
    let commit: string;
    try {
      // "<prefix>\n<commit>\n": the commit is the last line (a folder name may hold a newline).
      const out = (
        await this.git([
          'rev-parse',
          '--show-prefix',
          '--verify',
          '--quiet',
          '--end-of-options',
          `${ref}^{commit}`,
        ])
      ).replace(/\n$/, '');
      const cut = out.lastIndexOf('\n');
      if (cut < 0) throw new GitError(['rev-parse', '--show-prefix'], `unexpected output: ${out}`);
      this.prefix ??= Promise.resolve(out.slice(0, cut));
      commit = out.slice(cut + 1);
    } catch {
      await this.showPrefix(); // outside a git repository, that is the error to report
      throw new CommandError(
        `the base ref "${ref}" does not exist in ${this.root}`,
        'Fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0), or pass a ref that exists.',
      );
    }
    try {
      return (await this.git(['merge-base', commit, 'HEAD'])).trim();
    } catch {
      return commit; // no common history (a shallow clone): compare with the ref itself
    }
  }

  async changedBetween(from: string, to: string): Promise<string[]> {
    const out = await this.git(['diff', '--name-only', '-z', '--no-renames', '--relative', from, to, '--']);
    return out.split('\0').filter(Boolean).sort();
  }

  async resolveCommit(ref: string): Promise<string | undefined> {
    return resolveCommit(this.root, ref);
  }

  readTags(): Promise<TagRecord[]> {
    return readTags(this.root);
  }

  /** Creates an annotated tag in the local clone. */
  async createTag(name: string, commit: string, message: string): Promise<void> {
    await createTag(this.root, name, commit, message);
  }

  /** The registry folder relative to the top of the repository ("" at the top, "examples/registry/" below it). */
  topPrefix(): Promise<string> {
    return this.showPrefix();
  }

  private showPrefix(): Promise<string> {
    this.prefix ??= repositoryPrefix(this.root);
    return this.prefix;
  }

  private git(args: string[]): Promise<string> {
    return gitText(this.root, args);
  }
}
