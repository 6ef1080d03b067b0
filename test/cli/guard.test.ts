import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

const GUARD = {
  bake: '6h',
  interval: '1h',
  correction: 'holm',
  metrics: [
    {
      name: 'error_rate',
      query:
        'sum by ({{by}}) (rate(errors{version="{{version}}"}[5m])) / sum by ({{by}}) (rate(requests{version="{{version}}"}[5m]))',
      max: 0.2,
      direction: 'increase',
      by: ['language'],
    },
  ],
};

/**
 * One window of error ratios, one value a minute per language, as the app's
 * range query returns them: 1 % wobbling deterministically (a phase per
 * language), `bad` in the languages listed. The previous version's window
 * is the same hour of two earlier days (120 values).
 */
function window(at: string, bad: Record<string, number> = {}) {
  const series = (n: number, phase: number, share: number) =>
    Array.from({ length: n }, (_, i) => share * (1 + 0.3 * Math.sin(i * 1.7 + phase)));
  const languages = ['en', 'de', 'ja'];
  return {
    at,
    metrics: {
      error_rate: {
        current: languages.map((language, l) => ({
          labels: { language },
          values: series(61, l * 2.1, bad[language] ?? 0.01),
        })),
        baseline: languages.map((language, l) => ({
          labels: { language },
          values: series(122, l * 2.1 + 5, 0.01),
        })),
      },
    },
  };
}

function recorded(windows: unknown[], extra: Record<string, unknown> = {}) {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2', { version: '1.4.0', manifest: { guard: GUARD, ...extra } });
  registry.write('recorded.json', { model: 'gpt2', version: '1.4.0', previous: '1.2.0', windows });
  const analyze = (...extraArgs: string[]) =>
    runCli(
      'guard',
      'analyze',
      '--metrics',
      `${registry.root}/recorded.json`,
      '--root',
      registry.root,
      ...extraArgs,
    );
  return { registry, analyze };
}

describe('modelgate guard analyze', () => {
  it('a version that degrades in one language breaches in that segment only: exit 1 with the evidence', async () => {
    const { analyze } = recorded([
      window('2026-11-22T11:00:00Z'),
      window('2026-11-22T12:00:00Z', { de: 0.06 }),
    ]);
    const { code, stdout, stderr } = await analyze('--format', 'json');
    expect(code).toBe(1);
    expect(stderr).toBe(
      'modelgate: the guard did not pass: 1 failed window(s), more than failure_limit 0: on_breach rollback\n',
    );
    const analysis = JSON.parse(stdout);
    expect(analysis).toMatchObject({ model: 'gpt2', version: '1.4.0', outcome: 'breached', failures: 1 });
    expect(analysis.windows.map((w: any) => w.verdict)).toEqual(['pass', 'fail']);
    const failed = analysis.windows[1].measurements[0];
    expect(failed).toMatchObject({ verdict: 'fail', judged: 3, breached: 1 });
    expect(failed.worst[0]).toMatchObject({ segment: { language: 'de' }, verdict: 'fail' });
    expect(failed.worst[0].test.adjusted).toBeLessThan(0.05);
    expect(failed.worst.slice(1).every((s: any) => s.verdict === 'pass')).toBe(true);
  });

  it('prints the report the app would post, the failed window first', async () => {
    const { analyze } = recorded([window('2026-11-22T11:00:00Z', { de: 0.06 })]);
    const { stdout } = await analyze('--format', 'markdown');
    expect(stdout).toContain('## Production guard analysis: gpt2 1.4.0 (previous: 1.2.0)');
    expect(stdout).toContain('**❌ breached**');
    expect(stdout).toContain(
      '| error_rate | language=de | 0.06014 (n=61) | 0.009983 (n=122) | 0 (0) | 0.05005 | ❌ fail higher',
    );
    const text = await analyze();
    expect(text.stdout).toContain('    language=de: higher than the previous version (shift');
  });

  it('a healthy recording passes: exit 0', async () => {
    const { analyze } = recorded([window('2026-11-22T11:00:00Z'), window('2026-11-22T12:00:00Z')]);
    const { code, stdout } = await analyze();
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').at(-1)).toBe('passed: 2 window(s), 0 failed (failure_limit 0)');
  });

  it('windows whose queries failed are no evidence: exit 1, unverified, never a pass', async () => {
    const { analyze } = recorded([
      { at: '2026-11-22T11:00:00Z', metrics: { error_rate: { current: { error: 'timeout' } } } },
    ]);
    const { code, stdout } = await analyze('--format', 'json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      outcome: 'unverified',
      windows: [{ verdict: 'error', measurements: [{ reason: 'query failed: timeout' }] }],
    });
  });

  it('a recording that is not one, or a model without a guard block, is exit 2 with the place and the fix', async () => {
    const bad = recorded([
      {
        at: '2026-11-22T11:00:00Z',
        metrics: { error_rate: { current: [{ labels: { language: 1 }, values: [] }] } },
      },
    ]);
    const refused = await bad.analyze();
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'windows[0].metrics.error_rate.current[0].labels.language must be a string',
    );
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    const noGuard = TempRegistry.create();
    addRealModel(noGuard, 'gpt2', { version: '1.4.0' });
    noGuard.write('recorded.json', { model: 'gpt2', windows: [] });
    const { code, stderr } = await runCli(
      'guard',
      'analyze',
      '--metrics',
      `${noGuard.root}/recorded.json`,
      '--root',
      noGuard.root,
    );
    expect(code).toBe(2);
    expect(stderr).toBe(
      `modelgate: no manifest of gpt2 with a guard block under ${noGuard.root}\n  fix: Add a guard block (bake, metrics) to the manifest.\n`,
    );
    expect((await runCli('guard', 'judge')).code).toBe(2);
  });
});
