import { C as CommandError } from './command-BFTcRIcy.js';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { B as compileGlobs, Q as isGitDir, W as WeightMemo, R as streamBlob, c as checkRepoPath, T as resolveLinkTarget, U as GitBlobReader, X as git, F as FileSystemSource, j as GitError, Y as resolveCommit, i as readTags, Z as createTag, _ as repositoryPrefix, $ as gitText } from './state-AWNhEueb.js';
import { createHash } from 'node:crypto';
import 'node:child_process';
import 'node:fs';

/** Folders never walked besides `.git/`: installed packages. */
const SKIPPED = new Set(['node_modules']);
/** Deeper than this, or more entries than that, and the walk stops with an error rather than a partial answer. */
const MAX_DEPTH = 32;
const MAX_ENTRIES = 1_000_000;
/** Manifest globs compiled, or the CommandError (exit 2) that names the unusable one. */
function manifestGlobs(patterns) {
    const compiled = compileGlobs(patterns);
    if (!compiled.ok)
        throw new CommandError(`the manifest glob "${compiled.pattern}" ${compiled.reason}`, 'Write globs relative to the registry root, e.g. models/**/model.yaml (in .github/modelgate.yml: manifests).');
    return compiled;
}
/**
 * The paths under `root` that match `patterns`, sorted, relative with POSIX
 * separators. Unlike a general glob library this walk keeps modelgate's
 * containment rule: it starts only below the root, never enters `.git/`,
 * never follows a symlinked folder (a committed `models/evil -> /` would
 * otherwise walk the host), and it returns every matching entry, not only
 * regular files: a manifest that is a FIFO, a folder or a link out is then
 * reported by the reader instead of silently missing.
 */
