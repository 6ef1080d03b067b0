import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FakeLlm } from '../helpers/fake-llm.js';
import { manifestWith } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

// Review Q H3: with production as the baseline, a suite the base ref added (merged, reviewed) is
// the runner's as the base ref declares it: a pull request that removes it and commits a number
// under its name, or keeps it on an easier dataset of its own, is not judged by its own claim.

const CITIES = ['Paris', 'Rome', 'Madrid', 'Berlin'];
const dataset = (answer: (i: number) => string) =>
  `${Array.from({ length: 40 }, (_, i) =>
    JSON.stringify({ id: `q${i}`, prompt: `Capital ${i}?`, expected: answer(i) }),
  ).join('\n')}\n`;
/** The base ref's test: the endpoint (which always answers Paris) scores 0.25 on it. */
const QUARTER = dataset((i) => CITIES[i % 4]!);
/** The pull request's own test: the endpoint scores 1.0 on it. */
const EASY = dataset(() => 'Paris');

const SUITE = { name: 'smoke', dataset: 'evals/smoke.jsonl', scorer: 'exact_match' };
const GATE = { metric: 'smoke/accuracy', min: 0.9 };

function writeModel(registry: TempRegistry, version: string, evalBlock: object) {
  registry.write('models/m/tokenizer.json', { model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 } } });
  registry.write('models/m/config.json', { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
  registry.writeManifest(
    'models/m/model.yaml',
    manifestWith('m', { config: 'config.json', tokenizer: 'tokenizer.json' }, { version, eval: evalBlock }),
  );
}

/** m 1.0.0 in production with no suite; 1.1.0 (the base ref, merged) adds suite smoke and its gate. */
function withBaseRefSuite() {
  const registry = TempRegistry.create();
  registry.write('models/m/evals/metrics.json', { score: 1 });
  writeModel(registry, '1.0.0', { results: [{ path: 'evals/metrics.json' }] });
  const v1 = registry.commit('m 1.0.0');
  registry.tag('m@v1.0.0', { commit: v1, date: 1_760_000_000 });
  registry.tag('m#production#1', { commit: v1, date: 1_760_000_001 });
  registry.write('models/m/evals/smoke.jsonl', QUARTER);
  writeModel(registry, '1.1.0', {
    results: [{ path: 'evals/metrics.json' }],
    suites: [SUITE],
    gates: [GATE],
  });
  return { registry, base: registry.commit('m 1.1.0: suite smoke') };
}

let llm: FakeLlm;
beforeAll(async () => {
  llm = await FakeLlm.start({ answer: () => 'Paris' });
});
afterAll(() => llm.close());

async function check(registry: TempRegistry, base: string) {
  const { code, stdout } = await runCli(
    'check',
    ...['--root', registry.root, '--base', base, '--endpoint', llm.url, '--retries', '0', '--format', 'json'],
  );
  const report = JSON.parse(stdout) as {
    gates: { gates: { metric: string; verdict: string; reason: string }[] }[];
  };
  return { code, gates: report.gates[0]!.gates };
}

describe("the base ref's suites, with production as the baseline", () => {
  it('are never stood in for by a number the pull request commits under their name', async () => {
    const { registry, base } = withBaseRefSuite();
    registry.write('models/m/evals/metrics.json', { score: 1, 'smoke/accuracy': 0.99 });
    writeModel(registry, '1.2.0', { results: [{ path: 'evals/metrics.json' }], gates: [GATE] });
    registry.commit('m 1.2.0: the suite removed, its number committed');
    const { code, gates } = await check(registry, base);
    expect(gates).toEqual([expect.objectContaining({ metric: 'smoke/accuracy', verdict: 'not-run' })]);
    expect(code).toBe(1);
  });

  it("run on the base ref's dataset, not on an easier one the pull request brings", async () => {
    const { registry, base } = withBaseRefSuite();
    registry.write('models/m/evals/smoke.jsonl', EASY);
    writeModel(registry, '1.2.0', {
      results: [{ path: 'evals/metrics.json' }],
      suites: [SUITE],
      gates: [GATE],
    });
    registry.commit('m 1.2.0: an easier smoke test');
    const { code, gates } = await check(registry, base);
    expect(gates).toEqual([expect.objectContaining({ metric: 'smoke/accuracy', verdict: 'fail' })]);
    expect(gates[0]!.reason).toContain('0.25');
    expect(code).toBe(1);
  });
});
