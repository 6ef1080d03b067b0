/** The safetensors format caps its JSON header at 100 MB; anything larger is not a safetensors file. */
export const SAFETENSORS_MAX_HEADER = 100_000_000;

export interface TensorInfo {
  dtype: string;
  shape: number[];
}

/**
 * Reads the header length from a safetensors file's first 8 bytes (u64,
 * little-endian) and checks it against the file size, so a hostile length
 * (2^60) is refused before anything is allocated.
 */
export function safetensorsHeaderLength(first8: Uint8Array, fileSize: number): number {
  if (first8.length < 8) throw new Error(`the file is ${fileSize} bytes, too short for a safetensors header`);
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const length = view.getBigUint64(0, true);
  if (length > BigInt(SAFETENSORS_MAX_HEADER)) {
    throw new Error(
      `the header claims ${length} bytes; safetensors headers are at most ${SAFETENSORS_MAX_HEADER}`,
    );
  }
  if (Number(length) + 8 > fileSize) {
    throw new Error(`the header claims ${length} bytes but the file has only ${fileSize}`);
  }
  return Number(length);
}

/** Parses the JSON header (the bytes after the length) into tensor name -> dtype and shape. */
export function parseSafetensorsHeader(bytes: Uint8Array): Map<string, TensorInfo> {
  const json: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error('the header is not a JSON object');
  const tensors = new Map<string, TensorInfo>();
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const info = value as { dtype?: unknown; shape?: unknown } | null;
    if (
      !info ||
      typeof info.dtype !== 'string' ||
      !Array.isArray(info.shape) ||
      !info.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)
    ) {
      throw new Error(`tensor ${JSON.stringify(name)} has no valid dtype and shape`);
    }
    tensors.set(name, { dtype: info.dtype, shape: info.shape as number[] });
  }
  return tensors;
}

/** model.safetensors.index.json: which shard holds which tensor. */
export function parseSafetensorsIndex(json: unknown): Map<string, string> {
  const map = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map))
    throw new Error('it has no "weight_map" object');
  const result = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(map)) {
    if (typeof shard !== 'string')
      throw new Error(`weight_map[${JSON.stringify(tensor)}] is not a file name`);
    result.set(tensor, shard);
  }
  return result;
}
