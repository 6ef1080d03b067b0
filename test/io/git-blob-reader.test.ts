import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GitBlobReader, GitError } from '../../src/io/git.js';
import { TempRegistry } from '../helpers/registry.js';

describe('GitBlobReader: blobs through one git cat-file --batch process', () => {
  it('answers many reads in flight, each with its own bytes exactly (binary and large included)', async () => {
    const registry = TempRegistry.create();
    const big = randomBytes(3 * 1024 * 1024);
    registry.write('a.txt', 'first\n').write('b.bin', big).write('empty', '').write('newlines', '\n\n\n');
    registry.commit('files');
    const oid = (path: string) => registry.git('rev-parse', `HEAD:${path}`);
    const reader = new GitBlobReader(registry.root);
    const [a, b, empty, newlines] = await Promise.all(
      ['a.txt', 'b.bin', 'empty', 'newlines'].map((path) => reader.read(oid(path))),
    );
    expect(a!.toString()).toBe('first\n');
    expect(Buffer.compare(b!, big)).toBe(0);
    expect(empty!.length).toBe(0);
    expect(newlines!.toString()).toBe('\n\n\n');
  });

  it('refuses a missing object, a tree and anything that is not an object id, and keeps answering after', async () => {
    const registry = TempRegistry.create();
    registry.write('dir/a.txt', 'a');
    registry.commit('files');
    const reader = new GitBlobReader(registry.root);
    await expect(reader.read('0'.repeat(40))).rejects.toBeInstanceOf(GitError);
    await expect(reader.read(registry.git('rev-parse', 'HEAD:dir'))).rejects.toThrow(/is a tree, not a blob/);
    await expect(reader.read('HEAD:dir/a.txt')).rejects.toThrow(/not an object id/);
    expect((await reader.read(registry.git('rev-parse', 'HEAD:dir/a.txt'))).toString()).toBe('a');
  });

  it('starts a new process after an idle one has ended', async () => {
    const registry = TempRegistry.create();
    registry.write('a.txt', 'again');
    registry.commit('files');
    const oid = registry.git('rev-parse', 'HEAD:a.txt');
    const reader = new GitBlobReader(registry.root);
    expect((await reader.read(oid)).toString()).toBe('again');
    reader.close();
    expect((await reader.read(oid)).toString()).toBe('again');
    await new Promise((resolve) => setTimeout(resolve, 80)); // past the idle time: the process has ended
    expect((await reader.read(oid)).toString()).toBe('again');
  });
});
