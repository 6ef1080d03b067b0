// A tokenizer.json's vocabulary is indexed over the file's bytes (TokenTable) instead of being
// built by JSON.parse. Every answer must be the one the object JSON.parse builds gives: these
// compare the two on real tokenizers and on generated vocabularies with the awkward cases
// (escapes, repeated keys, ids that are not ids, keys named like Object.prototype members).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonText } from '../../../src/core/model/json-text.js';
import { parseJson } from '../../../src/core/model/json-text.js';
import { jsonEqual } from '../../../src/core/json-equal.js';
import { TOKENIZER_JSON_DEFERRED, readTokenizerJson } from '../../../src/core/tokenizer/tokenizer-json.js';
import { TokenizerFormatError } from '../../../src/core/tokenizer/model.js';
import { TokenTable } from '../../../src/core/tokenizer/token-table.js';
import { Vocabulary } from '../../../src/core/tokenizer/vocabulary.js';
import { fixturePath, type RealTokenizer } from '../../setup/fixture-packages.js';
import { addRealModel } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';
import { seededRandom } from '../../helpers/seeded-random.js';

/** The object's vocabulary as the index reads it from bytes, and as fromObject reads JSON.parse's object. */
function bothWays(text: string) {
  const bytes = Buffer.from(`{"model": {"vocab": ${text}}}`);
  const parsed = parseJson(bytes, { deferred: TOKENIZER_JSON_DEFERRED });
  if (!parsed.ok) throw new Error(`not JSON: ${text}`);
  const deferred = (parsed.value as { model: { vocab: JsonText } }).model.vocab;
  return {
    indexed: Vocabulary.fromJsonText(deferred, 'tokenizer.json'),
    parsed: Vocabulary.fromObject(JSON.parse(text) as Record<string, unknown>, 'tokenizer.json'),
  };
}

/** The JsonText parseJson leaves for the vocabulary object `text`. */
function deferredVocab(text: string): JsonText {
  const parsed = parseJson(Buffer.from(`{"model": {"vocab": ${text}}}`), {
    deferred: TOKENIZER_JSON_DEFERRED,
  });
  return (parsed as { value: { model: { vocab: JsonText } } }).value.model.vocab;
}

/**
 * 2^stages keys of one FNV-1a hash, each `prefix` and then one of two colliding 5-byte blocks per
 * stage. FNV-1a's state is its 32-bit output, so a pair that collides from one state (found by the
 * birthday bound, about 2^16 tries) chains into the next: the hash is not seeded, and this is cheap.
 */
function collidingKeys(prefix: string, stages: number): string[] {
  const step = (state: number, text: string) => {
    let hash = state;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    return hash;
  };
  const next = seededRandom(99).int;
  const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const block = () => Array.from({ length: 5 }, () => ALPHABET[next(ALPHABET.length)]).join('');
  let state = step(0x811c9dc5 | 0, prefix);
  const pairs: [string, string][] = [];
  while (pairs.length < stages) {
    const seen = new Map<number, string>();
    for (;;) {
      const candidate = block();
      const hash = step(state, candidate);
      const other = seen.get(hash);
      if (other !== undefined && other !== candidate) {
        pairs.push([other, candidate]);
        state = hash;
        break;
      }
      seen.set(hash, candidate);
    }
  }
  const keys = Array.from(
    { length: 2 ** stages },
    (_, k) => prefix + pairs.map(([a, b], s) => ((k >> s) & 1 ? b : a)).join(''),
  );
  expect(new Set(keys.map((key) => step(0x811c9dc5 | 0, key))).size).toBe(1);
  return keys;
}

