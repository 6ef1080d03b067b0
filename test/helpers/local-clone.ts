import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { constants, inflateSync } from 'node:zlib';
import { runOk } from './small-fork.js';

/** A ref as GitHub's git/refs API shows it: an annotated tag's ref names its tag object, any other its commit. */
export interface CloneRef {
  ref: string;
  object: { sha: string; type: 'commit' | 'tag' };
}

const OBJECT_ID = /^[0-9a-f]{40}$/;
/** How git widens a short name, in its order (refs.c, ref_rev_parse_rules). */
const DWIM_RULES = [
  '%s',
  'refs/%s',
  'refs/tags/%s',
  'refs/heads/%s',
  'refs/remotes/%s',
  'refs/remotes/%s/HEAD',
];

/**
 * The fake GitHub's view of its local clone, answered without a git process
 * where git's own files answer it: refs from the loose ref files and
 * packed-refs (re-read on every call, since tests and the product move them
 * between requests), objects from their loose files. Whatever is keyed by an
 * object id is cached for good: an object never changes. Anything else (a
 * packed object, revision syntax, a ref these files do not settle) is asked
 * of git, as the fake always did, so every answer is the one git gives.
 */
export class LocalClone {
  private readonly gitDir: string;
  private readonly types = new Map<string, string>();
  private readonly tagTexts = new Map<string, string>();
  private readonly treeListings = new Map<string, string>();
  /** `git show` output by object, request text and path; null when git found nothing there. */
  private readonly files = new Map<string, Buffer | null>();

  constructor(readonly root: string) {
    this.gitDir = join(root, '.git');
  }

  /** The ref `name` (refs/…), as rev-parse resolves it; undefined when it does not exist or names no commit. */
  ref(name: string): CloneRef | undefined {
    const target = this.resolve(name);
    if (target === undefined) return this.refByGit(name);
    if (target === null) return undefined;
    let type: string;
    try {
      type = this.objectType(target);
    } catch {
      return undefined; // a ref to a missing object: `cat-file -t` failed, no ref
    }
    if (type === 'tag') return { ref: name, object: { sha: target, type: 'tag' } };
    // `rev-parse <name>^{commit}` of a tree or a blob fails: no ref, as before.
    return type === 'commit' ? { ref: name, object: { sha: target, type: 'commit' } } : undefined;
  }

  /** The names of the clone's tags and branches, as `git for-each-ref refs/tags refs/heads` lists them. */
  refNames(): string[] {
    const names = this.refNamesFromFiles();
    if (names) return names;
    return this.git(['for-each-ref', '--format=%(refname)', 'refs/tags', 'refs/heads'])
      .split('\n')
      .filter(Boolean);
  }

  /** The raw text of the annotated tag object `sha` (`git cat-file tag`); undefined when there is none. */
  tagText(sha: string): string | undefined {
    const cached = this.tagTexts.get(sha);
    if (cached !== undefined) return cached;
    let text: string;
    const loose = this.looseObject(sha);
    if (loose?.type === 'tag') text = loose.body.toString('utf8');
    else {
      try {
        text = this.git(['cat-file', 'tag', sha]);
      } catch {
        return undefined; // not (yet) in the clone: asked again next time
      }
    }
    this.tagTexts.set(sha, text);
    return text;
  }

  /** `git ls-tree -r --full-tree <treeish>` (throws as git does); cached when `treeish` is an object id. */
  treeListing(treeish: string): string {
    const cached = this.treeListings.get(treeish);
    if (cached !== undefined) return cached;
    const listing = this.git(['ls-tree', '-r', '--full-tree', treeish]);
    if (OBJECT_ID.test(treeish)) this.treeListings.set(treeish, listing);
    return listing;
  }

  /**
   * `git show <ref>:<path>` (throws as git does). Cached by the object `ref`
   * names now and the text of the request, so a moved branch is read again
   * while the same tag or commit is read once. A path missing from a ref's
   * object stays missing; an object id given as such may arrive later, so
   * only what it showed is kept.
   */
  show(ref: string, path: string): Buffer {
    const given = OBJECT_ID.test(ref);
    const target = given ? ref : this.resolve(ref);
    const key = target ? `${target}\0${ref}\0${path}` : undefined;
    const cached = key === undefined ? undefined : this.files.get(key);
    if (cached === null) throw new Error(`git show ${ref}:${path} failed (remembered)`);
    if (cached) return cached;
    let content: Buffer;
    try {
      content = runOk('git', ['show', `${ref}:${path}`], { cwd: this.root });
    } catch (error) {
      if (key !== undefined && !given && this.resolve(ref) === target) this.files.set(key, null);
      throw error;
    }
    // Kept only when the ref still names the same object: a process (the bundled Action) may
    // have moved it while git read the file.
    if (key !== undefined && (given || this.resolve(ref) === target)) this.files.set(key, content);
    return content;
  }

