import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { check } from '../../../src/core/check.js';
import { toMarkdown } from '../../../src/core/report/markdown.js';
import { GitRepository } from '../../../src/io/git-repository.js';
import { sharedTokenizerSandbox } from '../../../src/io/tokenizer-sandbox.js';
import { runReaderFromEnvironment } from '../../../src/io/tracking/run-reader.js';
import { startFakeMlflow, type FakeMlflow } from '../../helpers/fake-mlflow.js';
import { startFakeWandb, type FakeWandb } from '../../helpers/fake-wandb.js';
import { manifestWith } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';

const RUN = '8c1e5d0f2a3b4c5d6e7f8091a2b3c4d5';
const COMMIT = '4be1d2a9c0ffee1234567890abcdef1234567890';
const DIGEST = '5c7a1e0b';

/** A runs/get `run` in MLflow's JSON shape (proto field names, int64 as numbers, enums by name). */
function mlflowRun(overrides: { status?: string; commit?: string; model?: string } = {}) {
  return {
    info: {
      run_id: RUN,
      run_uuid: RUN,
      run_name: 'support-bot-sft-v7',
      experiment_id: '12',
      user_id: 'ml-team',
      status: overrides.status ?? 'FINISHED',
      start_time: 1718000000000,
      end_time: 1718003600000,
      artifact_uri: `mlflow-artifacts:/12/${RUN}/artifacts`,
      lifecycle_stage: 'active',
    },
    data: {
      metrics: [
        { key: 'val_loss', value: 0.41, timestamp: 1718003500000, step: 3000 },
        { key: 'train_loss', value: 0.32, timestamp: 1718003500000, step: 3000 },
      ],
      params: [
        { key: 'learning_rate', value: '2e-05' },
        { key: 'num_train_epochs', value: '3' },
        { key: 'base_model', value: 'meta-llama/Llama-3.1-8B-Instruct' },
      ],
      tags: [
        { key: 'mlflow.source.git.commit', value: overrides.commit ?? COMMIT },
        { key: 'mlflow.runName', value: 'support-bot-sft-v7' },
        ...(overrides.model ? [{ key: 'modelgate.model', value: overrides.model }] : []),
      ],
    },
    inputs: {
      dataset_inputs: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: {
            name: 'support-conversations-v7',
            digest: DIGEST,
            source_type: 'hf',
            source: '{"path": "acme/support"}',
          },
        },
      ],
    },
  };
}

