import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { TempRegistry } from '../helpers/registry.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'registry');
const PAIRS = join(EXAMPLES, 'shadow', 'support-bot-1.3.0.pairs.jsonl');
const METRICS = join(EXAMPLES, 'shadow', 'support-bot-1.3.0.metrics.json');

const runShadowCli = (...argv: string[]) => runCli('shadow', ...argv);

/** The example registry's support-bot manifest, rolled out as a shadow with `rollout`. */
function registryWithShadow(rollout: string): TempRegistry {
  const registry = TempRegistry.create();
  const manifest = readFileSync(join(EXAMPLES, 'models/support-bot/model.yaml'), 'utf8');
  registry.write('models/support-bot/model.yaml', `${manifest}${rollout}`);
  return registry;
}

const ROLLOUT = `rollout:
  strategy: shadow
  shadow:
    duration: 1h
    interval: 10m
    outputs:
      source: postgres
      min_pairs: 50
      checks:
        similarity: { min: 0.6 }
        refusal_rate: { max_increase: 0.1 } # 60 pairs cannot show a 2-point rise is absent
        length_ratio: { min: 0.5, max: 2.0 }
`;

describe('modelgate shadow analyze', () => {
  it('passes the recorded example shadow: 60 real answers over six intervals, serving metrics healthy', async () => {
    const registry = registryWithShadow(ROLLOUT);
    const { code, stdout, stderr } = await runShadowCli(
      'analyze',
      '--pairs',
      PAIRS,
      '--metrics',
      METRICS,
      '--root',
      registry.root,
      '--format',
      'json',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.record.history.map((h: { pairs: number }) => h.pairs)).toEqual([10, 10, 10, 10, 10, 10]);
    expect(report.decision).toMatchObject({ action: 'advance', weight: 5 });
    expect(
      report.outputs.checks.map((c: { check: string; verdict: string }) => [c.check, c.verdict]),
    ).toEqual([
      ['similarity', 'pass'],
      ['refusal_rate', 'pass'],
      ['length_ratio', 'pass'],
    ]);
  });

  it('prints the pull-request section in markdown', async () => {
    const registry = registryWithShadow(ROLLOUT);
    const { stdout } = await runShadowCli(
      'analyze',
      '--pairs',
      PAIRS,
      '--metrics',
      METRICS,
      '--root',
      registry.root,
      '--format',
      'markdown',
    );
    expect(stdout).toContain('### Shadow: support-bot 1.3.0 vs production 1.2.0');
    expect(stdout).toContain('| check | n | estimate | confidence interval | limit | verdict |');
    expect(stdout).toContain('Decision: **➡️ hand over to the canary steps**');
  });

  it('fails closed (exit 1) when the answers are too few for min_pairs, and says so', async () => {
    const registry = registryWithShadow(ROLLOUT.replace('min_pairs: 50', 'min_pairs: 100'));
    const { code, stderr } = await runShadowCli(
      'analyze',
      '--pairs',
      PAIRS,
      '--metrics',
      METRICS,
      '--root',
      registry.root,
    );
    expect(code).toBe(1);
    expect(stderr).toContain('outputs: 60 pair(s) compared, fewer than min_pairs 100 (not enough evidence)');
  });

  it('judges only the answers without --metrics, and says the serving metrics were not judged', async () => {
    const registry = registryWithShadow(ROLLOUT);
    const { code, stderr } = await runShadowCli(
      'analyze',
      '--pairs',
      PAIRS,
      '--model',
      'support-bot',
      '--root',
      registry.root,
    );
    expect(code).toBe(0);
    expect(stderr).toBe(
      'modelgate: the serving metrics were not judged (no --metrics): only the answers were compared\n',
    );
  });

  it('fails a shadow whose answers turn into refusals', async () => {
    const registry = registryWithShadow(ROLLOUT);
    const lines = readFileSync(PAIRS, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const [i, line] of lines.entries())
      if (i % 4 === 0) line.shadow = "I'm sorry, but I can't help with that.";
    registry.write('refusing.jsonl', lines.map((l) => JSON.stringify(l)).join('\n'));
    const { code, stdout } = await runShadowCli(
      'analyze',
      '--pairs',
      join(registry.root, 'refusing.jsonl'),
      '--metrics',
      METRICS,
      '--root',
      registry.root,
      '--format',
      'json',
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout).record.outcome).toMatchObject({
      verdict: 'fail',
      reason: 'output check(s) failed: refusal_rate',
    });
  });

  it('names every malformed line of the pairs file, exit 2, no stack trace', async () => {
    const registry = registryWithShadow(ROLLOUT);
    registry.write(
      'bad.jsonl',
      '{"id": "a", "production": "x", "shadow": "y"}\nnot json\n{"production": "x", "shadow": "y"}\n{"id": "b", "role": "canary", "output": "x"}\n',
    );
    const { code, stdout, stderr } = await runShadowCli(
      'analyze',
      '--pairs',
      join(registry.root, 'bad.jsonl'),
      '--model',
      'support-bot',
      '--root',
      registry.root,
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `modelgate: --pairs ${join(registry.root, 'bad.jsonl')} cannot be used: line 2 is not JSON; line 3 needs "id" (the request id both answers share); line 4: "role" must be "production" or "shadow"\n` +
        '  fix: One JSON object a line: {"id", "production", "shadow"} or {"id", "role": "production"|"shadow", "output"} (modelgate shadow --help).\n',
    );
  });

  it('refuses a manifest that does not roll out as a shadow, naming the fix', async () => {
    const { code, stderr } = await runShadowCli(
      'analyze',
      '--pairs',
      PAIRS,
      '--model',
      'support-bot',
      '--root',
      EXAMPLES,
    );
    expect(code).toBe(2);
    expect(stderr).toBe(
      'modelgate: models/support-bot/model.yaml: support-bot does not roll out as a shadow (rollout.strategy is canary, the default)\n' +
        '  fix: Set rollout.strategy: shadow with a rollout.shadow block (docs/shadow.md).\n',
    );
  });

  it('joins one-answer-a-line files by request id and reports answers without a partner', async () => {
    const registry = registryWithShadow(
      ROLLOUT.replace('min_pairs: 50', 'min_pairs: 1').replace('duration: 1h', 'duration: 10m'),
    );
    registry.write(
      'halves.jsonl',
      [
        { id: 1, role: 'production', output: 'Reset your password from the login page.' },
        { id: 1, role: 'shadow', output: 'Reset your password  from the login page.' },
        { id: 2, role: 'production', output: 'An orphan.' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const { code, stdout, stderr } = await runShadowCli(
      'analyze',
      '--pairs',
      join(registry.root, 'halves.jsonl'),
      '--model',
      'support-bot',
      '--root',
      registry.root,
      '--format',
      'json',
    );
    expect(code).toBe(1); // one pair: every interval straddles its limit
    expect(JSON.parse(stdout)).toMatchObject({
      unmatchedAnswers: 1,
      record: { outputs: { pairs: 1, exact: 0 } },
    });
    expect(stderr).toContain('1 answer(s) in');
  });
});
