import { describe, expect, it } from 'vitest';
import { judgedGates } from '../../src/core/eval/gate-model.js';
import type { ModelFacts } from '../../src/core/model/facts.js';
import { runCli } from '../helpers/cli.js';
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
) {
  registry.write(`${dir}/tokenizer.json`, { model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 } } });
  registry.write(`${dir}/config.json`, { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
  registry.write(`${dir}/evals/metrics.json`, { score });
  registry.writeManifest(
    `${dir}/model.yaml`,
    manifestWith(
      'm',
      { config: 'config.json', tokenizer: 'tokenizer.json' },
      { version, eval: { results: [{ path: 'evals/metrics.json' }], gates } },
    ),
  );
}

const json = async (...argv: string[]) => {
  const run = await runCli(...argv, '--format', 'json');
  return { code: run.code, report: JSON.parse(run.stdout) };
};

describe('the gates that judge a change', () => {
  it("include the base ref's when production is the baseline: a gate tightened since production is not undone", async () => {
    const registry = TempRegistry.create();
    writeModel(registry, '1.0.0', 0.95, [{ metric: 'score', min: 0.5 }]);
    const v1 = registry.commit('m 1.0.0');
    registry.tag('m@v1.0.0', { commit: v1, date: 1_760_000_000 });
    registry.tag('m#production#1', { commit: v1, date: 1_760_000_001 });
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

  it("give a released gate that states no direction the one the change's gate on its metric states", () => {
    const facts = {
      manifest: { eval: { gates: [{ metric: 'score', max_drop: 0.1, higher_is_better: true }] } },
    } as unknown as ModelFacts;
    const released = { metric: 'score', max_drop: 0.05 };
    expect(judgedGates(facts, { label: 'production 1.0.0', data: emptyData(), gates: [released] })).toEqual([
      { metric: 'score', max_drop: 0.1, higher_is_better: true },
      { metric: 'score', max_drop: 0.05, higher_is_better: true },
    ]);
    // A direction the released gate states is its own, whatever the change writes.
    const stated = { metric: 'score', max_drop: 0.05, higher_is_better: false };
    expect(judgedGates(facts, { label: 'production 1.0.0', data: emptyData(), gates: [stated] })[1]).toEqual(
      stated,
    );
  });
});

function emptyData() {
  return { results: [], metrics: new Map(), findings: [] };
}
