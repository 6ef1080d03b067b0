import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../../helpers/cli.js';
import { FakeLlm } from '../../helpers/fake-llm.js';
import { addRealModel } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';

// A suite's dataset is part of how a version is judged, so it comes from the baseline: a pull request
// that edits its own dataset is still measured on the baseline's, and a drop is judged only between runs
// of the same bytes (issue 18, the trust model: the candidate's own files never decide how it is judged).

const MANIFEST = 'models/gpt2/model.yaml';
const QA = { name: 'qa', dataset: 'evals/qa.jsonl', scorer: 'exact_match' };
const CITIES = ['Paris', 'Rome', 'Madrid', 'Berlin'];

/** `count` questions; question i expects `answer(i)`. The endpoint answers "Paris" to everything. */
function dataset(count: number, answer: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ id: `q${i}`, prompt: `Capital number ${i}?`, expected: answer(i) }),
  ).join('\n');
}
/** One in four right (Paris every fourth question): accuracy 0.25. */
const QUARTER = dataset(40, (i) => CITIES[i % 4]!);
/** Every answer right: what a pull request would like its test to be. */
const EASY = dataset(40, () => 'Paris');
/** No answer right. */
const HARD = dataset(40, (i) => CITIES[1 + (i % 3)]!);

let llm: FakeLlm;
beforeAll(async () => {
  llm = await FakeLlm.start({ answer: () => 'Paris' });
});
afterAll(() => llm.close());

function setEval(registry: TempRegistry, evalBlock: Record<string, unknown>, version: string) {
  const manifest = parse(registry.read(MANIFEST)) as Record<string, any>;
  manifest.version = version;
  manifest.eval = evalBlock;
  registry.write(MANIFEST, stringify(manifest));
}

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
  expect(stderr).toBe('');
  const report = JSON.parse(stdout);
  return {
    code,
    gates: report.gates[0].gates,
    findings: report.findings.filter((f: any) => f.rule.startsWith('EVAL-')),
  };
}

/** gpt2 1.0.0 on the base ref with the qa suite on `data`, and `gates`. */
function released(data: string, gates: unknown[], results?: string) {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2');
  registry.write('models/gpt2/evals/qa.jsonl', `${data}\n`);
  const evalBlock = { ...(results ? { results: [{ path: results }] } : {}), suites: [QA], gates };
  setEval(registry, evalBlock, '1.0.0');
  return { registry, evalBlock, base: registry.commit('gpt2 1.0.0 with the qa suite') };
}

