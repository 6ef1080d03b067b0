/** Decodes UTF-8 (a BOM is dropped; invalid bytes become U+FFFD and fail the parse that follows). */
export function decodeUtf8(bytes: Uint8Array): string {
  // Buffer's decoder is markedly faster than TextDecoder on multi-megabyte tokenizer files.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** 1536 -> "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
