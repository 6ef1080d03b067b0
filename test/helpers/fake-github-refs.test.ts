import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalClone } from './local-clone.js';
import { TempRegistry } from './registry.js';

/** What git itself says `name` resolves to, or null when it resolves to nothing. */
function revParse(registry: TempRegistry, name: string): string | null {
  try {
    return registry.git('rev-parse', '--verify', '--quiet', name) || null;
  } catch {
    return null;
  }
}

describe("the fake GitHub's clone reader answers as git does, from git's files", () => {
  let registry: TempRegistry;
  let first: string;
  let second: string;

  beforeAll(() => {
    registry = TempRegistry.create('file');
    registry.write('models/gpt2/model.yaml', 'name: gpt2\nversion: 1.0.0\n');
    first = registry.commit('first');
    registry.tag('gpt2@v1.0.0', { date: 1_700_000_000 });
    registry.tag('gpt2#production#1', { message: 'Promoted with a message\n\nTrigger: #42' });
    // Packed refs, as `git gc` or a clone leaves them; a later loose ref of the same name wins.
    registry.git('pack-refs', '--all');
    registry.write('models/gpt2/model.yaml', 'name: gpt2\nversion: 1.1.0\n');
    second = registry.commit('second');
    registry.tag('gpt2@v1.1.0');
    registry.git('branch', 'feature', first);
    registry.git('update-ref', 'refs/tags/lightweight', first);
  });

  it('resolves loose and packed tags, branches, HEAD and short names in git’s order', () => {
    const clone = new LocalClone(registry.root);
    const names = [
      'refs/tags/gpt2@v1.0.0', // packed
      'refs/tags/gpt2@v1.1.0', // loose
      'refs/tags/gpt2#production#1',
      'refs/tags/lightweight',
      'refs/heads/main', // loose, and packed with an older commit
      'refs/heads/feature',
      'HEAD',
      'main',
      'gpt2@v1.0.0',
      'refs/tags/none',
      'none',
    ];
    for (const name of names) expect([name, clone.resolve(name)]).toEqual([name, revParse(registry, name)]);
    expect(clone.resolve('main')).toBe(second);
    expect(clone.resolve('refs/heads/feature')).toBe(first);
  });

  it('leaves revision syntax and abbreviated ids to git (undefined), and the fake then asks git', () => {
    const clone = new LocalClone(registry.root);
    for (const name of ['HEAD~1', 'main^', 'main@{0}', first.slice(0, 7), 'gpt2@v1.0.0:models', '-q'])
      expect([name, clone.resolve(name)]).toEqual([name, undefined]);
    expect(clone.ref('HEAD~1')).toEqual({ ref: 'HEAD~1', object: { sha: first, type: 'commit' } });
  });

  it('shows an annotated tag as its tag object and a lightweight tag or a branch as its commit', () => {
    const clone = new LocalClone(registry.root);
    expect(clone.ref('refs/tags/gpt2@v1.0.0')).toEqual({
      ref: 'refs/tags/gpt2@v1.0.0',
      object: { sha: revParse(registry, 'refs/tags/gpt2@v1.0.0'), type: 'tag' },
    });
    expect(clone.ref('refs/tags/lightweight')).toEqual({
      ref: 'refs/tags/lightweight',
      object: { sha: first, type: 'commit' },
    });
    expect(clone.ref('refs/heads/main')?.object).toEqual({ sha: second, type: 'commit' });
    expect(clone.ref('refs/tags/none')).toBeUndefined();
  });

  it('lists tags and branches, loose and packed, as for-each-ref does', () => {
    const listed = registry.git('for-each-ref', '--format=%(refname)', 'refs/tags', 'refs/heads').split('\n');
    expect(new LocalClone(registry.root).refNames()).toEqual(listed);
    expect(listed).toContain('refs/tags/gpt2@v1.0.0');
  });

  it('reads a tag object, byte for byte what `git cat-file tag` prints', () => {
    const sha = revParse(registry, 'refs/tags/gpt2#production#1')!;
    expect(new LocalClone(registry.root).tagText(sha)).toBe(registry.git('cat-file', 'tag', sha) + '\n');
    expect(new LocalClone(registry.root).tagText(first)).toBeUndefined(); // a commit is no tag
  });

  it('reads a commit’s tree from its object', () => {
    expect(registry.treeOf(second)).toBe(registry.git('rev-parse', `${second}^{tree}`));
  });

  it('shows a file again after its branch moved, and a tag’s file from the tag', () => {
    const copy = registry.duplicate();
    const clone = new LocalClone(copy.root);
    expect(clone.show('main', 'models/gpt2/model.yaml').toString()).toBe('name: gpt2\nversion: 1.1.0\n');
    expect(() => clone.show('main', 'models/gpt2/missing.yaml')).toThrow();
    copy.write('models/gpt2/model.yaml', 'name: gpt2\nversion: 1.2.0\n').commit('third');
    copy.write('models/gpt2/missing.yaml', 'now here\n').commit('fourth');
    expect(clone.show('main', 'models/gpt2/model.yaml').toString()).toBe('name: gpt2\nversion: 1.2.0\n');
    expect(clone.show('main', 'models/gpt2/missing.yaml').toString()).toBe('now here\n');
    expect(clone.show('gpt2@v1.0.0', 'models/gpt2/model.yaml').toString()).toBe(
      'name: gpt2\nversion: 1.0.0\n',
    );
    // A tag moved by force is read again too.
    execFileSync('git', ['tag', '-f', '-a', 'gpt2@v1.0.0', '-m', 'moved', 'HEAD'], {
      cwd: copy.root,
      stdio: 'ignore',
    });
    expect(clone.show('gpt2@v1.0.0', 'models/gpt2/model.yaml').toString()).toBe(
      'name: gpt2\nversion: 1.2.0\n',
    );
  });
});
