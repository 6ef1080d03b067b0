import type { TagRecord } from '../core/registry/state.js';
import { CommandError } from '../core/repository.js';
import { git, GitError, gitText, repositoryPrefix } from './git.js';

// One for-each-ref call reads every tag with its target and tagger: thousands of tags in milliseconds.
// A tag object's target is its `object` header, never `%(*objectname)`: git 2.44 made the `*` fields
// peel every level, so a tag of a tag would read as a tag of the commit below it, and a missing
// target makes for-each-ref die. The target's real type comes from cat-file (objectTypes).
const FIELDS = [
  '%(refname:strip=2)',
  '%(objecttype)',
  '%(objectname)',
  '%(tag)',
  '%(object)',
  '%(type)',
  '%(taggername)',
  '%(taggeremail:trim)',
  '%(taggerdate:raw)',
  '%(contents)',
];

/**
 * Every tag of the repository at `cwd`. Annotated tags carry their tagger,
 * date and message; lightweight tags come without a tagger (GTO ignores them,
 * but counts their counters). An annotated tag GTO would read differently
 * from its ref name (a renamed tag object, a tag of a tag or of a tree, no
 * tagger) carries the `problem`, so the registry reports it instead of guessing.
 */
export async function readTags(cwd: string): Promise<TagRecord[]> {
  let out: string;
  try {
    out = await listTags(cwd, ['refs/tags']);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    await repositoryPrefix(cwd); // outside a repository, that is the error
    out = await listTagsApart(cwd);
  }
  const { tags, annotated } = parseTagRecords(out);
  // What each annotated tag really points at: GTO reads a release only from a tag of a commit.
  // Both must say commit: the real type (from cat-file) and the tag object's own header, which is
  // what GTO's git library believes.
  const types = await objectTypes(cwd, new Set(annotated.map(({ index }) => tags[index]!.commit)));
  for (const { index, claimedType } of annotated) {
    const tag = tags[index]!;
    const type = types.get(tag.commit) ?? 'missing';
    const problem =
      type !== 'commit'
        ? `it tags a ${type === 'missing' ? 'missing object' : type}, not a commit`
        : claimedType !== 'commit'
          ? `its tag object says it tags a ${claimedType || 'nothing'}, but it tags a commit (GTO cannot read it)`
          : undefined;
    if (problem) tags[index] = { ...tag, problem };
  }
  return tags;
}

/** for-each-ref's records (FIELDS) of the refs `patterns` name. */
function listTags(cwd: string, patterns: readonly string[]): Promise<string> {
  return gitText(cwd, ['for-each-ref', '--format', `${FIELDS.join('%00')}%00`, ...patterns]);
}

// Refs named on one for-each-ref command line, so that none grows past the system's limit.
const REFS_PER_CALL = 500;

/**
 * The tags, read in parts because git could not list them at once: a tag
 * object that lies about its target's type makes for-each-ref fail when
 * another ref showed git the real type first. Each part that fails is split
 * in two, down to single tags, so such a tag is read alone (and refused by
 * readTags' checks) and every other tag is read: one bad tag costs about
 * 2 log2(n) calls. A tag git cannot read even alone is a CommandError.
 */
async function listTagsApart(cwd: string): Promise<string> {
  let names: string[];
  try {
    names = (await gitText(cwd, ['for-each-ref', '--format', '%(refname)', 'refs/tags'])).split('\n');
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    throw new CommandError(
      `git cannot list the tags of ${cwd}: ${error.stderr.trim()}`,
      'The repository is damaged: check it with `git fsck`, or clone it again.',
    );
  }
  const outs: string[] = [];
  // Ref names are never a pattern's prefix of another (git refuses a/b beside a): each names one ref.
  const read = async (refs: readonly string[]): Promise<void> => {
    try {
      outs.push(await listTags(cwd, refs));
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      if (refs.length > 1) {
        const half = Math.ceil(refs.length / 2);
        await read(refs.slice(0, half));
        await read(refs.slice(half));
        return;
      }
      // A tag git cannot read even alone is damaged, not merely odd: what it holds is unknown (a
      // released version, maybe), so nothing is judged without it.
      const [first = ''] = error.stderr.trim().split('\n');
      const reason = first.replace(/^(error|fatal): /, '') || 'no message';
      const name = refs[0]!.replace(/^refs\/tags\//, '');
      throw new CommandError(
        `git cannot read the tag ${name} in ${cwd}: ${reason}`,
        `Check the repository with \`git fsck\`, then fetch a good copy of the tag (\`git fetch origin --force tag ${name}\`) or delete it (\`git tag -d ${name}\`).`,
      );
    }
  };
  const refs = names.filter(Boolean);
  for (let start = 0; start < refs.length; start += REFS_PER_CALL)
    await read(refs.slice(start, start + REFS_PER_CALL));
  return outs.join('');
}

/** The type of each object ("commit", "tree", "blob", "tag", or "missing"), in one cat-file call. */
async function objectTypes(cwd: string, objects: ReadonlySet<string>): Promise<Map<string, string>> {
  const types = new Map<string, string>();
  if (!objects.size) return types;
  const out = await gitText(
    cwd,
    ['cat-file', '--batch-check=%(objectname) %(objecttype)'],
    `${[...objects].join('\n')}\n`,
  );
  for (const line of out.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) types.set(line.slice(0, space), line.slice(space + 1));
  }
  return types;
}

