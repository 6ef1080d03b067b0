import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  describeJsonShapeProblem,
  findJsonShapeProblem,
  JSON_SHAPE_LIMITS,
} from '../../../src/core/model/json-shape.js';
import { TOKENIZER_PACKAGES, fixturePath, type RealTokenizer } from '../../setup/fixture-packages.js';

const bytes = (text: string) => Buffer.from(text);

describe('measuring JSON before JSON.parse builds it', () => {
  it.each(Object.keys(TOKENIZER_PACKAGES) as RealTokenizer[])(
    "finds nothing too large in %s's real tokenizer.json",
    (name) => {
      const file = readFileSync(fixturePath.tokenizerJson(name));
      expect(findJsonShapeProblem(file, [['model', 'vocab'], ['added_tokens'], []])).toBeUndefined();
    },
  );

  it('does not count brackets, commas or escaped quotes inside strings', () => {
    const inString = `"${'[{,'.repeat(300)}\\"${'['.repeat(300)}"`;
    const json = `{"normalizer": ${inString}, "a\\"b": [${inString}, ${inString}]}`;
    expect(JSON.parse(json)).toBeTruthy();
    expect(findJsonShapeProblem(bytes(json))).toBeUndefined();
  });

  it('allows 128 levels of nesting and refuses 129, naming the limit', () => {
    const nested = (depth: number) => bytes(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(findJsonShapeProblem(nested(JSON_SHAPE_LIMITS.depth))).toBeUndefined();
    const problem = findJsonShapeProblem(nested(JSON_SHAPE_LIMITS.depth + 1));
    expect(problem).toEqual({ limit: 'depth', depth: 129 });
    expect(describeJsonShapeProblem(problem!)).toBe(
      'it nests more than 128 levels deep; modelgate reads JSON nested at most 128 levels (real files use fewer than ten)',
    );
  });

  it('names the path of a list with more than 4,194,304 items', () => {
    const items = JSON_SHAPE_LIMITS.listItems + 1;
    const json = `{"model": {"merges": [${'0,'.repeat(items - 1)}0]}}`;
    expect(findJsonShapeProblem(bytes(json))).toEqual({
      limit: 'listItems',
      path: 'model.merges',
      entries: items,
    });
  });

  it('counts values across lists, each of which is within its own limit', () => {
    const list = `[${'0,'.repeat(3_000_000 - 1)}0]`;
    const problem = findJsonShapeProblem(bytes(`[${list},${list},${list}]`));
    expect(problem).toEqual({ limit: 'values', values: JSON_SHAPE_LIMITS.values + 1 });
  });

  it('holds a watched vocabulary to MAX_VOCABULARY, and an object elsewhere to the object limit', () => {
    const members = (n: number) => Array.from({ length: n }, (_, i) => `"${i.toString(36)}":${i}`).join(',');
    const json = bytes(`{"model":{"vocab":{${members(1_048_577)}}}}`);
    expect(findJsonShapeProblem(json, [['model', 'vocab']])).toMatchObject({
      limit: 'vocabulary',
      path: 'model.vocab',
    });
    expect(findJsonShapeProblem(json)).toMatchObject({ limit: 'objectMembers', path: 'model.vocab' });
    expect(findJsonShapeProblem(bytes(`{"model":{"vocab":{${members(1_048_576)}}}}`))).toBeUndefined();
  });

  it('holds only the watched paths to the vocabulary cap: merges get the list limit', () => {
    const merges = Array(1_100_000).fill('"a a"').join(',');
    const json = bytes(`{"model":{"vocab":{"a":0,"aa":1},"merges":[${merges}]},"added_tokens":[]}`);
    expect(findJsonShapeProblem(json, [['model', 'vocab'], ['added_tokens'], []])).toBeUndefined();
  });

  it('refuses a key of more than 16,000 bytes (V8 hashes longer strings by length alone), naming its object', () => {
    const key = (bytes: number) => `"${'k'.repeat(bytes)}"`;
    expect(findJsonShapeProblem(bytes(`{"model": {${key(16_000)}: 1}}`))).toBeUndefined();
    const problem = findJsonShapeProblem(bytes(`{"model": {"a": 0, ${key(16_001)}: 1}}`));
    expect(problem).toEqual({ limit: 'keyBytes', path: 'model', bytes: 16_001 });
    expect(describeJsonShapeProblem(problem!)).toBe(
      'model has a key of 16001 bytes; modelgate reads keys of at most 16000 bytes (real keys are under 1 KiB)',
    );
  });

  it('calls a watched top-level object (a vocab.json) the vocabulary', () => {
    const members = Array.from({ length: 1_048_577 }, (_, i) => `"${i.toString(36)}":${i}`).join(',');
    const problem = findJsonShapeProblem(bytes(`{${members}}`), [[]]);
    expect(problem).toEqual({ limit: 'vocabulary', path: '(root)', entries: 1_048_577 });
    expect(describeJsonShapeProblem(problem!)).toBe(
      'the vocabulary has more than 1048576 entries; modelgate reads at most 1048576 (the largest real vocabularies have about 262,000 tokens)',
    );
  });
});
