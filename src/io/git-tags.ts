import type { TagRecord } from '../core/registry/state.js';
import { git, gitText } from './git.js';

// One for-each-ref call reads every tag with its target and tagger: thousands of tags in milliseconds.
const FIELDS = [
  '%(refname:strip=2)',
  '%(objecttype)',
  '%(objectname)',
  '%(*objectname)',
  '%(taggername)',
  '%(taggeremail:trim)',
  '%(taggerdate:unix)',
  '%(committerdate:unix)',
  '%(*committerdate:unix)',
  '%(contents)',
];

/** Every tag of the repository at `cwd`, annotated or lightweight, with the commit it points to. */
export async function readTags(cwd: string): Promise<TagRecord[]> {
  const out = await gitText(cwd, ['for-each-ref', '--format', `${FIELDS.join('%00')}%00`, 'refs/tags']);
  const tags: TagRecord[] = [];
  for (const record of out.split('\0\n')) {
    if (!record) continue;
    const [
      name = '',
      type,
      object = '',
      peeled,
      taggerName,
      taggerEmail,
      taggerDate,
      commitDate,
      peeledDate,
      message,
    ] = record.split('\0');
    if (type === 'tag') {
      if (!peeled) continue; // a tag of a tag of a tree: not a registry tag
      tags.push({
        name,
        commit: peeled,
        tagger: taggerName ? { name: taggerName, email: taggerEmail ?? '' } : undefined,
        date: Number(taggerDate || peeledDate || 0),
        message: message?.trimEnd(),
      });
    } else if (type === 'commit') {
      tags.push({ name, commit: object, date: Number(commitDate || 0) });
    }
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
