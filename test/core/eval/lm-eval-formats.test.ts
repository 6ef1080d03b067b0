import { describe, expect, it } from 'vitest';
import { metricDirection } from '../../../src/core/eval/direction.js';
import { loadEvalData } from '../../../src/core/eval/load-eval.js';
import { checkProvenance } from '../../../src/core/eval/provenance.js';
import {
  attachHarnessSamples,
  parsePythonJson,
  readResultsFile,
  type MetricSeries,
  type ResultsFile,
} from '../../../src/core/eval/results.js';
import { loadModel } from '../../../src/core/model/load-model.js';
import { FileSystemSource } from '../../../src/io/fs-source.js';
import { harnessFixture, harnessResults } from '../../helpers/lm-eval.js';
import { addRealModel } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';

// Every results format lm-evaluation-harness has written, read from real files of its history
// (test/fixtures/lm-eval/README.md names each file's source path and commit).

const read = (fixture: string): ResultsFile =>
  readResultsFile(parsePythonJson(harnessFixture(fixture)), `evals/${fixture}`);
const byName = (file: ResultsFile) => new Map(file.metrics.map((m) => [m.name, m]));

/**
 * gpt2 with the fixtures under models/gpt2/evals and `evalBlock` as its manifest's eval block;
 * returns the eval data and the provenance findings modelgate reports for it.
 */
async function judged(evalBlock: Record<string, unknown>, files: Record<string, string>) {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2', { manifest: { eval: evalBlock } });
  for (const [path, text] of Object.entries(files)) registry.write(`models/gpt2/evals/${path}`, text);
  const source = new FileSystemSource(registry.root);
  const facts = (await loadModel(source, 'models/gpt2/model.yaml')).facts!;
  const data = await loadEvalData(source, facts);
  const said = (rule: string) =>
    [...data.findings, ...checkProvenance(facts, data.results)]
      .filter((f) => f.rule === rule)
      .map((f) => `${f.severity} ${f.message}`);
  return { data, said };
}

describe('v0.2/v0.3 test data: bare metric keys, "<metric>_stderr", no direction', () => {
  const file = read('v0.2-testdata-lambada_openai-v0-res.json');

  it('reads each metric with the stderr stated under "<metric>_stderr" (it used to be dropped)', () => {
    expect(file.metrics).toEqual([
      {
        name: 'lambada_openai/acc',
        value: 0,
        stderr: 0,
        taskVersion: '0',
        source: 'evals/v0.2-testdata-lambada_openai-v0-res.json',
      },
      {
        name: 'lambada_openai/ppl',
        value: 1.6479047769869253,
        stderr: 0.006497321146240192,
        taskVersion: '0',
        source: 'evals/v0.2-testdata-lambada_openai-v0-res.json',
      },
    ]);
  });

  it("takes ppl's direction from the harness's own v0.3 tasks: lower is better", () => {
    const ppl = byName(file).get('lambada_openai/ppl')!;
    expect(metricDirection({ metric: ppl.name, baseline: ppl, candidate: ppl })).toEqual({
      higherIsBetter: false,
      source: "lm-evaluation-harness's default for ppl",
    });
  });
});

describe('v0.3 main.py output: config.model_args as a string, config.limit', () => {
  const file = read('v0.3-llama-7B_lambada_0-shot.json');

  it('reads every task of the file, and the model arguments key by key', () => {
    expect(file.metrics).toHaveLength(18);
    expect(byName(file).get('lambada_openai_cloze/acc')).toMatchObject({
      value: 0.00038812342324859306,
      stderr: 0.00027441806845051746,
    });
    expect(file.provenance).toMatchObject({
      modelArgs: { pretrained: '/gaueko1/hizkuntza-ereduak/LLaMA/lm/huggingface/7B' },
      limited: [],
      uncounted: expect.arrayContaining(['lambada_openai', 'lambada_standard']),
    });
    expect(file.provenance!.limit).toBeUndefined();
  });

  it('a pinned revision with none recorded is EVAL-MODEL, naming the pretrained model it came from', async () => {
    const { said } = await judged(
      { revision: 'v1.3.0', results: [{ path: 'evals/r.json' }] },
      { 'r.json': harnessFixture('v0.3-llama-7B_lambada_0-shot.json') },
    );
    expect(said('EVAL-MODEL')).toEqual([
      'error models/gpt2/evals/r.json was produced from /gaueko1/hizkuntza-ereduak/LLaMA/lm/huggingface/7B at an unrecorded revision, not the pinned revision v1.3.0',
    ]);
    // limit: null is a full run.
    expect(said('EVAL-LIMIT')).toEqual([]);
  });
});

