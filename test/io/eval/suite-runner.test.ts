import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/core/model/load-model.js';
import { FileSystemSource } from '../../../src/io/fs-source.js';
import { suiteRunnerFromEnvironment, type RunnerConfig } from '../../../src/io/eval/suite-runner.js';
import { FakeLlm, type FakeLlmBehaviour } from '../../helpers/fake-llm.js';
import { addRealModel } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';

const servers: FakeLlm[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** gpt2 with a smoke suite of `n` arithmetic questions; the fake model answers even ones right. */
async function setup(
  behaviour: Partial<FakeLlmBehaviour> = {},
  n = 20,
  scorer: unknown = 'exact_match',
  dataset?: string,
) {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2', {
    manifest: {
      eval: {
        suites: [{ name: 'smoke', dataset: 'evals/smoke.jsonl', scorer }],
        gates: [{ metric: 'smoke/accuracy', min: 0.4 }],
      },
    },
  });
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `q${i}`,
      messages: [{ role: 'user', content: `What is ${i} + ${i}?` }],
      expected: String(2 * i),
    }),
  );
  registry.write('models/gpt2/evals/smoke.jsonl', dataset ?? `${lines.join('\n')}\n`);
  const llm = await FakeLlm.start({
    answer: (question) => {
      const i = Number(/What is (\d+)/.exec(question)?.[1]);
      return i % 2 === 0 ? String(2 * i) : 'I do not know';
    },
    ...behaviour,
  });
  servers.push(llm);
  const facts = (await loadModel(new FileSystemSource(registry.root), 'models/gpt2/model.yaml')).facts!;
  const run = (config: Partial<RunnerConfig> = {}, env: NodeJS.ProcessEnv = {}) =>
    suiteRunnerFromEnvironment(
      {
        endpoint: llm.url,
        resultsDir: join(registry.root, '.modelgate/results'),
        root: registry.root,
        concurrency: 4,
        ...config,
      },
      undefined,
      env,
    )(facts);
  return { registry, llm, run };
}

