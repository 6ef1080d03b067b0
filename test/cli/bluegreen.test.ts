import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { TempRegistry } from '../helpers/registry.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'registry');
const example = (file: string) => join(EXAMPLES, 'blue-green', file);

describe('modelgate bluegreen analyze', () => {
  it('replays the example rollout: healthy preview, automatic switch, six post-switch windows, promoted (exit 0)', async () => {
    const { code, stdout } = await runCli(
      'bluegreen',
      'analyze',
      '--root',
      EXAMPLES,
      '--metrics',
      example('support-bot-1.3.0.json'),
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.status).toBe('promoted');
    expect(report.decisions.map((d: { action: string }) => d.action)).toEqual([
      'wait',
      'switch',
      'wait',
      'wait',
      'wait',
      'wait',
      'wait',
      'promote',
    ]);
    expect(report.blueGreen).toMatchObject({
      phase: 'done',
      switchRequestedAt: '2026-11-22T10:10:00.000Z',
      switchedAt: '2026-11-22T10:11:00.000Z',
      scaleDownDelaySeconds: 1800,
    });
  });

  it('switches back from a green whose errors rise after the switch, and says so in the pull-request report (exit 1)', async () => {
    const { code, stdout } = await runCli(
      'bluegreen',
      'analyze',
      '--root',
      EXAMPLES,
      '--metrics',
      example('support-bot-1.3.0-regression.json'),
      '--format',
      'markdown',
    );
    expect(code).toBe(1);
    expect(stdout).toContain(
      '## Blue-green: support-bot 1.3.0 replacing 1.2.0\n\n**↩️ switched back to the previous version**',
    );
    expect(stdout).toContain(
      '| 2026-11-22T10:26:00.000Z | ❌ fail | error_rate | 0.01641 (n=12) | 0.00487 (n=12) | ≤ 0.02 | p = 3.698e-7, shift 0.01154 |',
    );
    expect(stdout).toContain('Post-switch: **❌ fail** (2 failed interval(s), more than failure_limit 1)');
  });

  it("judges the suites run against the preview by production's gates and results; without them the preview is refused", async () => {
    const registry = suiteRegistry();
    registry.write('preview-smoke.json', runnerResults('1.3.0', 40));
    const dropped = await runCli(
      'bluegreen',
      'analyze',
      '--root',
      registry.root,
      '--metrics',
      example('support-bot-1.3.0.json'),
      '--suites',
      join(registry.root, 'preview-smoke.json'),
      '--format',
      'json',
    );
    expect(dropped.code).toBe(1);
    const report = JSON.parse(dropped.stdout);
    expect(report.status).toBe('failed');
    expect(report.blueGreen.suites).toMatchObject({
      verdict: 'fail',
      gatesFrom: "production 1.2.0 (support-bot#production#1)'s manifest",
      gates: [{ metric: 'smoke/accuracy', verdict: 'fail', candidate: 40 / 60 }],
    });
    // The release's own gate (min 0.1, max_drop 0.9) would have passed it: production's decides.
    expect(report.blueGreen.suites.gates[0].reason).toBe('0.6667 is below the minimum 0.8');

    registry.write('preview-smoke.json', runnerResults('1.3.0', 57));
    const kept = await runCli(
      'bluegreen',
      'analyze',
      '--root',
      registry.root,
      '--metrics',
      example('support-bot-1.3.0.json'),
      '--suites',
      join(registry.root, 'preview-smoke.json'),
      '--format',
      'json',
    );
    expect(JSON.parse(kept.stdout).blueGreen.suites).toMatchObject({ verdict: 'pass' });

    const none = await runCli(
      'bluegreen',
      'analyze',
      '--root',
      registry.root,
      '--metrics',
      example('support-bot-1.3.0.json'),
      '--format',
      'json',
    );
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout).blueGreen.preSwitch.reason).toBe(
      'the eval suites did not pass: suite smoke did not run: not run: no --suites results file holds smoke/accuracy',
    );
  });

  it('refuses a recording that is not one with exit 2, naming the file, the field and the fix', async () => {
    const registry = TempRegistry.create();
    registry.write('bad.json', { green: '1.3.0', previewLiveAt: 'yesterday', preview: {} });
    const { code, stdout, stderr } = await runCli(
      'bluegreen',
      'analyze',
      '--root',
      EXAMPLES,
      '--metrics',
      join(registry.root, 'bad.json'),
      '--model',
      'support-bot',
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `modelgate: --metrics ${join(registry.root, 'bad.json')} cannot be used: "previewLiveAt" must be a time such as 2026-11-22T10:00:00Z\n  fix: Record the rollout as described in modelgate bluegreen --help.\n`,
    );
  });
});

const QUESTIONS = Array.from({ length: 60 }, (_, i) => `q${i}`);
/** What modelgate's runner writes for the smoke suite: the first `right` documents right. */
const runnerResults = (version: string, right: number) => ({
  format: 'modelgate-eval/v1',
  suite: 'smoke',
  model: 'support-bot',
  version,
  summary: { accuracy: right / 60, n: 60, errors: 0 },
  samples: QUESTIONS.map((id, i) => ({ id, score: i < right ? 1 : 0, output: '', latency_ms: 12 })),
});

/** support-bot 1.2.0 in production (its runner results committed), 1.3.0 released with a looser gate of its own. */
function suiteRegistry(): TempRegistry {
  const registry = TempRegistry.create();
  const manifest = (version: string, gate: object) => ({
    apiVersion: 'modelgate.dev/v1',
    kind: 'Model',
    name: 'support-bot',
    version,
    artifacts: { config: 'config.json', tokenizer: 'tokenizer.json', weights: [] },
    eval: {
      results: [{ path: 'evals/smoke-1.2.0.json' }],
      suites: [{ name: 'smoke', dataset: 'evals/smoke.jsonl', scorer: 'exact_match' }],
      gates: [gate],
    },
    canary: {
      failure_limit: 1,
      metrics: [
        { name: 'error_rate', query: 'q', max: 0.02, direction: 'increase', critical: true },
        { name: 'latency_p95_ms', query: 'q', max: 1500, direction: 'increase' },
      ],
    },
  });
  registry.write('models/support-bot/evals/smoke-1.2.0.json', runnerResults('1.2.0', 57));
  registry.write(
    'models/support-bot/model.yaml',
    stringify(manifest('1.2.0', { metric: 'smoke/accuracy', min: 0.8, max_drop: 0.05 })),
  );
  const released = registry.commit('support-bot 1.2.0');
  registry.tag('support-bot@v1.2.0', { commit: released });
  registry.tag('support-bot#production#1', { commit: released });
  registry.write(
    'models/support-bot/model.yaml',
    stringify(manifest('1.3.0', { metric: 'smoke/accuracy', min: 0.1, max_drop: 0.9 })),
  );
  registry.commit('support-bot 1.3.0');
  return registry;
}