describe('big-refactor output (before v0.4.0): "metric,filter" keys, no alias, no higher_is_better', () => {
  const file = read('v0.4.0-dev-boolq-xglm.json');

  it('reads boolq/acc with its stderr and its "Yaml" task version', () => {
    expect(file.metrics).toEqual([
      {
        name: 'boolq/acc',
        value: 0.5859327217125382,
        stderr: 0.008614932353134956,
        taskVersion: 'Yaml',
        source: 'evals/v0.4.0-dev-boolq-xglm.json',
      },
    ]);
    expect(file.provenance!.modelArgs).toEqual({ pretrained: 'facebook/xglm-1.7B' });
  });
});

describe('v0.4.2 development: --limit recorded only in config.limit', () => {
  it('reads groups and subtasks; alias is not a metric', () => {
    const file = read('v0.4.2-dev-wmdp-limit-100.json');
    expect(file.metrics.map((m) => [m.name, m.group === true])).toEqual([
      ['wmdp/exact_match', true],
      ['wmdp_bio/exact_match', false],
      ['wmdp_chem/exact_match', false],
      ['wmdp_cyber/exact_match', false],
    ]);
  });

  it('a limited run without document counts is EVAL-LIMIT (it used to pass as a full run)', async () => {
    const { said } = await judged(
      { results: [{ path: 'evals/r.json' }] },
      { 'r.json': harnessFixture('v0.4.2-dev-wmdp-limit-100.json') },
    );
    expect(said('EVAL-LIMIT')).toEqual([
      'warning models/gpt2/evals/r.json ran with --limit 100 (config.limit) and does not record how many documents 3 tasks (wmdp_bio, wmdp_chem, wmdp_cyber) had: it may cover only part of them, not comparable with a full run',
    ]);
  });
});

describe('v0.4.7+: higher_is_better, n-samples, model_sha, a loglikelihood task', () => {
  const file = read('v0.4.7-dev-lambada-rwkv7-168M.json');

  it('reads perplexity as lower-is-better and counts from n-samples', () => {
    expect(byName(file).get('lambada_openai/perplexity')).toMatchObject({
      value: 14.469066819385818,
      stderr: 0.44589584103578783,
      n: 5153,
      higherIsBetter: false,
      taskVersion: '1',
    });
    expect(file.provenance).toMatchObject({
      modelSha: '48e8e4f12898f72d21c4ccbc2b940d0503ec3098',
      modelArgs: { pretrained: 'fla-hub/rwkv7-168M-pile', trust_remote_code: 'True', dtype: 'float32' },
      uncounted: [],
    });
  });

  it('pairs acc per document, never the log-likelihoods a loglikelihood task logs under "perplexity"', () => {
    const metrics = read('v0.4.7-dev-lambada-rwkv7-168M.json').metrics;
    // One line per document as api/task.py process_results writes it for output_type loglikelihood:
    // {"perplexity": ll, "acc": int(is_greedy)}.
    const lines = [
      [-1.25, 1],
      [-4.5, 0],
      [-0.75, 1],
    ].map(([ll, acc], doc) =>
      JSON.stringify({ doc_id: doc, filter: 'none', metrics: ['perplexity', 'acc'], perplexity: ll, acc }),
    );
    const attached = attachHarnessSamples(metrics, 'lambada_openai', lines.join('\n'));
    const series = new Map(metrics.map((m) => [m.name, m]));
    expect([...series.get('lambada_openai/acc')!.samples!]).toEqual([
      ['0', 1],
      ['1', 0],
      ['2', 1],
    ]);
    expect(series.get('lambada_openai/perplexity')!.samples).toBeUndefined();
    expect(attached.notScores).toEqual([
      {
        metric: 'lambada_openai/perplexity',
        reason:
          'its per-document values are log-likelihoods (loglikelihood tasks), which the harness aggregates as exp(-mean)',
      },
    ]);
  });
});

