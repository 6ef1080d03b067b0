import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { harnessResults } from '../helpers/lm-eval.js';
import { manifestWith } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

// The gates a reviewed, merged version states judge every later change: a pull request may add or
// tighten gates, and the ones it loosens or removes count once it is released.

/** models/<dir> declaring `m` at `version`, its plain results file saying `score`, judged by `gates`. */
function writeModel(
  registry: TempRegistry,
  version: string,
  score: number,
  gates: object[],
  dir = 'models/m',
  evalSettings: object = {},
) {
  registry.write(`${dir}/tokenizer.json`, { model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 } } });
  registry.write(`${dir}/config.json`, { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
  registry.write(`${dir}/evals/metrics.json`, { score });
  registry.writeManifest(
    `${dir}/model.yaml`,
    manifestWith(
      'm',
      { config: 'config.json', tokenizer: 'tokenizer.json' },
      { version, eval: { results: [{ path: 'evals/metrics.json' }], gates, ...evalSettings } },
    ),
  );
}

/**
 * models/m at `version`, with lm-evaluation-harness results whose arc_easy `score` (no default
 * direction) is `score`, and `acc` (higher is better, the results file says) is `acc`.
 */
function writeHarnessModel(
  registry: TempRegistry,
  version: string,
  score: number,
  gates: object[],
  acc = 0.81,
  scoreHigherIsBetter?: boolean,
  evalSettings: object = {},
) {
  writeModel(registry, version, 0, gates, 'models/m', evalSettings);
  registry.write(
    'models/m/evals/metrics.json',
    harnessResults((j) => {
      // The recorded run is gpt2's: its logged tokens are not this tiny model's.
      for (const key of Object.keys(j))
        if (key.startsWith('tokenizer_') || key.startsWith('chat_template')) delete j[key];
      j.results.arc_easy['score,none'] = score;
      j.results.arc_easy['acc,none'] = acc;
      if (scoreHigherIsBetter !== undefined) j.higher_is_better.arc_easy.score = scoreHigherIsBetter;
      j.results.arc_easy['score_stderr,none'] = 0.004;
    }),
  );
}

/** Commits m 1.0.0, released and assigned to production. */
function inProduction(registry: TempRegistry, message: string): string {
  const v1 = registry.commit(message);
  registry.tag('m@v1.0.0', { commit: v1, date: 1_760_000_000 });
  registry.tag('m#production#1', { commit: v1, date: 1_760_000_001 });
  return v1;
}

const json = async (...argv: string[]) => {
  const run = await runCli(...argv, '--format', 'json');
  return { code: run.code, report: JSON.parse(run.stdout) };
};

describe('the gates that judge a change', () => {
  it("include the base ref's when production is the baseline: a gate tightened since production is not undone", async () => {
    const registry = TempRegistry.create();
    writeModel(registry, '1.0.0', 0.95, [{ metric: 'score', min: 0.5 }]);
    inProduction(registry, 'm 1.0.0');
    writeModel(registry, '1.1.0', 0.95, [{ metric: 'score', min: 0.9 }]);
    const v2 = registry.commit('m 1.1.0: a stricter gate, released, not yet in production');
    registry.tag('m@v1.1.0', { commit: v2, date: 1_760_000_100 });
    writeModel(registry, '1.2.0', 0.6, [{ metric: 'score', min: 0.5 }]);
    registry.commit("m 1.2.0: production's gate back, and a worse score");

    const { code, report } = await json('check', '--root', registry.root, '--base', v2);
    expect(code).toBe(1);
    expect(report.gates[0].baseline.label).toBe('production 1.0.0 (m#production#1)');
    expect(
      report.gates[0].gates.map((g: { verdict: string; reason: string }) => [g.verdict, g.reason]),
    ).toEqual([
      ['pass', '0.6 ≥ 0.5'],
      ['fail', '0.6 is below the minimum 0.9'],
    ]);
    // Said as the base ref's gate, which it is: production's is the one the change wrote back.
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        rule: 'EVAL-GATE',
        message: `gate score is changed from the base ref ${v2.slice(0, 12)}'s {"metric":"score","min":0.9} to {"metric":"score","min":0.5}: this version is judged by both; the change applies once this version is the baseline`,
      }),
    );
  });

  it('report a baseline that cannot be read under `gate` as under `check`, for a version with no gate of its own', async () => {
    const registry = TempRegistry.create();
    writeModel(registry, '1.0.0', 0.95, [{ metric: 'score', min: 0.9 }], 'models/a');
    writeModel(registry, '1.0.0', 0.95, [{ metric: 'score', min: 0.9 }], 'models/b');
    const base = registry.commit('two manifests of m');
    registry.remove('models/a').remove('models/b');
    writeModel(registry, '1.0.1', 0.1, []);
    registry.commit('m alone, without gates');

    for (const command of ['check', 'gate']) {
      const { code, report } = await json(command, '--root', registry.root, '--base', base);
      expect(code, command).toBe(1);
      expect(report.findings, command).toContainEqual(
        expect.objectContaining({
          rule: 'EVAL-GATE',
          severity: 'error',
          message: expect.stringMatching(/^cannot judge m against its baseline, the base ref [0-9a-f]{12}: /),
        }),
      );
    }
  });

  it('leave a rollback to its own gates: a version restored exactly is not held to gates a later version brought', async () => {
    const registry = TempRegistry.create();
    writeModel(registry, '1.0.0', 0.75, [{ metric: 'score', min: 0.7 }]);
    inProduction(registry, 'm 1.0.0');
    writeModel(registry, '1.1.0', 0.95, [{ metric: 'score', min: 0.9 }]);
    const v2 = registry.commit('m 1.1.0: a stricter gate; its canary failed');
    registry.tag('m@v1.1.0', { commit: v2, date: 1_760_000_100 });
    registry.git('revert', '--no-edit', 'HEAD');

    const { code, report } = await json('check', '--root', registry.root, '--base', v2);
    expect(report.changes).toEqual([expect.objectContaining({ model: 'm', status: 'restored' })]);
    expect(report.gates[0].gates).toEqual([expect.objectContaining({ metric: 'score', verdict: 'pass' })]);
    expect(code).toBe(0);
  });

  it('judge a released drop gate that states no direction both ways: the change cannot lend it one', async () => {
    const registry = TempRegistry.create();
    const released = { metric: 'arc_easy/score', max_drop: 0.01 };
    writeHarnessModel(registry, '1.0.0', 0.9, [released]);
    const v1 = inProduction(registry, 'm 1.0.0');
    // 0.9 -> 0.5, and a gate saying lower is better: its own gate passes, the released one does not.
    writeHarnessModel(registry, '1.1.0', 0.5, [{ ...released, higher_is_better: false }]);
    registry.commit('m 1.1.0: score 0.5, and lower is better, it says');
    const worse = await json('check', '--root', registry.root, '--base', v1);
    expect(worse.code).toBe(1);
    expect(worse.report.gates[0].gates.map((g: { verdict: string }) => g.verdict)).toEqual(['pass', 'fail']);
    expect(worse.report.gates[0].gates[1].reason).toContain('(judged both ways: nothing on the baseline');

    // The way out: a release that states the direction with the same evidence (within the tolerance both ways).
    writeHarnessModel(registry, '1.0.1', 0.9, [{ ...released, higher_is_better: true }]);
    registry.commit('m 1.0.1: the direction stated');
    const stated = await json('check', '--root', registry.root, '--base', v1);
    expect(stated.report.gates[0].gates.map((g: { verdict: string }) => g.verdict)).toEqual(['pass', 'pass']);
    expect(stated.report.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
    expect(stated.code).toBe(0);
  });

  it("take a metric's direction from production's side, never from a gate the base ref adds", async () => {
    const registry = TempRegistry.create();
    writeHarnessModel(registry, '1.0.0', 0.9, [], 0.81);
    inProduction(registry, 'm 1.0.0: its results say higher acc is better');
    const lower = [{ metric: 'arc_easy/acc', max_drop: 0.01, higher_is_better: false }];
    writeHarnessModel(registry, '1.1.0', 0.9, lower, 0.81);
    const v2 = registry.commit('m 1.1.0: a gate that says lower acc is better');
    writeHarnessModel(registry, '1.2.0', 0.9, lower, 0.5);
    registry.commit('m 1.2.0: acc 0.81 -> 0.5');

    const { code, report } = await json('check', '--root', registry.root, '--base', v2);
    expect(report.gates[0].gates[0]).toMatchObject({
      metric: 'arc_easy/acc',
      verdict: 'fail',
      higherIsBetter: true,
    });
    expect(code).toBe(1);
  });

  it('hold a restore of a deregistered release to the gates of production: it is no rollback', async () => {
    const registry = TempRegistry.create();
    writeModel(registry, '1.0.0', 0.6, [{ metric: 'score', min: 0.5 }]);
    const v1 = inProduction(registry, 'm 1.0.0');
    writeModel(registry, '1.1.0', 0.95, [{ metric: 'score', min: 0.9 }]);
    const v2 = registry.commit('m 1.1.0');
    registry.tag('m@v1.1.0', { commit: v2, date: 1_760_000_100 });
    registry.tag('m#production#2', { commit: v2, date: 1_760_000_101 });
    registry.tag('m@v1.0.0!#3', { commit: v1, date: 1_760_000_200 });
    registry.git('revert', '--no-edit', 'HEAD');

    const { code, report } = await json('check', '--root', registry.root, '--base', v2);
    expect(report.gates[0].gates.map((g: { verdict: string }) => g.verdict)).toEqual(['pass', 'fail']);
    expect(code).toBe(1);
  });

  it('say nothing overruled when a released gate is judged both ways: no one stated either direction', async () => {
    const registry = TempRegistry.create();
    writeHarnessModel(registry, '1.0.0', 0.9, [{ metric: 'arc_easy/score', max_drop: 0.01 }]);
    const v1 = inProduction(registry, 'm 1.0.0');
    writeHarnessModel(registry, '1.0.1', 0.9, [], 0.81, false);
    registry.commit('m 1.0.1: no gate, and results that say lower is better');

    const { code, report } = await json('check', '--root', registry.root, '--base', v1);
    expect(report.gates[0].gates[0]).toMatchObject({ verdict: 'pass', direction: 'judged both ways' });
    expect(report.gates[0].gates[0].reason).not.toContain('the gate says');
    expect(report.findings.map((f: { message: string }) => f.message).join('\n')).not.toContain(
      'the gate says',
    );
    expect(code).toBe(0);
  });

  it("judge a base ref's gate both ways whatever direction it writes: it states none", async () => {
    const registry = TempRegistry.create();
    writeHarnessModel(registry, '1.0.0', 0.9, []);
    inProduction(registry, 'm 1.0.0');
    writeHarnessModel(registry, '1.1.0', 0.9, [
      { metric: 'arc_easy/score', max_drop: 0.01, higher_is_better: false },
    ]);
    const v2 = registry.commit('m 1.1.0: a gate that says lower is better');
    writeHarnessModel(registry, '1.2.0', 0.5, []);
    registry.commit('m 1.2.0: score 0.9 -> 0.5, the gate removed');

    const { code, report } = await json('check', '--root', registry.root, '--base', v2);
    expect(report.gates[0].gates).toEqual([
      expect.objectContaining({ verdict: 'fail', direction: 'judged both ways' }),
    ]);
    expect(code).toBe(1);
  });

  it('judge a released gate the change keeps word for word as released: its copy lends it no direction', async () => {
    const registry = TempRegistry.create();
    const released = { metric: 'arc_easy/score', max_drop: 0.01 };
    writeHarnessModel(registry, '1.0.0', 0.9, [released]);
    const v1 = inProduction(registry, 'm 1.0.0');
    writeHarnessModel(registry, '1.1.0', 0.5, [released]);
    registry.commit('m 1.1.0: score 0.9 -> 0.5, the gate kept as it was');

    const { code, report } = await json('check', '--root', registry.root, '--base', v1);
    expect(report.gates[0].gates).toEqual([
      expect.objectContaining({ verdict: 'fail', direction: 'judged both ways' }),
    ]);
    // Reported at the change's own gate, which is the released one.
    expect(report.findings.find((f: { rule: string }) => f.rule === 'EVAL-GATE')).toMatchObject({
      line: expect.any(Number),
    });
    expect(code).toBe(1);
  });

  it("judge a base ref's gate the change copies word for word both ways: the copy states no direction either", async () => {
    const registry = TempRegistry.create();
    writeHarnessModel(registry, '1.0.0', 0.9, []);
    inProduction(registry, 'm 1.0.0');
    const lower = [{ metric: 'arc_easy/score', max_drop: 0.01, higher_is_better: false }];
    writeHarnessModel(registry, '1.1.0', 0.9, lower);
    const v2 = registry.commit('m 1.1.0: a gate that says lower is better');
    writeHarnessModel(registry, '1.2.0', 0.5, lower);
    registry.commit('m 1.2.0: score 0.9 -> 0.5, the gate kept');

    const { code, report } = await json('check', '--root', registry.root, '--base', v2);
    expect(report.gates[0].gates).toEqual([
      expect.objectContaining({ verdict: 'fail', direction: 'judged both ways' }),
    ]);
    expect(code).toBe(1);
  });

  it('never compare a drop with results of the baseline that cannot be read: the gate is not run, an error', async () => {
    const registry = TempRegistry.create();
    const drop = [{ metric: 'score', max_drop: 0.01, higher_is_better: true }];
    writeModel(registry, '1.0.0', 0.9, drop);
    // Production's results as a checkout without Git LFS has them: a pointer, not the file.
    registry.write(
      'models/m/evals/metrics.json',
      'version https://git-lfs.github.com/spec/v1\noid sha256:' + 'a'.repeat(64) + '\nsize 42\n',
    );
    const v1 = inProduction(registry, 'm 1.0.0');
    writeModel(registry, '1.1.0', 0.5, drop);
    registry.commit('m 1.1.0: score 0.5');

    const { code, report } = await json('check', '--root', registry.root, '--base', v1);
    expect(report.gates[0].gates).toEqual([expect.objectContaining({ metric: 'score', verdict: 'not-run' })]);
    expect(report.gates[0].gates[0].reason).toContain("'s results cannot be read: ");
    const error = report.findings.find((f: { rule: string; severity: string }) => f.rule === 'EVAL-GATE');
    expect(error).toMatchObject({ severity: 'error' });
    expect(error.fix).toContain('lfs: true');
    expect(code).toBe(1);

    // A gate that compares with nothing (min, max) still judges: the baseline's results are not its evidence.
    writeModel(registry, '1.1.0', 0.95, [{ metric: 'score', min: 0.9 }]);
    registry.commit('m 1.1.0: a min gate only');
    const bounded = await json('check', '--root', registry.root, '--base', v1);
    expect(bounded.report.gates[0].gates.map((g: { verdict: string }) => g.verdict)).toContain('pass');
  });

  it("keep the base ref's on_inconclusive: fail when production is the baseline: a change cannot undo it unseen", async () => {
    const registry = TempRegistry.create();
    const drop = [{ metric: 'arc_easy/score', max_drop: 0.02, higher_is_better: true }];
    writeHarnessModel(registry, '1.0.0', 0.9, drop);
    inProduction(registry, 'm 1.0.0');
    writeHarnessModel(registry, '1.1.0', 0.9, drop, 0.81, undefined, { on_inconclusive: 'fail' });
    const v2 = registry.commit('m 1.1.0: inconclusive gates fail');
    // 0.9 -> 0.875 with a stderr of 0.004 each: more than 0.02 likely, not shown: inconclusive.
    writeHarnessModel(registry, '1.2.0', 0.875, drop, 0.81, undefined, { on_inconclusive: 'warn' });
    registry.commit('m 1.2.0: and back to warn');

    const { code, report } = await json('check', '--root', registry.root, '--base', v2);
    expect(report.gates[0].gates[0]).toMatchObject({ verdict: 'inconclusive' });
    expect(report.findings.map((f: { message: string }) => f.message)).toContain(
      `eval.on_inconclusive is changed from the base ref ${v2.slice(0, 12)}'s fail to warn: this version is judged with fail, the base ref's; the change applies once this version is the baseline`,
    );
    expect(code).toBe(1);
  });

  it('refuse a candidate that leaves out the document count the baseline states: its stderr could not be checked', async () => {
    const registry = TempRegistry.create();
    const drop = [{ metric: 'arc_easy/acc', max_drop: 0.02 }];
    writeHarnessModel(registry, '1.0.0', 0.9, drop, 0.81);
    const v1 = inProduction(registry, 'm 1.0.0');
    // acc 0.81 -> 0.5 with a stderr of 0.03: within 4 times the baseline's, but only a count of documents
    // shows what it may be.
    writeModel(registry, '1.1.0', 0, drop);
    registry.write(
      'models/m/evals/metrics.json',
      harnessResults((j) => {
        for (const key of Object.keys(j))
          if (key.startsWith('tokenizer_') || key.startsWith('chat_template')) delete j[key];
        j.results.arc_easy['acc,none'] = 0.5;
        j.results.arc_easy['acc_stderr,none'] = 0.03;
        delete j['n-samples'].arc_easy;
      }),
    );
    registry.commit('m 1.1.0: acc 0.5, and no document count');

    const { code, report } = await json('check', '--root', registry.root, '--base', v1);
    const invalid = report.findings.find((f: { rule: string }) => f.rule === 'ARTIFACT-INVALID');
    expect(invalid.fix).toContain('n-samples');
    expect(invalid.message).toContain(
      "the candidate's results do not say how many documents arc_easy/acc covers (the baseline's: 2376)",
    );
    expect(code).toBe(1);
  });

  it("refuse a stated stderr of a continuous score many times the baseline's on as many documents", async () => {
    const registry = TempRegistry.create();
    const drop = [{ metric: 'arc_easy/score', max_drop: 0.01, higher_is_better: true }];
    writeHarnessModel(registry, '1.0.0', 0.9, drop);
    const v1 = inProduction(registry, 'm 1.0.0');
    writeHarnessModel(registry, '1.1.0', 0.5, drop);
    registry.write(
      'models/m/evals/metrics.json',
      registry
        .read('models/m/evals/metrics.json')
        .replace('"score_stderr,none": 0.004', '"score_stderr,none": 0.4'),
    );
    registry.commit('m 1.1.0: score 0.5, stderr 0.4');

    const { code, report } = await json('check', '--root', registry.root, '--base', v1);
    const invalid = report.findings.find((f: { rule: string }) => f.rule === 'ARTIFACT-INVALID');
    expect(invalid.message).toContain(
      "the candidate's stderr of arc_easy/score is 0.4, 100.0 times the baseline's 0.004 on as many documents, with a worse value (at most 4 times)",
    );
    expect(code).toBe(1);

    // An honest stderr near the baseline's judges the drop itself: a failure, not a refusal of the file.
    registry.write(
      'models/m/evals/metrics.json',
      registry
        .read('models/m/evals/metrics.json')
        .replace('"score_stderr,none": 0.4', '"score_stderr,none": 0.005'),
    );
    registry.commit('m 1.1.0: honest stderr');
    const honest = await json('check', '--root', registry.root, '--base', v1);
    expect(honest.report.findings.filter((f: { rule: string }) => f.rule === 'ARTIFACT-INVALID')).toEqual([]);
    expect(honest.report.gates[0].gates[0]).toMatchObject({ verdict: 'fail' });
  });

  it('let a rollback pass its drop gates although production is better: no drop is judged against the version it replaces', async () => {
    const registry = TempRegistry.create();
    const drop = [{ metric: 'arc_easy/acc', max_drop: 0.02 }];
    writeHarnessModel(registry, '1.0.0', 0.9, drop, 0.8);
    inProduction(registry, 'm 1.0.0');
    writeHarnessModel(registry, '1.1.0', 0.9, drop, 0.9);
    const v2 = registry.commit('m 1.1.0: acc 0.9, and a bug');
    registry.tag('m@v1.1.0', { commit: v2, date: 1_760_000_100 });
    registry.tag('m#production#2', { commit: v2, date: 1_760_000_101 });
    registry.git('revert', '--no-edit', 'HEAD');

    const { code, report } = await json('check', '--root', registry.root, '--base', v2);
    expect(report.changes).toEqual([expect.objectContaining({ status: 'restored' })]);
    expect(report.gates[0].gates).toEqual([
      expect.objectContaining({ metric: 'arc_easy/acc', verdict: 'pass' }),
    ]);
    expect(report.gates[0].gates[0].reason).toContain(
      'no drop is judged against the version a rollback replaces',
    );
    expect(code).toBe(0);
  });

  it('hold a restore of a release that never ran in production to the drop against production', async () => {
    const registry = TempRegistry.create();
    const drop = [{ metric: 'arc_easy/acc', max_drop: 0.02 }];
    writeHarnessModel(registry, '1.0.0', 0.9, drop, 0.5);
    const v1 = registry.commit('m 1.0.0: acc 0.5, released, never in production');
    registry.tag('m@v1.0.0', { commit: v1, date: 1_760_000_000 });
    writeHarnessModel(registry, '1.1.0', 0.9, drop, 0.81);
    const v2 = registry.commit('m 1.1.0');
    registry.tag('m@v1.1.0', { commit: v2, date: 1_760_000_100 });
    registry.tag('m#production#1', { commit: v2, date: 1_760_000_101 });
    registry.git('checkout', v1, '--', 'models/m');
    registry.commit('m back to 1.0.0');

    const { code, report } = await json('check', '--root', registry.root, '--base', v2);
    expect(report.changes).toEqual([expect.objectContaining({ status: 'restored' })]);
    expect(report.gates[0].gates[0]).toMatchObject({ verdict: 'fail' });
    expect(report.gates[0].gates[0].reason).not.toContain('no drop is judged');
    expect(code).toBe(1);
  });
});
