import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { FakeLlm } from '../helpers/fake-llm.js';
import { harnessFixture } from '../helpers/lm-eval.js';
import { addRealModel } from '../helpers/models.js';
import { registryTemplate, type TempRegistry } from '../helpers/registry.js';

// Security review F1 (eval): a pull request moved models/gpt2 to models/gpt2-v2. `check` looked its
// baseline up by the new path, found none, and judged the change on the dataset and results it
// brought: an easier test passed, and a drop against production was "inconclusive: no baseline".
// The baseline is found by the name the manifest declares, and its files are read relative to
// where the baseline kept its manifest.

const CITIES = ['Paris', 'Rome', 'Madrid', 'Berlin'];
const dataset = (answer: (i: number) => string) =>
  `${Array.from({ length: 40 }, (_, i) =>
    JSON.stringify({ id: `q${i}`, prompt: `Capital ${i}?`, expected: answer(i) }),
  ).join('\n')}\n`;
/** The released test: the endpoint (which always answers Paris) scores 0.25 on it. */
const QUARTER = dataset((i) => CITIES[i % 4]!);
/** The pull request's own test: the endpoint scores 1.0 on it. */
const EASY = dataset(() => 'Paris');

/**
 * lambada_openai of a real lm-evaluation-harness v0.4.7 run (test/fixtures/lm-eval/README.md):
 * acc 0.4588, stderr 0.0069, 5153 documents; for the pull request's copy, `acc` as given with the
 * stderr the harness computes for it (sqrt(p(1-p)/(n-1))).
 */
const lambada = (acc?: number) => {
  const json = JSON.parse(harnessFixture('v0.4.7-dev-lambada-rwkv7-168M.json'));
  if (acc !== undefined) {
    json.results.lambada_openai['acc,none'] = acc;
    json.results.lambada_openai['acc_stderr,none'] = Math.sqrt((acc * (1 - acc)) / 5152);
  }
  return `${JSON.stringify(json, null, 2)}\n`;
};

const EVAL = {
  results: [{ path: 'evals/lm-eval.json' }],
  suites: [{ name: 'qa', dataset: 'evals/qa.jsonl', scorer: 'exact_match' }],
  gates: [
    { metric: 'qa/accuracy', min: 0.9 },
    { metric: 'lambada_openai/acc', max_drop: 0.01 },
  ],
};

/** gpt2 1.0.0 with the released test and results, committed (the base); released to production when asked. */
function build(registry: TempRegistry, production: boolean): string {
  addRealModel(registry, 'gpt2', { manifest: { eval: EVAL } });
  registry.write('models/gpt2/evals/qa.jsonl', QUARTER);
  registry.write('models/gpt2/evals/lm-eval.json', lambada());
  const base = registry.commit('gpt2 1.0.0');
  if (production) registry.tag('gpt2@v1.0.0').tag('gpt2#production#1');
  return base;
}
const atBase = registryTemplate((registry) => build(registry, false));
const inProduction = registryTemplate((registry) => build(registry, true));

/** The pull request: git mv models/gpt2 models/gpt2-v2, version 1.0.1, with the given edits. */
function moveTo(registry: TempRegistry, edit: (dir: string) => void): void {
  registry.git('mv', 'models/gpt2', 'models/gpt2-v2');
  edit('models/gpt2-v2');
  const manifest = parse(registry.read('models/gpt2-v2/model.yaml')) as { version: string };
  manifest.version = '1.0.1';
  registry.write('models/gpt2-v2/model.yaml', stringify(manifest));
  registry.commit('gpt2 1.0.1 in models/gpt2-v2');
}

let llm: FakeLlm;
beforeAll(async () => {
  llm = await FakeLlm.start({ answer: () => 'Paris' });
});
afterAll(() => llm.close());

