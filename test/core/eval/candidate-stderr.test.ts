import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEFAULT_GATE_OPTIONS, judgeGate, type Gate } from '../../../src/core/eval/gates.js';
import { parsePythonJson, readResultsFile, type MetricSeries } from '../../../src/core/eval/results.js';
import { runCli } from '../../helpers/cli.js';
import { harnessFixture } from '../../helpers/lm-eval.js';
import { addRealModel } from '../../helpers/models.js';
import { registryTemplate, type TempRegistry } from '../../helpers/registry.js';

// Security review F2: a pull request turned a failing drop gate into a warning by deleting the stderr
// from its own results file, or by writing its own eval.on_inconclusive / min_samples / confidence.
// The results are real lm-evaluation-harness files (test/fixtures/lm-eval/README.md):
// lambada_openai of a v0.4.7 run (acc 0.4588, stderr 0.0069, 5153 documents) and negotiationtom of
// a v0.4.13 run, whose micro_f1 has the stderr "N/A" (the harness computes none for it).

const LAMBADA = 'v0.4.7-dev-lambada-rwkv7-168M.json';
const DOCUMENTS = 5153;

/**
 * The lambada run; with `acc`, that accuracy and the stderr the harness computes for it
 * (sqrt(p(1-p)/(n-1))); `stderr: false` deletes the stderr, as the pull request in the review did.
 */
function lambada(edit: { acc?: number; stderr?: false; documents?: number; version?: number } = {}): string {
  const json = JSON.parse(harnessFixture(LAMBADA));
  const task = json.results.lambada_openai;
  // `documents`: a run of that many (lm_eval --limit N writes them as n-samples' effective count).
  const documents = edit.documents ?? DOCUMENTS;
  if (edit.documents !== undefined) json['n-samples'].lambada_openai.effective = documents;
  if (edit.version !== undefined) json.versions.lambada_openai = edit.version;
  if (edit.acc !== undefined) {
    task['acc,none'] = edit.acc;
    task['acc_stderr,none'] = documents > 1 ? Math.sqrt((edit.acc * (1 - edit.acc)) / (documents - 1)) : 0;
  }
  if (edit.stderr === false) delete task['acc_stderr,none'];
  return `${JSON.stringify(json, null, 2)}\n`;
}

function series(text: string, file: string, name: string): MetricSeries {
  const found = readResultsFile(parsePythonJson(text), file).metrics.find((m) => m.name === name);
  if (!found) throw new Error(`${name} is not in ${file}`);
  return found;
}

const ACC: Gate = { metric: 'lambada_openai/acc', max_drop: 0.01 };

describe('a drop is judged on evidence the candidate cannot remove (judgeGate)', () => {
  it("a candidate without stderr or samples, against a baseline with one, is the candidate's fault", () => {
    const result = judgeGate(
      ACC,
      series(lambada({ acc: 0.3, stderr: false }), 'evals/lm-eval.json', 'lambada_openai/acc'),
      series(lambada(), 'baseline/lm-eval.json', 'lambada_openai/acc'),
      DEFAULT_GATE_OPTIONS,
    );
    const why = 'the candidate has neither per-document scores nor a standard error for lambada_openai/acc';
    expect(result).toMatchObject({
      verdict: 'inconclusive',
      reason: `cannot compare: ${why}`,
      invalidCandidate: { file: 'evals/lm-eval.json', problem: why, missing: true },
    });
  });

  it('a baseline without stderr is inconclusive, and not the pull request’s fault', () => {
    const result = judgeGate(
      ACC,
      series(lambada({ acc: 0.3 }), 'evals/lm-eval.json', 'lambada_openai/acc'),
      series(lambada({ stderr: false }), 'baseline/lm-eval.json', 'lambada_openai/acc'),
      DEFAULT_GATE_OPTIONS,
    );
    expect(result.verdict).toBe('inconclusive');
    expect(result.reason).toBe(
      'cannot compare: the baseline has neither per-document scores nor a standard error for lambada_openai/acc',
    );
    expect(result.invalidCandidate).toBeUndefined();
  });

  it('a metric the harness gives no stderr ("N/A") on either side: no candidate file could settle it, so not its fault', () => {
    const file = harnessFixture('v0.4.13-negotiationtom-qwen3-8b.json');
    const metric = 'negotiationtom_intention/micro_f1';
    const result = judgeGate(
      { metric, max_drop: 0.01 },
      series(file, 'evals/results.json', metric),
      series(file, 'baseline/results.json', metric),
      DEFAULT_GATE_OPTIONS,
      { baselineGate: true },
    );
    expect(result).toMatchObject({
      verdict: 'inconclusive',
      reason: `cannot compare: the candidate has neither per-document scores nor a standard error for ${metric}`,
    });
    expect(result.invalidCandidate).toBeUndefined();
  });
});

