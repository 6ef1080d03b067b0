import { describe, expect, it } from 'vitest';
import { makeScorer, readDataset } from '../../src/core/eval/scorers.js';
import { longJsonKey, MAX_HASHED_CHARACTERS } from '../../src/core/hashed-string.js';
import { isJsonAnswer } from '../../src/core/shadow/compare.js';
import { readPairsJsonl } from '../../src/core/shadow/recorded.js';
import { readRepositoryCorpus } from '../../src/core/tokenizer/repository-corpus.js';
import { seededRandom } from '../helpers/seeded-random.js';

// V8 keeps every key JSON.parse builds in one table for the whole process, and hashes a string of
// more than 16,383 characters by its length alone: 4,000 lines of a JSON lines file, one such key
// each, took 24 s to parse line by line; 4,000 such ids in a Set took 19 s.
const longKey = (length: number) => JSON.stringify('k'.repeat(length));

describe('longJsonKey: the first key of a JSON text too long to hash', () => {
  it('finds a key of 16,001 characters, wherever it is, and lets 16,000 through', () => {
    expect(MAX_HASHED_CHARACTERS).toBe(16_000);
    expect(longJsonKey(`{${longKey(16_000)}: 1}`)).toBeUndefined();
    expect(longJsonKey(`{${longKey(16_001)}: 1}`)).toBe(16_001);
    expect(longJsonKey(`[1, {"a": {${longKey(20_000)} \r\n\t : []}}]`)).toBe(20_000);
  });

  it('does not take a long value, or a long string followed by a colon inside a string, for a key', () => {
    expect(longJsonKey(`{"a": ${longKey(20_000)}}`)).toBeUndefined();
    expect(longJsonKey(`[${longKey(20_000)}, ":"]`)).toBeUndefined();
    expect(longJsonKey(JSON.stringify({ a: `${'x'.repeat(20_000)}": 1` }))).toBeUndefined();
  });

  it('counts a key as written: escaped quotes and backslashes stay inside it', () => {
    const tricky = `${'\\"'.repeat(4_000)}${'\\\\'.repeat(4_000)}x`; // 16,001 characters as written
    expect(longJsonKey(`{"${tricky}": 1}`)).toBe(16_001);
    // An even run of backslashes ends the string at the quote after it.
    expect(longJsonKey(`{"${'\\\\'.repeat(8_000)}": 1}`)).toBeUndefined();
    expect(longJsonKey(`["${'\\\\'.repeat(9_000)}", "a"]`)).toBeUndefined();
  });

  it('answers a short text at once, and an unterminated string with no key', () => {
    expect(longJsonKey('{"a": 1}')).toBeUndefined();
    expect(longJsonKey(`{"${'k'.repeat(20_000)}`)).toBeUndefined();
  });

  it('agrees with the keys JSON.stringify wrote, on 300 generated documents', () => {
    const random = seededRandom(18);
    const alphabet = ['a', 'é', '"', '\\', '\n', ':', ' ', '{', '😀'];
    const text = (length: number) => Array.from({ length }, () => random.pick(alphabet)).join('') || 'k';
    let found = 0;
    for (let run = 0; run < 300; run++) {
      const written: string[] = []; // keys in the order the text holds them
      const value = (depth: number): unknown => {
        const kind = random.int(depth > 2 ? 2 : 4);
        if (kind === 0) return random.int(2) ? text(random.int(3) * 9_000) : random.int(100);
        if (kind === 1) return null;
        if (kind === 2) return Array.from({ length: random.int(3) }, () => value(depth + 1));
        const object: Record<string, unknown> = {};
        for (let k = random.int(3); k > 0; k--) {
          const key = `k${text(random.pick([3, 8_000, 15_990, 16_001, 12_000]))}`;
          if (key in object) continue;
          object[key] = value(depth + 1);
        }
        return object;
      };
      const document = value(0);
      const serialised = JSON.stringify(document, (key, item: unknown) => {
        if (key) written.push(key);
        return item;
      });
      // The replacer sees keys depth first, in the order they are written.
      const expected = written
        .map((key) => JSON.stringify(key).length - 2)
        .find((length) => length > MAX_HASHED_CHARACTERS);
      expect(longJsonKey(serialised), `run ${run}`).toBe(expected);
      if (expected !== undefined) found += 1;
    }
    // Both answers are exercised.
    expect(found).toBeGreaterThan(30);
    expect(found).toBeLessThan(270);
  });
});

describe('every JSON lines reader refuses a key or an id too long to hash', () => {
  it('a dataset line with such a key or id is a problem of its line; 16,000 is read', () => {
    const { samples, problems } = readDataset(
      [
        `{"id": "a", "prompt": "hi", ${longKey(16_001)}: 1}`,
        `{"id": "${'i'.repeat(16_001)}", "prompt": "hi"}`,
        `{"id": "${'i'.repeat(16_000)}", "prompt": "hi", ${longKey(16_000)}: 1}`,
      ].join('\n'),
    );
    expect(problems).toEqual([
      'line 1: a key is 16001 characters long; modelgate reads keys of at most 16000',
      'line 2: "id" is 16001 characters long; modelgate reads ids of at most 16000',
    ]);
    expect(samples.map((s) => s.id.length)).toEqual([16_000]);
  });

  it('a pairs file with such a key or id is malformed, naming the lines', () => {
    const text = [
      `{"id": "r1", "production": "a", "shadow": "b", ${longKey(17_000)}: 0}`,
      `{"id": "${'r'.repeat(16_001)}", "role": "production", "output": "a"}`,
      `{"id": "${'r'.repeat(16_000)}", "production": "a", "shadow": "a"}`,
    ].join('\n');
    expect(() => readPairsJsonl(text, 'pairs.jsonl')).toThrow(
      'pairs.jsonl: line 1: a key is 17000 characters long; modelgate reads keys of at most 16000; line 2: "id" is 16001 characters long; modelgate reads ids of at most 16000',
    );
    expect(readPairsJsonl(text.split('\n')[2]!, 'pairs.jsonl').pairs).toHaveLength(1);
  });

  it("a model's answer with such a key is not a JSON answer, and scores 0 as JSON", async () => {
    const answer = `{${longKey(16_001)}: 1}`;
    expect(isJsonAnswer(answer)).toBe(false);
    expect(isJsonAnswer(`{${longKey(16_000)}: 1}`)).toBe(true);
    const scorer = makeScorer({ type: 'json_valid' }, {});
    const sample = { id: 's', messages: [{ role: 'user', content: 'q' }], expected: undefined };
    expect(await scorer(answer, sample)).toBe(0);
    expect(await scorer(`{${longKey(16_000)}: 1}`, sample)).toBe(1);
  });

  it('a tokenizer corpus line with such a key names the file and line', () => {
    expect(() =>
      readRepositoryCorpus(`{"text": "a"}\n{"text": "b", ${longKey(16_001)}: 1}\n`, 'c.jsonl'),
    ).toThrow('c.jsonl:2: a key is 16001 characters long; modelgate reads keys of at most 16000');
  });
});
