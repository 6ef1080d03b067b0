/** A Git LFS pointer file: the object's sha256 and size, without the object. */
export interface LfsPointer {
  oid: string;
  size: number;
}

/** Pointer files are small text files; anything longer is the real content. */
export const LFS_POINTER_MAX_BYTES = 1024;

/**
 * Parses a Git LFS pointer (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md),
 * or returns undefined when the bytes are not one.
 */
export function parseLfsPointer(bytes: Uint8Array): LfsPointer | undefined {
  if (bytes.length > LFS_POINTER_MAX_BYTES) return undefined;
  const text = new TextDecoder().decode(bytes);
  if (!text.startsWith('version https://git-lfs.github.com/spec/')) return undefined;
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)?.[1];
  const size = /^size (\d{1,16})$/m.exec(text)?.[1];
  // A size no double holds exactly is no real object's: the bytes are then judged as a file (and fail their digest).
  if (!oid || size === undefined || !Number.isSafeInteger(Number(size))) return undefined;
  return { oid, size: Number(size) };
}
