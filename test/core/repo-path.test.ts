import { describe, expect, it } from 'vitest';
import { checkRepoPath, compileGlobs, isGitDir } from '../../src/core/repo-path.js';

describe('the path rule names .git/ however a file system spells it', () => {
  it.each([
    ['.git', 'plain'],
    ['.GIT', 'another case (Windows, macOS)'],
    ['.git.', 'a trailing dot (NTFS drops it)'],
    ['.git ', 'a trailing space (NTFS drops it)'],
    ['.git::$INDEX_ALLOCATION', 'an NTFS stream of the folder'],
    ['GIT~1', "NTFS's 8.3 short name"],
    ['.g\u200cit', 'a code point HFS+ ignores'],
    ['.git\ufeff', 'a byte-order mark HFS+ ignores'],
  ])('%s (%s)', (segment) => {
    expect(isGitDir(segment)).toBe(true);
    expect(checkRepoPath(`models/${segment}/config`)).toMatchObject({ ok: false });
  });

  it.each(['.github', 'git', '.gitignore', 'models.git', '.gitattributes'])('leaves %s alone', (segment) => {
    expect(isGitDir(segment)).toBe(false);
    expect(checkRepoPath(`x/${segment}`)).toEqual({ ok: true, path: `x/${segment}` });
  });

  it('normalises before it judges', () => {
    expect(checkRepoPath('models/./a/../b/config.json')).toEqual({ ok: true, path: 'models/b/config.json' });
    expect(checkRepoPath('models\\..\\..\\etc\\passwd')).toMatchObject({
      ok: false,
      reason: 'points outside the repository',
    });
    expect(checkRepoPath('a/../.git/config')).toMatchObject({ ok: false });
  });
});

describe('manifest globs', () => {
  it('start the walk at their fixed folders and honour exclusions', () => {
    const globs = compileGlobs([
      'models/**/model.yaml',
      'extra/one/model.yaml',
      'models/x/*.yaml',
      '!models/old/**',
    ]);
    expect(globs.ok && globs.startFolders).toEqual(['extra/one', 'models']);
    expect(globs.ok && globs.match('models/a/model.yaml')).toBe(true);
    expect(globs.ok && globs.match('models/old/model.yaml')).toBe(false);
  });

  it('refuses a glob that names what a path may not', () => {
    expect(compileGlobs(['models/**', '/etc/*'])).toEqual({
      ok: false,
      pattern: '/etc/*',
      reason: 'is absolute; globs are relative to the registry root',
    });
    expect(compileGlobs(['!../x'])).toMatchObject({
      ok: false,
      reason: 'climbs out of the registry root with ..',
    });
  });
});
