import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TokenizerFormatError } from '../../../src/core/tokenizer/model.js';
import { readTokenizerJson } from '../../../src/core/tokenizer/tokenizer-json.js';
import { Vocabulary } from '../../../src/core/tokenizer/vocabulary.js';
import { fixturePath } from '../../setup/fixture-packages.js';

// The vocabulary reads ids only when it is built and makes its id -> token table on the first
// question that needs it; these pin that every answer is the one a full table gives.
describe('Vocabulary from a {token: id} object', () => {
  const llama3 = () =>
    readTokenizerJson(
      JSON.parse(readFileSync(fixturePath.tokenizerJson('llama3'), 'utf8')),
      'tokenizer.json',
    );

  it("answers Llama 3's tokens at every id exactly as a table built from the file does", () => {
    const json = JSON.parse(readFileSync(fixturePath.tokenizerJson('llama3'), 'utf8')) as {
      model: { vocab: Record<string, number> };
    };
    const table = new Map<number, string>();
    for (const [token, id] of Object.entries(json.model.vocab)) if (!table.has(id)) table.set(id, token);
    const { vocab } = llama3();
    expect(vocab.size).toBe(128000);
    expect(vocab.maxId).toBe(127999);
    const differing: number[] = [];
    for (let id = 0; id <= vocab.maxId; id++) if (vocab.tokenAt(id) !== table.get(id)) differing.push(id);
    expect(differing).toEqual([]);
    expect(vocab.tokenAt(9906)).toBe('Hello');
  });

  it("has no token at the added tokens' ids above the vocabulary (Llama 3's <|begin_of_text|> is 128000)", () => {
    const { vocab, added } = llama3();
    expect(added.find((t) => t.content === '<|begin_of_text|>')?.id).toBe(128000);
    expect(vocab.tokenAt(128000)).toBeUndefined();
    expect(vocab.tokenAt(-1)).toBeUndefined();
    expect(vocab.tokenAt(1.5)).toBeUndefined();
  });

  it('gives an id shared by two tokens to the first one in the file', () => {
    const { vocabulary } = Vocabulary.fromObject({ a: 0, b: 1, c: 1 }, 'vocab.json');
    expect(vocabulary.tokenAt(1)).toBe('b');
    expect(vocabulary.idOf('c')).toBe(1);
    expect(vocabulary.size).toBe(3);
  });

  it('names every entry whose id is not a non-negative integer, and counts only the others', () => {
    const { vocabulary, invalid } = Vocabulary.fromObject(
      { ok: 0, negative: -1, fraction: 1.5, text: '2', huge: 2 ** 53, missing: null },
      'vocab.json',
    );
    expect(invalid).toEqual(['negative', 'fraction', 'text', 'huge', 'missing']);
    expect(vocabulary.size).toBe(1);
    expect(vocabulary.maxId).toBe(0);
    expect(vocabulary.tokenAt(0)).toBe('ok');
  });

  it('answers an id far above the entry count (5,000,000,000) without building a table that large', () => {
    const { vocabulary, invalid } = Vocabulary.fromObject({ a: 0, far: 5_000_000_000 }, 'vocab.json');
    expect(invalid).toEqual([]);
    expect(vocabulary.maxId).toBe(5_000_000_000);
    expect(vocabulary.tokenAt(5_000_000_000)).toBe('far');
    expect(vocabulary.tokenAt(1)).toBeUndefined();
  });
});

// V8 hashes a string of more than 16,383 characters by its length alone: a Map of thousands of
// such tokens is quadratic (7,500 Unigram pieces of 17,000 characters: validate took 128 s).
describe('tokens longer than 16,000 characters', () => {
  it('are refused in a list vocabulary (Unigram, vocab.txt, SentencePiece), naming the token', () => {
    expect(Vocabulary.fromList(['a', 'b'.repeat(16_000)], 'tokenizer.model').size).toBe(2);
    expect(() => Vocabulary.fromList(['a', 'b'.repeat(16_001)], 'tokenizer.model')).toThrow(
      new TokenizerFormatError(
        'tokenizer.model',
        'tokenizer.model: token 1 is 16001 characters long; modelgate reads tokens of at most 16000 (real tokens are a few dozen)',
      ),
    );
  });

  it("are refused in tokenizer.json's added_tokens", () => {
    const json = (content: string) => ({
      model: { type: 'WordLevel', vocab: { a: 0 } },
      added_tokens: [{ id: 1, content, special: true }],
    });
    expect(readTokenizerJson(json('x'.repeat(16_000)), 't.json').added).toHaveLength(1);
    expect(() => readTokenizerJson(json('x'.repeat(16_001)), 't.json')).toThrow(
      /^t\.json: added_tokens\[0\] is 16001 characters long; modelgate reads tokens of at most 16000/,
    );
  });
});