// End to end: gpt2 1.0.0 released to production from models/gpt2 with the real lambada results; the
// pull request (the working tree) is 1.0.1 with its own results and eval settings; `modelgate check`.

const MANIFEST = 'models/gpt2/model.yaml';
const RESULTS = 'models/gpt2/evals/lm-eval.json';

function released(evalSettings: Record<string, unknown>, results: string) {
  return registryTemplate((registry) => {
    addRealModel(registry, 'gpt2', {
      manifest: { eval: { results: [{ path: 'evals/lm-eval.json' }], gates: [ACC], ...evalSettings } },
    });
    registry.write(RESULTS, results);
    const base = registry.commit('gpt2 1.0.0');
    registry.tag('gpt2@v1.0.0').tag('gpt2#production#1');
    return base;
  });
}
const releasedPlain = released({}, lambada());
/** Production says an inconclusive gate fails, and its results carry no stderr (so a drop is inconclusive). */
const releasedStrict = released({ on_inconclusive: 'fail' }, lambada({ stderr: false }));

/** The pull request: version 1.0.1, `results` as its results file, `evalSettings` over its eval block. */
async function pullRequest(
  template: () => { registry: TempRegistry; built: string },
  results: string,
  evalSettings: Record<string, unknown> = {},
) {
  const { registry, built: base } = template();
  registry.write(RESULTS, results);
  const manifest = parse(registry.read(MANIFEST)) as { version: string; eval: Record<string, unknown> };
  manifest.version = '1.0.1';
  manifest.eval = { ...manifest.eval, ...evalSettings };
  registry.write(MANIFEST, stringify(manifest));
  const { code, stdout } = await runCli('check', '--root', registry.root, '--base', base, '--format', 'json');
  const report = JSON.parse(stdout) as {
    gates: { gates: { metric: string; verdict: string; reason: string }[] }[];
    findings: { rule: string; severity: string; message: string; fix: string }[];
  };
  const findings = report.findings
    .filter((f) => f.rule === 'EVAL-GATE' || f.rule === 'ARTIFACT-INVALID')
    .map((f) => [f.rule, f.severity, f.message]);
  return { code, gate: report.gates[0]!.gates[0]!, findings, report };
}

const PRODUCTION = 'production 1.0.0 (gpt2#production#1)';

