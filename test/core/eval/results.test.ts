import { describe, expect, it } from 'vitest';
import { attachHarnessSamples, parsePythonJson, readResultsFile } from '../../../src/core/eval/results.js';
import { parseJsonFile } from '../../../src/core/user-file-error.js';
import { MalformedFileError } from '../../../src/core/user-file-error.js';
import { harnessResults, harnessSamples } from '../../helpers/lm-eval.js';

describe('lm-evaluation-harness results', () => {
  const file = readResultsFile(parsePythonJson(harnessResults()), 'evals/results.json');

  it('names metrics task/metric, with the filter when it is not "none"', () => {
    expect(file.format).toBe('lm-eval');
    expect(file.metrics.map((m) => m.name).sort()).toEqual([
      'arc_easy/acc',
      'arc_easy/acc_norm',
      'gsm8k/exact_match,flexible-extract',
      'gsm8k/exact_match,strict-match',
      'mmlu/acc',
    ]);
  });

  it('keeps stderr, n, direction and task version; "N/A" stderr and NaN values are absent, not zero', () => {
    const byName = new Map(file.metrics.map((m) => [m.name, m]));
    expect(byName.get('arc_easy/acc_norm')).toMatchObject({
      value: 0.7744107744107744,
      stderr: 0.008577147046011374,
      n: 2376,
      higherIsBetter: true,
      taskVersion: '1',
    });
    expect(byName.get('gsm8k/exact_match,strict-match')).toMatchObject({
      stderr: 0.011904918469009231,
      taskVersion: '3',
    });
    expect(byName.get('mmlu/acc')!.stderr).toBeUndefined();
    expect(byName.has('truthfulqa_mc2/acc')).toBe(false);
  });

  it('reads the provenance: revision, tokenizer tokens, limits', () => {
    expect(file.provenance).toMatchObject({
      modelSha: '9f2c4be1d2a8c1e5d0b7a6f5e4d3c2b1a0f9e8d7',
      modelRevision: 'v1.3.0',
      tokenizer: {
        eos: { content: '<|endoftext|>', id: 50256 },
        bos: { content: '<|endoftext|>', id: 50256 },
      },
      limited: [],
    });
    const limited = readResultsFile(
      parsePythonJson(harnessResults((j) => (j['n-samples'].gsm8k.effective = 100))),
      'r.json',
    );
    expect(limited.provenance!.limited).toEqual([{ task: 'gsm8k', effective: 100, original: 1319 }]);
  });

  it('attaches per-document samples and reports lines that are not JSON', () => {
    const metrics = readResultsFile(parsePythonJson(harnessResults()), 'r.json').metrics;
    const { badLines } = attachHarnessSamples(
      metrics,
      'arc_easy',
      `${harnessSamples('arc_easy', [1, 0, 1])}\n{not json`,
    );
    expect(badLines).toEqual([4]);
    expect([...metrics.find((m) => m.name === 'arc_easy/acc')!.samples!]).toEqual([
      ['0', 1],
      ['1', 0],
      ['2', 1],
    ]);
  });

  // Changed: a plain file states no direction (it used to claim higherIsBetter: true); the gate decides it.
  it('reads plain JSON metrics and refuses a file that is not an object', () => {
    expect(readResultsFile({ 'smoke/accuracy': 0.93, note: 'x' }, 'm.json').metrics).toEqual([
      { name: 'smoke/accuracy', value: 0.93, source: 'm.json' },
    ]);
    expect(() => readResultsFile([1, 2], 'm.json')).toThrow(
      new MalformedFileError(
        'm.json',
        'must be a JSON object, not a list',
        'Pass a results file of lm-evaluation-harness (its "results" object), of modelgate\'s runner, or a {"metric": value} object.',
      ),
    );
  });

  // Changed: NaN and ±Infinity read back as themselves (they used to become null), so a report can name them.
  it('parses Python JSON but leaves "NaN" inside strings alone', () => {
    expect(parsePythonJson('{"a": NaN, "b": "NaN and Infinity", "c": -Infinity}')).toEqual({
      a: Number.NaN,
      b: 'NaN and Infinity',
      c: -Infinity,
    });
  });

  // V8 hashes a string of more than 16,383 characters by its length alone: JSON.parse of 4,000 such
  // keys of one length takes 17 s. A results file is the pull request's to write, so it is refused.
  it.each([
    ['plain JSON', ''],
    ['Python JSON', ', "nan": NaN'],
  ])(
    'refuses a key of more than 16,000 characters in %s, naming its length; 16,000 is read',
    (_kind, tail) => {
      const key = (length: number) => JSON.stringify('k'.repeat(length));
      expect(parsePythonJson(`{${key(16_000)}: 1, "v": "${'x'.repeat(20_000)}"${tail}}`)).toMatchObject({
        v: 'x'.repeat(20_000),
      });
      expect(() => parsePythonJson(`{"a": 1, ${key(16_001)} \n : 1${tail}}`)).toThrow(
        new SyntaxError('a key is 16001 characters long; modelgate reads keys of at most 16000'),
      );
      // A long string value is not a key.
      expect(parsePythonJson(`["${'x'.repeat(16_001)}", 1${tail ? ', NaN' : ''}]`)).toHaveLength(
        tail ? 3 : 2,
      );
    },
  );

  it("a results file with a key too long is the file's problem, named as such (MalformedFileError)", () => {
    const text = `{"results": {${JSON.stringify('t'.repeat(17_000))}: {"acc": 1}}}`;
    expect(() => parseJsonFile(text, 'evals/results.json', parsePythonJson)).toThrow(
      expect.objectContaining({
        name: 'MalformedFileError',
        message:
          'evals/results.json: not valid JSON (a key is 17000 characters long; modelgate reads keys of at most 16000)',
      }),
    );
  });

  it('a NaN metric is kept aside as NaN, not read as a value and not silently dropped', () => {
    const file = readResultsFile(parsePythonJson(harnessResults()), 'r.json');
    expect(file.nonFinite).toEqual([{ name: 'truthfulqa_mc2/acc', written: 'NaN', source: 'r.json' }]);
    expect(readResultsFile(parsePythonJson('{"judge": Infinity, "ok": 1}'), 'm.json')).toEqual({
      format: 'json',
      file: 'm.json',
      metrics: [{ name: 'ok', value: 1, source: 'm.json' }],
      nonFinite: [{ name: 'judge', written: 'Infinity', source: 'm.json' }],
    });
  });
});

