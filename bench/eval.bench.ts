import { afterAll, expect, it } from 'vitest';
import { runSuite } from '../src/core/eval/runner.js';
import { parsePythonJson } from '../src/core/eval/results.js';
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

it('Python JSON: a 10 MB results file with NaN, and a 10 MB hostile one, within 5x of JSON.parse', async () => {
  const size = 10 * 1024 * 1024;
  const rows = Array.from({ length: size / 64 }, (_, i) => `"t${i}": {"acc,none": 0.5, "s": NaN}`);
  const python = `{"results": {${rows.join(', ')}}}`;
  const plain = python.replaceAll('NaN', 'nul');
  // Escaped quotes in an unterminated string: quadratic for the old regex (a 300 KB file took 45 s).
  const hostile = `{"x": NaN, "y": "${'\\"'.repeat(size / 2)}`;
  const reference = await medianMs(3, () => JSON.parse(plain.replaceAll('nul', 'null')));
  const valid = await medianMs(3, () => parsePythonJson(python));
  const attack = await medianMs(3, () => {
    try {
      parsePythonJson(hostile);
    } catch {
      // not JSON, as it should be: the time is the point
    }
  });
  report(
    `parsePythonJson 10 MB: ${fmt(valid)} (NaN) and ${fmt(attack)} (hostile) vs JSON.parse ${fmt(reference)} (target <= 5x)`,
  );
  expect(valid / reference).toBeLessThanOrEqual(5);
  expect(attack / reference).toBeLessThanOrEqual(5);
});

it('regex scorer on RE2: 1,000 answers of 20,000 characters against ^(a+)+$ under 2 s', async () => {
  const scorer = makeScorer({ type: 'regex', pattern: '^(a+)+$' });
  const answer = `${'a'.repeat(19_999)}!`;
  const sample: DatasetSample = { id: 'x', messages: [], expected: undefined };
  const elapsed = await medianMs(3, async () => {
    for (let i = 0; i < 1000; i++) await scorer(answer, sample);
  });
  report(`regex scorer 1,000 x 20,000 characters, catastrophic pattern: ${fmt(elapsed)} (target < 2000 ms)`);
  expect(elapsed).toBeLessThan(2000);
});
