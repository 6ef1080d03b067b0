import type { YamlPath } from '../manifest/parse.js';
import { resolveArtifactPath } from '../repo-path.js';
import type { ArtifactSource } from '../source.js';
import { LFS_POINTER_MAX_BYTES, parseLfsPointer } from '../weights/lfs-pointer.js';
import {
  parseSafetensorsHeader,
  parseSafetensorsIndex,
  safetensorsHeaderLength,
} from '../weights/safetensors.js';
import { describeStat, type ArtifactReader, type ManifestKey } from './artifact-reader.js';
import type { TensorLocation, WeightFile } from './facts.js';
import { weightMemoOf, type HeaderRead, type WeightInspection, type WeightMemo } from './weight-memo.js';

/** What one model's weights have already contributed: each distinct file adds its tensors and its complaint once. */
interface WeightsLoad {
  reader: ArtifactReader;
  memo: WeightMemo;
  tensors: Map<string, TensorLocation>;
  /** Identities whose header this model has already used (tensors added, or the problem reported). */
  headersUsed: Set<string>;
  progress?: (message: string) => void;
}

/**
 * Checks the weights in the repository (files or Git LFS pointers) against
 * their manifest digests, checks the shards of a safetensors index, and
 * collects the tensor headers that can be read into `facts.tensors`. Each
 * distinct file is hashed and its header parsed once (WeightMemo), however
 * many entries, shards or spellings name it; each entry's digest is still
 * checked against what that entry declares.
 */
export async function loadWeights(
  reader: ArtifactReader,
  progress?: (message: string) => void,
): Promise<void> {
  const { facts } = reader;
  const load: WeightsLoad = {
    reader,
    memo: weightMemoOf(reader.source),
    tensors: new Map(),
    headersUsed: new Set(),
    progress,
  };
  let anyHeader = false;
  const { weights, weights_index: indexRef } = facts.manifest.artifacts;
  for (const [index, weight] of weights.entries()) {
    if (!weight.path) continue;
    const key = ['artifacts', 'weights', index, 'path'] as const;
    const path = await reader.locate(key, weight.path);
    if (path === undefined) continue;
    const identity = await identityOf(load.memo, path);
    const inspection = await load.memo.inspection(identity, () =>
      inspectWeightFile(reader.source, path, progress),
    );
    if (inspection.kind === 'unreadable') {
      reader.unreadable(key, path, inspection.problem);
      continue;
    }
    const file: WeightFile =
      inspection.kind === 'file'
        ? { kind: 'file', path, sha256: inspection.sha256, size: inspection.size }
        : { kind: 'lfs-pointer', path, pointer: inspection.pointer };
    facts.weightFiles.set(index, file);
    checkDigest(reader, key, file, weight.sha256, weight.size);
    if (file.kind === 'file' && path.endsWith('.safetensors')) {
      const header = await useHeader(load, key, identity, path, path);
      anyHeader = anyHeader || header !== undefined;
    }
  }
  if (indexRef) anyHeader = (await loadShards(load, indexRef)) || anyHeader;
  if (anyHeader) facts.tensors = load.tensors;
}

/** The memo's identity of a located file; a file gone since it was located is keyed by its path (its read fails). */
async function identityOf(memo: WeightMemo, path: string): Promise<string> {
  return (await memo.identify(path)) ?? `unresolved:${path}`;
}

/**
 * The header of a located safetensors file, through the memo. The first use
 * in this model adds its tensors (or reports why it cannot be read); a later
 * use of the same file (another entry, a shard spelled differently) only
 * returns it.
 */
async function useHeader(
  load: WeightsLoad,
  key: ManifestKey,
  identity: string,
  path: string,
  label: string,
): Promise<ReadonlyMap<string, unknown> | undefined> {
  const header = await load.memo.header(identity, () => readHeader(load.reader.source, path));
  const first = !load.headersUsed.has(identity);
  load.headersUsed.add(identity);
  if (!header.ok) {
    if (first)
      load.reader.add(
        'ARTIFACT-INVALID',
        key,
        `${label} is not a readable safetensors file: ${header.reason}`,
        'Re-export the weights with safetensors (save_file or save_pretrained), which writes a header that matches the data.',
        path,
      );
    return undefined;
  }
  if (first) for (const [name, info] of header.tensors) load.tensors.set(name, { ...info, file: path });
  return header.tensors;
}

