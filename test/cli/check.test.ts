import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { harnessResults, harnessSamples, scores } from '../helpers/lm-eval.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

const MANIFEST = 'models/gpt2/model.yaml';

function withEval(registry: TempRegistry, evalBlock: Record<string, unknown>, version = '1.0.0') {
  const manifest = parse(registry.read(MANIFEST)) as Record<string, any>;
  manifest.version = version;
  manifest.eval = evalBlock;
  registry.write(MANIFEST, stringify(manifest));
}

const EVAL = {
  results: [{ path: 'evals/results.json', samples: { arc_easy: 'evals/samples_arc_easy.jsonl' } }],
  gates: [
    { metric: 'arc_easy/acc', min: 0.5, max_drop: 0.02 },
    { metric: 'gsm8k/exact_match,strict-match', max_drop: 0.03 },
  ],
};

/** gpt2 1.0.0 on main with recorded results (400 arc_easy documents, 320 right); the change records new ones. */
function baseline() {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2');
  registry.write('models/gpt2/evals/results.json', harnessResults());
  registry.write('models/gpt2/evals/samples_arc_easy.jsonl', harnessSamples('arc_easy', scores(400, 320)));
  withEval(registry, EVAL);
  const base = registry.commit('gpt2 1.0.0 with evals');
  return { registry, base };
}