describe("a suite the baseline declares runs on the baseline's dataset", () => {
  it("a pull request that makes its own dataset easier is still measured on the base ref's: the min gate fails, and a note names the edited file", async () => {
    const { registry, evalBlock, base } = released(QUARTER, [{ metric: 'qa/accuracy', min: 0.9 }]);
    registry.write('models/gpt2/evals/qa.jsonl', `${EASY}\n`);
    setEval(registry, evalBlock, '1.0.1');
    registry.commit('gpt2 1.0.1: every expected answer is now Paris');

    const result = await check(registry, base);
    expect(result.code).toBe(1);
    expect(result.gates[0]).toMatchObject({
      verdict: 'fail',
      candidate: 0.25,
      reason: '0.25 is below the minimum 0.9',
    });
    const note = result.findings.find((f: any) => f.severity === 'info');
    expect(note).toEqual({
      rule: 'EVAL-GATE',
      severity: 'info',
      model: 'gpt2',
      file: MANIFEST,
      line: expect.any(Number),
      message: expect.stringMatching(
        new RegExp(
          `^suite qa is measured as the base ref ${base.slice(0, 12)} declares it: this change edits the contents of models/gpt2/evals/qa\\.jsonl \\(sha256 [0-9a-f]{12}… here, sha256 [0-9a-f]{12}… at the baseline\\), which the gates do not use before this version is released$`,
        ),
      ),
      fix: "A change is judged on the baseline's test, not on one it edits. To measure the new dataset now, declare it as a new suite (its gates judge thresholds); the edit becomes the baseline once released.",
    });
    // The results file says which bytes were run: the base ref's dataset, not the edited one.
    const written = JSON.parse(registry.read('.modelgate/results/gpt2-1.0.1-qa.json'));
    expect(written.dataset.path).toBe('models/gpt2/evals/qa.jsonl');
    expect(written.summary).toEqual({ accuracy: 0.25, n: 40, errors: 0 });
  });

  it("a pull request that points the suite at another dataset (or scorer) is measured with the baseline's definition", async () => {
    const { registry, base } = released(QUARTER, [{ metric: 'qa/accuracy', min: 0.9 }]);
    registry.write('models/gpt2/evals/easy.jsonl', `${EASY}\n`);
    setEval(
      registry,
      {
        suites: [{ ...QA, dataset: 'evals/easy.jsonl', scorer: 'contains' }],
        gates: [{ metric: 'qa/accuracy', min: 0.9 }],
      },
      '1.0.1',
    );
    registry.commit('gpt2 1.0.1: qa now reads an easier file');

    const result = await check(registry, base);
    expect(result.code).toBe(1);
    expect(result.gates[0]).toMatchObject({ verdict: 'fail', candidate: 0.25 });
    expect(result.findings.find((f: any) => f.severity === 'info').message).toBe(
      `suite qa is measured as the base ref ${base.slice(0, 12)} declares it: this change edits its dataset (evals/qa.jsonl → evals/easy.jsonl), its scorer, which the gates do not use before this version is released`,
    );
  });

  it('the production release decides, read at its release commit, not the base ref', async () => {
    const { registry, evalBlock, base } = released(QUARTER, [{ metric: 'qa/accuracy', min: 0.9 }]);
    registry.tag('gpt2@v1.0.0', { commit: base, date: 1_760_000_000 });
    registry.tag('gpt2#production#1', { commit: base, date: 1_760_000_001 });
    // The base ref of the pull request already carries the easier dataset: it is not released.
    registry.write('models/gpt2/evals/qa.jsonl', `${EASY}\n`);
    setEval(registry, evalBlock, '1.0.1');
    const unreleased = registry.commit('gpt2 1.0.1, never released: an easier dataset');
    setEval(registry, evalBlock, '1.0.2');
    registry.commit('gpt2 1.0.2');

    const result = await check(registry, unreleased);
    expect(result.gates[0]).toMatchObject({ verdict: 'fail', candidate: 0.25 });
    expect(result.findings.find((f: any) => f.severity === 'info').message).toMatch(
      /^suite qa is measured as production 1\.0\.0 \(gpt2#production#1\) declares it: this change edits the contents of models\/gpt2\/evals\/qa\.jsonl/,
    );
  });

  it('a dataset the baseline cannot give is "not run" and fails, however good the change\'s own copy is', async () => {
    const { registry } = released(QUARTER, [{ metric: 'qa/accuracy', min: 0.9 }]);
    // The base ref the change starts from declares a dataset it does not have.
    registry.remove('models/gpt2/evals/qa.jsonl');
    const broken = registry.commit('gpt2 1.0.0 lost its dataset');
    registry.write('models/gpt2/evals/qa.jsonl', `${EASY}\n`);
    setEval(registry, { suites: [QA], gates: [{ metric: 'qa/accuracy', min: 0.9 }] }, '1.0.1');
    registry.commit('gpt2 1.0.1 brings its own');

    const result = await check(registry, broken);
    expect(result.code).toBe(1);
    expect(result.gates[0].verdict).toBe('not-run');
    expect(result.gates[0].reason).toMatch(
      new RegExp(
        `^not run: dataset evals/qa\\.jsonl cannot be read at the base ref ${broken.slice(0, 12)}: `,
      ),
    );
    expect(result.findings.find((f: any) => f.severity === 'error').fix).toBe(
      "The baseline declares this suite, so its files are read at the baseline's commit, and the change's own copy cannot stand in: compare with a baseline that has them (--base), or remove the suite's gates with a reason in the pull request.",
    );
  });
});

describe("a suite new in this version runs on the change's own dataset, and the report says so", () => {
  it('its threshold gate is judged on that dataset, with a warning that the change wrote it', async () => {
    const { registry, base } = released(QUARTER, [{ metric: 'qa/accuracy', min: 0.1 }]);
    registry.write('models/gpt2/evals/capitals.jsonl', `${EASY}\n`);
    setEval(
      registry,
      {
        suites: [QA, { name: 'capitals', dataset: 'evals/capitals.jsonl', scorer: 'exact_match' }],
        gates: [
          { metric: 'qa/accuracy', min: 0.1 },
          { metric: 'capitals/accuracy', min: 0.9 },
        ],
      },
      '1.1.0',
    );
    registry.commit('gpt2 1.1.0 with a capitals suite');

    const result = await check(registry, base);
    expect(result.code).toBe(0);
    expect(result.gates.map((g: any) => [g.metric, g.verdict, g.candidate])).toEqual([
      ['qa/accuracy', 'pass', 0.25],
      ['capitals/accuracy', 'pass', 1],
    ]);
    expect(result.findings).toEqual([
      {
        rule: 'EVAL-GATE',
        severity: 'warning',
        model: 'gpt2',
        file: MANIFEST,
        line: expect.any(Number),
        message: `suite capitals is new in this version (the base ref ${base.slice(0, 12)} does not declare it): it runs on evals/capitals.jsonl as this change wrote it, so its gates judge this version on a test of its own making; a drop gate on it compares only with a run of the same dataset`,
        fix: 'Review the dataset and scorer in this pull request as part of the change. Once this version is released, they are what later versions are judged on.',
      },
    ]);
  });
});

describe('a drop gate compares only runs of the same dataset', () => {
  /**
   * 1.0.0's committed runner file was measured on a harder dataset than the one 1.0.0 declares (it
   * was run before the dataset was changed): 0 of 40 there, 10 of 40 on the declared dataset now.
   */
  async function staleBaselineRun() {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.write('models/gpt2/evals/qa.jsonl', `${HARD}\n`);
    const gates = [{ metric: 'qa/accuracy', max_drop: 0.02 }];
    setEval(registry, { suites: [QA], gates }, '1.0.0');
    expect((await runCli('gate', '--root', registry.root, '--endpoint', llm.url)).code).toBe(0);
    registry.write('models/gpt2/evals/qa-1.0.0.json', registry.read('.modelgate/results/gpt2-1.0.0-qa.json'));
    registry.write('models/gpt2/evals/qa.jsonl', `${QUARTER}\n`);
    const evalBlock = { results: [{ path: 'evals/qa-1.0.0.json' }], suites: [QA], gates };
    setEval(registry, evalBlock, '1.0.0');
    const base = registry.commit('gpt2 1.0.0 with a run of its older dataset');
    setEval(registry, evalBlock, '1.0.1');
    registry.commit('gpt2 1.0.1');
    return { registry, base };
  }

  it('a baseline result measured on other bytes is inconclusive, not a pass, and says which files', async () => {
    const { registry, base } = await staleBaselineRun();
    const result = await check(registry, base);
    expect(result.gates[0]).toMatchObject({ verdict: 'inconclusive', candidate: 0.25, baseline: 0 });
    expect(result.gates[0].comparison).toBeUndefined();
    expect(result.gates[0].reason).toMatch(
      /^not like-for-like: models\/gpt2\/evals\/qa-1\.0\.0\.json was measured on models\/gpt2\/evals\/qa\.jsonl \(sha256 [0-9a-f]{12}…\), a different dataset from this run's dataset models\/gpt2\/evals\/qa\.jsonl \(sha256 [0-9a-f]{12}…\)$/,
    );
    // Not a warning the check passes with: the comparison could not be made on the same test.
    expect(result.code).toBe(1);
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'EVAL-GATE',
        severity: 'error',
        message: `gate qa/accuracy is inconclusive: ${result.gates[0].reason}`,
        fix: "Compare with a results file of the built-in runner from a run of the same dataset: for a suite the baseline declares, the check runs the baseline's dataset, so the baseline's own run of it (kept under eval.results at the baseline) is the one to compare with.",
      }),
    ]);
  });

  it('a baseline runner file that records no sha256 of its dataset cannot be matched either', async () => {
    const { registry, base } = await staleBaselineRun();
    const file = JSON.parse(registry.read('models/gpt2/evals/qa-1.0.0.json'));
    delete file.dataset.sha256;
    registry.write('previous.json', JSON.stringify(file));
    const { stdout, code } = await runCli(
      'gate',
      '--root',
      registry.root,
      '--base',
      base,
      '--endpoint',
      llm.url,
      '--baseline-results',
      `${registry.root}/previous.json`,
      '--format',
      'json',
    );
    const gate = JSON.parse(stdout).gates[0].gates[0];
    expect(gate.verdict).toBe('inconclusive');
    expect(code).toBe(1); // an old runner file cannot stand in for a comparison that was not made
    expect(gate.reason).toMatch(
      /^not like-for-like: .*previous\.json does not record the sha256 of the dataset it was measured on \(models\/gpt2\/evals\/qa\.jsonl\), so it cannot be matched with this run's dataset/,
    );
  });
});