describe('plain per-sample JSONL and group metrics', () => {
  it('reads {"id", metric: score} lines into metrics with samples', async () => {
    const { readSamplesJsonl } = await import('../../../src/core/eval/results.js');
    const file = readSamplesJsonl(
      '{"id": "a", "correct": 1, "judge": 0.5}\n{"id": "b", "correct": false, "judge": 1}\nnot json\n{"no_id": 1}\n',
      's.jsonl',
    );
    expect(file.badLines).toEqual([3, 4]);
    expect(file.metrics.map((m) => [m.name, m.value, m.n])).toEqual([
      ['correct', 0.5, 2],
      ['judge', 0.75, 2],
    ]);
  });

  it('reads group metrics listed only under "groups"', () => {
    const file = readResultsFile(
      parsePythonJson(
        harnessResults(
          (j) => (j.groups = { mmlu_stem: { alias: 'stem', 'acc,none': 0.55, 'acc_stderr,none': 0.008 } }),
        ),
      ),
      'r.json',
    );
    expect(file.metrics.find((m) => m.name === 'mmlu_stem/acc')).toMatchObject({
      value: 0.55,
      stderr: 0.008,
    });
  });
});

describe('document ids are scored once', () => {
  it('a plain samples file that scores an id twice reports the id and both lines, and its scores are not paired', async () => {
    const { readSamplesJsonl } = await import('../../../src/core/eval/results.js');
    const file = readSamplesJsonl(
      '{"id": "q1", "correct": 0}\n{"id": "q2", "correct": 1}\n{"id": "q1", "correct": 1}\n',
      'evals/samples.jsonl',
    );
    expect(file.duplicates).toEqual([{ id: 'q1', at: 'line 3', first: 'line 1' }]);
    // Last-wins would have made q1 a 1; the first score stands and no per-document scores are offered.
    expect(file.metrics).toEqual([{ name: 'correct', value: 0.5, n: 2, source: 'evals/samples.jsonl' }]);
  });

  it('a harness samples file that logs a document twice for the same filter attaches no samples', () => {
    const metrics = readResultsFile(parsePythonJson(harnessResults()), 'r.json').metrics;
    const lines = harnessSamples('arc_easy', [1, 0, 1]).split('\n');
    const { duplicates } = attachHarnessSamples(metrics, 'arc_easy', [...lines, lines[1]!].join('\n'));
    expect(duplicates).toEqual([{ id: '1', at: 'line 4', first: 'line 2' }]);
    expect(metrics.find((m) => m.name === 'arc_easy/acc')!.samples).toBeUndefined();
  });

  it('the same document under two filters is not a duplicate', () => {
    const metrics = readResultsFile(parsePythonJson(harnessResults()), 'r.json').metrics;
    const line = (filter: string, score: number) => JSON.stringify({ doc_id: 7, filter, exact_match: score });
    const { duplicates } = attachHarnessSamples(
      metrics,
      'gsm8k',
      [line('strict-match', 0), line('flexible-extract', 1)].join('\n'),
    );
    expect(duplicates).toEqual([]);
    expect([...metrics.find((m) => m.name === 'gsm8k/exact_match,flexible-extract')!.samples!]).toEqual([
      ['7', 1],
    ]);
  });

  it('a runner file with a repeated id names both entries', () => {
    const file = readResultsFile(
      {
        format: 'modelgate-eval/v1',
        suite: 'smoke',
        summary: { accuracy: 0.5 },
        samples: [
          { id: 'a', score: 1 },
          { id: 'b', score: 0 },
          { id: 'a', score: 0 },
        ],
      },
      'smoke.json',
    );
    expect(file.duplicates).toEqual([{ id: 'a', at: 'samples[2]', first: 'samples[0]' }]);
    expect(file.metrics[0]!.samples).toBeUndefined();
  });
});

