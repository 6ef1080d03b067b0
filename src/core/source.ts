import type { WeightMemo } from './model/weight-memo.js';
/**
 * What the core needs to read a model's files: the working tree, or the
 * repository at a git ref. Adapters in src/io implement it; tests fill it
 * with plain objects.
 */
export interface ArtifactSource {
  /** Human label for messages: "working tree" or the ref. */
  readonly label: string;
  /** Size and kind of a repository-relative path, without reading it. */
  stat(path: string): Promise<SourceStat>;
  /**
   * The repository-relative path of the file `path` leads to (itself, or the
   * target of an in-repository symlink), or undefined when it leads nowhere
   * readable. A change to the target is a change to every path that leads there.
   */
  resolve(path: string): Promise<string | undefined>;
  /** What this source hashed and parsed of weights files, kept for its run (see WeightMemo). */
  readonly weightMemo?: WeightMemo;
  /** The whole file, when it is at most `maxBytes` long. */
  read(path: string, maxBytes: number): Promise<Read<Uint8Array>>;
  /** `length` bytes from `offset` (fewer at the end of the file). */
  readRange(path: string, offset: number, length: number): Promise<Read<Uint8Array>>;
  /** Streams the file through sha256. */
  sha256(path: string): Promise<Read<{ sha256: string; size: number }>>;
}

export type SourceStat =
  | { kind: 'file'; size: number }
  | { kind: 'missing' }
  | { kind: 'outside'; detail: string }
  | { kind: 'not-a-file'; detail: string };

export type Read<T> = { ok: true; value: T } | { ok: false; problem: ReadProblem };

export interface ReadProblem {
  kind: 'missing' | 'outside' | 'not-a-file' | 'too-large' | 'io';
  detail: string;
}
