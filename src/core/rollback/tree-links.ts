import { resolveLinkTarget } from '../repo-path.js';

/** How many symlinks a path may pass through before it leads nowhere (as the kernel's ELOOP, and GitRefSource). */
const MAX_LINK_HOPS = 8;

/**
 * The file `path` leads to in a git tree whose symlinks (mode 120000) are
 * `links`, under the containment rule as GitRefSource follows it: an
 * in-repository link to a file is followed, a symlinked folder on the way, a
 * link out of the root or into `.git/`, or too many hops lead nowhere
 * (undefined). `target` reads a link's target text (the link's blob).
 */
export async function followTreeLinks(
  path: string,
  links: ReadonlySet<string>,
  target: (link: string) => Promise<string>,
): Promise<string | undefined> {
  let current = path;
  for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
    const segments = current.split('/');
    for (let i = 1; i < segments.length; i++) if (links.has(segments.slice(0, i).join('/'))) return undefined;
    if (!links.has(current)) return current;
    const next = resolveLinkTarget(current, await target(current));
    if (!next.ok) return undefined;
    current = next.path;
  }
  return undefined;
}
