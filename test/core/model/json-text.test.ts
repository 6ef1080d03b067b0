// parseJson checks a file's syntax in its own pass (scanJson) and leaves the values at deferred
// paths unbuilt. Both must agree with JSON.parse exactly: a text the scan accepts and JSON.parse
// refuses would let a broken file through (the deferred merges are never parsed by anything
// else), and the reverse would refuse a good one. These compare the two on thousands of texts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanJson } from '../../../src/core/model/json-shape.js';
import { JsonText, parseJson } from '../../../src/core/model/json-text.js';
import { TOKENIZER_JSON_DEFERRED } from '../../../src/core/tokenizer/tokenizer-json.js';
import { fixturePath, type RealTokenizer } from '../../setup/fixture-packages.js';
import { seededRandom } from '../../helpers/seeded-random.js';

type Random = ReturnType<typeof seededRandom>;

const SPACE = ['', ' ', '\n', '\t', '\r\n', '  '];
const CHARS = ['a', 'Ġ', 'é', '中', '😀', '"', '\\', '/', '\n', '\u0000', '\u2028', ' ', 'model', 'vocab'];
const ESCAPES = [
  '\\"',
  '\\\\',
  '\\/',
  '\\b',
  '\\f',
  '\\n',
  '\\r',
  '\\t',
  '\\u00e9',
  '\\ud83d\\ude00',
  '\\ud800',
];

// A JSON string literal, sometimes spelling characters with escapes JSON.stringify would not use.
function stringLiteral(r: Random): string {
  let body = '';
  for (let n = r.int(5); n > 0; n--)
    body += r.next() < 0.3 ? r.pick(ESCAPES) : JSON.stringify(r.pick(CHARS)).slice(1, -1);
  return `"${body}"`;
}

const NUMBERS = ['0', '-0', '7', '12.5', '-3e2', '1E+2', '4.0e-1', '123456789012345678901', '1e400'];

function jsonText(r: Random, depth: number): string {
  const s = () => r.pick(SPACE);
  const kind = depth > 3 ? r.int(4) : r.int(6);
  switch (kind) {
    case 0:
      return stringLiteral(r);
    case 1:
      return r.pick(NUMBERS);
    case 2:
      return r.pick(['true', 'false', 'null']);
    case 3:
      return stringLiteral(r);
    case 4: {
      const items = Array.from({ length: r.int(4) }, () => `${s()}${jsonText(r, depth + 1)}${s()}`);
      return `[${items.join(',')}${items.length ? '' : s()}]`;
    }
    default: {
      const keys = ['"model"', '"vocab"', '"merges"', '"mod\\u0065l"', stringLiteral(r)];
      const members = Array.from(
        { length: r.int(4) },
        () => `${s()}${r.pick(keys)}${s()}:${s()}${jsonText(r, depth + 1)}${s()}`,
      );
      return `{${members.join(',')}${members.length ? '' : s()}}`;
    }
  }
}

// Breaks a text the ways files break: a byte dropped, doubled or replaced.
function mutate(r: Random, text: Buffer): Buffer {
  const at = r.int(text.length + 1);
  const junk = Buffer.from([
    r.pick([0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x30, 0x2d, 0x65, 0x2e, 0x01, 0xff, 0x20, 0x6e]),
  ]);
  switch (r.int(3)) {
    case 0:
      return Buffer.concat([text.subarray(0, at), text.subarray(at + 1)]);
    case 1:
      return Buffer.concat([text.subarray(0, at), junk, text.subarray(at)]);
    default:
      return Buffer.concat([text.subarray(0, at), junk, text.subarray(at + 1)]);
  }
}

const parses = (bytes: Buffer) => {
  try {
    JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
};

// The parsed value with every JsonText replaced by what it builds: what JSON.parse gives.
function built(value: unknown): unknown {
  if (value instanceof JsonText) return value.value();
  if (Array.isArray(value)) return value.map(built);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, built(v)]));
  return value;
}

