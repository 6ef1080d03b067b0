import { describe, expect, it } from 'vitest';
import { attachHarnessSamples, parsePythonJson, readResultsFile } from '../../../src/core/eval/results.js';
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

  it('reads plain JSON metrics and refuses a file that is not an object', () => {
    expect(readResultsFile({ 'smoke/accuracy': 0.93, note: 'x' }, 'm.json').metrics).toEqual([
      { name: 'smoke/accuracy', value: 0.93, higherIsBetter: true, source: 'm.json' },
    ]);
    expect(() => readResultsFile([1, 2], 'm.json')).toThrow('m.json must be a JSON object');
  });

  it('parses Python JSON but leaves "NaN" inside strings alone', () => {
    expect(parsePythonJson('{"a": NaN, "b": "NaN and Infinity", "c": -Infinity}')).toEqual({
      a: null,
      b: 'NaN and Infinity',
      c: null,
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
