/**
 * Writes a real safetensors file (8-byte little-endian header length, JSON
 * header, tensor bytes) with zero-filled tensors: small shapes keep it tiny.
 */
export function safetensors(tensors: Record<string, { dtype?: string; shape: number[] }>): Buffer {
  const bytesPer: Record<string, number> = { F32: 4, F16: 2, BF16: 2, I64: 8, U8: 1 };
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, { dtype = 'F16', shape }] of Object.entries(tensors)) {
    const size = shape.reduce((a, b) => a * b, 1) * (bytesPer[dtype] ?? 2);
    header[name] = { dtype, shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // the format pads the header to 8 bytes
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([length, Buffer.from(json), Buffer.alloc(offset)]);
}

/** A Git LFS pointer file for content with this digest and size. */
export function lfsPointer(sha256: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;
}
