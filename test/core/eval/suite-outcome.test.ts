import { describe, expect, it } from 'vitest';
import { judgePreviewSuites } from '../../../src/core/blue-green/suites.js';
import type { SuiteOutcome } from '../../../src/core/eval/runner.js';
import {
  concludeSuite,
  prepareSuite,
  previewSuiteRun,
  resultsFileName,
  resultsNotWritten,
  type EvalSuite,
  type ReadySuite,
  type SuiteFileRead,
  type SuiteSetting,
} from '../../../src/core/eval/suite-outcome.js';
import { parseManifest } from '../../../src/core/manifest/parse.js';

// A manifest as a user writes it: findings point at the suite's own lines.
const MANIFEST = `apiVersion: modelgate.dev/v1
kind: Model
name: acme/support-bot
version: 1.3.0
artifacts: { config: config.json, tokenizer: tokenizer.json, weights: [] }
eval:
  suites:
    - name: smoke
      dataset: evals/smoke.jsonl
      scorer: exact_match
    - name: format
      dataset: evals/format.jsonl
      scorer:
        type: json_schema
        schema: evals/answer.schema.json
    - name: cities
      dataset: evals/cities.jsonl
      scorer: regex
`;
const parsed = parseManifest(MANIFEST, 'models/support-bot/model.yaml');
const suites = parsed.manifest!.eval!.suites!;
const setting = (index: number, answeredBy = 'the endpoint'): SuiteSetting => ({
  suite: suites[index] as EvalSuite,
  index,
  model: 'acme/support-bot',
  manifestFile: 'models/support-bot/model.yaml',
  lineOf: parsed.lineOf,
  answeredBy,
});
const line = (sample: object) => JSON.stringify(sample);
const read = (text: string, path = 'models/support-bot/evals/smoke.jsonl'): SuiteFileRead => ({
  ok: true,
  path,
  text,
  sha256: 'ab'.repeat(32),
});
const smoke = [
  line({ id: 'q1', prompt: 'What is 2 + 2?', expected: '4' }),
  line({ id: 'q2', prompt: 'What is 3 + 3?', expected: '6' }),
].join('\n');
const ready = (index = 0, text = smoke): ReadySuite => {
  const prepared = prepareSuite(setting(index), { dataset: read(text) });
  if (!prepared.ready) throw new Error(prepared.verdict.notRun);
  return prepared;
};
const outcome = (...samples: { id: string; score: number; error?: string }[]): SuiteOutcome => ({
  samples: samples.map((s) => ({ output: s.error ? '' : 'x', latency_ms: 3, ...s })),
  accuracy: samples.reduce((sum, s) => sum + s.score, 0) / samples.length,
  errors: samples.filter((s) => s.error).length,
});

