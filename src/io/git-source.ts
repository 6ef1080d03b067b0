import { createHash } from 'node:crypto';
import { WeightMemo } from '../core/model/weight-memo.js';
import { checkRepoPath, resolveLinkTarget } from '../core/repo-path.js';
import type { ArtifactSource, Read, SourceStat } from '../core/source.js';
import { git, GitBlobReader, streamBlob } from './git.js';

interface TreeEntry {
  mode: string;
  oid: string;
  size: number;
}

/** How many symlinks a path may pass through before it is refused (as the kernel's ELOOP would). */
const MAX_LINK_HOPS = 8;
/** A symlink's blob is its target path; longer than this it is not one. */
const MAX_LINK_BYTES = 4096;
/**
 * Blobs up to this size are read whole through the one `git cat-file --batch`
 * process; larger ones (weights, a tokenizer's shards) stream from a process
 * of their own, so they are never held whole.
 */
const WHOLE_READ_MAX = 8 * 1024 * 1024;

type Resolved = { kind: 'file'; path: string; entry: TreeEntry } | Exclude<SourceStat, { kind: 'file' }>;

/**
 * The repository at a git ref as an ArtifactSource, read with git itself
 * (ls-tree once, then one `cat-file --batch` for the blobs): nothing is checked out. The same
 * containment rule as the working tree: an in-repository symlinked file is
 * followed to its target (so `--base` compares what each artifact resolves
 * to), a symlinked folder on the way, a link out of the root or into `.git/`
 * is refused.
 */
export class GitRefSource implements ArtifactSource {
  private tree?: Promise<Map<string, TreeEntry>>;
  private readonly links = new Map<string, Promise<string>>();
  private blobs?: GitBlobReader;
  /**
   * Weights hashed and headers parsed once per blob: at a ref a file's
   * content is its blob id, so every path, link or model that leads to one
   * blob shares one pass over it (across refs too, given the memo of another ref's source).
   */
  readonly weightMemo: WeightMemo;

  constructor(
    private readonly cwd: string,
    private readonly ref: string,
    /** The --root folder relative to the top of the repository ("" at the top), looked up on first use. */
    private readonly prefix: () => Promise<string>,
    /** Another ref's memo of the same repository: a blob hashed for the base is not hashed again for a tag. */
    sharing?: WeightMemo,
  ) {
    this.weightMemo = new WeightMemo(async (path) => {
      const resolved = await this.follow(path);
      return resolved.kind === 'file' ? `blob:${resolved.entry.oid}` : undefined;
    }, sharing);
  }

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
    const resolved = await this.follow(path);
    return resolved.kind === 'file' ? { kind: 'file', size: resolved.entry.size } : resolved;
  }

  async resolve(path: string): Promise<string | undefined> {
    const resolved = await this.follow(path);
    return resolved.kind === 'file' ? resolved.path : undefined;
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
    return { ok: true, value: await this.reader().read(entry.value.oid) };
  }

  async readRange(path: string, offset: number, length: number): Promise<Read<Uint8Array>> {
    const entry = await this.file(path);
    if (!entry.ok) return entry;
    const end = Math.min(entry.value.size, offset + length);
    if (entry.value.size <= WHOLE_READ_MAX) {
      const bytes = await this.reader().read(entry.value.oid);
      return { ok: true, value: bytes.subarray(offset, end) };
    }
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
    if (entry.value.size <= WHOLE_READ_MAX) hash.update(await this.reader().read(entry.value.oid));
    else await streamBlob(this.cwd, entry.value.oid, (chunk) => void hash.update(chunk));
    return { ok: true, value: { sha256: hash.digest('hex'), size: entry.value.size } };
  }

  private async file(path: string): Promise<Read<TreeEntry>> {
    const resolved = await this.follow(path);
    if (resolved.kind !== 'file') {
      return {
        ok: false,
        problem: {
          kind: resolved.kind,
          detail: resolved.kind === 'missing' ? `it does not exist at ${this.ref}` : resolved.detail,
        },
      };
    }
    return { ok: true, value: resolved.entry };
  }

  /** Where `path` leads at the ref, under the containment rule. */
  private async follow(path: string): Promise<Resolved> {
    const checked = checkRepoPath(path);
    if (!checked.ok) return { kind: 'outside', detail: checked.reason };
    const entries = await this.entries();
    let current = checked.path;
    for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      const folderLink = this.linkedFolder(entries, current);
      if (folderLink)
        return {
          kind: 'outside',
          detail: `goes through ${folderLink}, a symlinked folder at ${this.ref}; modelgate does not follow symlinked folders`,
        };
      const entry = entries.get(current);
      if (!entry)
        return this.isDirectory(entries, current)
          ? { kind: 'not-a-file', detail: `is a directory at ${this.ref}` }
          : { kind: 'missing' };
      if (entry.mode === '160000') return { kind: 'not-a-file', detail: `is a git submodule at ${this.ref}` };
      if (entry.mode !== '120000') return { kind: 'file', path: current, entry };
      if (entry.size > MAX_LINK_BYTES)
        return { kind: 'not-a-file', detail: 'is a symlink with no usable target' };
      const target = resolveLinkTarget(current, await this.linkTarget(entry.oid));
      if (!target.ok) return { kind: 'outside', detail: `${target.reason} (at ${this.ref})` };
      current = target.path;
    }
    return { kind: 'outside', detail: `passes through more than ${MAX_LINK_HOPS} symlinks at ${this.ref}` };
  }

  /** The first folder of `path` that is a symlink in the tree, if any. */
  private linkedFolder(entries: Map<string, TreeEntry>, path: string): string | undefined {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const folder = segments.slice(0, i).join('/');
      if (entries.get(folder)?.mode === '120000') return folder;
    }
    return undefined;
  }

  private linkTarget(oid: string): Promise<string> {
    let target = this.links.get(oid);
    if (!target) {
      target = this.reader()
        .read(oid)
        .then((b) => b.toString('utf8'));
      this.links.set(oid, target);
    }
    return target;
  }

  private reader(): GitBlobReader {
    this.blobs ??= new GitBlobReader(this.cwd);
    return this.blobs;
  }

  private isDirectory(entries: Map<string, TreeEntry>, path: string): boolean {
    const prefix = `${path}/`;
    for (const key of entries.keys()) if (key.startsWith(prefix)) return true;
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
