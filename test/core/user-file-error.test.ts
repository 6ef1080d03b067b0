import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePythonJson } from '../../src/core/eval/results.js';
import { CommandError } from '../../src/core/repository.js';
import {
  MalformedFileError,
  isFileSystemError,
  parseJsonFile,
  userFileProblem,
} from '../../src/core/user-file-error.js';
import { TempRegistry } from '../helpers/registry.js';

/** The error `run` throws (a real one, not a constructed look-alike). */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('a malformed user file', () => {
  it('names the file, what is wrong and the fix, and is a CommandError (exit 2) when nobody catches it', () => {
    const error = new MalformedFileError('canary.json', 'intervals[0] needs "at"', 'Record the series.');
    expect(error).toBeInstanceOf(CommandError);
    expect(error).toMatchObject({
      name: 'MalformedFileError',
      file: 'canary.json',
      problem: 'intervals[0] needs "at"',
      message: 'canary.json: intervals[0] needs "at"',
      fix: 'Record the series.',
    });
  });

  it('is what a JSON syntax error becomes, naming the file', async () => {
    const error = await thrown(() => parseJsonFile('{"intervals": [', 'canary.json'));
    expect(error).toBeInstanceOf(MalformedFileError);
    expect((error as MalformedFileError).message).toMatch(/^canary\.json: not valid JSON \(.+\)$/);
    expect((error as MalformedFileError).fix).toContain('python -m json.tool');
  });

  it('is not what Python JSON nested 200,000 deep becomes: it reads as plain JSON does (no reviver recursion)', async () => {
    const depth = 200_000;
    const text = `{"a": NaN, "b": ${'['.repeat(depth)}1${']'.repeat(depth)}}`;
    const value = parseJsonFile(text, 'results.json', parsePythonJson) as { a: number; b: unknown[] };
    expect(value.a).toBeNaN();
    expect(Array.isArray(value.b)).toBe(true);
  });

  it('is what a parser that overflows the stack becomes: "nested too deeply to read"', async () => {
    const deep = (text: string) => JSON.parse(text, (_key, value: unknown) => value); // a reviver recurses
    const error = await thrown(() =>
      parseJsonFile(`${'['.repeat(200_000)}${']'.repeat(200_000)}`, 'r.json', deep),
    );
    expect(error).toBeInstanceOf(MalformedFileError);
    expect((error as MalformedFileError).problem).toBe('nested too deeply to read');
  });

  it('is not what a bug in the parser becomes: a TypeError goes on as it is', async () => {
    const bug = await thrown(() =>
      parseJsonFile('{}', 'x.json', (text) => (JSON.parse(text) as { a: { b: number } }).a.b),
    );
    expect(bug).toBeInstanceOf(TypeError);
  });
});

describe('what counts as a problem with the user file', () => {
  it("a file that cannot be read (the file system's ENOENT, EISDIR) is, with the system's message", async () => {
    const registry = TempRegistry.create();
    const missing = await thrown(() => readFile(join(registry.root, 'missing.json'), 'utf8'));
    expect(isFileSystemError(missing)).toBe(true);
    expect(userFileProblem(missing)?.problem).toMatch(/^cannot be read \(ENOENT: no such file or directory/);
    const folder = await thrown(() => readFile(registry.root, 'utf8'));
    expect(userFileProblem(folder)?.problem).toMatch(/^cannot be read \(EISDIR/);
  });

  it("Node's own ERR_* (a wrong argument: a bug) and a TypeError are not: the caller rethrows them", async () => {
    const wrongArgument = await thrown(() =>
      readFile(42 as unknown as string, { encoding: 'nope' as 'utf8' }),
    );
    expect((wrongArgument as { code?: string }).code).toMatch(/^ERR_/);
    expect(userFileProblem(wrongArgument)).toBeUndefined();
    const typeError = await thrown(() => (undefined as unknown as { a: number }).a);
    expect(userFileProblem(typeError)).toBeUndefined();
    expect(userFileProblem(new Error('plain'))).toBeUndefined();
  });

  it('a MalformedFileError is, with its own fix', () => {
    expect(userFileProblem(new MalformedFileError('r.json', 'must be a JSON object', 'Pass one.'))).toEqual({
      problem: 'must be a JSON object',
      fix: 'Pass one.',
    });
  });
});