describe('what a suite comes to before any request', () => {
  it('a dataset that cannot be read is not run, with the reason the adapter gave', () => {
    const prepared = prepareSuite(setting(0), {
      dataset: { ok: false, problem: 'points outside the repository' },
    });
    expect(prepared).toEqual({
      ready: false,
      verdict: { notRun: 'not run: dataset evals/smoke.jsonl points outside the repository', findings: [] },
    });
  });

  it('skipped lines are a warning at the dataset line, and the rest runs', () => {
    const prepared = prepareSuite(setting(0), { dataset: read(`${smoke}\nnot json\n`) });
    expect(prepared.ready && prepared.samples.map((s) => s.id)).toEqual(['q1', 'q2']);
    expect(prepared.ready && prepared.dataset).toEqual({
      path: 'models/support-bot/evals/smoke.jsonl',
      sha256: 'ab'.repeat(32),
    });
    expect(prepared.ready && prepared.findings).toEqual([
      {
        rule: 'EVAL-GATE',
        severity: 'warning',
        model: 'acme/support-bot',
        file: 'models/support-bot/model.yaml',
        line: 9,
        message: 'evals/smoke.jsonl: 1 line(s) skipped (line 3 is not JSON)',
        fix: 'Fix the dataset or the endpoint.',
      },
    ]);
  });

  it('a dataset with no usable line is not run (no sample is no measurement), keeping the warning', () => {
    const prepared = prepareSuite(setting(0), { dataset: read('not json\n') });
    expect(prepared.ready).toBe(false);
    if (prepared.ready) return;
    expect(prepared.verdict.notRun).toBe(
      'not run: dataset evals/smoke.jsonl has no usable line (line 1 is not JSON)',
    );
    expect(prepared.verdict.findings.map((f) => f.severity)).toEqual(['warning']);
    const empty = prepareSuite(setting(0), { dataset: read('') });
    expect(!empty.ready && empty.verdict.notRun).toBe(
      'not run: dataset evals/smoke.jsonl has no usable line',
    );
  });

  it('more samples than the adapter allows is not run, with the way out', () => {
    const prepared = prepareSuite(setting(0), { dataset: read(smoke) }, { maxSamples: 1 });
    expect(!prepared.ready && prepared.verdict.notRun).toBe(
      'not run: dataset evals/smoke.jsonl has 2 samples, more than the 1 a pre-switch suite runs; select a smaller suite in pre_switch.suites',
    );
  });

  it('a schema that cannot be read is not run; one that does not compile is also an error at the scorer line', () => {
    const unread = prepareSuite(setting(1), {
      dataset: read(smoke),
      schema: { ok: false, problem: 'cannot be read: it does not exist' },
    });
    expect(!unread.ready && unread.verdict).toEqual({
      notRun: 'not run: schema evals/answer.schema.json cannot be read: it does not exist',
      findings: [],
    });
    const broken = prepareSuite(setting(1), {
      dataset: read(smoke),
      schema: read('{"type": "nonsense"}', 'models/support-bot/evals/answer.schema.json'),
    });
    expect(broken.ready).toBe(false);
    if (broken.ready) return;
    expect(broken.verdict.notRun).toMatch(
      /^not run: schema evals\/answer\.schema\.json is not a usable JSON Schema \(.+\)$/,
    );
    expect(broken.verdict.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 13,
        message: `format: ${broken.verdict.notRun!.slice('not run: '.length)}`,
      }),
    ]);
  });

  it('a schema that compiles scores answers against it', async () => {
    const prepared = prepareSuite(setting(1), {
      dataset: read(smoke),
      schema: read('{"type": "object", "required": ["answer"]}'),
    });
    if (!prepared.ready) throw new Error(prepared.verdict.notRun);
    const sample = prepared.samples[0]!;
    expect(await prepared.scorer('{"answer": 4}', sample)).toBe(1);
    expect(await prepared.scorer('{"reply": 4}', sample)).toBe(0);
  });

  // A schema new in a pull request is the pull request's, and a dataset prompt can make the model echo
  // any string: on JavaScript's RegExp, ^(a+)+$ took 3 min 20 s on one answer of 33 characters.
  it("a schema's patterns run on RE2: a catastrophic pattern is linear, one RE2 cannot run stops the suite", async () => {
    const prepared = prepareSuite(setting(1), {
      dataset: read(smoke),
      schema: read(
        '{"type": "object", "properties": {"answer": {"type": "string", "pattern": "^(a+)+$"}}, "patternProperties": {"^(b+)+$": {"type": "number"}}}',
      ),
    });
    if (!prepared.ready) throw new Error(prepared.verdict.notRun);
    const sample = prepared.samples[0]!;
    const hostile = `${'a'.repeat(100_000)}!`;
    expect(await prepared.scorer(JSON.stringify({ answer: hostile }), sample)).toBe(0);
    expect(await prepared.scorer(JSON.stringify({ answer: 'aaa' }), sample)).toBe(1);
    expect(await prepared.scorer(JSON.stringify({ [`${'b'.repeat(10_000)}!`]: 'x' }), sample)).toBe(1);
    expect(await prepared.scorer(JSON.stringify({ bbb: 'x' }), sample)).toBe(0);

    const lookaround = prepareSuite(setting(1), {
      dataset: read(smoke),
      schema: read('{"type": "string", "pattern": "a(?=b)"}'),
    });
    expect(lookaround.ready).toBe(false);
    expect(lookaround.ready ? '' : lookaround.verdict.notRun).toMatch(
      /^not run: schema evals\/answer\.schema\.json is not a usable JSON Schema \(.+\)$/,
    );
  });

  it('patterns RE2 cannot run stop the suite once, counting the others', () => {
    const dataset = [
      line({ id: 'a', prompt: 'Capital of France?', expected: '(Paris)\\1' }),
      line({ id: 'b', prompt: 'Capital of Peru?', expected: 'Lima(?= city)' }),
      line({ id: 'c', prompt: 'Capital of Chad?', expected: "N'Djamena" }),
    ].join('\n');
    const prepared = prepareSuite(setting(2), { dataset: read(dataset) });
    expect(prepared.ready).toBe(false);
    if (prepared.ready) return;
    expect(prepared.verdict.notRun).toMatch(
      /^not run: expected of a `\(Paris\)\\1` is not a pattern RE2 can run .* \(and 1 more\)$/,
    );
    expect(prepared.verdict.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 17,
        message: `cities: ${prepared.verdict.notRun!.slice(9)}`,
      }),
    ]);
  });
});