async function check(registry: TempRegistry, base: string) {
  const { code, stdout, stderr } = await runCli(
    'check',
    '--root',
    registry.root,
    '--base',
    base,
    '--endpoint',
    llm.url,
    '--retries',
    '0',
    '--format',
    'json',
  );
  const report = JSON.parse(stdout) as {
    gates: { baseline?: { label: string }; gates: { metric: string; verdict: string; reason: string }[] }[];
    findings: { rule: string; severity: string; file: string; message: string }[];
  };
  return { code, stderr, report, evalFindings: report.findings.filter((f) => f.rule === 'EVAL-GATE') };
}

describe('a moved model is judged against its baseline, found by name', () => {
  it('moved with an easier dataset: the suite runs on the base ref’s dataset at its old path and fails', async () => {
    const { registry, built: base } = atBase();
    moveTo(registry, (dir) => registry.write(`${dir}/evals/qa.jsonl`, EASY));
    const { code, report, evalFindings } = await check(registry, base);
    expect(report.gates[0]!.gates[0]).toMatchObject({
      metric: 'qa/accuracy',
      verdict: 'fail',
      candidate: 0.25,
      reason: '0.25 is below the minimum 0.9',
    });
    expect(report.gates[0]!.baseline?.label).toBe(`the base ref ${base.slice(0, 12)}`);
    // The edit is said, with both files: the moved copy here, the baseline's at its own path.
    expect(evalFindings.map((f) => [f.severity, f.message])).toContainEqual([
      'info',
      expect.stringMatching(
        new RegExp(
          `^suite qa is measured as the base ref ${base.slice(0, 12)} declares it: this change edits the contents of models/gpt2-v2/evals/qa\\.jsonl \\(sha256 [0-9a-f]{12}… here, sha256 [0-9a-f]{12}… at the baseline\\)`,
        ),
      ),
    ]);
    expect(code).toBe(1);
  });

  it('moved with a drop against production: the drop fails as if it had not moved', async () => {
    const { registry, built: base } = inProduction();
    moveTo(registry, (dir) => registry.write(`${dir}/evals/lm-eval.json`, lambada(0.3)));
    const { code, report, evalFindings } = await check(registry, base);
    const drop = report.gates[0]!.gates.find((g) => g.metric === 'lambada_openai/acc');
    expect(drop).toMatchObject({ verdict: 'fail', candidate: 0.3, baseline: 0.458761886279837 });
    expect(report.gates[0]!.baseline?.label).toBe('production 1.0.0 (gpt2#production#1)');
    expect(drop!.reason).toMatch(/^dropped 0\.1588, more than the allowed 0\.01: at 95 % confidence/);
    expect(evalFindings.filter((f) => f.severity === 'error').map((f) => f.message)).toContain(
      `gate lambada_openai/acc: ${drop!.reason}`,
    );
    expect(code).toBe(1);
  });

  it('a base manifest of that name that cannot be parsed is an EVAL-GATE error, not "no baseline"', async () => {
    const { registry } = atBase();
    // The base holds gpt2's manifest, broken (a YAML syntax error): nothing can say what it judged by.
    const valid = registry.read('models/gpt2/model.yaml');
    registry.write('models/gpt2/model.yaml', `${valid}eval: [\n`);
    const broken = registry.commit('gpt2: a broken manifest');
    // The pull request moves it and repairs it.
    moveTo(registry, (dir) => registry.write(`${dir}/model.yaml`, valid));
    const { code, evalFindings } = await check(registry, broken);
    expect(evalFindings.filter((f) => f.severity === 'error')).toContainEqual(
      expect.objectContaining({
        file: 'models/gpt2-v2/model.yaml',
        message: `cannot judge gpt2 against its baseline, the base ref ${broken.slice(0, 12)}: models/gpt2/model.yaml at ${broken} cannot be read, so whether it declares "gpt2" cannot be told`,
        fix: `Make the base ref ${broken.slice(0, 12)} hold exactly one readable manifest declaring name gpt2, or compare with another --base.`,
      }),
    );
    expect(code).toBe(1);
  });
});
