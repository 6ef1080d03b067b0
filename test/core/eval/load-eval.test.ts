import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEvalData, MAX_RESULTS_BYTES } from '../../../src/core/eval/load-eval.js';
import { loadModel } from '../../../src/core/model/load-model.js';
import { FileSystemSource } from '../../../src/io/fs-source.js';
import { harnessResults, harnessSamples } from '../../helpers/lm-eval.js';
import { addRealModel } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';

/** gpt2 whose manifest lists `results` (written by the test) under eval.results. */
async function modelWithResults(results: Record<string, unknown>[]) {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2', { manifest: { eval: { results } } });
  const source = new FileSystemSource(registry.root);
  const load = async () => {
    const facts = (await loadModel(source, 'models/gpt2/model.yaml')).facts!;
    return loadEvalData(source, facts);
  };
  return { registry, load };
}

describe('reading recorded results', () => {
  it('a results file over the size cap is an error naming the file and the cap, and gives no metrics', async () => {
    const { registry, load } = await modelWithResults([{ path: 'evals/results.json' }]);
    registry.write('models/gpt2/evals/results.json', harnessResults());
    // Sparse: the size is real, the disk is not used.
    truncateSync(join(registry.root, 'models/gpt2/evals/results.json'), MAX_RESULTS_BYTES + 1);
    const data = await load();
    expect(data.metrics.size).toBe(0);
    expect(data.findings).toEqual([
      expect.objectContaining({
        rule: 'ARTIFACT-INVALID',
        severity: 'error',
        message:
          'models/gpt2/evals/results.json is larger than 64.0 MiB, the most modelgate reads from an evaluation file; it was not read',
      }),
    ]);
  });

  it('a harness samples file that logs a document twice is an error naming the file, the id and the lines', async () => {
    const { registry, load } = await modelWithResults([
      { path: 'evals/results.json', samples: { arc_easy: 'evals/samples_arc_easy.jsonl' } },
    ]);
    registry.write('models/gpt2/evals/results.json', harnessResults());
    const lines = harnessSamples('arc_easy', [1, 0, 1, 1]).split('\n');
    registry.write('models/gpt2/evals/samples_arc_easy.jsonl', [...lines, lines[2]!, lines[0]!].join('\n'));
    const data = await load();
    expect(data.metrics.get('arc_easy/acc')!.samples).toBeUndefined();
    expect(data.findings.map((f) => `${f.severity} ${f.rule} ${f.line}: ${f.message}`)).toEqual([
      `error ARTIFACT-INVALID ${data.findings[0]!.line}: models/gpt2/evals/samples_arc_easy.jsonl: document id "2" on line 5 was already scored on line 3 (1 more repeated id(s)); every document must be scored once, so this file's per-document scores are not used`,
    ]);
    expect(data.findings[0]!.line).toBeGreaterThan(0);
  });

  it('a results file that is not a JSON object is an error naming the file, what it is and the fix', async () => {
    const { registry, load } = await modelWithResults([{ path: 'evals/results.json' }]);
    registry.write('models/gpt2/evals/results.json', '[0.71, 0.69]');
    const data = await load();
    expect(data.metrics.size).toBe(0);
    expect(data.findings).toEqual([
      expect.objectContaining({
        rule: 'ARTIFACT-INVALID',
        severity: 'error',
        message: 'models/gpt2/evals/results.json is not a results file: must be a JSON object, not a list',
        fix: 'Pass a results file of lm-evaluation-harness (its "results" object), of modelgate\'s runner, or a {"metric": value} object.',
      }),
    ]);
  });

  it('a results file nested 200,000 deep with NaN in it is read as one without NaN is, not a crash', async () => {
    const { registry, load } = await modelWithResults([{ path: 'evals/results.json' }]);
    const depth = 200_000;
    // NaN used to make the reader parse with a reviver, which recursed and overflowed the stack.
    registry.write(
      'models/gpt2/evals/results.json',
      `{"results": {"arc_easy": {"acc,none": NaN}}, "x": ${'['.repeat(depth)}${']'.repeat(depth)}}`,
    );
    const data = await load();
    expect(data.findings.filter((f) => f.rule === 'ARTIFACT-INVALID')).toEqual([]);
  });

  it('a task version that is an object ({"toString": 1}) is no version, not a reason to refuse the file', async () => {
    // String() of such an object throws a TypeError, which the old catch-all reported as "not a results file".
    const { registry, load } = await modelWithResults([{ path: 'evals/results.json' }]);
    registry.write(
      'models/gpt2/evals/results.json',
      harnessResults((json) => {
        json.versions.arc_easy = { toString: 1, valueOf: 1 };
        json.tokenizer_eos_token = ['<|endoftext|>', { toString: 1, valueOf: 1 }];
      }),
    );
    const data = await load();
    expect(data.findings).toEqual([]);
    const acc = data.metrics.get('arc_easy/acc');
    expect(acc?.value).toBeTypeOf('number');
    expect(acc?.taskVersion).toBeUndefined();
  });
});