describe('what a suite comes to once it was asked', () => {
  it('every request failing is not run, naming who did not answer: a dead endpoint is not a score of 0', () => {
    const verdict = concludeSuite(
      setting(0, 'the preview'),
      ready(),
      outcome(
        { id: 'q1', score: 0, error: '503 Service Unavailable' },
        { id: 'q2', score: 0, error: 'timed out' },
      ),
      { source: 'the preview endpoint' },
    );
    expect(verdict).toEqual({
      notRun: 'not run: every request to the preview failed (503 Service Unavailable)',
      errors: 2,
      findings: [],
    });
  });

  it('measures <suite>/accuracy with per-sample scores, and records the results document when asked', () => {
    const verdict = concludeSuite(
      setting(0),
      ready(),
      outcome({ id: 'q1', score: 1 }, { id: 'q2', score: 0 }),
      {
        source: '.modelgate/results/acme__support-bot-1.3.0-smoke.json',
        record: { version: '1.3.0', endpointModel: 'support-bot-preview' },
      },
    );
    expect(verdict.notRun).toBeUndefined();
    expect(verdict.findings).toEqual([]);
    expect(verdict.measured).toEqual({
      name: 'smoke/accuracy',
      value: 0.5,
      n: 2,
      higherIsBetter: true,
      samples: new Map([
        ['q1', 1],
        ['q2', 0],
      ]),
      // The dataset it was measured on travels with the measurement: a drop gate compares only like with like.
      dataset: { path: 'models/support-bot/evals/smoke.jsonl', sha256: 'ab'.repeat(32) },
      source: '.modelgate/results/acme__support-bot-1.3.0-smoke.json',
    });
    expect(verdict.resultsDocument).toEqual({
      format: 'modelgate-eval/v1',
      suite: 'smoke',
      model: 'acme/support-bot',
      version: '1.3.0',
      dataset: { path: 'models/support-bot/evals/smoke.jsonl', sha256: 'ab'.repeat(32) },
      endpoint_model: 'support-bot-preview',
      summary: { accuracy: 0.5, n: 2, errors: 0 },
      samples: outcome({ id: 'q1', score: 1 }, { id: 'q2', score: 0 }).samples,
    });
    expect(resultsFileName('acme/support-bot', '1.3.0', 'smoke')).toBe('acme__support-bot-1.3.0-smoke.json');
  });

  it('some requests failing is an error finding; the preview, which has no findings, counts the suite as not run', () => {
    const verdict = concludeSuite(
      setting(0, 'the preview'),
      ready(),
      outcome({ id: 'q1', score: 1 }, { id: 'q2', score: 0, error: '500 Internal Server Error' }),
      { source: 'the preview endpoint' },
    );
    expect(verdict.measured?.value).toBe(0.5);
    expect(verdict.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 9,
        message: 'smoke: 1 of 2 requests failed and scored 0 (first: 500 Internal Server Error)',
      }),
    ]);
    const run = previewSuiteRun('smoke', verdict);
    expect(run).toMatchObject({
      name: 'smoke',
      errors: 1,
      notRun: 'not run: smoke: 1 of 2 requests failed and scored 0 (first: 500 Internal Server Error)',
    });
    const judged = judgePreviewSuites(
      { suites: [run], gates: [{ metric: 'smoke/accuracy', min: 0.1 }], gatesFrom: "the release's manifest" },
      '2026-11-30T10:00:00.000Z',
    );
    expect(judged.verdict).toBe('fail');
  });

  it('a warning alone does not stop a preview suite', () => {
    const prepared = ready(0, `${smoke}\nnot json`);
    const verdict = concludeSuite(
      setting(0),
      prepared,
      outcome({ id: 'q1', score: 1 }, { id: 'q2', score: 1 }),
      {
        source: 'the preview endpoint',
      },
    );
    expect(previewSuiteRun('smoke', verdict)).toEqual({
      name: 'smoke',
      errors: 0,
      measured: verdict.measured,
    });
  });

  it('a results file the containment rule refused is an error naming the file and why', () => {
    expect(resultsNotWritten(setting(0), '.modelgate/results/x.json', 'is a symlink')).toMatchObject({
      rule: 'EVAL-GATE',
      severity: 'error',
      line: 9,
      message: 'smoke: the results file .modelgate/results/x.json was not written: it is a symlink',
    });
  });
});
