import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docPages, headingAnchors, linkTargets, REPO_ROOT } from './markdown.js';

// Every relative link of the README and docs/ points at a file of the
// repository, and every #anchor at a heading of the page it names.

const pages = docPages();

/** What is wrong with one link target of `file`, or undefined when it resolves. */
function brokenLink(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: … are not checked offline
  const [path = '', anchor] = target.split('#', 2);
  const resolved = path
    ? join(dirname(join(REPO_ROOT, file)), decodeURIComponent(path))
    : join(REPO_ROOT, file);
  if (relative(REPO_ROOT, resolved).startsWith('..')) return 'leaves the repository';
  if (!existsSync(resolved)) return 'no such file';
  if (anchor === undefined) return undefined;
  if (!resolved.endsWith('.md') || statSync(resolved).isDirectory())
    return 'an anchor into a file that is not markdown';
  return headingAnchors(readFileSync(resolved, 'utf8')).has(anchor) ? undefined : `no heading #${anchor}`;
}

describe('links in the docs resolve', () => {
  it('has pages with links', () => {
    expect(pages.map((p) => p.file)).toContain('README.md');
    expect(pages.flatMap((p) => linkTargets(p.text)).length).toBeGreaterThan(30);
  });

  it.each(pages.map((p) => [p.file, p] as const))('%s', (_file, page) => {
    const broken = linkTargets(page.text)
      .map(({ target, line }) => ({ target, line, problem: brokenLink(page.file, target) }))
      .filter((link) => link.problem);
    expect(broken.map((l) => `${page.file}:${l.line} ${l.target}: ${l.problem}`)).toEqual([]);
  });

  it('reaches every page under docs/ from the README', () => {
    const readme = pages.find((p) => p.file === 'README.md')!;
    const linked = new Set(linkTargets(readme.text).map((l) => l.target.split('#')[0]));
    const unlinked = pages.filter((p) => p.file !== 'README.md' && !linked.has(p.file)).map((p) => p.file);
    expect(unlinked).toEqual([]);
  });

  it('tells a broken anchor from a good one (the checker itself)', () => {
    expect(brokenLink('README.md', 'docs/cli.md#--format-json')).toBeUndefined();
    expect(brokenLink('docs/cli.md', '#a-session-from-a-change-to-a-rollback')).toBeUndefined();
    expect(brokenLink('docs/cli.md', 'manifest.md#repository-settings-githubmodelgateyml')).toBeUndefined();
    expect(brokenLink('README.md', 'docs/cli.md#no-such-section')).toBe('no heading #no-such-section');
    expect(brokenLink('README.md', 'docs/nowhere.md')).toBe('no such file');
    expect(brokenLink('docs/cli.md', '../../etc/passwd')).toBe('leaves the repository');
  });
});