/** models/m's two-token tokenizer and config; each test writes its own manifest. */
function tinyModelFiles(registry: TempRegistry): void {
  registry.write('models/m/tokenizer.json', { model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 } } });
  registry.write('models/m/config.json', { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
}

function registryWith(training: Record<string, unknown>, gates: object[]): TempRegistry {
  const registry = TempRegistry.create();
  tinyModelFiles(registry);
  registry.writeManifest(
    'models/m/model.yaml',
    manifestWith('m', { config: 'config.json', tokenizer: 'tokenizer.json' }, { training, eval: { gates } }),
  );
  return registry;
}

const run = (registry: TempRegistry, env: Record<string, string>) =>
  check(new GitRepository(registry.root), {
    manifests: ['models/**/model.yaml'],
    stages: ['staging', 'production'],
    readRun: runReaderFromEnvironment(env),
    tokenizerRunner: sharedTokenizerSandbox(),
  });

describe('check reads the MLflow run a manifest names', () => {
  let mlflow: FakeMlflow;
  beforeAll(async () => {
    mlflow = await startFakeMlflow({ token: 'mlflow-token' });
  });
  afterAll(() => mlflow.close());
  beforeEach(() => {
    mlflow.runs.clear();
    mlflow.histories.clear();
    mlflow.requests.length = 0;
    mlflow.violations.length = 0;
  });
  const env = () => ({ MLFLOW_TRACKING_URI: mlflow.url, MLFLOW_TRACKING_TOKEN: 'mlflow-token' });

  it('gates on the final value of a run metric (the last step of its history), with the run linked', async () => {
    mlflow.runs.set(RUN, mlflowRun());
    mlflow.histories.set(`${RUN}/val_loss`, [
      { key: 'val_loss', value: 0.93, timestamp: 1718000100000, step: 100 },
      { key: 'val_loss', value: 0.41, timestamp: 1718003500000, step: 3000 },
      { key: 'val_loss', value: 0.52, timestamp: 1718002000000, step: 2000 },
    ]);
    const registry = registryWith(
      { run: `runs:/${RUN}`, commit: '4be1d2a', dataset: 'support-conversations-v7', dataset_digest: DIGEST },
      [{ metric: 'mlflow/val_loss', max: 0.5 }],
    );
    const report = await run(registry, env());
    expect(mlflow.violations).toEqual([]);
    expect(mlflow.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/2.0/mlflow/runs/get?run_id=${RUN}`,
      `GET /api/2.0/mlflow/metrics/get-history?run_id=${RUN}&metric_key=val_loss`,
    ]);
    expect(mlflow.requests.every((r) => r.authorization === 'Bearer mlflow-token')).toBe(true);
    expect(report.findings.filter((f) => f.rule.startsWith('TRAINING') || f.rule === 'EVAL-GATE')).toEqual(
      [],
    );
    expect(report.gates[0]!.gates[0]).toMatchObject({
      metric: 'mlflow/val_loss',
      verdict: 'pass',
      candidate: 0.41,
    });
    expect(report.training[0]!.run).toMatchObject({
      id: RUN,
      link: `${mlflow.url}/#/experiments/12/runs/${RUN}`,
      state: 'finished',
      sourceCommit: COMMIT,
      datasets: [{ name: 'support-conversations-v7', digest: DIGEST, context: 'training' }],
    });
    const markdown = toMarkdown(report, 'modelgate check');
    expect(markdown).toContain(`### Training runs`);
    expect(markdown).toContain(`MLflow run [${RUN}](${mlflow.url}/#/experiments/12/runs/${RUN})`);
    expect(markdown).toContain('| `val_loss` | 0.41 |');
  });

  it('a released run-metric gate a version removes still judges it, on the run it names', async () => {
    mlflow.runs.set(RUN, mlflowRun());
    mlflow.histories.set(`${RUN}/val_loss`, [
      { key: 'val_loss', value: 0.41, timestamp: 1718003500000, step: 3000 },
    ]);
    const training = { run: `runs:/${RUN}`, commit: '4be1d2a', dataset_digest: DIGEST };
    const registry = registryWith(training, [{ metric: 'mlflow/val_loss', max: 0.5 }]);
    const base = registry.commit('m 1.0.0');
    registry.writeManifest(
      'models/m/model.yaml',
      manifestWith(
        'm',
        { config: 'config.json', tokenizer: 'tokenizer.json' },
        { version: '1.0.1', training, eval: { gates: [] } },
      ),
    );
    const report = await check(new GitRepository(registry.root), {
      manifests: ['models/**/model.yaml'],
      stages: ['staging', 'production'],
      base,
      readRun: runReaderFromEnvironment(env()),
      tokenizerRunner: sharedTokenizerSandbox(),
    });
    expect(report.gates[0]!.gates).toEqual([
      expect.objectContaining({ metric: 'mlflow/val_loss', verdict: 'pass', candidate: 0.41 }),
    ]);
  });

  it("a max_drop gate on a run metric compares the run's final value with production's run", async () => {
    const PRODUCTION_RUN = 'feedfacefeedfacefeedfacefeedface';
    const history = (value: number) => [{ key: 'val_loss', value, timestamp: 1718003500000, step: 3000 }];
    mlflow.runs.set(PRODUCTION_RUN, {
      ...mlflowRun(),
      info: { ...mlflowRun().info, run_id: PRODUCTION_RUN, run_uuid: PRODUCTION_RUN },
    });
    mlflow.histories.set(`${PRODUCTION_RUN}/val_loss`, history(0.41));
    mlflow.runs.set(RUN, mlflowRun());
    const gates = [{ metric: 'mlflow/val_loss', max_drop: 0.05, higher_is_better: false }];
    const judged = async (candidateLoss: number) => {
      mlflow.histories.set(`${RUN}/val_loss`, history(candidateLoss));
      const registry = TempRegistry.create();
      const manifest = (version: string, run: string, digit: string) =>
        manifestWith(
          'm',
          {
            config: 'config.json',
            tokenizer: 'tokenizer.json',
            weights: [{ uri: 's3://models/m/model.safetensors', sha256: digit.repeat(64) }],
          },
          { version, training: { run: `runs:/${run}` }, eval: { gates } },
        );
      tinyModelFiles(registry);
      registry.writeManifest('models/m/model.yaml', manifest('1.0.0', PRODUCTION_RUN, 'a'));
      registry.commit('m 1.0.0');
      registry.tag('m@v1.0.0', { date: 1_760_000_000 });
      registry.tag('m#production#1', { date: 1_760_000_001 });
      registry.writeManifest('models/m/model.yaml', manifest('1.1.0', RUN, 'b'));
      registry.commit('m 1.1.0');
      return (await run(registry, env())).gates[0]!.gates[0];
    };
    // Lower is better: val_loss rising by 0.04 is a drop within 0.05, by 0.09 one beyond it.
    expect(await judged(0.45)).toMatchObject({
      verdict: 'pass',
      candidate: 0.45,
      baseline: 0.41,
      reason: "dropped 0.04 from the baseline run's 0.41, within 0.05",
    });
    expect(await judged(0.5)).toMatchObject({
      verdict: 'fail',
      reason: "dropped 0.09 from the baseline run's 0.41, more than the allowed 0.05",
    });
    expect(await judged(0.3)).toMatchObject({
      verdict: 'pass',
      reason: "no drop from the baseline run's 0.41",
    });
  });

  describe("a pull request that names production's own run", () => {
    const gates = [{ metric: 'mlflow/val_loss', max: 0.5 }];
    const listed = (...digits: string[]) =>
      digits.map((digit, i) => ({ uri: `s3://models/m/${i}.safetensors`, sha256: digit.repeat(64) }));
    /** m 1.0.0 in production, trained by `productionRun`; then `version`, naming `candidateRun`. */
    const release = (
      version: string,
      weights: { production: object; candidate: object },
      runs: { production: string; candidate: string } = {
        production: `runs:/${RUN}`,
        candidate: `runs:/${RUN}`,
      },
    ) => {
      const registry = TempRegistry.create();
      const manifest = (v: string, artifacts: object, training: string) =>
        manifestWith(
          'm',
          { config: 'config.json', tokenizer: 'tokenizer.json', ...artifacts },
          { version: v, training: { run: training }, eval: { gates } },
        );
      tinyModelFiles(registry);
      registry.writeManifest('models/m/model.yaml', manifest('1.0.0', weights.production, runs.production));
      registry.commit('m 1.0.0');
      registry.tag('m@v1.0.0', { date: 1_760_000_000 });
      registry.tag('m#production#1', { date: 1_760_000_001 });
      registry.writeManifest('models/m/model.yaml', manifest(version, weights.candidate, runs.candidate));
      registry.commit(`m ${version}`);
      return registry;
    };
    beforeEach(() => {
      mlflow.runs.set(RUN, mlflowRun());
      mlflow.histories.set(`${RUN}/val_loss`, [
        { key: 'val_loss', value: 0.41, timestamp: 1718003500000, step: 3000 },
      ]);
    });
    const refused = (why: string) => [
      expect.objectContaining({
        severity: 'error',
        message: `training.run names the run of m 1.0.0 in production (MLflow run ${RUN}), ${why}; its run-metric gates do not run`,
      }),
    ];
    const OTHER = 'which trained other weights';
    const UNSHOWN = 'and the manifests do not show that these are the weights it trained';

    it('for new weights is not judged on it: its run-metric gates do not run', async () => {
      // Production's val_loss would pass the gate for weights it never measured.
      const report = await run(
        release('1.1.0', { production: { weights: listed('a') }, candidate: { weights: listed('b') } }),
        env(),
      );
      expect(report.gates[0]!.gates[0]).toMatchObject({ metric: 'mlflow/val_loss', verdict: 'not-run' });
      expect(report.findings.filter((f) => f.rule === 'TRAINING-RUN')).toEqual(refused(OTHER));
      expect(report.findings.find((f) => f.rule === 'TRAINING-RUN')!.fix).toMatch(
        /^Point training.run at the run that trained these weights/,
      );
      expect(report.training[0]!.production).toMatchObject({
        version: '1.0.0',
        unread: expect.stringContaining(RUN),
      });
    });

    it('is caught by its id, however production spells its server (a reference this environment cannot read)', async () => {
      const spelled = `mlflow://mlflow.old-name.example:443/#/experiments/12/runs/${RUN}`;
      const report = await run(
        release(
          '1.1.0',
          { production: { weights: listed('a') }, candidate: { weights: listed('b') } },
          { production: spelled, candidate: `runs:/${RUN}` },
        ),
        env(),
      );
      expect(report.findings.filter((f) => f.rule === 'TRAINING-RUN')).toEqual(refused(OTHER));
    });

    it('cannot keep it where the weights cannot be shown the same: none listed, or shards behind a weights_index', async () => {
      const none = await run(release('1.0.1', { production: {}, candidate: {} }), env());
      expect(none.findings.filter((f) => f.rule === 'TRAINING-RUN')).toEqual(refused(UNSHOWN));
      const indexed = { weights_index: 'model.safetensors.index.json', weights: listed('a') };
      const sharded = await run(release('1.0.1', { production: indexed, candidate: indexed }), env());
      expect(sharded.findings.filter((f) => f.rule === 'TRAINING-RUN')).toEqual(refused(UNSHOWN));
    });

    it("cannot be told from production's run when production's manifest cannot be read at its tag: its gates do not run", async () => {
      const registry = TempRegistry.create();
      tinyModelFiles(registry);
      const artifacts = { config: 'config.json', tokenizer: 'tokenizer.json' };
      // 1.0.0 as an older modelgate wrote it: a key today's schema refuses.
      registry.writeManifest('models/m/model.yaml', { ...manifestWith('m', artifacts), notes: 'old' });
      registry.commit('m 1.0.0');
      registry.tag('m@v1.0.0', { date: 1_760_000_000 });
      registry.tag('m#production#1', { date: 1_760_000_001 });
      registry.writeManifest(
        'models/m/model.yaml',
        manifestWith(
          'm',
          { ...artifacts, weights: listed('b') },
          { version: '1.1.0', training: { run: `runs:/${RUN}` }, eval: { gates } },
        ),
      );
      registry.commit('m 1.1.0');
      const report = await run(registry, env());
      expect(report.gates[0]!.gates[0]).toMatchObject({ metric: 'mlflow/val_loss', verdict: 'not-run' });
      expect(report.findings.filter((f) => f.rule === 'TRAINING-RUN')).toEqual([
        expect.objectContaining({
          severity: 'error',
          message: expect.stringMatching(
            /^the manifest of m 1\.0\.0 in production cannot be read at its tag \(.+\), so whether training\.run is the run that trained production's weights is not known; its run-metric gates do not run$/,
          ),
        }),
      ]);
      const gateFinding = report.findings.find(
        (f) => f.rule === 'EVAL-GATE' && f.message.includes('mlflow/val_loss'),
      );
      expect(gateFinding!.fix).toBe(
        "Repair the production release's tag (it must point at a commit whose manifest declares that version), or promote a release modelgate can read.",
      );
    });

    it('is judged as before when production was released by another tool, with no manifest at its tag', async () => {
      const registry = TempRegistry.create();
      registry.write('README.md', 'm 1.0.0, registered with GTO before modelgate\n');
      registry.commit('m 1.0.0');
      registry.tag('m@v1.0.0', { date: 1_760_000_000 });
      registry.tag('m#production#1', { date: 1_760_000_001 });
      tinyModelFiles(registry);
      registry.writeManifest(
        'models/m/model.yaml',
        manifestWith(
          'm',
          { config: 'config.json', tokenizer: 'tokenizer.json', weights: listed('b') },
          { version: '1.1.0', training: { run: `runs:/${RUN}` }, eval: { gates } },
        ),
      );
      registry.commit('m 1.1.0, its first manifest');
      const report = await run(registry, env());
      expect(report.findings.filter((f) => f.rule === 'TRAINING-RUN')).toEqual([]);
      expect(report.gates[0]!.gates[0]).toMatchObject({
        metric: 'mlflow/val_loss',
        verdict: 'pass',
        candidate: 0.41,
      });
      expect(report.training[0]!.production).toMatchObject({
        version: '1.0.0',
        unread: 'its manifest names no training run',
      });
    });

    it('keeps it for the same weights (a metadata-only release), listed in any order, once or twice', async () => {
      const patched = await run(
        release('1.0.1', {
          production: { weights: listed('a', 'c') },
          candidate: { weights: listed('c', 'a', 'a') },
        }),
        env(),
      );
      expect(patched.findings.filter((f) => f.rule === 'TRAINING-RUN')).toEqual([]);
      expect(patched.gates[0]!.gates[0]).toMatchObject({
        metric: 'mlflow/val_loss',
        verdict: 'pass',
        candidate: 0.41,
      });
    });
  });

  it('says when the run trained other code or data, is still running, or trained another model', async () => {
    mlflow.runs.set(RUN, mlflowRun({ status: 'RUNNING', commit: 'ffffeeee0000', model: 'other-bot' }));
    const registry = registryWith({ run: `runs:/${RUN}`, commit: '4be1d2a', dataset_digest: 'aaaa1111' }, []);
    const report = await run(registry, env());
    const messages = report.findings
      .filter((f) => f.rule.startsWith('TRAINING'))
      .map((f) => `${f.rule}: ${f.message}`);
    expect(messages.sort()).toEqual([
      `TRAINING-COMMIT: training.commit is 4be1d2a, but MLflow run ${RUN} ran the code at ffffeeee0000`,
      `TRAINING-DATASET: training.dataset_digest is aaaa1111, but MLflow run ${RUN} trained on support-conversations-v7 (digest ${DIGEST})`,
      `TRAINING-MODEL: MLflow run ${RUN} is tagged modelgate.model=other-bot: it trained another model, not m`,
      `TRAINING-STATUS: MLflow run ${RUN} is still RUNNING: its metrics are not final`,
    ]);
    expect(
      report.findings.filter((f) => f.rule.startsWith('TRAINING')).every((f) => f.severity === 'error'),
    ).toBe(true);
    expect(report.summary.errors).toBe(4);
  });

  it('a final metric that diverged to NaN fails its gate instead of using an earlier value', async () => {
    mlflow.runs.set(RUN, mlflowRun());
    mlflow.histories.set(`${RUN}/val_loss`, [
      { key: 'val_loss', value: 0.41, timestamp: 1718003500000, step: 3000 },
      { key: 'val_loss', value: 'NaN', timestamp: 1718003600000, step: 3100 },
    ]);
    const report = await run(
      registryWith({ run: `runs:/${RUN}` }, [{ metric: 'mlflow/val_loss', max: 0.5 }]),
      env(),
    );
    expect(mlflow.violations).toEqual([]);
    expect(report.gates[0]!.gates[0]!.verdict).toBe('fail');
    expect(report.summary.errors).toBe(1);
  });

  it('a metric named after an Object member is only ever what the run logged: constructor is read, __proto__ is missing', async () => {
    const logged = mlflowRun();
    logged.data.metrics.push({ key: 'constructor', value: 0.3, timestamp: 1718003500000, step: 3000 });
    mlflow.runs.set(RUN, logged);
    mlflow.histories.set(`${RUN}/constructor`, [
      { key: 'constructor', value: 0.3, timestamp: 1718003500000, step: 3000 },
    ]);
    const report = await run(
      registryWith({ run: `runs:/${RUN}` }, [
        { metric: 'mlflow/constructor', max: 0.5 },
        { metric: 'mlflow/__proto__', max: 0.5 },
        { metric: 'mlflow/toString', max: 0.5 },
      ]),
      env(),
    );
    // Before: __proto__ and toString were "measured" as Object.prototype and a function, and the check
    // threw (v.toPrecision is not a function).
    expect(mlflow.violations).toEqual([]);
    expect(report.gates[0]!.gates.map((g) => [g.metric, g.verdict, g.candidate])).toEqual([
      ['mlflow/constructor', 'pass', 0.3],
      ['mlflow/__proto__', 'fail', undefined],
      ['mlflow/toString', 'fail', undefined],
    ]);
  });

  it('without credentials, run-metric gates are "not run", which fails', async () => {
    const report = await run(
      registryWith({ run: `runs:/${RUN}` }, [{ metric: 'mlflow/val_loss', max: 0.5 }]),
      {},
    );
    expect(report.gates[0]!.gates[0]).toMatchObject({ verdict: 'not-run' });
    const gate = report.findings.find((f) => f.rule === 'EVAL-GATE')!;
    expect(gate.severity).toBe('error');
    expect(gate.message).toBe(
      'gate mlflow/val_loss did not run: not run: no credentials: MLFLOW_TRACKING_URI is not set',
    );
    expect(report.findings.find((f) => f.rule === 'TRAINING-RUN')).toMatchObject({
      severity: 'info',
      message: `MLflow run ${RUN} was not read: no credentials: MLFLOW_TRACKING_URI is not set; its reproducibility is not checked and its gates do not run`,
    });
  });

  it('a run metric committed in a results file never stands in for the run: without the tracker the gate is still "not run"', async () => {
    const registry = registryWith({ run: `runs:/${RUN}` }, [{ metric: 'mlflow/val_loss', max: 0.5 }]);
    // The pull request's own file claims a good value under the run metric's name.
    registry.write('models/m/evals/forged.json', { 'mlflow/val_loss': 0.1 });
    const manifest = registry.read('models/m/model.yaml');
    registry.write(
      'models/m/model.yaml',
      manifest.replace('eval:\n', 'eval:\n  results:\n    - path: evals/forged.json\n'),
    );
    const report = await run(registry, {});
    expect(report.gates[0]!.gates[0]).toMatchObject({ metric: 'mlflow/val_loss', verdict: 'not-run' });
    expect(report.summary.errors).toBeGreaterThan(0);
  });

  it('a server that is down is a warning, and its gates fail as "not run"', async () => {
    mlflow.failWith = 503;
    try {
      const report = await run(
        registryWith({ run: `runs:/${RUN}` }, [{ metric: 'mlflow/val_loss', max: 0.5 }]),
        env(),
      );
      expect(report.findings.find((f) => f.rule === 'TRAINING-RUN')!.severity).toBe('warning');
      expect(report.gates[0]!.gates[0]!.verdict).toBe('not-run');
      expect(report.summary.errors).toBe(1);
    } finally {
      delete mlflow.failWith;
    }
  });

  it('never sends the token to a server the manifest names (only to MLFLOW_TRACKING_URI)', async () => {
    mlflow.runs.set(RUN, mlflowRun());
    const registry = registryWith({ run: `mlflow://collector.example.net/#/experiments/12/runs/${RUN}` }, [
      { metric: 'mlflow/val_loss', max: 0.5 },
    ]);
    let sent = 0;
    const report = await check(new GitRepository(registry.root), {
      manifests: ['models/**/model.yaml'],
      stages: ['staging', 'production'],
      readRun: runReaderFromEnvironment(env(), {
        fetch: async (...args) => {
          sent += 1;
          return fetch(...args);
        },
      }),
      tokenizerRunner: sharedTokenizerSandbox(),
    });
    expect(sent).toBe(0);
    expect(report.gates[0]!.gates[0]!.verdict).toBe('not-run');
    expect(report.findings.find((f) => f.rule === 'TRAINING-RUN')!.message).toContain(
      'the run is on collector.example.net, but MLFLOW_TRACKING_URI is 127.0.0.1:',
    );
  });
});

