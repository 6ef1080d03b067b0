import type { TagRecord } from '../core/registry/state.js';
import { git, gitText } from './git.js';

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
  const out = await gitText(cwd, ['for-each-ref', '--format', `${FIELDS.join('%00')}%00`, 'refs/tags']);
  const tags: TagRecord[] = [];
  for (const record of out.split('\0\n')) {
    if (!record) continue;
    const [
      name = '',
      type,
      object = '',
      innerName,
      targetType,
      target = '',
      taggerName,
      taggerEmail,
      taggerDate = '',
      message,
    ] = record.split('\0');
    if (type === 'commit') {
      tags.push({ name, commit: object, date: 0 });
      continue;
    }
    if (type !== 'tag') continue;
    const [seconds = '0', offset] = taggerDate.split(' ');
    const problem =
      targetType !== 'commit'
        ? `it tags a ${targetType || 'missing object'}, not a commit`
        : innerName !== name
          ? `the tag object is named ${JSON.stringify(innerName)}, not ${JSON.stringify(name)} (GTO would read it as the other name)`
          : !taggerName
            ? 'an annotated tag without a tagger (GTO cannot read it)'
            : undefined;
    tags.push({
      name,
      commit: target,
      tagger: taggerName ? { name: taggerName, email: taggerEmail ?? '' } : undefined,
      date: Number(seconds) || 0,
      ...(offset ? { offset } : {}),
      message: message?.trimEnd(),
      ...(problem ? { problem } : {}),
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
