import type { TagRecord } from '../core/registry/state.js';
import { git, GitError, gitText, repositoryPrefix } from './git.js';

// One for-each-ref call reads every tag with its target and tagger: thousands of tags in milliseconds.
const FIELDS = [
  '%(refname:strip=2)',
  '%(objecttype)',
  '%(objectname)',
  '%(tag)',
  '%(*objecttype)',
  '%(*objectname)',
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
    out = await gitText(cwd, ['for-each-ref', '--format', `${FIELDS.join('%00')}%00`, 'refs/tags']);
  } catch (error) {
    if (error instanceof GitError) await repositoryPrefix(cwd); // outside a repository, that is the error
    throw error;
  }
  return parseTagRecords(out);
}

/**
 * The records `for-each-ref` printed with FIELDS: a record ends with NUL and
 * a newline, its fields are separated by NUL (a field that is missing reads
 * as undefined). Read with indexOf, so 10,000 tags cost no array per record.
 */
function parseTagRecords(out: string): TagRecord[] {
  const tags: TagRecord[] = [];
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
    const targetType = field();
    const target = field() ?? '';
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
    const problem =
      targetType !== 'commit'
        ? `it tags a ${targetType || 'missing object'}, not a commit`
        : innerName !== name
          ? `the tag object is named ${JSON.stringify(innerName)}, not ${JSON.stringify(name)} (GTO would read it as the other name)`
          : !taggerName
            ? 'an annotated tag without a tagger (GTO cannot read it)'
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
    tags.push({
      name,
      commit: target,
      tagger,
      date: Number(seconds) || 0,
      offset: sharedOffset,
      message: message?.trimEnd(),
      problem,
    });
  }
  return tags;
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
