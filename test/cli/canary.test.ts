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
});
