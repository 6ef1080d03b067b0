import { describe, expect, it } from 'vitest';
import {
  answerSimilarity,
  isJsonAnswer,
  isRefusal,
  normaliseAnswer,
  pairOutcome,
  ratioBin,
  ratioBinRange,
  tallyPairs,
} from '../../../src/core/shadow/compare.js';

describe('comparing two answers to one request', () => {
  it('normalises Unicode compatibility forms, case, quotes and whitespace before comparing', () => {
    expect(normaliseAnswer('  Ｔｈｅ  Answer’s\n\tﬁne ')).toBe("the answer's fine");
    expect(answerSimilarity('The answer is 42.', 'the   ANSWER is 42.')).toBe(1);
  });

  it('scores token overlap as the Dice coefficient (SQuAD-style token F1), ignoring word order', () => {
    // 4 tokens each ("paris", "is", "the", "capital" vs "the", "capital", "is", "lyon"): 3 shared.
    expect(answerSimilarity('Paris is the capital', 'The capital is Lyon')).toBeCloseTo(0.75, 10);
    expect(answerSimilarity('', '')).toBe(1);
    expect(answerSimilarity('something', '')).toBe(0);
  });

  it('counts an answer as JSON only when it is an object or an array, also inside one code fence', () => {
    expect(isJsonAnswer('{"ticket": 12, "priority": "high"}')).toBe(true);
    expect(isJsonAnswer('```json\n[1, 2, 3]\n```')).toBe(true);
    expect(isJsonAnswer('42')).toBe(false);
    expect(isJsonAnswer('{"ticket": 12,')).toBe(false);
    expect(isJsonAnswer('Here you go: {"a": 1}')).toBe(false);
  });

  it('detects refusals by their opening, not by a quoted "I can\'t" later in a long answer', () => {
    expect(isRefusal("I'm sorry, but I can't help with that request.")).toBe(true);
    expect(isRefusal('I cannot assist with creating malware.')).toBe(true);
    expect(isRefusal('As an AI language model, I cannot browse the internet.')).toBe(true);
    expect(isRefusal('Unfortunately, I am unable to share personal data.')).toBe(true);
    expect(isRefusal('Sure! Here is the summary you asked for.')).toBe(false);
    expect(
      isRefusal(`${'The report covers revenue. '.repeat(20)}The customer wrote "I can't help with that".`),
    ).toBe(false);
  });

  it('bins length ratios on a log scale, empty answers at the ends', () => {
    expect(ratioBinRange(ratioBin('abcd', 'abcd'))).toEqual({ low: 1, high: 2 ** (1 / 16) });
    expect(ratioBinRange(ratioBin('abcd', 'abcdabcd')).low).toBe(2);
    expect(ratioBin('abcd', '')).toBe(0);
    expect(ratioBinRange(ratioBin('', 'abcd')).high).toBe(Number.POSITIVE_INFINITY);
    expect(ratioBinRange(ratioBin('', ''))).toEqual({ low: 1, high: 2 ** (1 / 16) });
  });

  it('lets a side win a pair only when it won in both orders; a disagreement is a tie, an unparsed reply never a win', () => {
    expect(pairOutcome({ productionFirst: 'shadow', shadowFirst: 'shadow' })).toBe('shadow');
    expect(pairOutcome({ productionFirst: 'production', shadowFirst: 'production' })).toBe('production');
    // Position bias: the judge always picks the first answer shown.
    expect(pairOutcome({ productionFirst: 'production', shadowFirst: 'shadow' })).toBe('tie');
    expect(pairOutcome({ productionFirst: 'tie', shadowFirst: 'shadow' })).toBe('tie');
    expect(pairOutcome({ productionFirst: 'shadow', shadowFirst: 'unparsed' })).toBe('unparsed');
  });

  it('tallies at most the sampling cap, and a repeated request id once', () => {
    const pairs = [
      { id: 'a', production: 'x', shadow: 'x' },
      { id: 'a', production: 'x', shadow: 'y' },
      { id: 'b', production: '{"k":1}', shadow: 'I cannot help with that.' },
      { id: 'c', production: 'x', shadow: 'x' },
    ];
    const tally = tallyPairs(pairs, 2);
    expect(tally).toMatchObject({ pairs: 2, duplicates: 1, overCap: 1, exact: 1 });
    expect(tally.json).toEqual({ both: 0, productionOnly: 1, shadowOnly: 0, neither: 1 });
    expect(tally.refusal).toEqual({ both: 0, productionOnly: 0, shadowOnly: 1, neither: 1 });
  });
});
