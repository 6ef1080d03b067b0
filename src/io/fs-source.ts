import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readlink, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { ArtifactSource, Read, SourceStat } from '../core/source.js';

const HASH_CHUNK = 4 * 1024 * 1024;

/**
 * The working tree as an ArtifactSource. Every path is checked after
 * resolving symlinks: a link that leads out of the repository is "outside",
 * and nothing behind it is read.
 */
export class FileSystemSource implements ArtifactSource {
  readonly label = 'the working tree';
  private rootReal?: Promise<string>;

  constructor(private readonly root: string) {}

  async stat(path: string): Promise<SourceStat> {
    const located = await this.locate(path);
    if (located.kind !== 'file') return located;
    return { kind: 'file', size: located.size };
  }

  async read(path: string, maxBytes: number): Promise<Read<Uint8Array>> {
    const located = await this.locate(path);
    if (located.kind !== 'file')
      return { ok: false, problem: { kind: located.kind, detail: describe(located) } };
    if (located.size > maxBytes) {
      return {
        ok: false,
        problem: {
          kind: 'too-large',
          detail: `it is ${located.size} bytes, more than the ${maxBytes} read for this kind of file`,
        },
      };
    }
    return this.range(located.real, 0, located.size);
  }

  async readRange(path: string, offset: number, length: number): Promise<Read<Uint8Array>> {
    const located = await this.locate(path);
    if (located.kind !== 'file')
      return { ok: false, problem: { kind: located.kind, detail: describe(located) } };
    return this.range(located.real, offset, Math.max(0, Math.min(length, located.size - offset)));
  }

  async sha256(path: string): Promise<Read<{ sha256: string; size: number }>> {
    const located = await this.locate(path);
    if (located.kind !== 'file')
      return { ok: false, problem: { kind: located.kind, detail: describe(located) } };
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of createReadStream(located.real, { highWaterMark: HASH_CHUNK })) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
    } catch (error) {
      return { ok: false, problem: { kind: 'io', detail: (error as Error).message } };
    }
    return { ok: true, value: { sha256: hash.digest('hex'), size } };
  }

  private async range(real: string, offset: number, length: number): Promise<Read<Uint8Array>> {
    const handle = await open(real, 'r');
    try {
      const buffer = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return { ok: true, value: buffer.subarray(0, done) };
    } catch (error) {
      return { ok: false, problem: { kind: 'io', detail: (error as Error).message } };
    } finally {
      await handle.close();
    }
  }

  private async locate(
    path: string,
  ): Promise<
    | (SourceStat & { kind: Exclude<SourceStat['kind'], 'file'> })
    | { kind: 'file'; size: number; real: string }
  > {
    const rootReal = await (this.rootReal ??= realpath(this.root));
    const absolute = join(this.root, path);
    let real: string;
    try {
      real = await realpath(absolute);
    } catch {
      return { kind: 'missing' }; // also a dangling symlink
    }
    const rel = relative(rootReal, real);
    if (rel.split(sep)[0] === '..' || isAbsolute(rel)) {
      const target = await readlink(absolute).catch(() => real);
      return { kind: 'outside', detail: `is a symlink to ${target}, outside the repository` };
    }
    const info = await stat(real);
    if (!info.isFile())
      return { kind: 'not-a-file', detail: info.isDirectory() ? 'is a directory' : 'is not a regular file' };
    return { kind: 'file', size: info.size, real };
  }
}

function describe(stat: SourceStat): string {
  if (stat.kind === 'missing') return 'it does not exist';
  return 'detail' in stat ? stat.detail : stat.kind;
}
