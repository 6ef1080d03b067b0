import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitRepository } from '../../src/io/git-repository.js';
import { TempRegistry } from '../helpers/registry.js';

describe('a registry folder below the top of the repository, read at a ref', () => {
  // git's prefix line is the folder's name: only its line end is git's, spaces are the folder's.
  it.each([' lead', 'trail ', 'plain'])(
    'finds its files in the folder "%s", whichever question comes first',
    async (folder) => {
      const repo = TempRegistry.create();
      mkdirSync(join(repo.root, folder));
      repo.write(`${folder}/one`, '1');
      const commit = repo.commit('one file in a folder');
      const root = join(repo.root, folder);

      // A read at a ref asks for the prefix on its own (`rev-parse --show-prefix`) …
      expect(await new GitRepository(root).at('HEAD').stat('one')).toEqual({ kind: 'file', size: 1 });
      // … and `--base` learns it together with the base's commit.
      const withBase = new GitRepository(root);
      expect(await withBase.mergeBase('HEAD')).toBe(commit);
      expect(await withBase.at('HEAD').stat('one')).toEqual({ kind: 'file', size: 1 });
      expect(await withBase.topPrefix()).toBe(`${folder}/`);
    },
  );
});
