import { expect, it } from 'vitest';
import { judgeInterval } from '../src/core/canary/judge.js';
import { seededRandom } from '../src/core/eval/statistics.js';
import { fmt, medianMs, report } from './measure.js';

it('the canary judge on 2 x 100,000 samples of one metric takes under 200 ms', async () => {
  const random = seededRandom(3);
  const baseline = Array.from({ length: 100_000 }, () => 300 + random() * 50);
  const canary = Array.from({ length: 100_000 }, () => 302 + random() * 50);
  const metrics = [{ name: 'latency', query: 'q', max: 1000, direction: 'increase' as const }];
  let verdict = '';
  const elapsed = await medianMs(5, () => {
    verdict = judgeInterval(
      metrics,
      [{ metric: 'latency', canary: { values: canary }, baseline: { values: baseline } }],
      {},
      't',
    ).verdict;
  });
  expect(verdict).toBe('fail'); // a 2 ms shift on 100,000 samples is significant
  report(`canary judge, 2 x 100,000 samples: ${fmt(elapsed)} (target < 200 ms)`);
  expect(elapsed).toBeLessThan(200);
});