describe('modelgate check and gate', () => {
  it('fails a real regression (40 documents lost on arc_easy) with its evidence', async () => {
    const { registry, base } = baseline();
    registry.write('models/gpt2/evals/samples_arc_easy.jsonl', harnessSamples('arc_easy', scores(400, 280)));
    registry.write(
      'models/gpt2/evals/results.json',
      harnessResults((j) => (j.results.arc_easy['acc,none'] = 0.7)),
    );
    withEval(registry, EVAL, '1.0.1');
    const { code, stdout } = await runCli(
      'check',
      '--root',
      registry.root,
      '--base',
      base,
      '--format',
      'json',
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    const [arc, gsm] = report.gates[0].gates;
    expect(report.gates[0].baseline.label).toBe(`the base ref ${base.slice(0, 12)}`);
    expect(arc).toMatchObject({
      metric: 'arc_easy/acc',
      verdict: 'fail',
      candidate: 0.7,
      comparison: { method: 'mcnemar', n: 400, delta: -0.1 },
    });
    expect(gsm).toMatchObject({ verdict: 'pass', comparison: { method: 'stderr', delta: 0 } });
    expect(report.findings).toContainEqual(
      expect.objectContaining({ rule: 'EVAL-GATE', severity: 'error', line: 17 }),
    );
  });

  it('passes noise, and prints the table', async () => {
    const { registry, base } = baseline();
    registry.write('models/gpt2/evals/samples_arc_easy.jsonl', harnessSamples('arc_easy', scores(400, 317)));
    withEval(registry, EVAL, '1.0.1');
    const { code, stdout } = await runCli('gate', '--root', registry.root, '--base', base);
    expect(code).toBe(0);
    expect(stdout).toContain('Gates of gpt2 1.0.1 (baseline: the base ref');
    // 3 documents lost, none gained, of 400: p = P(X >= 3 | n = 3) = 1/8.
    expect(stdout).toContain(
      'pass         arc_easy/acc  0.8114 -> 0.8114 (-0.0075, CI [-0.01596, +0.000955], p 0.13, mcnemar, n=400): dropped 0.0075, within 0.02',
    );
  });

  it('flags results from another tokenizer and a limited run', async () => {
    const { registry, base } = baseline();
    registry.write(
      'models/gpt2/evals/results.json',
      harnessResults((j) => {
        j.tokenizer_eos_token = ['</s>', '2'];
        j['n-samples'].arc_easy.effective = 100;
      }),
    );
    withEval(registry, EVAL, '1.0.1');
    const report = JSON.parse(
      (await runCli('check', '--root', registry.root, '--base', base, '--format', 'json')).stdout,
    );
    const rules = report.findings.map((f: any) => `${f.severity} ${f.rule}`);
    expect(rules).toContain('error EVAL-TOKENIZER');
    expect(rules).toContain('warning EVAL-LIMIT');
  });

  it('pins the model revision: results from another one are refused', async () => {
    const { registry, base } = baseline();
    withEval(registry, { ...EVAL, revision: 'v2.0.0' }, '1.0.1');
    const report = JSON.parse(
      (await runCli('check', '--root', registry.root, '--base', base, '--format', 'json')).stdout,
    );
    expect(report.findings.find((f: any) => f.rule === 'EVAL-MODEL').message).toContain(
      'not the pinned revision v2.0.0',
    );
  });

  it('is inconclusive without a baseline; on_inconclusive: fail makes that an error', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.write('models/gpt2/evals/results.json', harnessResults());
    registry.write('models/gpt2/evals/samples_arc_easy.jsonl', harnessSamples('arc_easy', scores(400, 320)));
    withEval(registry, EVAL);
    const warn = await runCli('check', '--root', registry.root, '--format', 'json');
    expect(warn.code).toBe(0);
    expect(JSON.parse(warn.stdout).gates[0].gates.map((g: any) => g.verdict)).toEqual([
      'inconclusive',
      'inconclusive',
    ]);
    withEval(registry, { ...EVAL, on_inconclusive: 'fail' });
    expect((await runCli('check', '--root', registry.root)).code).toBe(1);
  });

  it('takes a previous run as the baseline with --baseline-results', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.write(
      'models/gpt2/evals/results.json',
      harnessResults((j) => (j.results.gsm8k['exact_match,strict-match'] = 0.6)),
    );
    withEval(registry, {
      results: [{ path: 'evals/results.json' }],
      gates: [{ metric: 'gsm8k/exact_match,strict-match', max_drop: 0.03 }],
    });
    registry.write('previous.json', harnessResults());
    const { code, stdout } = await runCli(
      'gate',
      '--root',
      registry.root,
      '--baseline-results',
      `${registry.root}/previous.json`,
    );
    expect(code).toBe(1);
    expect(stdout).toContain('the given baseline results');
  });

  it('compares with the version in production once releases exist, not with the base ref', async () => {
    const { registry, base } = baseline(); // 1.0.0: 320 of 400 right
    registry.tag('gpt2@v1.0.0', { commit: base, date: 1_760_000_000 });
    registry.tag('gpt2#canary#1', { commit: base, date: 1_760_000_001 });
    registry.tag('gpt2#production#2', { commit: base, date: 1_760_000_002 });
    registry.write('models/gpt2/evals/samples_arc_easy.jsonl', harnessSamples('arc_easy', scores(400, 250)));
    withEval(registry, EVAL, '1.1.0');
    const next = registry.commit('gpt2 1.1.0: worse, but the base ref will be made to agree');
    registry.write('models/gpt2/README.md', 'docs');
    withEval(registry, EVAL, '1.1.1');
    const report = JSON.parse(
      (await runCli('check', '--root', registry.root, '--base', next, '--format', 'json')).stdout,
    );
    expect(report.gates[0].baseline).toEqual({
      label: 'production 1.0.0 (gpt2#production#2)',
      version: '1.0.0',
    });
    expect(report.gates[0].gates[0]).toMatchObject({ verdict: 'fail', comparison: { delta: -0.175 } });
  });

  it('refuses a baseline file that is not a results file, with exit 2', async () => {
    const registry = TempRegistry.create();
    registry.write('bad.json', '[1, 2');
    const { code, stderr } = await runCli(
      'gate',
      '--root',
      registry.root,
      '--baseline-results',
      `${registry.root}/bad.json`,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(
      new RegExp(
        `^modelgate: --baseline-results ${registry.root}/bad\\.json cannot be used: not valid JSON \\(.+\\)\\n  fix: `,
      ),
    );
  });
});

describe('results from another chat template', () => {
  it('are flagged EVAL-TOKENIZER when the harness logged the template hash', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'qwen2_5');
    const manifest = parse(registry.read('models/qwen2-5/model.yaml')) as Record<string, any>;
    manifest.eval = {
      results: [{ path: 'evals/results.json' }],
      gates: [{ metric: 'arc_easy/acc', min: 0.5 }],
    };
    registry.write('models/qwen2-5/model.yaml', stringify(manifest));
    registry.write(
      'models/qwen2-5/evals/results.json',
      harnessResults((j) => {
        j.tokenizer_eos_token = ['<|im_end|>', '151645'];
        j.tokenizer_bos_token = [null, 'None'];
        j.tokenizer_pad_token = ['<|endoftext|>', '151643'];
        j.chat_template_sha = 'a'.repeat(64);
      }),
    );
    const report = JSON.parse((await runCli('check', '--root', registry.root, '--format', 'json')).stdout);
    const eval_ = report.findings.filter((f: any) => f.rule.startsWith('EVAL-'));
    expect(eval_.map((f: any) => f.message)).toEqual([
      expect.stringContaining('was produced with another chat template (sha256 aaaaaaaaaaaa…)'),
    ]);
  });
});