// V8 hashes a string of more than 16,383 characters by its length alone: a Map of thousands of such
// sample ids is quadratic (2,000 ids of 17,000 characters: 12 s). An id that long is never real.
describe('sample ids longer than 16,000 characters', () => {
  const long = 'i'.repeat(16_001);

  it('make a samples JSONL line unreadable, counted with the others', async () => {
    const { readSamplesJsonl } = await import('../../../src/core/eval/results.js');
    const file = readSamplesJsonl(
      `{"id": "a", "correct": 1}\n{"id": "${long}", "correct": 1}\n{"id": "${'j'.repeat(16_000)}", "correct": 0}\n`,
      's.jsonl',
    );
    expect(file.badLines).toEqual([2]);
    expect(file.metrics.map((m) => [m.name, m.n])).toEqual([['correct', 2]]);
  });

  it('make a harness sample line unreadable', () => {
    const metrics = readResultsFile(parsePythonJson(harnessResults()), 'r.json').metrics;
    const lines = harnessSamples('arc_easy', [1, 0]).replace('"doc_id":1', `"doc_id":"${long}"`);
    expect(lines).toContain(long);
    expect(attachHarnessSamples(metrics, 'arc_easy', lines).badLines).toEqual([2]);
  });

  it('leave a runner file sample out', () => {
    const file = readResultsFile(
      {
        format: 'modelgate-eval/v1',
        suite: 'smoke',
        summary: { accuracy: 0.5 },
        samples: [
          { id: 'a', score: 1 },
          { id: long, score: 0 },
        ],
      },
      'smoke.json',
    );
    expect([...file.metrics[0]!.samples!.keys()]).toEqual(['a']);
  });
});

describe('bounded work on hostile results files', () => {
  it('parses a 1 MB unterminated string of escaped quotes in linear time (it took minutes)', () => {
    const size = 1024 * 1024;
    // Every `\"` used to start a new backtracking attempt over the rest of the text.
    const hostile = `{"results": {}, "note": NaN, "x": "${'\\"'.repeat(size / 2)}`;
    const valid = JSON.stringify({ results: {}, x: 'y'.repeat(size) });
    const time = (parse: () => unknown) => {
      const start = performance.now();
      try {
        parse();
      } catch {
        // the hostile file is not JSON: failing is the right answer, failing quickly the point
      }
      return performance.now() - start;
    };
    const reference = time(() => JSON.parse(valid));
    const hostileMs = time(() => parsePythonJson(hostile));
    expect(() => parsePythonJson(hostile)).toThrow(SyntaxError);
    expect(hostileMs).toBeLessThan(50 * reference + 250);
  });

  it('reads NaN, Infinity and -Infinity outside strings as those numbers, and leaves them alone inside', () => {
    expect(
      parsePythonJson('{"a": [NaN, Infinity, -Infinity, 1], "b": "\\"NaN\\" -Infinity", "NaN": 2}'),
    ).toEqual({ a: [Number.NaN, Infinity, -Infinity, 1], b: '"NaN" -Infinity', NaN: 2 });
    expect(() => parsePythonJson('{"a": NaNa}')).toThrow(SyntaxError);
  });

  it('a samples file longer than the line cap yields nothing and says so', async () => {
    const { readSamplesJsonl, MAX_SAMPLE_LINES } = await import('../../../src/core/eval/results.js');
    const text = '{"id": 1, "correct": 1}\n'.repeat(MAX_SAMPLE_LINES + 1);
    const file = readSamplesJsonl(text, 'big.jsonl');
    expect(file.tooLong).toBe(true);
    expect(file.metrics).toEqual([]);
  });
});
