import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** The files a module of the bundle loads before it runs: its static imports of other chunks, transitively. */
function loadedWith(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const [, specifier] of code.matchAll(/^import (?:[^'"]* from )?'(\.{1,2}\/[^']+)';$/gm))
    loadedWith(join(dirname(file), specifier!), seen);
  return seen;
}

const named = (files: Set<string>) => [...files].map((f) => relative(ROOT, f)).sort();
const bytes = (files: Set<string>) => [...files].reduce((sum, f) => sum + statSync(f).size, 0);
const commandChunk = (command: string) => {
  const entry = readFileSync(join(ROOT, 'dist', 'index.js'), 'utf8');
  const found = new RegExp(`import\\('(\\./action/${command}-[^']+\\.js)'\\)`).exec(entry);
  expect(found, `dist/index.js imports the ${command} chunk`).not.toBeNull();
  return join(ROOT, 'dist', found![1]!);
};

describe("the Action's bundle (dist/index.js and its chunks)", () => {
  it('starts with only what reading the inputs and failing a step need: each command is loaded when it runs', () => {
    const entry = loadedWith(join(ROOT, 'dist', 'index.js'));
    // About 35 KB today; the whole bundle was 3.8 MB, all of it compiled and run by every step.
    expect(bytes(entry), named(entry).join(', ')).toBeLessThan(100_000);
    for (const command of ['validate', 'check', 'release', 'rollback', 'deploy'])
      expect(existsSync(commandChunk(command)), `the ${command} chunk is there`).toBe(true);
  });

  it('never loads Octokit and its HTTP stack for validate, which calls no GitHub API', () => {
    const validate = loadedWith(commandChunk('validate'));
    const octokit = [...validate].filter((f) => readFileSync(f, 'utf8').includes('api.github.com'));
    expect(named(new Set(octokit))).toEqual([]);
    // A release does (the check that this test reads the chunks right).
    const release = loadedWith(commandChunk('release'));
    expect([...release].some((f) => readFileSync(f, 'utf8').includes('api.github.com'))).toBe(true);
  });
});
