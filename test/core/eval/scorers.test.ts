import { describe, expect, it } from 'vitest';
import { makeScorer, readDataset, type DatasetSample } from '../../../src/core/eval/scorers.js';

const sample = (expected: unknown): DatasetSample => ({
  id: '1',
  messages: [{ role: 'user', content: 'q' }],
  expected,
});

describe('scorers', () => {
  it('exact_match normalises case and whitespace by default, punctuation on request', async () => {
    expect(await makeScorer('exact_match')('  Paris \n', sample('paris'))).toBe(1);
    expect(await makeScorer('exact_match')('Paris.', sample('paris'))).toBe(0);
    expect(
      await makeScorer({ type: 'exact_match', ignore_punctuation: true })('Paris.', sample('paris')),
    ).toBe(1);
    expect(await makeScorer({ type: 'exact_match', ignore_case: false })('Paris', sample('paris'))).toBe(0);
  });

  it('contains, regex (with a capture group) and numeric (with a tolerance)', async () => {
    expect(await makeScorer('contains')('The capital is Paris.', sample('paris'))).toBe(1);
    expect(
      await makeScorer({ type: 'regex', pattern: 'answer: (\\w+)' })('so the answer: B', sample('b')),
    ).toBe(1);
    expect(
      await makeScorer({ type: 'regex', pattern: 'answer: (\\w+)' })('so the answer: C', sample('b')),
    ).toBe(0);
    expect(await makeScorer({ type: 'numeric', tolerance: 0.01 })('It is 3.141 roughly', sample(3.14))).toBe(
      1,
    );
    expect(await makeScorer('numeric')('1,234 apples', sample('1234'))).toBe(1);
    expect(await makeScorer('numeric')('no number', sample(1))).toBe(0);
  });

  it('json_valid and json_schema (fenced JSON accepted)', async () => {
    expect(await makeScorer('json_valid')('```json\n{"a": 1}\n```', sample(undefined))).toBe(1);
    expect(await makeScorer('json_valid')('{a: 1}', sample(undefined))).toBe(0);
    const scorer = makeScorer(
      { type: 'json_schema', schema: 's.json' },
      { validateSchema: (v) => typeof (v as { a?: unknown }).a === 'number' },
    );
    expect(await scorer('{"a": 1}', sample(undefined))).toBe(1);
    expect(await scorer('{"a": "x"}', sample(undefined))).toBe(0);
  });

  it('reads datasets: prompt or messages, ids unique', () => {
    const { samples, problems } = readDataset(
      '{"id": 1, "prompt": "hi", "expected": "x"}\n{"id": 1, "prompt": "again"}\n{"id": "m", "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]}\n',
    );
    expect(samples.map((s) => [s.id, s.messages.length])).toEqual([
      ['1', 1],
      ['m', 2],
    ]);
    expect(problems).toEqual(['line 2 repeats id "1"']);
  });
});
