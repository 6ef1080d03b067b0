import { describe, expect, it } from 'vitest';
import type { ModelGates } from '../../../src/core/eval/gate-model.js';
import { DEFAULT_GATE_OPTIONS, judgeGate } from '../../../src/core/eval/gates.js';
import { parsePythonJson, readResultsFile } from '../../../src/core/eval/results.js';
import { gatesMarkdown, gatesText } from '../../../src/core/report/gates.js';
import { harnessResults } from '../../helpers/lm-eval.js';

const metric = (name: string, edit: (json: any) => void = () => {}) =>
  readResultsFile(parsePythonJson(harnessResults(edit)), 'evals/results.json').metrics.find(
    (m) => m.name === name,
  )!;

function report(): ModelGates[] {
  // 6 points of arc_easy lost against a tolerance of 2: shown beyond it.
  const arc = judgeGate(
    { metric: 'arc_easy/acc', max_drop: 0.02 },
    metric('arc_easy/acc', (j) => (j.results.arc_easy['acc,none'] = 0.75)),
    metric('arc_easy/acc'),
    DEFAULT_GATE_OPTIONS,
  );
  return [
    {
      model: 'gpt2',
      version: '1.0.1',
      baseline: { label: 'the base ref 85669d8cd4a1' },
      gates: [arc],
      findings: [],
    },
  ];
}

describe('the gates report shows the bound each drop gate checked', () => {
  it('markdown: a column with the one-sided bound and the tolerance it was held against', () => {
    const [, , , , table = '', , row = ''] = gatesMarkdown(report()).split('\n');
    expect(table).toBe(
      '| metric | baseline | candidate | Δ | CI | 95 % bound | p (worse) | test | verdict |',
    );
    expect(row).toBe(
      '| `arc_easy/acc` | 0.8114 | 0.75 | -0.06145 | [-0.08371, -0.03919] | ≥ -0.08013 (allowed -0.02) | 3.2e-8 | stderr, n=2376 | ❌ fail: dropped 0.06145, more than the allowed 0.02: at 95 % confidence the drop is at least 0.04276 |',
    );
  });

  it('text: the bound is in the reason', () => {
    expect(gatesText(report())).toContain(
      'fail         arc_easy/acc  0.8114 -> 0.75 (-0.06145, CI [-0.08371, -0.03919], p 3.2e-8, stderr, n=2376): dropped 0.06145, more than the allowed 0.02: at 95 % confidence the drop is at least 0.04276',
    );
  });
});
