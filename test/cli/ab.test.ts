import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { TempRegistry } from '../helpers/registry.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'registry');
const RECORDING = join(EXAMPLES, 'ab', 'support-bot-1.3.0.json');

/** The rollout block docs/ab.md shows for support-bot. */
const AB_BLOCK = `rollout:
  strategy: ab
  ab:
    split: 50
    metric:
      name: thumbs_up_rate
      successes: 'sum(increase(llm_feedback_total{model="{{model}}",version="{{version}}",vote="up"}[{{interval}}]))'
      trials: 'sum(increase(llm_feedback_total{model="{{model}}",version="{{version}}"}[{{interval}}]))'
      higher_is_better: true
    interval: 1h
    min_duration: 24h
    min_samples: 1000
    horizon: 14d
    alpha: 0.05
`;

/** The example registry with support-bot rolled out as an A/B test (`block` replaces its rollout). */
function registry(block = AB_BLOCK): TempRegistry {
  const registry = TempRegistry.create();
  cpSync(EXAMPLES, registry.root, { recursive: true });
  const path = 'models/support-bot/model.yaml';
  const manifest = readFileSync(join(registry.root, path), 'utf8').replace(/^rollout:\n(?: .*\n)*/m, '');
  return registry.write(path, `${manifest}${block}`);
}

const analyze = (root: string, ...rest: string[]) =>
  runCli('ab', 'analyze', '--counts', RECORDING, '--root', root, ...rest);

describe('modelgate ab analyze', () => {
  it('judges the recorded example: B wins at the first look after min_duration, despite an interval whose query failed', async () => {
    const { code, stdout, stderr } = await analyze(registry().root, '--format', 'json');
    // The example registry's support-bot has canary.metrics; the recording holds no health series.
    expect({ code, stderr }).toEqual({
      code: 0,
      stderr: 'modelgate: serving health not recorded: judged on the product metric alone\n',
    });
    const analysis = JSON.parse(stdout);
    expect(analysis).toMatchObject({ model: 'support-bot', outcome: 'promote_b', unread: 2 });
    expect(analysis.state.ab).toMatchObject({
      looks: 24,
      errors: 1,
      proposal: { outcome: 'promote_b', at: '2026-03-03T00:00:00.000Z' },
    });
    expect(analysis.state.ab.evidence.p).toBeLessThan(0.05);
    expect(analysis.state.ab.evidence.lower).toBeGreaterThan(0);
  });

  it('prints the pull-request section, with the confidence sequence and how to confirm', async () => {
    const { stdout } = await analyze(registry().root, '--format', 'markdown');
    expect(stdout).toContain('### A/B test: thumbs_up_rate (higher is better)');
    expect(stdout).toMatch(
      /\| B − A \(percentage points\) \| \+\d[\d.]*, 95 % confidence sequence \[\+[\d.]+, \+[\d.]+\] \| excludes 0 \|/,
    );
    expect(stdout).toContain('| time since the split went live | 1d | ≥ 24h, horizon 14d |');
    expect(stdout).toContain('| intervals | 24 looked at, 1 not usable | |');
    expect(stdout).toContain('Comment `/ab conclude` to promote B.');
  });

  it('exits 1 when the recording ends before a conclusion: no evidence is not a pass', async () => {
    const { code, stderr } = await analyze(
      registry(
        AB_BLOCK.replace('min_duration: 24h', 'min_duration: 30d').replace('horizon: 14d', 'horizon: 60d'),
      ).root,
    );
    expect(code).toBe(1);
    expect(stderr).toBe(
      'modelgate: serving health not recorded: judged on the product metric alone\nmodelgate: the A/B test did not show B better: the recording ends before a conclusion: min_duration (30d) has not passed\n',
    );
  });

  it('exits 1 when B is better on a metric where lower is better: A is kept', async () => {
    const { code, stdout } = await analyze(
      registry(AB_BLOCK.replace('higher_is_better: true', 'higher_is_better: false')).root,
      '--format',
      'text',
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /\ndecision: ↩️ keep A \(B is worse\): thumbs_up_rate: B higher than A by [\d.]+ percentage points/,
    );
    expect(stdout).toContain(
      'interval ending 2026-03-02T07:00:00.000Z: not usable: B: Prometheus cannot be reached at http://prometheus:9090 (ECONNREFUSED)',
    );
  });

  it('refuses a manifest without an A/B rollout, naming the fix', async () => {
    const { code, stderr } = await analyze(EXAMPLES);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `modelgate: no manifest of support-bot with rollout.strategy ab under ${EXAMPLES}\n  fix: Add a rollout block with strategy: ab and an ab.metric to the manifest (docs/ab.md).\n`,
    );
  });

  it('refuses a recording that is not one, or that was made with another interval, with exit 2 and the place named', async () => {
    const reg = registry();
    reg.write('bad.json', {
      model: 'support-bot',
      intervals: [{ at: '2026-03-02T01:00:00Z', a: { successes: 1 } }],
    });
    const bad = await runCli('ab', 'analyze', '--counts', `${reg.root}/bad.json`, '--root', reg.root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${reg.root}/bad.json cannot be used: `);
    expect(bad.stderr).toContain(
      ': intervals[0].a must be {"successes": N, "trials": N} or {"error": "why the query failed"}\n  fix: Record the counts as described in modelgate ab --help (docs/ab.md).\n',
    );
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const arm = { successes: 1, trials: 2 };
    reg.write('clock.json', {
      model: 'support-bot',
      intervals: [
        { at: '2026-03-02T01:00:00Z', a: arm, b: arm },
        { at: '2026-03-02T01:30:00Z', a: arm, b: arm },
      ],
    });
    const clock = await runCli('ab', 'analyze', '--counts', `${reg.root}/clock.json`, '--root', reg.root);
    expect(clock.code).toBe(2);
    expect(clock.stderr).toBe(
      `modelgate: ${reg.root}/clock.json: intervals[1] ends at 2026-03-02T01:30:00Z, but with interval 1h from 2026-03-02T00:00:00.000Z the app reads the interval ending 2026-03-02T02:00:00.000Z: record one entry per interval, in order\n  fix: Record the counts as described in modelgate ab --help (docs/ab.md).\n`,
    );
  });

  it('needs --counts and the analyze subcommand', async () => {
    expect(await runCli('ab', 'analyze', '--root', EXAMPLES)).toMatchObject({
      code: 2,
      stderr:
        'modelgate: --counts FILE is required\n  fix: Record the per-interval counts as described in modelgate ab --help.\n',
    });
    expect(await runCli('ab', 'conclude', '--counts', RECORDING)).toMatchObject({
      code: 2,
      stderr: 'modelgate: unknown ab command "conclude"\n  fix: Use: modelgate ab analyze --counts FILE\n',
    });
  });
});