describe('v0.4.8: a metric the harness wrote as Infinity, its stderr as NaN', () => {
  it('keeps Infinity as Infinity: not a metric to judge, not "missing"', () => {
    const file = read('v0.4.8-polymer-mae-infinity.json');
    expect(file.metrics).toEqual([]);
    expect(file.nonFinite).toEqual([
      {
        name: 'polymer_tg_prediction/mae',
        written: 'Infinity',
        source: 'evals/v0.4.8-polymer-mae-infinity.json',
      },
    ]);
  });

  it('a gate on it is told the value is Infinity; a limit above the task size is no limited run', async () => {
    const { said } = await judged(
      {
        results: [{ path: 'evals/r.json' }],
        gates: [{ metric: 'polymer_tg_prediction/mae', max: 50 }],
      },
      { 'r.json': harnessFixture('v0.4.8-polymer-mae-infinity.json') },
    );
    expect(said('EVAL-GATE')).toEqual([
      'error models/gpt2/evals/r.json: polymer_tg_prediction/mae is Infinity as the harness wrote it, not a finite number, so no gate can judge it',
    ]);
    // config.limit 200 and n-samples 24 of 24: every document ran.
    expect(said('EVAL-LIMIT')).toEqual([]);
  });
});

describe('the current schema (result_schema.py): name, alias, sample_len, sample_count, "N/A", model_args as a dict', () => {
  const file = read('v0.4.13-negotiationtom-qwen3-8b.json');

  it('only metric keys become metrics: never name, alias, sample_len or sample_count (sample_len used to be one)', () => {
    expect(file.metrics.map((m) => m.name).sort()).toEqual([
      'negotiationtom/acc',
      'negotiationtom/exact_match',
      'negotiationtom/macro_f1',
      'negotiationtom/micro_f1',
      'negotiationtom_belief/acc',
      'negotiationtom_desire/acc',
      'negotiationtom_intention/exact_match',
      'negotiationtom_intention/macro_f1',
      'negotiationtom_intention/micro_f1',
    ]);
  });

  it('counts documents per metric for a group (sample_count) and per task otherwise; "N/A" is no stderr', () => {
    const metrics = byName(file);
    expect(metrics.get('negotiationtom/acc')).toMatchObject({
      n: 40,
      group: true,
      stderr: 0.08009040943964843,
    });
    expect(metrics.get('negotiationtom_belief/acc')).toMatchObject({ n: 20, value: 0.45 });
    const microF1 = metrics.get('negotiationtom_intention/micro_f1')!;
    expect(microF1.stderr).toBeUndefined();
    expect(microF1.aggregation).toMatch(/^def micro_f1_agg/);
  });

  it('reads model_args as a dict and pins the revision by model_sha (an abbreviation of it too)', async () => {
    expect(file.provenance!.modelArgs).toEqual({
      pretrained: 'Qwen/Qwen3-8B',
      dtype: 'bfloat16',
      enable_thinking: 'false',
    });
    const pinned = (revision: string) =>
      judged(
        { revision, results: [{ path: 'evals/r.json' }] },
        { 'r.json': harnessFixture('v0.4.13-negotiationtom-qwen3-8b.json') },
      ).then(({ said }) => said('EVAL-MODEL'));
    expect(await pinned('b968826d9c')).toEqual([]);
    expect(await pinned('0123456789')).toEqual([
      'error models/gpt2/evals/r.json was produced from Qwen/Qwen3-8B at b968826d9c46dd6066d109eabc6255188de91218, not the pinned revision 0123456789',
    ]);
  });

  it('--limit 20 shows in n-samples: each task is EVAL-LIMIT with its counts', async () => {
    const { said } = await judged(
      { results: [{ path: 'evals/r.json' }] },
      { 'r.json': harnessFixture('v0.4.13-negotiationtom-qwen3-8b.json') },
    );
    expect(said('EVAL-LIMIT')).toEqual([
      'warning models/gpt2/evals/r.json: negotiationtom_belief ran on 20 of 13812 documents (--limit): not comparable with a full run',
      'warning models/gpt2/evals/r.json: negotiationtom_desire ran on 20 of 13812 documents (--limit): not comparable with a full run',
      'warning models/gpt2/evals/r.json: negotiationtom_intention ran on 20 of 4618 documents (--limit): not comparable with a full run',
    ]);
  });

  it('pairs exact_match (aggregated as the mean) per document, not the (gold, prediction) pairs of micro_f1', () => {
    const metrics = read('v0.4.13-negotiationtom-qwen3-8b.json').metrics;
    const attached = attachHarnessSamples(
      metrics,
      'negotiationtom_intention',
      harnessFixture('v0.4.13-samples_negotiationtom_intention.jsonl'),
    );
    const series = new Map(metrics.map((m) => [m.name, m]));
    const exact = series.get('negotiationtom_intention/exact_match')!;
    expect(exact.samples!.size).toBe(20);
    // The per-document scores reproduce the file's value: they are the metric's scores.
    expect(mean(exact.samples!)).toBeCloseTo(exact.value, 12);
    expect(series.get('negotiationtom_intention/micro_f1')!.samples).toBeUndefined();
    expect(attached.notScores.map((n) => n.metric).sort()).toEqual([
      'negotiationtom_intention/macro_f1',
      'negotiationtom_intention/micro_f1',
    ]);
    expect(attached.notScores[0]!.reason).toBe(
      'the task aggregates it with a function of its own, not the mean of per-document scores',
    );
  });
});