describe('scanJson accepts exactly what JSON.parse accepts', () => {
  it('agrees with JSON.parse on 20,000 generated texts and as many broken copies of them', () => {
    const r = seededRandom(18);
    const disagreements: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      const text = Buffer.from(`${r.pick(SPACE)}${jsonText(r, 0)}${r.pick(SPACE)}`);
      for (const bytes of [text, mutate(r, text)]) {
        const accepted = scanJson(bytes).syntaxErrorAt === undefined;
        if (accepted !== parses(bytes)) disagreements.push(bytes.toString('latin1'));
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
  });

  it.each([
    ['a leading zero', '[01]'],
    ['a bare minus', '[-]'],
    ['a dot without digits', '[1.]'],
    ['an exponent without digits', '[1e]'],
    ['a plus sign', '[+1]'],
    ['a trailing comma', '[1,]'],
    ['a single-quoted string', "['a']"],
    ['a raw control character in a string', '["a\u0001"]'],
    ['an unknown escape', '["\\x41"]'],
    ['a short unicode escape', '["\\u12"]'],
    ['a missing colon', '{"a" 1}'],
    ['a key that is not a string', '{a: 1}'],
    ['a second value', '1 2'],
    ['a truncated word', '[tru]'],
    ['an unterminated string', '["abc'],
    ['an empty text', ''],
    ['NaN', '[NaN]'],
  ])('refuses %s, as JSON.parse does', (_name, text) => {
    const bytes = Buffer.from(text);
    expect(parses(bytes)).toBe(false);
    expect(scanJson(bytes).syntaxErrorAt).toBeTypeOf('number');
  });

  it('reads a file that starts with a UTF-8 byte order mark, as the decoder before JSON.parse does', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a": [1]}')]);
    expect(scanJson(bytes)).toMatchObject({ start: 3, deferred: [] });
    expect(parseJson(bytes)).toEqual({ ok: true, value: { a: [1] } });
  });
});

describe('parseJson with deferred paths', () => {
  const deferred = [
    ['model', 'vocab'],
    ['model', 'merges'],
  ];

  it('builds the same value as JSON.parse on 20,000 generated documents, deferred values included', () => {
    const r = seededRandom(2026);
    let deferredSeen = 0;
    for (let n = 0; n < 20_000; n++) {
      const text = Buffer.from(jsonText(r, 0));
      if (!parses(text)) continue;
      const parsed = parseJson(text, { deferred });
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) continue;
      expect(built(parsed.value), text.toString()).toEqual(JSON.parse(text.toString()));
      const model = (parsed.value as { model?: Record<string, unknown> } | null)?.model;
      if (model && typeof model === 'object')
        deferredSeen += Object.values(model).filter((v) => v instanceof JsonText).length;
    }
    expect(deferredSeen).toBeGreaterThan(100); // the generator does reach the deferred paths
  });

  it('keeps the last of repeated keys, as JSON.parse does, however the key is spelled', () => {
    const text = Buffer.from(
      '{"model": {"vocab": {"a": 0}, "merges": ["x y"]}, "mod\\u0065l": {"vocab": {"b": 1}, "type": "BPE"}}',
    );
    const parsed = parseJson(text, { deferred });
    expect(parsed.ok).toBe(true);
    const model = (parsed as { value: { model: Record<string, unknown> } }).value.model;
    expect(Object.keys(model)).toEqual(['vocab', 'type']);
    expect(model.vocab).toBeInstanceOf(JsonText);
    expect((model.vocab as JsonText).value()).toEqual({ b: 1 });
    expect((model.vocab as JsonText).members).toBe(1);
  });

  it("names a syntax error inside a deferred value with JSON.parse's own message, never a value", () => {
    const text = Buffer.from('{"model": {"vocab": {"a": 0}, "merges": ["a b", "c d",]}}');
    const parsed = parseJson(text, { deferred });
    expect(parsed.ok).toBe(false);
    let message = '';
    try {
      JSON.parse(text.toString());
    } catch (error) {
      message = (error as Error).message;
    }
    expect(parsed).toEqual({ ok: false, syntax: message });
  });

  // GPT-2: "merges" as strings; Qwen 3: as [left, right] pairs (test/core/tokenizer/token-table.test.ts reads Gemma 3's 262,144 tokens).
  it.each(['gpt2', 'qwen3'] satisfies RealTokenizer[])(
    "leaves %s's vocabulary and merges unbuilt, and everything else as JSON.parse builds it",
    (name) => {
      const bytes = readFileSync(fixturePath.tokenizerJson(name));
      const parsed = parseJson(bytes, { deferred: TOKENIZER_JSON_DEFERRED });
      expect(parsed.ok).toBe(true);
      const value = (parsed as { value: { model: Record<string, unknown> } }).value;
      expect(value.model.vocab).toBeInstanceOf(JsonText);
      expect(value.model.merges).toBeInstanceOf(JsonText);
      // Compared as text: as strict as toEqual here (same key order), and far quicker on 9 MB.
      expect(JSON.stringify(built(value)) === JSON.stringify(JSON.parse(bytes.toString('utf8')))).toBe(true);
    },
  );
});