describe('check reads the W&B run a manifest names', () => {
  let wandb: FakeWandb;
  beforeAll(async () => {
    wandb = await startFakeWandb('wandb-key');
  });
  afterAll(() => wandb.close());

  it('gates on a summary metric and lists config params, checked against the client query shapes', async () => {
    wandb.runs.set('acme/support-bot/3k9x2mzq', {
      name: '3k9x2mzq',
      displayName: 'sft-v7',
      state: 'finished',
      config: {
        learning_rate: { value: 2e-5, desc: null },
        epochs: { value: 3, desc: null },
        _wandb: { value: { cli_version: '0.19.0' } },
      },
      summaryMetrics: { 'eval/accuracy': 0.87, 'train/loss': 0.31, _runtime: 3605, _step: 3000 },
      tags: ['sft', 'modelgate.model:m'],
      commit: COMMIT,
    });
    const registry = registryWith({ run: 'wandb://acme/support-bot/runs/3k9x2mzq', commit: '4be1d2a' }, [
      { metric: 'wandb/eval/accuracy', min: 0.8 },
    ]);
    const report = await run(registry, { WANDB_API_KEY: 'wandb-key', WANDB_BASE_URL: wandb.url });
    expect(wandb.violations).toEqual([]);
    expect(wandb.requests).toHaveLength(1);
    expect(wandb.requests[0]!.variables).toEqual({
      project: 'support-bot',
      entity: 'acme',
      name: '3k9x2mzq',
    });
    expect(report.gates[0]!.gates[0]).toMatchObject({ verdict: 'pass', candidate: 0.87 });
    expect(report.findings.filter((f) => f.rule.startsWith('TRAINING'))).toEqual([]);
    expect(report.training[0]!.comparison!.metrics).toEqual([
      { key: 'eval/accuracy', candidate: 0.87 },
      { key: 'train/loss', candidate: 0.31 },
    ]);
  });

  it('a run of another tracker than the gate names is "not run"', async () => {
    const registry = registryWith({ run: 'wandb://acme/support-bot/runs/3k9x2mzq' }, [
      { metric: 'mlflow/val_loss', max: 1 },
    ]);
    const report = await run(registry, { WANDB_API_KEY: 'wandb-key', WANDB_BASE_URL: wandb.url });
    expect(report.findings.find((f) => f.rule === 'EVAL-GATE')!.message).toBe(
      'gate mlflow/val_loss did not run: not run: the training run is a W&B run, not MLflow',
    );
  });
});
