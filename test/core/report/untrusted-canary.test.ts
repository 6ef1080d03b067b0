import { describe, expect, it } from 'vitest';
import { judgeAnalysis, judgeInterval, type CanaryMetric } from '../../../src/core/canary/judge.js';
import { canaryMarkdown, canaryText, type CanaryReport } from '../../../src/core/report/canary.js';
import { expectInert, HOSTILE } from './inert-output.js';

// A pull request names its canary metrics; this name tries to close the chart's code block and add a link.
const BREAKOUT = 'error_rate"\n```\n[click](https://evil.example) <img src=x> @admin\n```mermaid';
const METRICS: CanaryMetric[] = [
  { name: BREAKOUT, query: 'q', max: 0.05, direction: 'increase' },
  { name: HOSTILE, query: 'q', direction: 'increase' },
];
const around = (center: number) =>
  Array.from({ length: 12 }, (_, i) => center + ((i % 4) - 1.5) * center * 0.02);

/** Two judged intervals: the first metric passes, the second's query failed with the metric's own text in the error. */
function hostileReport(): CanaryReport {
  const intervals = ['2026-11-22T10:10:00Z', '2026-11-22T10:20:00Z'].map((at) =>
    judgeInterval(
      METRICS,
      [
        { metric: BREAKOUT, canary: { values: around(0.01) }, baseline: { values: around(0.01) } },
        { metric: HOSTILE, canary: { error: `bad query: ${HOSTILE}` } },
      ],
      {},
      at,
    ),
  );
  return {
    model: 'gpt2',
    canaryVersion: '1.1.0',
    baselineVersion: '1.0.0',
    intervals,
    state: judgeAnalysis(intervals, {}, 3),
  };
}

describe('a canary report on metrics a pull request named', () => {
  it('the chart stays one Mermaid block and no name becomes a link, an image or a mention', () => {
    const markdown = canaryMarkdown(hostileReport());
    const fences = markdown.split('\n').filter((line) => line.startsWith('```'));
    expect(fences).toEqual(['```mermaid', '```']);
    expect(markdown).toContain(
      `    title "error_rate'\\n\`\`\`\\n[click](https://evil.example) #lt;img src=x#gt; @admin\\n\`\`\`mermaid"`,
    );
    const outsideChart = markdown.replace(/```mermaid[\s\S]*```/, '');
    expect(outsideChart).not.toMatch(/(?<!\\)\]\(|<img|@admin/);
    expectInert(markdown);
  });

  it('the terminal summary prints names and query errors escaped, one measurement a line', () => {
    const text = canaryText(hostileReport());
    expect(text.split('\n').filter((line) => line.startsWith('    '))).toHaveLength(4);
    expectInert(text);
  });
});
