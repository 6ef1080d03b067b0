import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { measureBehaviour, type TokenizerText } from '../../src/core/tokenizer/behaviour.js';
import { measureTokenizerJson, type MeasureRequest } from '../../src/core/tokenizer/measure.js';
import { REFERENCE_CORPUS } from '../../src/core/tokenizer/corpus.js';
import { loadModel } from '../../src/core/model/load-model.js';
import { GitRepository } from '../../src/io/git-repository.js';
import { TokenizerBehaviourCache } from '../../src/io/tokenizer-cache.js';
import { TokenizerSandbox } from '../../src/io/tokenizer-sandbox.js';
import { temporaryFolder, TempRegistry } from '../helpers/registry.js';
import { fixturePath } from '../setup/fixture-packages.js';

const LLAMA3 = readFileSync(fixturePath.tokenizerJson('llama3'), 'utf8');
const TEXTS = REFERENCE_CORPUS.map((line) => line.text);

const llama3Request = (texts: readonly string[] = TEXTS): MeasureRequest => ({
  file: 'models/llama3/tokenizer.json',
  runtimeKey: 'llama3 as published',
  settings: { bosToken: '<|begin_of_text|>', eosToken: '<|end_of_text|>' },
  texts,
});

/** Hands the sandbox a file's text, and counts how often it was asked for it. */
function fileText(text: string) {
  const read = async (): Promise<TokenizerText> => {
    read.calls += 1;
    return { ok: true, text };
  };
  read.calls = 0;
  return read;
}

/** The review's ReDoS (H1): a pre-tokenizer Split on "(a+)+$" and a line it backtracks on 2^30 times. */
const REDOS = JSON.stringify({
  added_tokens: [],
  pre_tokenizer: { type: 'Split', pattern: { Regex: '(a+)+$' }, behavior: 'Isolated', invert: false },
  model: { type: 'BPE', unk_token: 'a', vocab: { a: 0, b: 1 }, merges: [] },
});
const redosRequest = (): MeasureRequest => ({
  file: 'models/evil/tokenizer.json',
  runtimeKey: 'evil',
  settings: {},
  texts: [`${'a'.repeat(30)}b`],
});

const sandboxes: TokenizerSandbox[] = [];
const sandbox = (options: ConstructorParameters<typeof TokenizerSandbox>[0] = {}) => {
  const made = new TokenizerSandbox(options);
  sandboxes.push(made);
  return made;
};
afterAll(() => Promise.all(sandboxes.map((s) => s.close())));

describe('the tokenizer sandbox runs measurements in a worker thread, bounded in time and memory', () => {
  it("measures Llama 3 on the reference corpus exactly as the core's measurement does in this thread", async () => {
    const measured = await sandbox().measure(llama3Request(), fileText(LLAMA3));
    expect(measured.ok).toBe(true);
    expect(measured).toEqual(measureTokenizerJson({ ...llama3Request(), tokenizerJson: LLAMA3 }));
  });

  it('keeps the tokenizer it built: a second measurement under the same key does not read the file again', async () => {
    const shared = sandbox();
    const read = fileText(REDOS);
    expect(await shared.measure({ ...redosRequest(), texts: ['ab'] }, read)).toMatchObject({ ok: true });
    expect(await shared.measure({ ...redosRequest(), texts: ['ba'] }, read)).toMatchObject({
      ok: true,
      behaviour: { ids: [[1, 0]] },
    });
    expect(read.calls).toBe(1);
  });

  it('a file that cannot be read is answered with why, and nothing is built', async () => {
    const problem = 'models/evil/tokenizer.json cannot be read: it is larger than 64 MiB';
    expect(await sandbox().measure(redosRequest(), async () => ({ ok: false, problem }))).toEqual({
      ok: false,
      problem,
    });
  });

  it('stops a measurement at its budget, answers why, and measures the next request in a new thread', async () => {
    const bounded = sandbox({ budgetMs: 500 });
    const started = performance.now();
    expect(await bounded.measure(redosRequest(), fileText(REDOS))).toEqual({
      ok: false,
      problem: 'encoding 1 texts with models/evil/tokenizer.json took longer than 0.5 s and was stopped',
      fix: expect.stringContaining('nested quantifiers such as "(a+)+"'),
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await bounded.measure({ ...redosRequest(), texts: ['aab'] }, fileText(REDOS))).toMatchObject({
      ok: true,
    });
  });

  it("each queued measurement gets its own budget: a slow one does not eat the next one's time", async () => {
    const bounded = sandbox({ budgetMs: 500 });
    const [slow, fast] = await Promise.all([
      bounded.measure(redosRequest(), fileText(REDOS)),
      bounded.measure({ ...redosRequest(), texts: ['ab'] }, fileText(REDOS)),
    ]);
    expect(slow).toMatchObject({ ok: false, problem: expect.stringContaining('was stopped') });
    expect(fast).toMatchObject({ ok: true, behaviour: { ids: [[0, 1]] } });
  });

  it('a tokenizer that needs more memory than the thread has is answered, not a crash of the process', async () => {
    const small = sandbox({ heapMb: 16 });
    expect(await small.measure(llama3Request(), fileText(LLAMA3))).toEqual({
      ok: false,
      problem:
        'encoding with models/llama3/tokenizer.json needed more than the 16 MiB of memory modelgate gives a tokenizer',
    });
  });

  it('a stopped measurement is never cached: the cache folder stays empty, a finished one is written', async () => {
    const registry = TempRegistry.create();
    registry.write('models/evil/tokenizer.json', REDOS);
    registry.write('models/evil/config.json', { model_type: 'llama', vocab_size: 2 });
    registry.writeManifest('models/evil/model.yaml', {
      apiVersion: 'modelgate.dev/v1',
      kind: 'Model',
      name: 'evil',
      version: '1.0.0',
      artifacts: { config: 'config.json', tokenizer: 'tokenizer.json' },
    });
    const source = new GitRepository(registry.root).worktree;
    const { facts, findings } = await loadModel(source, 'models/evil/model.yaml');
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    const dir = temporaryFolder('behaviour-cache');
    const cache = new TokenizerBehaviourCache(dir);
    const bounded = sandbox({ budgetMs: 500 });
    const stopped = await measureBehaviour(source, facts!, redosRequest().texts, bounded, cache);
    expect(stopped).toMatchObject({ ok: false, problem: expect.stringContaining('was stopped') });
    expect(readdirSync(dir)).toEqual([]);
    expect(await measureBehaviour(source, facts!, ['ab'], bounded, cache)).toMatchObject({ ok: true });
    expect(readdirSync(dir)).toHaveLength(1);
  });
});
