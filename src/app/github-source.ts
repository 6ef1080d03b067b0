import { createHash } from 'node:crypto';
import { checkRepoPath } from '../core/repo-path.js';
import type { ArtifactSource, Read, ReadProblem, SourceStat } from '../core/source.js';
import { statusOf, type Octokit } from '../io/github/octokit.js';

/** GitHub's git blobs API serves files up to 100 MB; nothing larger is read through it. */
const MAX_GITHUB_FILE_BYTES = 100 * 1024 * 1024;

type Entry =
  | { kind: 'file'; path: string; size: number; sha: string; content?: Uint8Array }
  | Exclude<SourceStat, { kind: 'file' }>
  | { kind: 'io'; detail: string };

/**
 * The repository at a ref, read through GitHub's contents API: what the app
 * reads of a release (datasets, results, schemas) without a checkout. The
 * containment rule holds as on disk: the path is checked before any request
 * (relative, inside the root, never `.git/`); only regular files are read
 * (a folder, a submodule, or a symlink GitHub does not resolve to a file in
 * the repository is refused); every read is capped, and a body whose length
 * is not the size GitHub stated is refused.
 */
export class GitHubContentsSource implements ArtifactSource {
  private readonly entries = new Map<string, Promise<Entry>>();

  constructor(
    private readonly octokit: Octokit,
    private readonly repo: { owner: string; repo: string },
    private readonly ref: string,
  ) {}

  get label(): string {
    return this.ref;
  }

  async stat(path: string): Promise<SourceStat> {
    const entry = await this.entry(path);
    if (entry.kind === 'file') return { kind: 'file', size: entry.size };
    if (entry.kind === 'io') return { kind: 'not-a-file', detail: entry.detail };
    return entry;
  }

  async resolve(path: string): Promise<string | undefined> {
    const entry = await this.entry(path);
    return entry.kind === 'file' ? entry.path : undefined;
  }

  async read(path: string, maxBytes: number): Promise<Read<Uint8Array>> {
    const entry = await this.entry(path);
    if (entry.kind !== 'file') return { ok: false, problem: problemOf(entry, this.ref) };
    const limit = Math.min(maxBytes, MAX_GITHUB_FILE_BYTES);
    if (entry.size > limit)
      return {
        ok: false,
        problem: {
          kind: 'too-large',
          detail: `it is ${entry.size} bytes at ${this.ref}, more than the ${limit} read for this kind of file`,
        },
      };
    let bytes = entry.content;
    if (!bytes) {
      // Above 1 MB the contents API sends no content: the blob API has it, by the sha it named.
      try {
        const { data } = await this.octokit.rest.git.getBlob({ ...this.repo, file_sha: entry.sha });
        bytes = data.encoding === 'base64' ? Buffer.from(data.content, 'base64') : undefined;
      } catch (error) {
        return {
          ok: false,
          problem: {
            kind: 'io',
            detail: `GitHub did not serve it (${statusOf(error) ?? (error as Error).message})`,
          },
        };
      }
    }
    if (!bytes || bytes.length !== entry.size)
      return {
        ok: false,
        problem: { kind: 'io', detail: `GitHub's answer for it is not the ${entry.size} bytes it stated` },
      };
    return { ok: true, value: bytes };
  }

  async readRange(path: string, offset: number, length: number): Promise<Read<Uint8Array>> {
    const whole = await this.read(path, MAX_GITHUB_FILE_BYTES);
    return whole.ok ? { ok: true, value: whole.value.subarray(offset, offset + length) } : whole;
  }

  async sha256(path: string): Promise<Read<{ sha256: string; size: number }>> {
    const whole = await this.read(path, MAX_GITHUB_FILE_BYTES);
    if (!whole.ok) return whole;
    return {
      ok: true,
      value: { sha256: createHash('sha256').update(whole.value).digest('hex'), size: whole.value.length },
    };
  }

  private entry(path: string): Promise<Entry> {
    let entry = this.entries.get(path);
    if (!entry) {
      entry = this.fetchEntry(path);
      this.entries.set(path, entry);
    }
    return entry;
  }

  private async fetchEntry(path: string): Promise<Entry> {
    const checked = checkRepoPath(path);
    if (!checked.ok) return { kind: 'outside', detail: checked.reason };
    if (!checked.path) return { kind: 'not-a-file', detail: 'is the repository root' };
    let data: unknown;
    try {
      ({ data } = await this.octokit.rest.repos.getContent({
        ...this.repo,
        path: checked.path,
        ref: this.ref,
      }));
    } catch (error) {
      if (statusOf(error) === 404) return { kind: 'missing' };
      return {
        kind: 'io',
        detail: `GitHub did not answer for it (${statusOf(error) ?? (error as Error).message})`,
      };
    }
    if (Array.isArray(data)) return { kind: 'not-a-file', detail: `is a directory at ${this.ref}` };
    const item = data as {
      type?: unknown;
      path?: unknown;
      size?: unknown;
      sha?: unknown;
      encoding?: unknown;
      content?: unknown;
    };
    if (item.type === 'dir') return { kind: 'not-a-file', detail: `is a directory at ${this.ref}` };
    if (item.type === 'submodule') return { kind: 'not-a-file', detail: `is a git submodule at ${this.ref}` };
    if (item.type === 'symlink')
      // GitHub resolves a symlink to a file in the repository itself; one it describes instead leads out or to a folder.
      return {
        kind: 'outside',
        detail: `is a symlink at ${this.ref} that does not lead to a file in the repository`,
      };
    if (item.type !== 'file' || typeof item.path !== 'string' || typeof item.sha !== 'string')
      return { kind: 'not-a-file', detail: `is not a regular file at ${this.ref}` };
    if (typeof item.size !== 'number' || !Number.isSafeInteger(item.size) || item.size < 0)
      return { kind: 'io', detail: `GitHub stated no usable size for it` };
    // A symlink GitHub followed answers with its target: that path is held to the same rule.
    const target = checkRepoPath(item.path);
    if (!target.ok) return { kind: 'outside', detail: `leads to ${item.path}, which ${target.reason}` };
    const content =
      item.encoding === 'base64' && typeof item.content === 'string' && item.content.length > 0
        ? Buffer.from(item.content, 'base64')
        : item.size === 0
          ? new Uint8Array()
          : undefined;
    return {
      kind: 'file',
      path: target.path,
      size: item.size,
      sha: item.sha,
      ...(content ? { content } : {}),
    };
  }
}

function problemOf(entry: Exclude<Entry, { kind: 'file' }>, ref: string): ReadProblem {
  if (entry.kind === 'missing') return { kind: 'missing', detail: `it does not exist at ${ref}` };
  return { kind: entry.kind, detail: entry.detail };
}
