import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgePreviewSuites } from '../../../src/core/blue-green/suites.js';
import { loadModel } from '../../../src/core/model/load-model.js';
import { runPreviewSuites } from '../../../src/io/eval/preview-suites.js';
import { suiteRunnerFromEnvironment } from '../../../src/io/eval/suite-runner.js';
import { FileSystemSource } from '../../../src/io/fs-source.js';
import { addRealModel } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';

/**
 * `modelgate check` (suite-runner) and a blue-green preview (preview-suites) run
 * the same suites; given the same repository and the same endpoint they must
 * come to the same thing. Each case here is one they disagreed on before the
 * decisions moved to src/core/eval/suite-outcome.ts; the stricter side won.
 */

const MANIFEST = 'models/gpt2/model.yaml';
/** An OpenAI-compatible endpoint that answers every sum right, and a 500 for any question about 13. */
let endpoint: Server;
let url = '';
beforeAll(async () => {
  endpoint = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { messages } = JSON.parse(body) as { messages: { content: string }[] };
      const [, a = '0', b = '0'] = /What is (\d+) \+ (\d+)/.exec(messages.at(-1)?.content ?? '') ?? [];
      if (a === '13') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'the GPU fell over', type: 'server_error' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 0,
          model: 'gpt2',
          choices: [
            {
              index: 0,
              finish_reason: 'stop',
              message: { role: 'assistant', content: String(Number(a) + Number(b)) },
            },
          ],
          usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => endpoint.close(() => resolve())));

const sum = (a: number, b: number, expected = String(a + b)) =>
  JSON.stringify({ id: `q${a}-${b}`, prompt: `What is ${a} + ${b}?`, expected });

/** gpt2 with one suite `smoke` (and a gate on it that any run passes), its dataset as given. */
function registryWith(dataset: string | undefined, scorer: unknown = 'exact_match') {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2', {
    manifest: {
      eval: {
        suites: [{ name: 'smoke', dataset: 'evals/smoke.jsonl', scorer }],
        gates: [{ metric: 'smoke/accuracy', min: 0.1 }],
      },
    },
  });
  if (dataset !== undefined) registry.write('models/gpt2/evals/smoke.jsonl', dataset);
  return registry;
}

/** What `modelgate check`'s runner and the preview each make of the repository's suite. */
async function bothAdapters(registry: TempRegistry) {
  const facts = (await loadModel(new FileSystemSource(registry.root), MANIFEST)).facts!;
  const check = await suiteRunnerFromEnvironment(
    { endpoint: url, resultsDir: join(registry.root, '.modelgate/results'), root: registry.root, retries: 0 },
    undefined,
    {},
  )(facts);
  const preview = await runPreviewSuites({
    release: { source: new FileSystemSource(registry.root), manifestFile: MANIFEST },
    policy: {},
    endpoint: { baseURL: url },
    retries: 0,
  });
  return { check, preview };
}

describe('the check runner and the preview runner agree on what a suite comes to', () => {
  it('a dataset with no usable line is "not run" in both (the check runner measured 0 of 0 samples and wrote a results file)', async () => {
    const registry = registryWith('this is not JSONL\n');
    const { check, preview } = await bothAdapters(registry);
    const why = 'not run: dataset evals/smoke.jsonl has no usable line (line 1 is not JSON)';
    expect(check.measured).toEqual([]);
    expect(check.notRun.get('smoke')).toBe(why);
    expect(check.findings).toEqual([
      expect.objectContaining({
        rule: 'EVAL-GATE',
        severity: 'warning',
        message: 'evals/smoke.jsonl: 1 line(s) skipped (line 1 is not JSON)',
      }),
    ]);
    expect(existsSync(join(registry.root, '.modelgate/results/gpt2-1.0.0-smoke.json'))).toBe(false);
    expect(preview.suites).toEqual([{ name: 'smoke', notRun: why }]);
  });

  it('a dataset that cannot be read says why in both (the check runner said only "cannot be read")', async () => {
    const { check, preview } = await bothAdapters(registryWith(undefined));
    const why = 'not run: dataset evals/smoke.jsonl cannot be read: it does not exist';
    expect(check.notRun.get('smoke')).toBe(why);
    expect(preview.suites).toEqual([{ name: 'smoke', notRun: why }]);
  });

  it('answers the endpoint failed for some samples fail the preview as they fail the check (the preview passed them)', async () => {
    const { check, preview } = await bothAdapters(
      registryWith(`${[sum(1, 2), sum(13, 1), sum(4, 4), sum(5, 6)].join('\n')}\n`),
    );
    const failed = 'smoke: 1 of 4 requests failed and scored 0 (first: 500 the GPU fell over)';
    expect(check.measured[0]).toMatchObject({ name: 'smoke/accuracy', value: 0.75, n: 4 });
    expect(check.findings).toEqual([expect.objectContaining({ severity: 'error', message: failed })]);
    expect(preview.suites).toEqual([
      expect.objectContaining({ name: 'smoke', errors: 1, notRun: `not run: ${failed}` }),
    ]);
    const judged = judgePreviewSuites(preview, '2026-11-30T10:00:00.000Z');
    expect(judged).toMatchObject({
      verdict: 'fail',
      reason: `suite smoke did not run: not run: ${failed}`,
    });
  });

  it('expected answers RE2 cannot run are counted in both (the preview named only the first)', async () => {
    const { check, preview } = await bothAdapters(
      registryWith(`${[sum(1, 2, '(3)\\1'), sum(2, 2, '4(?=!)'), sum(3, 3)].join('\n')}\n`, 'regex'),
    );
    const why =
      'not run: expected of q1-2 `(3)\\1` is not a pattern RE2 can run (invalid escape sequence: `\\1`); backreferences and lookaround are not supported (and 1 more)';
    expect(check.notRun.get('smoke')).toBe(why);
    expect(preview.suites).toEqual([{ name: 'smoke', notRun: why }]);
  });
});
