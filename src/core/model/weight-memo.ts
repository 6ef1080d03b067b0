import type { ArtifactSource, ReadProblem } from '../source.js';
import type { LfsPointer } from '../weights/lfs-pointer.js';
import type { TensorInfo } from '../weights/safetensors.js';

/** What one weights file is: a Git LFS pointer, a file with its digest, or unreadable. */
export type WeightInspection =
  | { kind: 'lfs-pointer'; pointer: LfsPointer }
  | { kind: 'file'; sha256: string; size: number }
  | { kind: 'unreadable'; problem: ReadProblem };

/** A safetensors header: its tensors, or why it cannot be read. */
export type HeaderRead = { ok: true; tensors: Map<string, TensorInfo> } | { ok: false; reason: string };

/**
 * What hashing a weights file and parsing its safetensors header found, kept
 * by the file's identity, so each distinct file costs one pass however many
 * `weights` entries, index shards or manifests name it (a 1 MiB manifest could
 * otherwise list one 100 MB file ten thousand times). The identity is the
 * source's: the path the containment rule resolves to, plus what tells a
 * rewritten file apart (inode, size and times on disk; the blob id at a git
 * ref), so two spellings or symlinks of one file count once and a file
 * changed on disk is read again.
 *
 * A source keeps one for its lifetime (one run); a source without one gets a
 * memo per model load, keyed by the resolved path.
 */
export class WeightMemo {
  private readonly inspections: Map<string, Promise<WeightInspection>>;
  private readonly headers: Map<string, Promise<HeaderRead>>;

  constructor(
    /** The identity of the file `path` leads to, or undefined when it leads to no readable file. */
    readonly identify: (path: string) => Promise<string | undefined>,
    /** A memo whose results this one shares: sources whose identities mean the same (blob ids at any ref). */
    sharing?: WeightMemo,
  ) {
    this.inspections = sharing?.inspections ?? new Map();
    this.headers = sharing?.headers ?? new Map();
  }

  /** The file's inspection, computed on the first request for its identity. */
  inspection(identity: string, compute: () => Promise<WeightInspection>): Promise<WeightInspection> {
    return remember(this.inspections, identity, compute);
  }

  /** The file's safetensors header, parsed on the first request for its identity. */
  header(identity: string, compute: () => Promise<HeaderRead>): Promise<HeaderRead> {
    return remember(this.headers, identity, compute);
  }
}

/** The memo `source` keeps for its run, or a fresh one for this load keyed by the resolved path. */
export function weightMemoOf(source: ArtifactSource): WeightMemo {
  return source.weightMemo ?? new WeightMemo((path) => source.resolve(path));
}

function remember<T>(memo: Map<string, Promise<T>>, key: string, compute: () => Promise<T>): Promise<T> {
  let value = memo.get(key);
  if (!value) {
    value = compute();
    memo.set(key, value);
  }
  return value;
}