async function findFiles(root, patterns) {
    const globs = manifestGlobs(patterns);
    const found = new Set();
    let seen = 0;
    const walk = async (folder, depth) => {
        if (depth > MAX_DEPTH)
            throw new CommandError(`${folder} is more than ${MAX_DEPTH} folders deep`, 'Narrow the manifest globs in .github/modelgate.yml.');
        let entries;
        try {
            entries = await readdir(folder ? join(root, folder) : root, { withFileTypes: true });
        }
        catch {
            return; // a start folder that does not exist matches nothing
        }
        for (const entry of entries) {
            if (++seen > MAX_ENTRIES)
                throw new CommandError(`the manifest globs walk more than ${MAX_ENTRIES} files under ${root}`, 'Narrow the manifest globs in .github/modelgate.yml.');
            if (isGitDir(entry.name) || SKIPPED.has(entry.name))
                continue;
            const path = folder ? `${folder}/${entry.name}` : entry.name;
            if (globs.match(path))
                found.add(path);
            if (entry.isDirectory())
                await walk(path, depth + 1); // a symlink is never a directory entry here
        }
    };
    for (const start of globs.startFolders) {
        if (start && !(await isRealFolder(root, start)))
            continue;
        await walk(start, start ? start.split('/').length : 0);
    }
    return [...found].sort();
}
/** Whether every folder of `path` is a real folder (no symlink on the way). */
async function isRealFolder(root, path) {
    let at = root;
    for (const segment of path.split('/')) {
        if (isGitDir(segment))
            return false;
        at = join(at, segment);
        const info = await lstat(at).catch(() => undefined);
        if (!info?.isDirectory())
            return false;
    }
    return true;
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
/**
 * The repository at a git ref as an ArtifactSource, read with git itself
 * (ls-tree once, then one `cat-file --batch` for the blobs): nothing is checked out. The same
 * containment rule as the working tree: an in-repository symlinked file is
 * followed to its target (so `--base` compares what each artifact resolves
 * to), a symlinked folder on the way, a link out of the root or into `.git/`
 * is refused.
 */
class GitRefSource {
    cwd;
    ref;
    prefix;
    tree;
    links = new Map();
    blobs;
    /**
     * Weights hashed and headers parsed once per blob: at a ref a file's
     * content is its blob id, so every path, link or model that leads to one
     * blob shares one pass over it (across refs too, given the memo of another ref's source).
     */
    weightMemo;
    constructor(cwd, ref, 
    /** The --root folder relative to the top of the repository ("" at the top), looked up on first use. */
    prefix, 
    /** Another ref's memo of the same repository: a blob hashed for the base is not hashed again for a tag. */
    sharing) {
        this.cwd = cwd;
        this.ref = ref;
        this.prefix = prefix;
        this.weightMemo = new WeightMemo(async (path) => {
            const resolved = await this.follow(path);
            return resolved.kind === 'file' ? `blob:${resolved.entry.oid}` : undefined;
        }, sharing);
    }
    get label() {
        return this.ref;
    }
    /** Every file path at the ref, relative to the root folder. */
    async paths() {
        return [...(await this.entries()).keys()];
    }
    /** The git object behind a file at the ref: blob id and mode, as GitHub has them too. */
    async blob(path) {
        const entry = (await this.entries()).get(path);
        return entry && { sha: entry.oid, mode: entry.mode };
    }
    async stat(path) {
        const resolved = await this.follow(path);
        return resolved.kind === 'file' ? { kind: 'file', size: resolved.entry.size } : resolved;
    }
    async resolve(path) {
        const resolved = await this.follow(path);
        return resolved.kind === 'file' ? resolved.path : undefined;
    }
    async read(path, maxBytes) {
        const entry = await this.file(path);
        if (!entry.ok)
            return entry;
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
    async readRange(path, offset, length) {
        const entry = await this.file(path);
        if (!entry.ok)
            return entry;
        const end = Math.min(entry.value.size, offset + length);
        if (entry.value.size <= WHOLE_READ_MAX) {
            const bytes = await this.reader().read(entry.value.oid);
            return { ok: true, value: bytes.subarray(offset, end) };
        }
        const chunks = [];
        let seen = 0;
        await streamBlob(this.cwd, entry.value.oid, (chunk) => {
            chunks.push(chunk);
            seen += chunk.length;
            return seen < end;
        });
        return { ok: true, value: Buffer.concat(chunks).subarray(offset, end) };
    }
    async sha256(path) {
        const entry = await this.file(path);
        if (!entry.ok)
            return entry;
        const hash = createHash('sha256');
        if (entry.value.size <= WHOLE_READ_MAX)
            hash.update(await this.reader().read(entry.value.oid));
        else
            await streamBlob(this.cwd, entry.value.oid, (chunk) => void hash.update(chunk));
        return { ok: true, value: { sha256: hash.digest('hex'), size: entry.value.size } };
    }
    async file(path) {
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
    async follow(path) {
        const checked = checkRepoPath(path);
        if (!checked.ok)
            return { kind: 'outside', detail: checked.reason };
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
            if (entry.mode === '160000')
                return { kind: 'not-a-file', detail: `is a git submodule at ${this.ref}` };
            if (entry.mode !== '120000')
                return { kind: 'file', path: current, entry };
            if (entry.size > MAX_LINK_BYTES)
                return { kind: 'not-a-file', detail: 'is a symlink with no usable target' };
            const target = resolveLinkTarget(current, await this.linkTarget(entry.oid));
            if (!target.ok)
                return { kind: 'outside', detail: `${target.reason} (at ${this.ref})` };
            current = target.path;
        }
        return { kind: 'outside', detail: `passes through more than ${MAX_LINK_HOPS} symlinks at ${this.ref}` };
    }
    /** The first folder of `path` that is a symlink in the tree, if any. */
    linkedFolder(entries, path) {
        const segments = path.split('/');
        for (let i = 1; i < segments.length; i++) {
            const folder = segments.slice(0, i).join('/');
            if (entries.get(folder)?.mode === '120000')
                return folder;
        }
        return undefined;
    }
    linkTarget(oid) {
        let target = this.links.get(oid);
        if (!target) {
            target = this.reader()
                .read(oid)
                .then((b) => b.toString('utf8'));
            this.links.set(oid, target);
        }
        return target;
    }
    reader() {
        this.blobs ??= new GitBlobReader(this.cwd);
        return this.blobs;
    }
    isDirectory(entries, path) {
        const prefix = `${path}/`;
        for (const key of entries.keys())
            if (key.startsWith(prefix))
                return true;
        return false;
    }
    entries() {
        this.tree ??= this.listTree();
        return this.tree;
    }
    async listTree() {
        const prefix = await this.prefix();
        const out = await git(this.cwd, ['ls-tree', '-r', '-l', '-z', '--full-tree', this.ref]);
        const entries = new Map();
        for (const record of out.toString('utf8').split('\0')) {
            // "<mode> <type> <oid> <size>\t<path>"
            const tab = record.indexOf('\t');
            if (tab < 0)
                continue;
            const [mode = '', , oid = '', size = '0'] = record.slice(0, tab).split(/ +/);
            const full = record.slice(tab + 1);
            if (!full.startsWith(prefix))
                continue;
            entries.set(full.slice(prefix.length), { mode, oid, size: size === '-' ? 0 : Number(size) });
        }
        return entries;
    }
}

/** A model registry in a folder of a local git clone (or a plain folder, for validation without a base). */
class GitRepository {
    root;
    worktree;
    refs = new Map();
    prefix;
    constructor(root) {
        this.root = root;
        this.worktree = new FileSystemSource(root);
    }
    at(ref) {
        let source = this.refs.get(ref);
        if (!source) {
            // Blob ids mean the same at every ref: the refs of one repository share what hashing a blob found.
            const sharing = this.refs.values().next().value?.weightMemo;
            source = new GitRefSource(this.root, ref, () => this.showPrefix(), sharing);
            this.refs.set(ref, source);
        }
        return source;
    }
    findManifests(patterns) {
        return findFiles(this.root, patterns);
    }
    async findManifestsAt(ref, patterns) {
        const globs = manifestGlobs(patterns);
        return (await this.at(ref).paths()).filter((p) => globs.match(p)).sort();
    }
    async changedSince(ref) {
        const [diff, untracked] = await Promise.all([
            this.git(['diff', '--name-only', '-z', '--no-renames', '--relative', ref, '--']),
            this.git(['ls-files', '--others', '--exclude-standard', '-z']),
        ]);
        const paths = new Set([...diff.split('\0'), ...untracked.split('\0')].filter(Boolean));
        for (const link of await this.linksTo(paths))
            paths.add(link);
        return [...paths].sort();
    }
    /**
     * The symlinks of the working tree (tracked, mode 120000) whose target is
     * one of `changed`: a change to the target changes every artifact that
     * leads to it, so `--base` validates those models too.
     */
    async linksTo(changed) {
        if (!changed.size)
            return [];
        const staged = await this.git(['ls-files', '-s', '-z']);
        const links = [];
        for (const record of staged.split('\0')) {
            // "<mode> <oid> <stage>\t<path>"
            if (!record.startsWith('120000 '))
                continue;
            const path = record.slice(record.indexOf('\t') + 1);
            const target = await this.worktree.resolve(path);
            if (target !== undefined && target !== path && changed.has(target))
                links.push(path);
        }
        return links;
    }
    async mergeBase(ref) {
        // One process answers both the folder's prefix and the ref's commit (a --base run's first questions).
        let commit;
        try {
            // "<prefix>\n<commit>\n": the commit is the last line (a folder name may hold a newline).
            const out = (await this.git([
                'rev-parse',
                '--show-prefix',
                '--verify',
                '--quiet',
                '--end-of-options',
                `${ref}^{commit}`,
            ])).replace(/\n$/, '');
            const cut = out.lastIndexOf('\n');
            if (cut < 0)
                throw new GitError(['rev-parse', '--show-prefix'], `unexpected output: ${out}`);
            this.prefix ??= Promise.resolve(out.slice(0, cut));
            commit = out.slice(cut + 1);
        }
        catch {
            await this.showPrefix(); // outside a git repository, that is the error to report
            throw new CommandError(`the base ref "${ref}" does not exist in ${this.root}`, 'Fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0), or pass a ref that exists.');
        }
        try {
            return (await this.git(['merge-base', commit, 'HEAD'])).trim();
        }
        catch {
            return commit; // no common history (a shallow clone): compare with the ref itself
        }
    }
    async changedBetween(from, to) {
        const out = await this.git(['diff', '--name-only', '-z', '--no-renames', '--relative', from, to, '--']);
        return out.split('\0').filter(Boolean).sort();
    }
    async resolveCommit(ref) {
        return resolveCommit(this.root, ref);
    }
    readTags() {
        return readTags(this.root);
    }
    /** Creates an annotated tag in the local clone. */
    async createTag(name, commit, message) {
        await createTag(this.root, name, commit, message);
    }
    /** The registry folder relative to the top of the repository ("" at the top, "examples/registry/" below it). */
    topPrefix() {
        return this.showPrefix();
    }
    showPrefix() {
        this.prefix ??= repositoryPrefix(this.root);
        return this.prefix;
    }
    git(args) {
        return gitText(this.root, args);
    }
}

export { GitRepository };