describe('modelgate check: a pull request cannot turn a failing drop into a warning', () => {
  it('deleting its own stderr is an ARTIFACT-INVALID error: exit 1', async () => {
    const { code, gate, findings, report } = await pullRequest(
      releasedPlain,
      lambada({ acc: 0.3, stderr: false }),
    );
    expect(gate.verdict).toBe('inconclusive');
    expect(findings).toContainEqual([
      'ARTIFACT-INVALID',
      'error',
      `${RESULTS}: the candidate has neither per-document scores nor a standard error for lambada_openai/acc, so gate lambada_openai/acc cannot compare`,
    ]);
    expect(report.findings.find((f) => f.rule === 'ARTIFACT-INVALID')!.fix).toBe(
      `The baseline's results carry the evidence a drop is judged on; this version's must too: keep the standard error the harness writes next to the value (lm-evaluation-harness: "<metric>_stderr,<filter>"), or record per-document scores (--log_samples) under eval.results[].samples.`,
    );
    expect(code).toBe(1);
  });

  it("writing on_inconclusive: warn over production's fail: the gate is judged with fail, and the change is said", async () => {
    const { code, gate, findings } = await pullRequest(releasedStrict, lambada({ acc: 0.3 }), {
      on_inconclusive: 'warn',
    });
    expect(gate.verdict).toBe('inconclusive');
    expect(findings).toEqual([
      [
        'EVAL-GATE',
        'error',
        'gate lambada_openai/acc is inconclusive: cannot compare: the baseline has neither per-document scores nor a standard error for lambada_openai/acc',
      ],
      [
        'EVAL-GATE',
        'warning',
        `eval.on_inconclusive is changed from ${PRODUCTION}'s fail to warn: this version is judged with fail, the baseline's; the change applies once this version is the baseline`,
      ],
    ]);
    expect(code).toBe(1);
  });

  it('raising min_samples above the document count does not make a clear drop inconclusive', async () => {
    const { code, gate, findings } = await pullRequest(releasedPlain, lambada({ acc: 0.3 }), {
      min_samples: 1_000_000,
    });
    expect(gate.verdict).toBe('fail');
    expect(findings).toContainEqual([
      'EVAL-GATE',
      'warning',
      `eval.min_samples is changed from ${PRODUCTION}'s 30 to 1000000: this version is judged with 30, the baseline's; the change applies once this version is the baseline`,
    ]);
    expect(code).toBe(1);
  });

  it('raising confidence does not widen a failing drop into an inconclusive one', async () => {
    // 0.4588 -> 0.4258: at 95 % the drop is at least 0.0169 (> 0.01: fails); at 99.9 % it would be 0.0027.
    const { code, gate, findings } = await pullRequest(releasedPlain, lambada({ acc: 0.4258 }), {
      confidence: 0.999,
    });
    expect(gate.verdict).toBe('fail');
    expect(gate.reason).toBe(
      'dropped 0.03296, more than the allowed 0.01: at 95 % confidence the drop is at least 0.01688',
    );
    expect(findings).toContainEqual([
      'EVAL-GATE',
      'warning',
      `eval.confidence is changed from ${PRODUCTION}'s 0.95 to 0.999: this version is judged with 0.95, the baseline's; the change applies once this version is the baseline`,
    ]);
    expect(code).toBe(1);
  });

  it('making an inconclusive gate fail is the change’s to make: judged with it, said as a note', async () => {
    const { code, findings } = await pullRequest(releasedPlain, lambada({ acc: 0.452 }), {
      on_inconclusive: 'fail',
    });
    expect(findings).toContainEqual([
      'EVAL-GATE',
      'info',
      `eval.on_inconclusive is changed from ${PRODUCTION}'s warn to fail: this version is judged with fail`,
    ]);
    expect(findings.filter((f) => f[1] === 'error').map((f) => f[2])).toEqual([
      expect.stringMatching(/^gate lambada_openai\/acc is inconclusive: dropped 0\.006762 \(allowed 0\.01\)/),
    ]);
    expect(code).toBe(1);
  });

  it("a run of 10 documents (lm_eval --limit 10), or an n-samples edited to 1, is the candidate's fault: exit 1", async () => {
    for (const documents of [10, 1]) {
      const { code, gate, findings } = await pullRequest(releasedPlain, lambada({ acc: 0.2, documents }));
      // Before: "inconclusive: only 10 documents per version (at least 30 needed)", a warning: exit 0.
      expect(gate.verdict).toBe('inconclusive');
      expect(findings).toContainEqual([
        'ARTIFACT-INVALID',
        'error',
        `${RESULTS}: the candidate's lambada_openai/acc covers ${documents} documents, the baseline's ${DOCUMENTS}, so gate lambada_openai/acc cannot compare`,
      ]);
      expect(code).toBe(1);
    }
  });

  it('another task version in its own results file is an EVAL-VERSION error, not a warning', async () => {
    const { code, gate, report } = await pullRequest(releasedPlain, lambada({ acc: 0.3, version: 9 }));
    expect(gate.reason).toBe("task version 9 vs the baseline's 1: not like-for-like");
    expect(report.findings.filter((f) => f.rule === 'EVAL-VERSION').map((f) => f.severity)).toEqual([
      'error',
    ]);
    expect(code).toBe(1);
  });
});
