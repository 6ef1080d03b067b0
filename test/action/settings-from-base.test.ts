// The Action's `command: validate` and `command: check` on a pull request (a base): the settings that judge
// the change come from the base, never from the change. Run in process through src/action/run.ts (the
// bundle is rebuilt by the lead; test/action/run.test.ts covers dist/), with INPUT_* variables, the
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files a runner provides, and real git repositories.
import { describe, expect, it } from 'vitest';
import { run } from '../../src/action/run.js';
import { inProcessStep } from '../helpers/action-step.js';
import type { TempRegistry } from '../helpers/registry.js';
import { ROUTER, stagedRegistryTemplate, writeRouterVersion } from '../helpers/staged-registry.js';

// Built once for this file (its cleanup removes it afterwards).
const stagedRegistry = stagedRegistryTemplate();

const SETTINGS = '.github/modelgate.yml';

interface Finding {
  rule: string;
  severity: string;
  file: string;
  message: string;
}

/** One Action step on the registry's working tree: its exit code, workflow commands, outputs, findings and summary. */
async function step(registry: TempRegistry, inputs: Record<string, string>) {
  const env: Record<string, string> = {
    GITHUB_WORKSPACE: registry.root,
    INPUT_ROOT: registry.root,
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
    ),
  };
  const result = await inProcessStep(env, run);
  return { ...result, findings: JSON.parse(result.outputs['findings-json'] ?? '[]') as Finding[] };
}

/** The pull request: ticket-router 1.3.0 at 51 % (production 1.1.0 holds 90 %), with its own settings. */
function pullRequest(settings: string) {
  const { registry, built: base } = stagedRegistry();
  registry.write(SETTINGS, settings);
  writeRouterVersion(registry, '1.3.0', 204);
  registry.commit('ticket-router 1.3.0');
  return { registry, base };
}

describe('the Action on a pull request: the base settings judge it', () => {
  // Before: the pull request's `stages: [canary]` made the failed canary 1.2.0 its baseline: a green check.
  it('command: check fails the regression against production whatever stages the change writes', async () => {
    const { registry, base } = pullRequest('stages: [canary]\n');
    const result = await step(registry, { command: 'check', base });
    expect(result.status).toBe(1);
    const gates = JSON.parse(result.outputs['gates-json']!) as {
      model: string;
      baseline?: { label: string };
      gates: { verdict: string }[];
    }[];
    const router = gates.find((g) => g.model === 'ticket-router')!;
    expect(router.baseline!.label).toContain('production 1.1.0');
    expect(router.gates[0]!.verdict).toBe('fail');
    expect(result.outputs['error-count']).toBe('1');
    expect(result.stdout).toContain('::error::modelgate check: 1 error(s)');
    // The note is an annotation on the settings file, and in the job summary.
    expect(result.stdout).toMatch(
      /::warning title=SETTINGS-BASE \(\.github\/modelgate\.yml\),file=\.github\/modelgate\.yml::this change edits/,
    );
    expect(result.findings.filter((f) => f.rule === 'SETTINGS-BASE')).toHaveLength(1);
    expect(result.summary).toContain('SETTINGS-BASE');
  });

  // Before: `manifests: [models/other/model.yaml]` validated 0 models and the step passed.
  it('command: validate checks the model the change hides from its own globs', async () => {
    const { registry, base } = pullRequest('manifests: [models/other/model.yaml]\n');
    registry.editJson('models/ticket-router/config.json', (c) => (c.vocab_size = 1000));
    registry.commit('shrink the router');
    const result = await step(registry, { command: 'validate', base });
    expect(result.status).toBe(1);
    expect(result.findings.filter((f) => f.severity === 'error').map((f) => [f.rule, f.file])).toContainEqual(
      ['VOCAB-FITS', ROUTER],
    );
    expect(result.stdout).toContain('1 model(s) validated');
  });

  it('fails the step naming the base settings file when it does not parse', async () => {
    const { registry } = stagedRegistry();
    registry.write(SETTINGS, 'stages: [canary, canary]\n');
    const base = registry.commit('broken settings');
    registry.write(SETTINGS, 'stages: [canary, production]\n');
    registry.commit('the pull request repairs them for itself');
    for (const command of ['validate', 'check']) {
      const result = await step(registry, { command, base });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(
        `::error::${SETTINGS} at the base ${base.slice(0, 12)}: stages: stages must be unique (With a base, the settings there decide how a change is judged`,
      );
      expect(result.outputs).toEqual({});
    }
  });

  it('reads the working tree settings when there is no base (a push to the default branch)', async () => {
    const { registry } = pullRequest('stages: [canary]\n');
    const result = await step(registry, { command: 'check' });
    const gates = JSON.parse(result.outputs['gates-json']!) as {
      model: string;
      baseline?: { label: string };
    }[];
    expect(gates.find((g) => g.model === 'ticket-router')!.baseline!.label).toContain('canary 1.2.0');
    expect(result.status).toBe(0);
    expect(result.findings.filter((f) => f.rule === 'SETTINGS-BASE')).toEqual([]);
  });
});