const TOKENS = [
  'a',
  'b',
  'Ġthe',
  'é',
  '中文',
  '😀',
  '"',
  '\\',
  '\n',
  '\u0000',
  '__proto__',
  'constructor',
  '0',
  '17',
  '',
];
// How a file may spell a token: as JSON.stringify does, or with needless escapes.
const spellings = (token: string) => [
  JSON.stringify(token),
  `"${[...token].map((c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`).join('')}"`.replace(
    /\\u([0-9a-f]{5,})/g,
    (_m, hex: string) => {
      const code = parseInt(hex, 16) - 0x10000;
      const high = (0xd800 + (code >> 10)).toString(16);
      const low = (0xdc00 + (code & 0x3ff)).toString(16);
      return `\\u${high}\\u${low}`;
    },
  ),
];
// The questions asked of both: every token the generator uses, a longer one, a missing one, a lone surrogate.
const PROBES = [...TOKENS, 'Ġthe中文', 'missing', '\ud800'];
const IDS = [
  '0',
  '-0',
  '1',
  '2',
  '7',
  '41',
  '7.0',
  '1e1',
  '-1',
  '0.5',
  '"3"',
  'null',
  '[1]',
  '{"id": 1}',
  '9007199254740993',
];

describe('a vocabulary indexed over the bytes answers as the parsed object does', () => {
  it('on 3,000 generated vocabularies with escapes, repeated keys and invalid ids', () => {
    const pick = seededRandom(7).int;
    const differing: string[] = [];
    for (let n = 0; n < 3_000; n++) {
      const members = Array.from({ length: pick(8) }, () => {
        const token = TOKENS[pick(TOKENS.length)]! + (pick(3) === 0 ? TOKENS[pick(TOKENS.length)]! : '');
        const spelled = spellings(token)[pick(2)]!;
        return `${spelled}: ${IDS[pick(IDS.length)]!}`;
      });
      const text = `{${members.join(', ')}}`;
      const { indexed, parsed } = bothWays(text);
      // In order: JSON.parse's object lists array-index keys ("17") first, then the file's order.
      const a = indexed.vocabulary;
      const b = parsed.vocabulary;
      const answers = (v: Vocabulary, invalid: string[]) =>
        JSON.stringify([
          invalid,
          v.size,
          Object.is(v.maxId, -0) ? '-0' : v.maxId,
          PROBES.map((token) => v.idOf(token) ?? null),
          [...v.entries()],
          Array.from({ length: 42 }, (_, id) => v.tokenAt(id) ?? null),
        ]);
      if (answers(a, indexed.invalid) !== answers(b, parsed.invalid)) differing.push(text);
    }
    expect(differing.slice(0, 3)).toEqual([]);
  });

  it('keeps a repeated key in its first place with its last value, as JSON.parse does', () => {
    const { indexed } = bothWays('{"a": 0, "b": 1, "a": 2, "\\u0062": 3}');
    expect([...indexed.vocabulary.entries()]).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
    expect(indexed.vocabulary.tokenAt(2)).toBe('a');
    expect(indexed.vocabulary.tokenAt(0)).toBeUndefined();
  });

  it('gives an id two tokens share to the one JSON.parse lists first: an array-index token ("5") before others', () => {
    const { indexed, parsed } = bothWays('{"<tok>": 7, "5": 7, "b": "x", "17": "y"}');
    expect(parsed.vocabulary.tokenAt(7)).toBe('5');
    expect(indexed.vocabulary.tokenAt(7)).toBe('5');
    expect(indexed.invalid).toEqual(['17', 'b']);
  });

  it('parses a vocabulary whose keys were made to collide in its hash, instead of comparing them for minutes', () => {
    // Without a budget, a 116 MiB file of such groups (long shared prefixes) took 16 s to index,
    // against 0.4 s for JSON.parse.
    const keys = collidingKeys('p'.repeat(2000), 3);
    const text = `{${keys.map((key, id) => `${JSON.stringify(key)}: ${id}`).join(', ')}}`;
    expect(TokenTable.index(deferredVocab(text))).toBeUndefined();
    const { indexed, parsed: expected } = bothWays(text);
    expect([...indexed.vocabulary.entries()]).toEqual([...expected.vocabulary.entries()]);
    expect(indexed.vocabulary.idOf(keys[5]!)).toBe(5);
  });

  it('parses a vocabulary with more than 4 short keys of one hash, which would make every lookup of them slow', () => {
    // Short keys and plenty of ordinary ones pay any comparison budget; each idOf of the last of 128
    // such keys compared it with the 127 others (ADDED-ID asks once per added token: 12.6 s vs 2.5 s).
    const keys = [...collidingKeys('q', 3), ...Array.from({ length: 2000 }, (_, i) => `plain${i}`)];
    const text = `{${keys.map((key, id) => `${JSON.stringify(key)}: ${id}`).join(', ')}}`;
    expect(TokenTable.index(deferredVocab(text))).toBeUndefined();
    expect(bothWays(text).indexed.vocabulary.idOf(keys[7]!)).toBe(7);
  });

  it('reads bytes that are not UTF-8 as the decoder does (U+FFFD), by parsing that vocabulary instead', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"model": {"vocab": {"ok": 0, "'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('": 1}}}'),
    ]);
    const parsed = parseJson(bytes, { deferred: TOKENIZER_JSON_DEFERRED });
    const vocab = readTokenizerJson(parsed.ok ? parsed.value : undefined, 'tokenizer.json').vocab;
    expect(vocab.idOf('\ufffd(')).toBe(1);
    expect(vocab.idOf('ok')).toBe(0);
  });

  it('names the first entry whose id is not an id, as before', () => {
    const bytes = Buffer.from(
      '{"model": {"type": "BPE", "vocab": {"a": 0, "b": "one", "c": -1}, "merges": []}}',
    );
    const parsed = parseJson(bytes, { deferred: TOKENIZER_JSON_DEFERRED });
    expect(() => readTokenizerJson(parsed.ok ? parsed.value : undefined, 'tokenizer.json')).toThrow(
      new TokenizerFormatError(
        'tokenizer.json',
        'tokenizer.json: model.vocab has 2 entries whose id is not a non-negative integer (first: "b")',
      ),
    );
  });
});

