import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { WeightMemo } from '../core/model/weight-memo.js';
import type { ArtifactSource, Read, SourceStat } from '../core/source.js';
import { ContainedRoot, type ContainedFile, type Located } from './contained-path.js';

const HASH_CHUNK = 4 * 1024 * 1024;

/**
 * The working tree as an ArtifactSource. Every path goes through the one
 * containment rule (ContainedRoot): nothing outside the root, in `.git/`,
 * behind a symlinked folder, or that is not a regular file is ever opened.
 */
export class FileSystemSource implements ArtifactSource {
  readonly label = 'the working tree';
  readonly contained: ContainedRoot;
  /** Weights hashed and headers parsed once per file for this source's life (one run), however often they are named. */
  readonly weightMemo = new WeightMemo((path) => this.fileIdentity(path));

  constructor(readonly root: string) {
    this.contained = new ContainedRoot(root);
  }

  async stat(path: string): Promise<SourceStat> {
    const located = await this.contained.locate(path);
    return located.kind === 'file' ? { kind: 'file', size: located.size } : located;
  }

  async resolve(path: string): Promise<string | undefined> {
    const located = await this.contained.locate(path);
    return located.kind === 'file' ? located.resolved : undefined;
  }

  /**
   * The file `path` leads to, as the memo keys it: its resolved path and the
   * inode, size and times that change when the file is rewritten (a file
   * restored between two loads is read again).
   */
  private async fileIdentity(path: string): Promise<string | undefined> {
    const located = await this.contained.locate(path);
    if (located.kind !== 'file') return undefined;
    const info = await stat(located.real, { bigint: true }).catch(() => undefined);
    if (!info) return undefined;
    return [located.resolved, info.dev, info.ino, info.size, info.mtimeNs, info.ctimeNs].join('\0');
  }

  async read(path: string, maxBytes: number): Promise<Read<Uint8Array>> {
    const located = await this.contained.locate(path);
    if (located.kind !== 'file') return refused(located);
    if (located.size > maxBytes) return tooLarge(located.size, maxBytes);
    return this.range(located, 0, maxBytes, maxBytes);
  }

  async readRange(path: string, offset: number, length: number): Promise<Read<Uint8Array>> {
    const located = await this.contained.locate(path);
    if (located.kind !== 'file') return refused(located);
    return this.range(located, offset, length);
  }

  async sha256(path: string): Promise<Read<{ sha256: string; size: number }>> {
    const located = await this.contained.locate(path);
    if (located.kind !== 'file') return refused(located);
    const hash = createHash('sha256');
    let size = 0;
    try {
      const { handle } = await this.contained.open(located);
      try {
        for await (const chunk of handle.createReadStream({ highWaterMark: HASH_CHUNK, autoClose: false })) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
      } finally {
        await handle.close();
      }
    } catch (error) {
      return { ok: false, problem: { kind: 'io', detail: (error as Error).message } };
    }
    return { ok: true, value: { sha256: hash.digest('hex'), size } };
  }

  /** Reads from an opened handle; a file that grew past `maxBytes` since it was located is refused. */
  private async range(
    file: ContainedFile,
    offset: number,
    length: number,
    maxBytes?: number,
  ): Promise<Read<Uint8Array>> {
    try {
      const { handle, size } = await this.contained.open(file);
      try {
        if (maxBytes !== undefined && size > maxBytes) return tooLarge(size, maxBytes);
        const wanted = Math.max(0, Math.min(length, size - offset));
        const buffer = Buffer.alloc(wanted);
        let done = 0;
        while (done < wanted) {
          const { bytesRead } = await handle.read(buffer, done, wanted - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return { ok: true, value: buffer.subarray(0, done) };
      } finally {
        await handle.close();
      }
    } catch (error) {
      return { ok: false, problem: { kind: 'io', detail: (error as Error).message } };
    }
  }
}

function refused(located: Exclude<Located, ContainedFile>): Read<never> {
  return {
    ok: false,
    problem: {
      kind: located.kind,
      detail: located.kind === 'missing' ? 'it does not exist' : located.detail,
    },
  };
}

function tooLarge(size: number, maxBytes: number): Read<never> {
  return {
    ok: false,
    problem: {
      kind: 'too-large',
      detail: `it is ${size} bytes, more than the ${maxBytes} read for this kind of file`,
    },
  };
}
