import { describeJsonShapeProblem, findJsonShapeProblem } from '../model/json-shape.js';

/** The safetensors format caps its JSON header at 100 MB; anything larger is not a safetensors file. */
const SAFETENSORS_MAX_HEADER = 100_000_000;

/** A tensor as its header declares it. */
export interface TensorInfo {
  dtype: string;
  shape: number[];
}

/**
 * Bits per element of every dtype the safetensors format defines
 * (safetensors/src/tensor.rs, Dtype). A dtype outside this list is one no
 * safetensors reader loads.
 */
const DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
};

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
  if (length < 2n) throw new Error(`the header claims ${length} bytes, too short for a JSON object`);
  return Number(length);
}

/** A tensor's place in the data buffer, as the header states it. */
interface Placed {
  name: string;
  begin: number;
  end: number;
}

/**
 * Parses the JSON header (the bytes after the length) into tensor name ->
 * dtype and shape, and checks that it tells the truth about the `dataSize`
 * bytes that follow it (file size - 8 - header length), as the safetensors
 * loader does: every tensor has a known dtype, a shape of non-negative
 * integers and data_offsets [begin, end] with begin <= end <= dataSize, its
 * byte count is dtype x shape, and the tensors tile the data exactly (no
 * overlap, no gap, nothing after the last). Throws an Error naming the tensor.
 */
export function parseSafetensorsHeader(bytes: Uint8Array, dataSize: number): Map<string, TensorInfo> {
  const shape = findJsonShapeProblem(bytes);
  if (shape) throw new Error(`the header is too large to judge: ${describeJsonShapeProblem(shape)}`);
  const json: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error('the header is not a JSON object');
  const tensors = new Map<string, TensorInfo>();
  const placed: Placed[] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const tensor = readTensor(name, value, dataSize);
    tensors.set(name, { dtype: tensor.dtype, shape: tensor.shape });
    placed.push({ name, begin: tensor.begin, end: tensor.end });
  }
  checkTiling(placed, dataSize);
  return tensors;
}

function readTensor(
  name: string,
  value: unknown,
  dataSize: number,
): TensorInfo & { begin: number; end: number } {
  const label = `tensor ${JSON.stringify(name)}`;
  const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
  if (typeof info !== 'object' || info === null || Array.isArray(info))
    throw new Error(`${label} is not an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = info;
  if (typeof dtype !== 'string' || DTYPE_BITS[dtype] === undefined)
    throw new Error(`${label} has dtype ${JSON.stringify(dtype)}, which is not a safetensors dtype`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0))
    throw new Error(`${label} has shape ${JSON.stringify(shape)}: dimensions are non-negative integers`);
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)
  )
    throw new Error(
      `${label} has data_offsets ${JSON.stringify(offsets)}: they are [begin, end] byte offsets`,
    );
  const [begin, end] = offsets as [number, number];
  const where = `${label} has data_offsets [${begin}, ${end}]`;
  if (begin > end) throw new Error(`${where}: it begins after it ends`);
  if (end > dataSize)
    throw new Error(`${where}, past the end of the data (${dataSize} bytes after the header)`);
  // BigInt: a shape such as [2^40, 2^40] must not round to a size that happens to match.
  const bits = (shape as number[]).reduce((n, d) => n * BigInt(d), 1n) * BigInt(DTYPE_BITS[dtype]!);
  if (bits % 8n !== 0n || bits / 8n !== BigInt(end - begin)) {
    const expected = bits % 8n === 0n ? `${bits / 8n} bytes` : `${bits} bits, not whole bytes`;
    throw new Error(
      `${where}, ${end - begin} bytes, but ${dtype} [${(shape as number[]).join(', ')}] is ${expected}`,
    );
  }
  return { dtype, shape: shape as number[], begin, end };
}

/** The tensors cover the data exactly once, in some order: the loader refuses overlaps, holes and trailing bytes. */
function checkTiling(placed: Placed[], dataSize: number): void {
  placed.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: Placed | undefined;
  for (const tensor of placed) {
    if (tensor.begin < covered && previous) {
      throw new Error(
        `tensors ${JSON.stringify(previous.name)} [${previous.begin}, ${previous.end}] and ${JSON.stringify(tensor.name)} [${tensor.begin}, ${tensor.end}] overlap`,
      );
    }
    if (tensor.begin > covered) {
      throw new Error(
        `bytes ${covered} to ${tensor.begin} of the data belong to no tensor (before ${JSON.stringify(tensor.name)})`,
      );
    }
    covered = tensor.end;
    previous = tensor;
  }
  if (covered < dataSize) {
    throw new Error(
      `the data holds ${dataSize} bytes but its tensors end at byte ${covered}: ${dataSize - covered} bytes belong to no tensor`,
    );
  }
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
