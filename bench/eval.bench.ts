import { afterAll, expect, it } from 'vitest';
import { runSuite } from '../src/core/eval/runner.js';
import { makeScorer, type DatasetSample } from '../src/core/eval/scorers.js';
import { pairedBootstrap, seededRandom } from '../src/core/eval/statistics.js';
import { openAiCompletion } from '../src/io/eval/openai-endpoint.js';
import { FakeLlm } from '../test/helpers/fake-llm.js';
import { fmt, medianMs, report } from './measure.js';

const servers: FakeLlm[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

it('1,000 samples at concurrency 16 against a 50 ms endpoint finish within 1.2x of the ideal', async () => {
  const llm = await FakeLlm.start({ answer: () => 'OK', delayMs: 50 });
  servers.push(llm);
  const samples: DatasetSample[] = Array.from({ length: 1000 }, (_, i) => ({
    id: String(i),
    messages: [{ role: 'user', content: `q${i}` }],
    expected: 'OK',
  }));
  const complete = openAiCompletion({ baseURL: llm.url, model: 'bench', timeoutSeconds: 30 });
  const ideal = (1000 / 16) * 50;
  let accuracy = 0;
  const elapsed = await medianMs(3, async () => {
    accuracy = (
      await runSuite(samples, complete, makeScorer('exact_match'), {
        concurrency: 16,
        now: () => performance.now(),
      })
    ).accuracy;
  });
  expect(accuracy).toBe(1);
  expect(llm.peak).toBeLessThanOrEqual(16);
  report(
    `runner 1000 samples, concurrency 16, 50 ms endpoint: ${fmt(elapsed)} vs ideal ${fmt(ideal)} = ${(elapsed / ideal).toFixed(2)}x (target <= 1.2x)`,
  );
  expect(elapsed / ideal).toBeLessThanOrEqual(1.2);
});

it('paired bootstrap on 100,000 samples with 1,000 resamples takes under 1 s', async () => {
  const random = seededRandom(1);
  const diffs = Float64Array.from({ length: 100_000 }, () => (random() < 0.8 ? 0 : random() < 0.5 ? 1 : -1));
  const elapsed = await medianMs(3, () => pairedBootstrap(diffs, 1000, 0.95, 1));
  report(`paired bootstrap 100,000 x 1,000: ${fmt(elapsed)} (target < 1000 ms)`);
  expect(elapsed).toBeLessThan(1000);
});