  /** A blob's bytes (`git cat-file blob <sha>`), or undefined when the clone has no such blob. */
  blob(sha: string): Buffer | undefined {
    if (!OBJECT_ID.test(sha)) return undefined;
    try {
      return runOk('git', ['cat-file', 'blob', sha], { cwd: this.root });
    } catch {
      return undefined;
    }
  }

  /** The tree of commit `id` (`git rev-parse <id>^{tree}`), from its loose object when there is one. */
  treeOf(id: string): string {
    const commit = this.looseObject(id);
    const tree =
      commit?.type === 'commit'
        ? /^tree ([0-9a-f]{40})\n/.exec(commit.body.toString('latin1'))?.[1]
        : undefined;
    return tree ?? this.git(['rev-parse', `${id}^{tree}`]).trim();
  }

  /**
   * The object id `name` resolves to, following git's order for a short name;
   * null when no ref has that name; undefined when the files cannot settle it
   * (revision syntax, a name git might read as an abbreviated id, a symbolic
   * or broken ref these rules do not follow): ask git.
   */
  resolve(name: string): string | null | undefined {
    if (!isPlainRefName(name) || !this.hasOwnGitDir()) return undefined;
    const packed = this.packedRefs();
    if (packed === undefined) return undefined;
    for (const rule of DWIM_RULES) {
      const full = rule.replace('%s', name);
      // git reads names outside refs/ only when they are all capitals (HEAD, FETCH_HEAD, …).
      if (!full.startsWith('refs/') && !/^[A-Z_]+$/.test(full)) continue;
      if (!full.startsWith('refs/') && full !== 'HEAD') return undefined;
      const id = this.readRef(full, packed, 0);
      if (id !== null) return id;
    }
    // Unmatched, git tries the name as an abbreviated id or `git describe` output.
    return /^[0-9a-f]{4,39}$/.test(name) || /-g[0-9a-f]{4,}$/.test(name) ? undefined : null;
  }

  /** The id a full ref name holds (following symbolic refs); null when it is absent; undefined when unclear. */
  private readRef(full: string, packed: Map<string, string>, depth: number): string | null | undefined {
    let text: string | undefined;
    try {
      text = readFileSync(join(this.gitDir, full), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A folder (refs/tags/a when looking up refs/tags) is not a ref: git then reads packed-refs too.
      if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'ENOTDIR') return undefined;
    }
    if (text === undefined) return packed.get(full) ?? null;
    const id = /^([0-9a-f]{40})\s*$/.exec(text)?.[1];
    if (id) return id;
    const symbolic = /^ref: (refs\/\S+)\s*$/.exec(text)?.[1];
    if (!symbolic || depth >= 5) return undefined;
    const target = this.readRef(symbolic, packed, depth + 1);
    // An unborn branch (HEAD before the first commit): let git say what that means.
    return target === null ? undefined : target;
  }

