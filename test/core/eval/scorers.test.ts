import { describe, expect, it } from 'vitest';
import {
  makeScorer,
  PatternError,
  readDataset,
  scorerProblems,
  type DatasetSample,
} from '../../../src/core/eval/scorers.js';

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

describe('the regex scorer runs patterns from a pull request on RE2 (linear time)', () => {
  it('a catastrophic pattern on a near-match finishes at once: ^(a+)+$ on 40 a and a "!"', async () => {
    const scorer = makeScorer({ type: 'regex', pattern: '^(a+)+$' });
    const start = performance.now();
    expect(await scorer(`${'a'.repeat(40)}!`, sample(undefined))).toBe(0);
    // Also the longest answer a scorer looks at (20,000 characters).
    expect(await scorer(`${'a'.repeat(19_999)}!`, sample(undefined))).toBe(0);
    // A backtracking engine needs 2^40 steps for the first; RE2 needs one pass.
    expect(performance.now() - start).toBeLessThan(1000);
    expect(await scorer('a'.repeat(40), sample(undefined))).toBe(1);
  });

  it('a pattern RE2 cannot run is a clear error, before any answer is scored', () => {
    expect(() => makeScorer({ type: 'regex', pattern: '(\\w+) \\1' })).toThrow(PatternError);
    expect(() => makeScorer({ type: 'regex', pattern: 'answer: (?=B)' })).toThrow(
      'scorer.pattern `answer: (?=B)` is not a pattern RE2 can run (invalid or unsupported Perl syntax: `(?=`); backreferences and lookaround are not supported',
    );
  });

  it('without a pattern, each expected answer is the pattern: those RE2 cannot run are listed up front', async () => {
    const samples = [
      { ...sample('Paris|paris'), id: 'ok' },
      { ...sample('(a)\\1'), id: 'backref' },
    ];
    expect(scorerProblems({ type: 'regex' }, samples)).toEqual([
      'expected of backref `(a)\\1` is not a pattern RE2 can run (invalid escape sequence: `\\1`); backreferences and lookaround are not supported',
    ]);
    expect(scorerProblems('exact_match', samples)).toEqual([]);
    expect(await makeScorer({ type: 'regex' })('It is Paris.', samples[0]!)).toBe(1);
  });
});
