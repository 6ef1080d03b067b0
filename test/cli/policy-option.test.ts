import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { TempRegistry } from '../helpers/registry.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'registry');
const CANARY_RECORDING = join(EXAMPLES, 'canary', 'support-bot-1.3.0.json');

/** A policy file in a temporary folder. */
function policyFile(text: string): string {
  return TempRegistry.create().write('policy.yaml', text).root + '/policy.yaml';
}

describe('--policy: judging a recording with other policy blocks than the manifest has', () => {
  it('replaces the manifest canary block for this run: a looser threshold no longer fails the bad interval', async () => {
    const strict = await runCli(
      'canary',
      'analyze',
      '--root',
      EXAMPLES,
      '--metrics',
      CANARY_RECORDING,
      '--format',
      'json',
    );
    expect(strict.code).toBe(1);
    const loose = policyFile(`canary:
  steps: [5, 25, 50, 100]
  interval: 10m
  failure_limit: 5
  metrics:
    - name: error_rate
      query: sum(rate(llm_requests_total{model="{{model}}",version="{{version}}",code=~"5.."}[5m]))
      max: 0.5
`);
    const tried = await runCli(
      'canary',
      'analyze',
      '--root',
      EXAMPLES,
      '--metrics',
      CANARY_RECORDING,
      '--policy',
      loose,
      '--format',
      'json',
    );
    expect(tried.stderr).toBe('');
    expect(JSON.parse(tried.stdout).state.status).not.toBe('failed');
    expect(JSON.parse(strict.stdout).state.status).toBe('failed');
  });

  it('tries the example A/B policy on the example recording: B is promoted (exit 0)', async () => {
    const { code, stderr } = await runCli(
      'ab',
      'analyze',
      '--root',
      EXAMPLES,
      '--counts',
      join(EXAMPLES, 'ab', 'support-bot-1.3.0.json'),
      '--policy',
      join(EXAMPLES, 'ab', 'policy.yaml'),
    );
    expect({ code, stderr }).toEqual({
      code: 0,
      stderr: 'modelgate: serving health not recorded: judged on the product metric alone\n',
    });
  });

  it('refuses a key that is not a policy block: a policy file never renames the model or changes its artifacts', async () => {
    const file = policyFile('name: someone-else\ncanary: { steps: [100] }\n');
    const { code, stderr } = await runCli(
      'canary',
      'analyze',
      '--root',
      EXAMPLES,
      '--metrics',
      CANARY_RECORDING,
      '--policy',
      file,
    );
    expect(code).toBe(2);
    expect(stderr).toBe(
      `modelgate: --policy ${file}: name is not a policy block\n  fix: Put only canary, rollout, guard blocks in ${file}, as in a manifest (docs/manifest.md).\n`,
    );
  });

  it('checks the blocks with the manifest schema: a shadow without canary.metrics is refused with the rule', async () => {
    const file = policyFile('canary: { steps: [100] }\nrollout: { strategy: shadow }\n');
    const { code, stderr } = await runCli(
      'shadow',
      'analyze',
      '--root',
      EXAMPLES,
      '--pairs',
      join(EXAMPLES, 'shadow', 'support-bot-1.3.0.pairs.jsonl'),
      '--model',
      'support-bot',
      '--policy',
      file,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(
      new RegExp(
        `^modelgate: --policy ${file} does not fit models/support-bot/model.yaml: .*canary\\.metrics`,
      ),
    );
  });

  it('a policy file that is not YAML, or not there, is exit 2 naming it', async () => {
    const broken = policyFile('rollout: [unclosed\n');
    const bad = await runCli(
      'canary',
      'analyze',
      '--root',
      EXAMPLES,
      '--metrics',
      CANARY_RECORDING,
      '--policy',
      broken,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      new RegExp(`^modelgate: --policy ${broken} cannot be used: not valid YAML \\(`),
    );
    const missing = await runCli(
      'canary',
      'analyze',
      '--root',
      EXAMPLES,
      '--metrics',
      CANARY_RECORDING,
      '--policy',
      '/nonexistent/policy.yaml',
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^modelgate: --policy \/nonexistent\/policy\.yaml cannot be used: cannot be read \(ENOENT/,
    );
  });
});