describe('the built-in runner against a local OpenAI-compatible endpoint', () => {
  it('scores every sample and writes per-sample results the next run can use as its baseline', async () => {
    const { registry, llm, run } = await setup({ delayMs: 5 });
    const result = await run({}, { MODELGATE_EVAL_API_KEY: 'sk-test' });
    expect(result.notRun.size).toBe(0);
    expect(result.measured).toHaveLength(1);
    expect(result.measured[0]).toMatchObject({ name: 'smoke/accuracy', value: 0.5, n: 20 });
    expect(llm.peak).toBeLessThanOrEqual(4);
    expect(llm.authorizations[0]).toBe('Bearer sk-test');
    const file = JSON.parse(
      readFileSync(join(registry.root, '.modelgate/results/gpt2-1.0.0-smoke.json'), 'utf8'),
    );
    expect(file).toMatchObject({
      format: 'modelgate-eval/v1',
      suite: 'smoke',
      summary: { accuracy: 0.5, n: 20, errors: 0 },
    });
    // What was asked (the dataset's bytes) and which model name answered; never the endpoint's address.
    expect(file.dataset).toEqual({
      path: 'models/gpt2/evals/smoke.jsonl',
      sha256: createHash('sha256')
        .update(readFileSync(join(registry.root, 'models/gpt2/evals/smoke.jsonl')))
        .digest('hex'),
    });
    expect(file.endpoint_model).toBe('gpt2');
    expect(JSON.stringify(file)).not.toContain(llm.url);
    expect(file.samples[2]).toMatchObject({
      id: 'q2',
      score: 1,
      output: '4',
      prompt_tokens: 14,
      completion_tokens: 1,
    });
    expect(file.samples[2].latency_ms).toBeGreaterThanOrEqual(4);
  });

  it('streams when asked, with the same scores and usage', async () => {
    const { run } = await setup();
    const result = await run({ stream: true });
    expect(result.measured[0]!.value).toBe(0.5);
  });

  it('retries 429 answers and succeeds', async () => {
    const { llm, run } = await setup({ rateLimitTimes: 2 }, 6);
    const result = await run();
    expect(result.measured[0]!.value).toBe(0.5);
    expect(llm.requests).toBe(18);
  });

  it('a body that is not JSON fails every request: the suite is "not run", never a pass', async () => {
    const { run } = await setup({ malformed: true }, 3);
    const result = await run({ retries: 0 });
    expect(result.measured).toEqual([]);
    expect(result.notRun.get('smoke')).toMatch(/^not run: every request to the endpoint failed/);
  });

  it('an endpoint that hangs times out', async () => {
    const { run } = await setup({ hang: true }, 2);
    const result = await run({ timeoutSeconds: 0.2, retries: 0 });
    expect(result.notRun.get('smoke')).toMatch(
      /not run: every request to the endpoint failed \(.*timed out/i,
    );
  });

  it('reports dataset lines that are not JSON and runs the rest', async () => {
    const { run } = await setup(
      {},
      0,
      'exact_match',
      '{"id": "a", "prompt": "What is 2 + 2?", "expected": "4"}\nnot json\n{"prompt": "no id"}\n',
    );
    const result = await run();
    expect(result.measured[0]).toMatchObject({ value: 1, n: 1 });
    expect(result.findings[0]!.message).toContain(
      '2 line(s) skipped (line 2 is not JSON; line 3 needs an "id"',
    );
  });

  it('without an endpoint, or on a fork without credentials, suites are not run', async () => {
    const { registry } = await setup();
    const facts = (await loadModel(new FileSystemSource(registry.root), 'models/gpt2/model.yaml')).facts!;
    const none = await suiteRunnerFromEnvironment(
      { resultsDir: '/tmp/x', root: registry.root },
      undefined,
      {},
    )(facts);
    expect(none.notRun.get('smoke')).toBe('not run: no evaluation endpoint configured');
    const fork = await suiteRunnerFromEnvironment(
      {
        resultsDir: '/tmp/x',
        root: registry.root,
        endpoint: 'http://127.0.0.1:9',
        refuse: 'not run: no credentials (pull request from a fork)',
      },
      undefined,
      {},
    )(facts);
    expect(fork.notRun.get('smoke')).toBe('not run: no credentials (pull request from a fork)');
  });

  it('judges with a second endpoint and a rubric (llm_judge)', async () => {
    const judge = await FakeLlm.start({
      answer: (prompt) =>
        prompt.includes('Answer to grade:\n4') ? '{"score": 0.9}' : 'Sure! {"score": 0.2}',
    });
    servers.push(judge);
    const { run } = await setup({}, 4, { type: 'llm_judge', rubric: 'The sum is right.' });
    const result = await run({}, { MODELGATE_JUDGE_BASE_URL: judge.url });
    // q0 -> "0" (0.2), q1 wrong (0.2), q2 -> "4" (0.9), q3 wrong (0.2)
    expect(result.measured[0]!.value).toBeCloseTo((0.2 + 0.2 + 0.9 + 0.2) / 4, 10);
    expect(judge.requests).toBe(4);
  });

  it('a scorer pattern RE2 cannot run stops the suite before any request, with an error at the scorer line', async () => {
    const { llm, run } = await setup({}, 4, { type: 'regex', pattern: '(\\d+)(?= apples)' });
    const result = await run();
    const why =
      'scorer.pattern `(\\d+)(?= apples)` is not a pattern RE2 can run (invalid or unsupported Perl syntax: `(?=`); backreferences and lookaround are not supported';
    expect(result.measured).toEqual([]);
    expect(result.notRun.get('smoke')).toBe(`not run: ${why}`);
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'EVAL-GATE', severity: 'error', message: `smoke: ${why}` }),
    ]);
    expect(result.findings[0]!.line).toBeGreaterThan(0);
    expect(llm.requests).toBe(0);
  });

  it('a catastrophic pattern scores every answer at once', async () => {
    const { run } = await setup({ answer: () => `${'a'.repeat(5000)}!` }, 8, {
      type: 'regex',
      pattern: '^(a+)+$',
    });
    const start = performance.now();
    const result = await run();
    expect(result.measured[0]).toMatchObject({ value: 0, n: 8 });
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it('a json_schema scorer whose schema is not JSON is "not run" with the reason, not a crash', async () => {
    const { registry, run } = await setup({}, 2, { type: 'json_schema', schema: 'evals/schema.json' });
    registry.write('models/gpt2/evals/schema.json', '{"type": ');
    const result = await run();
    expect(result.notRun.get('smoke')).toMatch(
      /^not run: schema evals\/schema\.json is not a usable JSON Schema \(.*JSON/,
    );
  });
});
