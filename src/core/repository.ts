import type { TagRecord } from './registry/state.js';
import type { ArtifactSource } from './source.js';

/**
 * A model registry as the core sees it: the working tree, the same
 * repository at other git refs, and its tags. src/io/git-repository.ts
 * implements it over a local clone.
 */
export interface Repository {
  readonly worktree: ArtifactSource;
  /** The repository as it was at `ref` (a commit, branch or tag that exists). */
  at(ref: string): ArtifactSource;
  /** Manifest paths matching `patterns` in the working tree, sorted. */
  findManifests(patterns: readonly string[]): Promise<string[]>;
  /** Manifest paths matching `patterns` at `ref`, sorted. */
  findManifestsAt(ref: string, patterns: readonly string[]): Promise<string[]>;
  /** Files that differ between `ref` (its merge base with HEAD) and the working tree, untracked files included. */
  changedSince(ref: string): Promise<string[]>;
  /** The commit the merge base of `ref` and HEAD resolves to. */
  mergeBase(ref: string): Promise<string>;
  /** Files that differ between two commits. */
  changedBetween(from: string, to: string): Promise<string[]>;
  /** The commit a ref names, or undefined when it names none. */
  resolveCommit(ref: string): Promise<string | undefined>;
  /** Every tag with its commit, tagger, date and message. */
  readTags(): Promise<TagRecord[]>;
}

/** The command cannot run at all (bad arguments, not a repository, unknown ref): exit code 2. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}
