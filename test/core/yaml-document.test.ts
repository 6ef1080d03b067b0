// parseYamlDocument finds repeated keys itself, in one pass, instead of yaml's uniqueKeys check,
// which compares each key with every earlier key of its mapping. These pin that it refuses exactly
// the documents the library refuses, at the same key, and that a mapping of many keys stays cheap.
import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseYamlDocument } from '../../src/core/yaml-document.js';
import { parseManifest } from '../../src/core/manifest/parse.js';
import { seededRandom } from '../helpers/seeded-random.js';

// Keys the library tells apart or not: 1 and 1.0 are one key, 1 and "1" two, null and ~ one.
const KEYS = [
  'a',
  '"a"',
  "'a'",
  'b',
  '1',
  '1.0',
  '"1"',
  'true',
  '"true"',
  'null',
  '~',
  '.nan',
  '-0',
  '0',
  '[x]',
  '{y: 1}',
];

function yamlText(pick: (n: number) => number, depth: number, indent: string): string {
  const lines: string[] = [];
  for (let n = pick(5) + 1; n > 0; n--) {
    const key = KEYS[pick(KEYS.length)]!;
    if (depth < 2 && pick(3) === 0)
      lines.push(`${indent}${key}:\n${yamlText(pick, depth + 1, `${indent}  `)}`);
    else if (depth < 2 && pick(4) === 0)
      lines.push(
        `${indent}${key}:\n${indent}  - {${KEYS[pick(KEYS.length)]}: 1, ${KEYS[pick(KEYS.length)]}: 2}`,
      );
    else lines.push(`${indent}${key}: ${pick(100)}`);
  }
  return lines.join('\n');
}

describe('parseYamlDocument: repeated keys', () => {
  it('refuses exactly what yaml with uniqueKeys refuses, at its first repeated key, on 3,000 generated documents', () => {
    const pick = seededRandom(42).int;
    let repeats = 0;
    for (let n = 0; n < 3_000; n++) {
      const text = `${yamlText(pick, 0, '')}\n`;
      const library = parseDocument(text, { uniqueKeys: true }).errors.map((e) => [e.code, e.pos[0]]);
      const ours = parseYamlDocument(text).errors.map((e) => [e.code, e.pos[0]]);
      // A document with other errors keeps those; else its first repeated key is its one error.
      const others = library.filter(([code]) => code !== 'DUPLICATE_KEY');
      expect(ours, text).toEqual(others.length ? others : library.slice(0, 1));
      if (library.length && !others.length) repeats += 1;
    }
    expect(repeats).toBeGreaterThan(300); // the generator does repeat keys
  });

  it('names the line and column of the repeated key, as the library does with a line counter', () => {
    const lineCounter = new LineCounter();
    const [error, ...rest] = parseYamlDocument('a: 1\nb:\n  c: 2\n  c: 3\n', { lineCounter }).errors;
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ code: 'DUPLICATE_KEY', linePos: [{ line: 4, col: 3 }] });
    expect(error!.message).toBe('Map keys must be unique at line 4, column 3');
  });

  // yaml's own check took 11 s for 40,000 keys (78 s for the 88,000 a 1 MiB manifest holds).
  it('reads a manifest of 40,000 keys in one pass: a schema finding, not a minutes-long parse', () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const parsed = parseManifest(
      `apiVersion: modelgate.dev/v1\nkind: Model\n${keys}\n`,
      'models/m/model.yaml',
    );
    expect(parsed.findings.map((f) => f.rule)).toContain('MANIFEST-SCHEMA');
    expect(parsed.findings.some((f) => /not valid YAML/.test(f.message))).toBe(false);
  }, 10_000);
});