/** Reads the index, checks every shard, and adds the tensors of the shards whose header is readable. */
async function loadShards(load: WeightsLoad, indexRef: string): Promise<boolean> {
  const { reader } = load;
  const json = await reader.readJson('weights_index', indexRef);
  if (!json) return false;
  let weightMap: Map<string, string>;
  try {
    weightMap = parseSafetensorsIndex(json.value);
  } catch (error) {
    reader.invalid('weights_index', json.file, error);
    return false;
  }
  // Appended in place: copying the list per tensor is quadratic in a million-tensor index.
  const byShard = new Map<string, string[]>();
  for (const [tensor, shard] of weightMap) {
    const listed = byShard.get(shard);
    if (listed) listed.push(tensor);
    else byShard.set(shard, [tensor]);
  }
  let anyHeader = false;
  for (const [shard, listed] of byShard) {
    const resolved = resolveArtifactPath(json.file, shard);
    const where = `${json.file} lists shard ${JSON.stringify(shard)}`;
    if (!resolved.ok) {
      reader.add(
        'SHARDS',
        'weights_index',
        `${where}, which ${resolved.reason}`,
        'List shards by file name, next to the index.',
      );
      continue;
    }
    const stat = await reader.source.stat(resolved.path);
    if (stat.kind !== 'file') {
      reader.add(
        'SHARDS',
        'weights_index',
        `${where}, but ${resolved.path} ${describeStat(stat)}`,
        'Add the shard (or its Git LFS pointer) or fix the index.',
        resolved.path,
      );
      continue;
    }
    const head = await reader.source.readRange(resolved.path, 0, LFS_POINTER_MAX_BYTES + 1);
    if (head.ok && parseLfsPointer(head.value)) continue; // an LFS pointer: the shard exists, its header is not here
    const header = await useHeader(
      load,
      'weights_index',
      await identityOf(load.memo, resolved.path),
      resolved.path,
      `${resolved.path} (a shard ${json.file} lists)`,
    );
    if (!header) continue;
    anyHeader = true;
    const absent = listed.filter((tensor) => !header.has(tensor));
    if (absent.length) {
      reader.add(
        'SHARDS',
        'weights_index',
        `${resolved.path} does not hold ${absent.length} tensor(s) that ${json.file} assigns to it: ${preview(absent)}`,
        'Regenerate the index from the shards (save_pretrained writes both).',
        resolved.path,
      );
    }
  }
  return anyHeader;
}

/** An LFS pointer is recognised from its first bytes; anything else is streamed through sha256. */
async function inspectWeightFile(
  source: ArtifactSource,
  path: string,
  progress?: (message: string) => void,
): Promise<WeightInspection> {
  const head = await source.readRange(path, 0, LFS_POINTER_MAX_BYTES + 1);
  if (!head.ok) return { kind: 'unreadable', problem: head.problem };
  const pointer = parseLfsPointer(head.value);
  if (pointer) return { kind: 'lfs-pointer', pointer };
  progress?.(`sha256 ${path}`);
  const digest = await source.sha256(path);
  if (!digest.ok) return { kind: 'unreadable', problem: digest.problem };
  return { kind: 'file', ...digest.value };
}

function checkDigest(
  reader: ArtifactReader,
  key: YamlPath,
  file: WeightFile,
  sha256: string,
  size: number | undefined,
): void {
  const actual =
    file.kind === 'file'
      ? { sha256: file.sha256, size: file.size }
      : { sha256: file.pointer.oid, size: file.pointer.size };
  const what = file.kind === 'file' ? file.path : `the Git LFS pointer ${file.path}`;
  if (actual.sha256 !== sha256) {
    reader.add(
      'ARTIFACT-DIGEST',
      key,
      `${what} has sha256 ${actual.sha256}, the manifest says ${sha256}`,
      'Update sha256 in the manifest, or restore the file that was meant.',
      file.path,
    );
  } else if (size !== undefined && actual.size !== size) {
    reader.add(
      'ARTIFACT-DIGEST',
      key,
      `${what} is ${actual.size} bytes, the manifest says ${size}`,
      'Update size in the manifest.',
      file.path,
    );
  }
}

/**
 * Reads a safetensors header: 8 bytes of length, then that much JSON, never
 * the tensor data. A header that does not describe the file (offsets past its
 * end, overlapping tensors, sizes that disagree with dtype x shape) comes back
 * with the reason, reported as ARTIFACT-INVALID naming the tensor, for a
 * weights file and a shard alike.
 */
async function readHeader(source: ArtifactSource, path: string): Promise<HeaderRead> {
  const stat = await source.stat(path);
  if (stat.kind !== 'file') return { ok: false, reason: `it ${describeStat(stat)}` };
  try {
    const first = await source.readRange(path, 0, 8);
    if (!first.ok) throw new Error(first.problem.detail);
    const length = safetensorsHeaderLength(first.value, stat.size);
    const header = await source.readRange(path, 8, length);
    if (!header.ok) throw new Error(header.problem.detail);
    return { ok: true, tensors: parseSafetensorsHeader(header.value, stat.size - 8 - length) };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return { ok: false, reason: error.message };
  }
}

function preview(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