/** An annotated tag's place in the records, and the type its tag object claims for its target. */
interface AnnotatedTag {
  index: number;
  claimedType: string;
}

/**
 * The records `for-each-ref` printed with FIELDS: a record ends with NUL and
 * a newline, its fields are separated by NUL (a field that is missing reads
 * as undefined). Read with indexOf, so 10,000 tags cost no array per record.
 * `annotated` lists the tags whose target readTags must still check.
 */
function parseTagRecords(out: string): { tags: TagRecord[]; annotated: AnnotatedTag[] } {
  const tags: TagRecord[] = [];
  const annotated: AnnotatedTag[] = [];
  // Taggers and offsets repeat from tag to tag: one object or string each, not one per tag,
  // so the records that live until the registry is built hold less for the collector to copy.
  const taggers = new Map<string, { name: string; email: string }>();
  const offsets = new Map<string, string>();
  let end = -2;
  let at = 0;
  // The next field of the record that ends at `end`, or undefined past its last one.
  const field = (): string | undefined => {
    if (at > end) return undefined;
    const nul = out.indexOf('\0', at);
    const stop = nul < 0 || nul > end ? end : nul;
    const value = out.slice(at, stop);
    at = stop + 1;
    return value;
  };
  for (let start = 0; start < out.length; start = end + 2) {
    end = out.indexOf('\0\n', start);
    if (end < 0) end = out.length;
    if (end === start) continue;
    at = start;
    const name = field() ?? '';
    const type = field();
    const object = field() ?? '';
    const innerName = field();
    const target = field() ?? '';
    const claimedType = field();
    const taggerName = field();
    const taggerEmail = field();
    const taggerDate = field() ?? '';
    const message = field();
    if (type === 'commit') {
      tags.push({ name, commit: object, date: 0 });
      continue;
    }
    if (type !== 'tag') continue;
    // "<seconds> <offset>"
    const space = taggerDate.indexOf(' ');
    const seconds = space < 0 ? taggerDate : taggerDate.slice(0, space);
    const afterOffset = space < 0 ? -1 : taggerDate.indexOf(' ', space + 1);
    const offset =
      space < 0 ? undefined : taggerDate.slice(space + 1, afterOffset < 0 ? undefined : afterOffset);
    // git prints "0" for a date it cannot read and 2^64 - 5 for "-5"; nothing real is tagged in 1970.
    const date = /^\d{1,15}$/.test(seconds) ? Number(seconds) : 0;
    const problem =
      innerName !== name
        ? `the tag object is named ${JSON.stringify(innerName)}, not ${JSON.stringify(name)} (GTO would read it as the other name)`
        : !taggerName
          ? 'an annotated tag without a tagger (GTO cannot read it)'
          : date <= 0
            ? `its tagger line has no date GTO can read (git reads ${JSON.stringify(taggerDate)})`
            : undefined;
    let tagger: { name: string; email: string } | undefined;
    if (taggerName) {
      const email = taggerEmail ?? '';
      const key = `${taggerName}\0${email}`;
      tagger = taggers.get(key);
      if (!tagger) taggers.set(key, (tagger = { name: taggerName, email }));
    }
    let sharedOffset: string | undefined;
    if (offset) {
      sharedOffset = offsets.get(offset);
      if (sharedOffset === undefined) offsets.set(offset, (sharedOffset = offset));
    }
    // One shape for every annotated tag (absent parts undefined), so reading them stays monomorphic.
    annotated.push({ index: tags.length, claimedType: claimedType ?? '' });
    tags.push({
      name,
      commit: target,
      tagger,
      date,
      offset: sharedOffset,
      message: message?.trimEnd(),
      problem,
    });
  }
  return { tags, annotated };
}

/** Creates an annotated tag on `commit`. Tag names come from the registry's formats, which never start with "-". */
export async function createTag(cwd: string, name: string, commit: string, message: string): Promise<void> {
  await git(cwd, ['tag', '-a', '-m', message, name, commit]);
}

/** The commit a ref resolves to, or undefined. */
export async function resolveCommit(cwd: string, ref: string): Promise<string | undefined> {
  try {
    return (
      (
        await gitText(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
      ).trim() || undefined
    );
  } catch {
    return undefined;
  }
}