describe('real tokenizers read from bytes and from JSON.parse', () => {
  const read = (name: RealTokenizer) => {
    const bytes = readFileSync(fixturePath.tokenizerJson(name));
    const parsed = parseJson(bytes, { deferred: TOKENIZER_JSON_DEFERRED });
    if (!parsed.ok) throw new Error(`${name} did not parse`);
    return {
      indexed: readTokenizerJson(parsed.value, 'tokenizer.json'),
      whole: readTokenizerJson(JSON.parse(bytes.toString('utf8')), 'tokenizer.json'),
    };
  };

  // Llama 3: byte-level BPE with escaped tokens ("\"", "\\"); Qwen 3: 151,643 tokens.
  it.each(['llama3', 'qwen3'] satisfies RealTokenizer[])(
    '%s: the same id for every token, the same added tokens, and the same pipeline (merges included)',
    (name) => {
      const { indexed, whole } = read(name);
      expect([indexed.vocab.size, indexed.vocab.maxId]).toEqual([whole.vocab.size, whole.vocab.maxId]);
      const differing = [...whole.vocab.entries()].filter(([token, id]) => indexed.vocab.idOf(token) !== id);
      expect(differing).toEqual([]);
      expect(indexed.added).toEqual(whole.added);
      expect(indexed.prepends).toBe(whole.prepends);
      expect(jsonEqual(indexed.pipeline, whole.pipeline)).toBe(true);
      expect(indexed.vocab.tokenAt(1000)).toBe(whole.vocab.tokenAt(1000));
    },
  );
});

describe('validate reads every byte of tokenizer.json, the parts it leaves unbuilt included', () => {
  it("reports a syntax error inside model.merges as ARTIFACT-INVALID, with JSON.parse's message", async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'gpt2');
    const file = readFileSync(fixturePath.tokenizerJson('gpt2'), 'utf8');
    // A trailing comma after the last merge (the file ends with the merges list, then the model and
    // the document close): JSON.parse refuses it, so validate must too.
    const broken = file.replace(/"(\s*\]\s*\}\s*\}\s*)$/, '",$1');
    expect(broken).not.toBe(file);
    registry.write(`${dir}/tokenizer.json`, broken);
    const findings = findingsOf(await registry.validate(), 'ARTIFACT-INVALID');
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/^models\/gpt2\/tokenizer\.json is not valid JSON: Unexpected token ']'/),
    ]);
  });
});