  /** packed-refs as name -> id (peeled `^` lines skipped: a ref names what it holds); undefined when unreadable. */
  private packedRefs(): Map<string, string> | undefined {
    const refs = new Map<string, string>();
    let text: string;
    try {
      text = readFileSync(join(this.gitDir, 'packed-refs'), 'utf8');
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? refs : undefined;
    }
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#') || line.startsWith('^')) continue;
      const entry = /^([0-9a-f]{40}) (refs\/\S+)$/.exec(line);
      if (!entry) return undefined;
      refs.set(entry[2]!, entry[1]!);
    }
    return refs;
  }

  private refNamesFromFiles(): string[] | undefined {
    if (!this.hasOwnGitDir()) return undefined;
    const packed = this.packedRefs();
    if (packed === undefined) return undefined;
    const names = new Set<string>();
    for (const [name, id] of packed) {
      if (!name.startsWith('refs/tags/') && !name.startsWith('refs/heads/')) continue;
      if (!existsSync(this.objectPath(id))) return undefined; // as for a loose ref below
      names.add(name);
    }
    for (const top of ['refs/tags', 'refs/heads']) {
      const loose = this.looseRefNames(top);
      if (!loose) return undefined;
      for (const name of loose) names.add(name);
    }
    // for-each-ref sorts by the bytes of the name.
    return [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  /** Loose refs under `folder`, each holding an object id; undefined for anything git might list otherwise. */
  private looseRefNames(folder: string): string[] | undefined {
    let entries;
    try {
      entries = readdirSync(join(this.gitDir, folder), { withFileTypes: true });
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? [] : undefined;
    }
    const names: string[] = [];
    for (const entry of entries) {
      // git skips dot files and lock files of refs being written.
      if (entry.name.startsWith('.') || entry.name.endsWith('.lock')) continue;
      const name = `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        const inner = this.looseRefNames(name);
        if (!inner) return undefined;
        names.push(...inner);
      } else if (entry.isFile() && isPlainRefName(name)) {
        const text = readFileSync(join(this.gitDir, name), 'utf8');
        const id = /^([0-9a-f]{40})\s*$/.exec(text)?.[1];
        // Symbolic, broken, or naming an object that is not loose (for-each-ref skips missing ones): git decides.
        if (!id || !existsSync(this.objectPath(id))) return undefined;
        names.push(name);
      } else return undefined;
    }
    return names;
  }

  /** An object's type (`git cat-file -t`), from its loose file when there is one. */
  private objectType(id: string): string {
    const cached = this.types.get(id);
    if (cached !== undefined) return cached;
    const type = this.looseObjectType(id) ?? this.git(['cat-file', '-t', id]).trim();
    this.types.set(id, type);
    return type;
  }

  /** The type in a loose object's header, inflating only its first bytes (a blob may be tens of MB). */
  private looseObjectType(id: string): string | undefined {
    let head: Buffer;
    try {
      const fd = openSync(this.objectPath(id), 'r');
      try {
        head = Buffer.alloc(256);
        head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined;
    }
    try {
      const header = inflateSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
      return /^(commit|tree|blob|tag) \d+\0/.exec(header.toString('latin1'))?.[1];
    } catch {
      return undefined;
    }
  }

  /** A loose object's type and content; undefined when it is not loose (packed, or absent). */
  private looseObject(id: string): { type: string; body: Buffer } | undefined {
    if (!OBJECT_ID.test(id)) return undefined;
    let raw: Buffer;
    try {
      raw = inflateSync(readFileSync(this.objectPath(id)));
    } catch {
      return undefined;
    }
    const nul = raw.indexOf(0);
    const header = /^(commit|tree|blob|tag) (\d+)$/.exec(raw.subarray(0, nul).toString('latin1'));
    if (!header || Number(header[2]) !== raw.length - nul - 1) return undefined;
    return { type: header[1]!, body: raw.subarray(nul + 1) };
  }

  private objectPath(id: string): string {
    return join(this.gitDir, 'objects', id.slice(0, 2), id.slice(2));
  }

  /** Only a plain .git folder is read directly (not a worktree's .git file, nor a GIT_DIR from the environment). */
  private hasOwnGitDir(): boolean {
    if (process.env.GIT_DIR || process.env.GIT_OBJECT_DIRECTORY) return false;
    try {
      // A reftable repository (git >= 2.45, init.defaultRefFormat) keeps no ref files: ask git.
      return statSync(this.gitDir).isDirectory() && !existsSync(join(this.gitDir, 'reftable'));
    } catch {
      return false;
    }
  }

  private refByGit(name: string): CloneRef | undefined {
    try {
      const target = this.git(['rev-parse', '--verify', '--quiet', name]).trim();
      if (target && this.objectType(target) === 'tag')
        return { ref: name, object: { sha: target, type: 'tag' } };
      const sha = this.git(['rev-parse', '--verify', '--quiet', `${name}^{commit}`]).trim();
      return sha ? { ref: name, object: { sha, type: 'commit' } } : undefined;
    } catch {
      return undefined;
    }
  }

  private git(args: string[]): string {
    return runOk('git', args, { cwd: this.root }).toString('utf8');
  }
}

/**
 * A name git's revision parser takes as nothing but a ref name (no `~`, `^`,
 * `:`, `@{`, `..`, …, and not an option); others are left to git.
 */
function isPlainRefName(name: string): boolean {
  return (
    /^[A-Za-z0-9_][A-Za-z0-9._@#+\-/]*$/.test(name) &&
    name !== '@' &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.includes('@{') &&
    !name.includes('/.') &&
    !name.endsWith('/') &&
    !name.endsWith('.') &&
    !/\.lock(\/|$)/.test(name)
  );
}
