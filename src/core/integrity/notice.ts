import { inertMarkdown } from '../report/escape.js';

/** Something modelgate read back from GitHub and did not believe, keyed so it is reported once. */
export interface IgnoredItem {
  /** Stable for the same thing seen again (a comment id, a digest of the text ignored). */
  key: string;
  /** One markdown sentence: what was ignored and why. */
  text: string;
}

/** A report keeps at most this many items: a flood of forged comments cannot grow it without end. */
const MAX_IGNORED_ITEMS = 50;

const KEY = /<!-- ignored:([A-Za-z0-9:._-]+) -->/g;

/** The keys a notice already reports. */
export function reportedKeys(body: string | undefined): Set<string> {
  return new Set([...(body ?? '').matchAll(KEY)].map((m) => m[1]!));
}

/** The items of a notice, as lines (each with its hidden key), to carry into the next version of it. */
function itemLines(body: string | undefined): string[] {
  return (body ?? '').split('\n').filter((line) => line.startsWith('- <!-- ignored:'));
}

/**
 * The notice that says what modelgate ignored on a pull request and why:
 * the items already reported, then the new ones (each once, by key), or
 * undefined when there is nothing new to say.
 */
export function ignoredNotice(
  model: string,
  previous: string | undefined,
  items: readonly IgnoredItem[],
): string | undefined {
  const known = reportedKeys(previous);
  const lines = itemLines(previous);
  for (const item of items) {
    const key = item.key.replace(/[^A-Za-z0-9:._-]/g, '_');
    if (known.has(key) || lines.length >= MAX_IGNORED_ITEMS) continue;
    known.add(key);
    lines.push(`- <!-- ignored:${key} -->${item.text}`);
  }
  if (lines.length === itemLines(previous).length) return undefined;
  return [
    `### modelgate ignored what it could not trust: ${inertMarkdown(model)}`,
    '',
    "modelgate reads its canary state only from its own comments, sealed with its key and matching GitHub's deployments and check run. It did not act on:",
    '',
    ...lines,
  ].join('\n');
}
