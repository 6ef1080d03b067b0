import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { TempRegistry } from '../helpers/registry.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'registry');

describe('modelgate canary analyze', () => {
  it('judges the recorded example canary: two good intervals, then a critical metric over its threshold', async () => {
    const { code, stdout } = await runCli(
      'canary',
      'analyze',
      '--metrics',
      join(EXAMPLES, 'canary/support-bot-1.3.0.json'),
      '--root',
      EXAMPLES,
      '--format',
      'json',
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.intervals.map((i: any) => i.verdict)).toEqual(['pass', 'pass', 'fail', 'fail']);
    expect(report.state).toMatchObject({ status: 'failed', failures: 2 });
    expect(report.intervals[2].measurements[1]).toMatchObject({
      metric: 'latency_p95_ms',
      verdict: 'fail',
      test: { method: 'normal' },
    });
  });

  it('prints the pull-request report with a Mermaid chart of the key metric', async () => {
    const { stdout } = await runCli(
      'canary',
      'analyze',
      '--metrics',
      join(EXAMPLES, 'canary/support-bot-1.3.0.json'),
      '--root',
      EXAMPLES,
      '--format',
      'markdown',
    );
    expect(stdout).toContain('## Canary: support-bot 1.3.0 vs 1.2.0');
    expect(stdout).toContain(
      'Next: **↩️ roll back (revert pull request)** (2 failed interval(s), more than failure_limit 1)',
    );
    expect(stdout).toContain('| **error_rate** (critical) | 0.03084 (n=12) | 0.00995 (n=12) | ≤ 0.02 |');
    expect(stdout).toContain(
      '```mermaid\nxychart-beta\n    title "error_rate"\n    x-axis ["10:10", "10:20", "10:30", "10:40"]',
    );
  });

  it('refuses a recorded file that is not one, with exit 2 and no stack trace', async () => {
    const registry = TempRegistry.create();
    registry.write('bad.json', '{"intervals": [{"at": 1}]}');
    const { code, stderr } = await runCli(
      'canary',
      'analyze',
      '--metrics',
      `${registry.root}/bad.json`,
      '--model',
      'x',
      '--root',
      registry.root,
    );
    expect(code).toBe(2);
    expect(stderr).toContain('intervals[0] needs "at" (a time) and "metrics" (an object)');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  /** The example registry's support-bot policy (steps 5, 25, 50, 100) and a recording edited by `edit`. */
  function recording(edit: (json: Record<string, any>) => void) {
    const registry = TempRegistry.create();
    const json = JSON.parse(readFileSync(join(EXAMPLES, 'canary/support-bot-1.3.0.json'), 'utf8'));
    edit(json);
    registry.write('recorded.json', json);
    return `${registry.root}/recorded.json`;
  }
  const analyze = (file: string, ...extra: string[]) =>
    runCli('canary', 'analyze', '--metrics', file, '--root', EXAMPLES, ...extra);

  it.each([
    [-7, 'must be a traffic percentage in (0, 100], not -7'],
    [1e9, 'must be a traffic percentage in (0, 100], not 1000000000'],
    [30, "is not one of support-bot's canary.steps (5, 25, 50, 100)"],
  ])(
    'refuses a recorded weight of %s with exit 2 (it advanced the canary from there)',
    async (weight, words) => {
      const file = recording((json) => (json.weight = weight));
      const { code, stdout, stderr } = await analyze(file);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`"weight" ${weight === 30 ? '30 ' : ''}${words}`);
    },
  );

  it('does not pass a recording with no interval (it passed and advanced on nothing)', async () => {
    const file = recording((json) => (json.intervals = []));
    const { code, stdout, stderr } = await analyze(file, '--format', 'json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      state: { status: 'running', reason: '0 of 1 interval(s) judged' },
      decision: { action: 'wait' },
    });
    expect(stderr).toBe(
      'modelgate: the canary did not pass: 0 of 1 interval(s) judged (not enough evidence)\n',
    );
  });

  it('does not pass intervals in which no metric had data, even with on_no_data: pass', async () => {
    const registry = TempRegistry.create();
    const manifest = readFileSync(join(EXAMPLES, 'models/support-bot/model.yaml'), 'utf8');
    expect(manifest).toContain('  failure_limit: 1\n');
    registry.write(
      'models/support-bot/model.yaml',
      manifest.replace('  failure_limit: 1\n', '  failure_limit: 1\n  on_no_data: pass\n'),
    );
    const file = recording((json) => {
      json.intervals = json.intervals.slice(0, 2);
      for (const interval of json.intervals)
        for (const sides of Object.values(interval.metrics) as Record<string, unknown>[]) {
          sides.canary = ['NaN', 'NaN', 'NaN'];
        }
    });
    const analyze = (format: string) =>
      runCli('canary', 'analyze', '--metrics', file, '--root', registry.root, '--format', format);
    const { code, stdout } = await analyze('json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.intervals.map((i: { verdict: string }) => i.verdict)).toEqual([
      'inconclusive',
      'inconclusive',
    ]);
    expect(report.state).toMatchObject({ status: 'running', reason: '0 of 2 interval(s) judged' });
    expect(report.decision.action).toBe('wait');
    // The text and markdown reports say why, rather than showing an inconclusive interval of passing metrics.
    const reason = 'no metric had canary data: nothing was judged, so the interval cannot pass';
    for (const format of ['text', 'markdown']) {
      const shown = await analyze(format);
      expect(shown.stdout).toContain(reason);
    }
  });

  it('refuses to judge with a policy whose manifest is invalid, naming the problem', async () => {
    const registry = TempRegistry.create();
    const manifest = readFileSync(join(EXAMPLES, 'models/support-bot/model.yaml'), 'utf8');
    registry.write('models/support-bot/model.yaml', manifest.replace('interval: 10m', 'interval: 0s'));
    const file = recording(() => {});
    const { code, stderr } = await runCli('canary', 'analyze', '--metrics', file, '--root', registry.root);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'modelgate: the manifest of support-bot is not valid: models/support-bot/model.yaml: canary.interval: 0s is not between 10s and 24h',
    );
  });
});