describe('which way is better when a file does not say', () => {
  const series = (name: string, higherIsBetter?: boolean): MetricSeries => ({
    name,
    value: 0.5,
    source: 'evals/r.json',
    ...(higherIsBetter === undefined ? {} : { higherIsBetter }),
  });

  it("follows the harness's defaults: ter is an error rate although its registry says otherwise", () => {
    const direction = (metric: string) =>
      metricDirection({ metric, baseline: series(metric) }).higherIsBetter;
    expect(direction('wmt16-de-en/ter')).toBe(false);
    expect(direction('wikitext/bits_per_byte')).toBe(false);
    expect(direction('truthfulqa_mc2/mc2')).toBe(true);
    expect(direction('squad2/best_f1')).toBe(true);
  });

  it('a metric nothing states a direction for is unstated, not guessed, even when the candidate claims one', () => {
    const found = metricDirection({
      metric: 'judge/score',
      baseline: series('judge/score'),
      candidate: series('judge/score', false),
    });
    expect(found).toEqual({
      higherIsBetter: true,
      source: 'nothing',
      unstated:
        "nothing states whether higher or lower is better for judge/score: not the baseline's gate or results, and lm-evaluation-harness has no default for score (the candidate's results say lower is better, but they cannot decide how they are judged); add higher_is_better to the gate",
    });
    expect(metricDirection({ metric: 'judge/score', candidateGate: false })).toMatchObject({
      higherIsBetter: false,
      source: 'the gate',
    });
  });
});

describe('a pinned revision is matched as a name or a commit, not as a prefix of a name', () => {
  it('"v1" does not pin results from v1.3.0 (it used to)', async () => {
    const { said } = await judged(
      { revision: 'v1', results: [{ path: 'evals/r.json' }] },
      { 'r.json': harnessResults() },
    );
    expect(said('EVAL-MODEL')).toEqual([
      'error models/gpt2/evals/r.json was produced from acme/support-bot at 9f2c4be1d2a8c1e5d0b7a6f5e4d3c2b1a0f9e8d7 / v1.3.0 / v1.3.0, not the pinned revision v1',
    ]);
  });

  it("a pretrained path into the Hugging Face cache pins the snapshot's commit", async () => {
    const snapshot = 'b968826d9c46dd6066d109eabc6255188de91218';
    const { said } = await judged(
      { revision: snapshot.slice(0, 12), results: [{ path: 'evals/r.json' }] },
      {
        'r.json': harnessResults((j) => {
          j.config.model_args = `pretrained=/cache/models--Qwen--Qwen3-8B/snapshots/${snapshot},dtype=bfloat16`;
          j.config.model_sha = '';
          j.config.model_revision = 'main';
        }),
      },
    );
    expect(said('EVAL-MODEL')).toEqual([]);
  });
});

function mean(samples: Map<string, number>): number {
  let sum = 0;
  for (const v of samples.values()) sum += v;
  return sum / samples.size;
}