describe("a change to the released version's gates takes effect once it is released", () => {
  it('a change that removes every gate is still judged by the released ones, and the report says which gates went', async () => {
    const { registry, evalBlock, base } = released(QUARTER, [{ metric: 'qa/accuracy', min: 0.9 }]);
    setEval(registry, { ...evalBlock, gates: [] }, '1.0.1');
    registry.commit('gpt2 1.0.1: no gate at all');
    const { code, gates, findings } = await check(registry, base);
    expect(code).toBe(1);
    expect(gates).toEqual([expect.objectContaining({ metric: 'qa/accuracy', verdict: 'fail' })]);
    expect(findings).toContainEqual(
      expect.objectContaining({
        rule: 'EVAL-GATE',
        severity: 'warning',
        message: `gate qa/accuracy of the base ref ${base.slice(0, 12)} ({"metric":"qa/accuracy","min":0.9}) is removed: this version is still judged by it; the removal applies once this version is the baseline`,
      }),
    );
  });

  it('a loosened gate does not judge the change alone: the released gate judges it too', async () => {
    const { registry, evalBlock, base } = released(QUARTER, [{ metric: 'qa/accuracy', min: 0.9 }]);
    setEval(registry, { ...evalBlock, gates: [{ metric: 'qa/accuracy', min: 0.1 }] }, '1.0.1');
    registry.commit('gpt2 1.0.1: a gate it passes');
    const loosened = await check(registry, base);
    expect(loosened.code).toBe(1);
    expect(loosened.gates.map((g: { reason: string; verdict: string }) => [g.verdict, g.reason])).toEqual([
      ['pass', expect.stringMatching(/≥ 0\.1$/)],
      ['fail', expect.stringMatching(/minimum 0\.9$/)],
    ]);
    expect(loosened.findings).toContainEqual(
      expect.objectContaining({
        rule: 'EVAL-GATE',
        severity: 'warning',
        message: `gate qa/accuracy is changed from the base ref ${base.slice(0, 12)}'s {"metric":"qa/accuracy","min":0.9} to {"metric":"qa/accuracy","min":0.1}: this version is judged by both; the change applies once this version is the baseline`,
      }),
    );
  });

  it("a gate change released on its own, with evidence that passes the released gate, is the next version's baseline", async () => {
    const { registry, evalBlock, base } = released(EASY, [{ metric: 'qa/accuracy', min: 0.9 }]);
    setEval(registry, { ...evalBlock, gates: [{ metric: 'qa/accuracy', min: 0.1 }] }, '1.0.1');
    const loosened = registry.commit('gpt2 1.0.1: the gate alone');
    expect((await check(registry, base)).code).toBe(0);
    registry.write('models/gpt2/evals/qa.jsonl', `${QUARTER}\n`);
    setEval(registry, { ...evalBlock, gates: [{ metric: 'qa/accuracy', min: 0.1 }] }, '1.0.2');
    registry.commit('gpt2 1.0.2: harder questions');
    const next = await check(registry, loosened);
    expect(next.gates).toEqual([expect.objectContaining({ verdict: 'pass' })]);
  });
});
