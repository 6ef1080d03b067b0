import type { YamlPath } from '../manifest/parse.js';
import { resolveArtifactPath } from '../repo-path.js';
import { LFS_POINTER_MAX_BYTES, parseLfsPointer } from '../weights/lfs-pointer.js';
import {
  parseSafetensorsHeader,
  parseSafetensorsIndex,
  safetensorsHeaderLength,
  type TensorInfo,
} from '../weights/safetensors.js';
import { describeStat, type ArtifactReader, type ManifestKey } from './artifact-reader.js';
import type { TensorLocation, WeightFile } from './facts.js';

/**
 * Checks the weights in the repository (files or Git LFS pointers) against
 * their manifest digests, checks the shards of a safetensors index, and
 * collects the tensor headers that can be read into `facts.tensors`.
 */
export async function loadWeights(
  reader: ArtifactReader,
  progress?: (message: string) => void,
): Promise<void> {
  const { facts } = reader;
  const tensors = new Map<string, TensorLocation>();
  let anyHeader = false;
  const { weights, weights_index: indexRef } = facts.manifest.artifacts;
  for (const [index, weight] of weights.entries()) {
    if (!weight.path) continue;
    const key = ['artifacts', 'weights', index, 'path'] as const;
    const path = await reader.locate(key, weight.path);
    if (path === undefined) continue;
    const file = await inspectWeightFile(reader, key, path, progress);
    if (!file) continue;
    facts.weightFiles.set(index, file);
    checkDigest(reader, key, file, weight.sha256, weight.size);
    if (file.kind === 'file' && path.endsWith('.safetensors')) {
      const header = await readHeader(reader, key, path, path);
      if (header) {
        anyHeader = true;
        for (const [name, info] of header) tensors.set(name, { ...info, file: path });
      }
    }
  }
  if (indexRef) anyHeader = (await loadShards(reader, indexRef, tensors)) || anyHeader;
  if (anyHeader) facts.tensors = tensors;
}

/** Reads the index, checks every shard, and adds the tensors of the shards whose header is readable. */
async function loadShards(
  reader: ArtifactReader,
  indexRef: string,
  tensors: Map<string, TensorLocation>,
): Promise<boolean> {
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
    const header = await readHeader(
      reader,
      'weights_index',
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
    for (const [name, info] of header) tensors.set(name, { ...info, file: resolved.path });
  }
  return anyHeader;
}

/** An LFS pointer is recognised from its first bytes; anything else is streamed through sha256. */
async function inspectWeightFile(
  reader: ArtifactReader,
  key: YamlPath,
  path: string,
  progress?: (message: string) => void,
): Promise<WeightFile | undefined> {
  const head = await reader.source.readRange(path, 0, LFS_POINTER_MAX_BYTES + 1);
  if (!head.ok) return reader.unreadable(key, path, head.problem);
  const pointer = parseLfsPointer(head.value);
  if (pointer) return { kind: 'lfs-pointer', path, pointer };
  progress?.(`sha256 ${path}`);
  const digest = await reader.source.sha256(path);
  if (!digest.ok) return reader.unreadable(key, path, digest.problem);
  return { kind: 'file', path, ...digest.value };
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
 * end, overlapping tensors, sizes that disagree with dtype x shape) is
 * ARTIFACT-INVALID naming the tensor, for a weights file and a shard alike.
 */
async function readHeader(
  reader: ArtifactReader,
  key: ManifestKey,
  path: string,
  label: string,
): Promise<Map<string, TensorInfo> | undefined> {
  const stat = await reader.source.stat(path);
  if (stat.kind !== 'file') return undefined;
  try {
    const first = await reader.source.readRange(path, 0, 8);
    if (!first.ok) throw new Error(first.problem.detail);
    const length = safetensorsHeaderLength(first.value, stat.size);
    const header = await reader.source.readRange(path, 8, length);
    if (!header.ok) throw new Error(header.problem.detail);
    return parseSafetensorsHeader(header.value, stat.size - 8 - length);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    reader.add(
      'ARTIFACT-INVALID',
      key,
      `${label} is not a readable safetensors file: ${error.message}`,
      'Re-export the weights with safetensors (save_file or save_pretrained), which writes a header that matches the data.',
      path,
    );
    return undefined;
  }
}

function preview(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
