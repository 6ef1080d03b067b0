import { createHash } from 'node:crypto';
import type { ArtifactSource, Read, SourceStat } from '../core/source.js';
import { git, streamBlob } from './git.js';

interface TreeEntry {
  mode: string;
  oid: string;
  size: number;
}

/**
 * The repository at a git ref as an ArtifactSource, read with git itself
 * (ls-tree once, then cat-file per blob): nothing is checked out.
 */
export class GitRefSource implements ArtifactSource {
  private tree?: Promise<Map<string, TreeEntry>>;

  constructor(
    private readonly cwd: string,
    private readonly ref: string,
    /** The --root folder relative to the top of the repository ("" at the top), looked up on first use. */
    private readonly prefix: () => Promise<string>,
  ) {}

  get label(): string {
    return this.ref;
  }

  /** Every file path at the ref, relative to the root folder. */
  async paths(): Promise<string[]> {
    return [...(await this.entries()).keys()];
  }

  /** The git object behind a file at the ref: blob id and mode, as GitHub has them too. */
  async blob(path: string): Promise<{ sha: string; mode: string } | undefined> {
    const entry = (await this.entries()).get(path);
    return entry && { sha: entry.oid, mode: entry.mode };
  }

  async stat(path: string): Promise<SourceStat> {
    const entry = (await this.entries()).get(path);
    if (!entry)
      return (await this.isDirectory(path))
        ? { kind: 'not-a-file', detail: 'is a directory' }
        : { kind: 'missing' };
    if (entry.mode === '120000')
      return { kind: 'outside', detail: `is a symlink at ${this.ref}; artifacts must be regular files` };
    if (entry.mode === '160000') return { kind: 'not-a-file', detail: 'is a git submodule' };
    return { kind: 'file', size: entry.size };
  }

  async read(path: string, maxBytes: number): Promise<Read<Uint8Array>> {
    const entry = await this.file(path);
    if (!entry.ok) return entry;
    if (entry.value.size > maxBytes) {
      return {
        ok: false,
        problem: {
          kind: 'too-large',
          detail: `it is ${entry.value.size} bytes at ${this.ref}, more than the ${maxBytes} read for this kind of file`,
        },
      };
    }
    return { ok: true, value: await git(this.cwd, ['cat-file', 'blob', entry.value.oid]) };
  }

  async readRange(path: string, offset: number, length: number): Promise<Read<Uint8Array>> {
    const entry = await this.file(path);
    if (!entry.ok) return entry;
    const end = Math.min(entry.value.size, offset + length);
    const chunks: Buffer[] = [];
    let seen = 0;
    await streamBlob(this.cwd, entry.value.oid, (chunk) => {
      chunks.push(chunk);
      seen += chunk.length;
      return seen < end;
    });
    return { ok: true, value: Buffer.concat(chunks).subarray(offset, end) };
  }

  async sha256(path: string): Promise<Read<{ sha256: string; size: number }>> {
    const entry = await this.file(path);
    if (!entry.ok) return entry;
    const hash = createHash('sha256');
    await streamBlob(this.cwd, entry.value.oid, (chunk) => void hash.update(chunk));
    return { ok: true, value: { sha256: hash.digest('hex'), size: entry.value.size } };
  }

  private async file(path: string): Promise<Read<TreeEntry>> {
    const stat = await this.stat(path);
    if (stat.kind !== 'file') {
      return {
        ok: false,
        problem: {
          kind: stat.kind,
          detail: stat.kind === 'missing' ? `it does not exist at ${this.ref}` : stat.detail,
        },
      };
    }
    return { ok: true, value: (await this.entries()).get(path)! };
  }

  private async isDirectory(path: string): Promise<boolean> {
    const prefix = `${path}/`;
    for (const key of (await this.entries()).keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  private entries(): Promise<Map<string, TreeEntry>> {
    this.tree ??= this.listTree();
    return this.tree;
  }

  private async listTree(): Promise<Map<string, TreeEntry>> {
    const prefix = await this.prefix();
    const out = await git(this.cwd, ['ls-tree', '-r', '-l', '-z', '--full-tree', this.ref]);
    const entries = new Map<string, TreeEntry>();
    for (const record of out.toString('utf8').split('\0')) {
      // "<mode> <type> <oid> <size>\t<path>"
      const tab = record.indexOf('\t');
      if (tab < 0) continue;
      const [mode = '', , oid = '', size = '0'] = record.slice(0, tab).split(/ +/);
      const full = record.slice(tab + 1);
      if (!full.startsWith(prefix)) continue;
      entries.set(full.slice(prefix.length), { mode, oid, size: size === '-' ? 0 : Number(size) });
    }
    return entries;
  }
}
