// With --base, the settings that judge a change come from the base, never from the change itself
// (docs/trust-model.md: "settings of a change" are judged, never decide how they are judged).
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { TempRegistry } from '../helpers/registry.js';
import { OTHER, ROUTER, stagedRegistryTemplate, writeRouterVersion } from '../helpers/staged-registry.js';

// Built once for this file (its cleanup removes it afterwards).
const stagedRegistry = stagedRegistryTemplate();

const SETTINGS = '.github/modelgate.yml';

const routerGates = (report: JsonReport) => report.gates.find((g) => g.model === 'ticket-router')!;

interface JsonReport {
  models: { name: string }[];
  findings: { rule: string; severity: string; file: string; message: string }[];
  gates: { model: string; baseline?: { label: string }; gates: { metric: string; verdict: string }[] }[];
  summary: { errors: number; warnings: number; validated: number; manifests: number };
}

async function run(registry: TempRegistry, command: 'check' | 'validate', base?: string) {
  const result = await runCli(
    command,
    '--root',
    registry.root,
    ...(base ? ['--base', base] : []),
    '--format',
    'json',
  );
  return { ...result, report: result.stdout ? (JSON.parse(result.stdout) as JsonReport) : undefined };
}

/** The pull request: ticket-router 1.3.0 at 51 % (a regression from production's 90 %), committed on branch pr. */
function regression(registry: TempRegistry, settings?: string) {
  if (settings !== undefined) registry.write(SETTINGS, settings);
  writeRouterVersion(registry, '1.3.0', 204);
  registry.commit('ticket-router 1.3.0');
}

const settingsNotes = (report: JsonReport) => report.findings.filter((f) => f.rule === 'SETTINGS-BASE');

describe('modelgate check --base: the baseline stage comes from the base settings', () => {
  it('fails the regression against production when the change sets no stages (the control)', async () => {
    const { registry, built: base } = stagedRegistry();
    regression(registry);
    const { code, report } = await run(registry, 'check', base);
    expect(code).toBe(1);
    expect(routerGates(report!).baseline!.label).toContain('production 1.1.0');
    expect(routerGates(report!).gates[0]).toMatchObject({ metric: 'acc', verdict: 'fail' });
    expect(settingsNotes(report!)).toEqual([]);
  });

  // Before: `stages: [canary]` made the failed canary 1.2.0 (50 %) the baseline and the gate passed (exit 0);
  // a stage nobody holds made the baseline fall back to the base ref (1.2.0 again).
  it.each([
    ['the stage the failed canary holds', 'stages: [canary]\n', 'canary'],
    ['a stage no version holds', 'stages: [canary, nobody]\n', 'canary, nobody'],
  ])('still fails it when the change names %s as production, and says so', async (_, settings, listed) => {
    const { registry, built: base } = stagedRegistry();
    regression(registry, settings);
    const { code, report } = await run(registry, 'check', base);
    expect(code).toBe(1);
    expect(routerGates(report!).baseline!.label).toContain('production 1.1.0');
    expect(routerGates(report!).gates[0]).toMatchObject({ metric: 'acc', verdict: 'fail' });
    const [note] = settingsNotes(report!);
    expect(note).toMatchObject({ severity: 'warning', file: SETTINGS });
    expect(note!.message).toBe(
      `this change edits ${SETTINGS}; it was judged with ${SETTINGS} at the base ${base.slice(0, 12)} instead: ` +
        `stages [canary, production] (the baseline is the version in production), not this change's [${listed}]. ` +
        "The change's settings take effect once it is merged.",
    );
  });

  it('keeps the note in `modelgate gate`, which reports only what the gates stand on', async () => {
    const { registry, built: base } = stagedRegistry();
    regression(registry, 'stages: [canary]\n');
    const { code, stdout } = await runCli('gate', '--root', registry.root, '--base', base);
    expect(code).toBe(1);
    expect(stdout).toContain('SETTINGS-BASE');
    expect(stdout).toMatch(/warn +SETTINGS-BASE +this change edits \.github\/modelgate\.yml/);
  });

  it('honours the working tree settings without --base (a push to the default branch, a local run)', async () => {
    const { registry } = stagedRegistry();
    regression(registry, 'stages: [canary]\n');
    const { code, report } = await run(registry, 'check');
    // No base: the registry's own settings decide; canary 1.2.0 is the last stage, so the baseline.
    expect(routerGates(report!).baseline!.label).toContain('canary 1.2.0');
    expect(routerGates(report!).gates[0]).toMatchObject({ metric: 'acc', verdict: 'pass' });
    expect(code).toBe(0);
    expect(settingsNotes(report!)).toEqual([]);
  });

  it('uses the stages the base configures, and says nothing when the change keeps them', async () => {
    const { registry } = stagedRegistry();
    // Main configures its stages; the change touches other settings only.
    registry.write(SETTINGS, 'stages: [canary, production]\n');
    const base = registry.commit('settings');
    regression(registry, 'stages: [canary, production]\nchatops: { permission: maintain }\n');
    const { code, report } = await run(registry, 'check', base);
    expect(code).toBe(1);
    expect(settingsNotes(report!)).toEqual([]);
  });
});

describe('modelgate validate/check --base: the models checked are never fewer than the base settings find', () => {
  // Before: `manifests: [models/other/model.yaml]` left ticket-router out: 0 models validated, exit 0.
  it.each([
    ['names only another model', 'manifests: [models/other/model.yaml]\n'],
    // Negations are global within one list: a concatenation of the two lists would still hide the model.
    [
      'excludes the model with a negation',
      "manifests: ['models/**/model.yaml', '!models/ticket-router/**']\n",
    ],
  ])('check still judges the changed model when the change %s', async (_, settings) => {
    const { registry, built: base } = stagedRegistry();
    regression(registry, settings);
    const { code, report } = await run(registry, 'check', base);
    expect(code).toBe(1);
    expect(report!.models.map((m) => m.name)).toEqual(['ticket-router']);
    expect(routerGates(report!).gates[0]).toMatchObject({ metric: 'acc', verdict: 'fail' });
    expect(report!.summary).toMatchObject({ manifests: 2, validated: 1 });
    expect(settingsNotes(report!)[0]!.message).toContain(
      "manifests: every model the base's globs [models/**/model.yaml] find is checked, and every model this change's [",
    );
  });

  it('validate still finds the broken model the change hides from its own globs', async () => {
    const { registry, built: base } = stagedRegistry();
    registry.write(SETTINGS, 'manifests: [models/other/model.yaml]\n');
    // vocab.txt has 30,522 entries: a vocab_size of 1,000 cannot hold them.
    registry.editJson('models/ticket-router/config.json', (c) => (c.vocab_size = 1000));
    registry.commit('shrink the router');
    const { code, report } = await run(registry, 'validate', base);
    expect(code).toBe(1);
    expect(
      report!.findings.filter((f) => f.severity === 'error').map((f) => [f.rule, f.file]),
    ).toContainEqual(['VOCAB-FITS', ROUTER]);
    expect(report!.summary.validated).toBe(1);
  });

  it('checks a model the change adds under a glob of its own', async () => {
    const { registry, built: base } = stagedRegistry();
    registry.write(SETTINGS, "manifests: ['models/**/model.yaml', 'experimental/*/model.yaml']\n");
    cpSync(join(registry.root, 'models/other'), join(registry.root, 'experimental/draft'), {
      recursive: true,
    });
    registry.write(
      'experimental/draft/model.yaml',
      registry.read('experimental/draft/model.yaml').replace('name: other', 'name: draft'),
    );
    registry.commit('a draft model');
    const { code, report } = await run(registry, 'validate', base);
    expect(report!.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
    expect(report!.models.map((m) => m.name)).toEqual(['draft']);
    expect(report!.summary).toMatchObject({ manifests: 3, validated: 1 });
  });

  it('validates a model the change brings under its globs without touching its files', async () => {
    const { registry } = stagedRegistry();
    // On main, a model no glob finds: never checked, never released.
    registry.copy(`${registry.root}/${OTHER}`, 'experimental/draft/model.yaml');
    registry.write(
      'experimental/draft/model.yaml',
      registry.read('experimental/draft/model.yaml').replace('name: other', 'name: draft'),
    );
    const base = registry.commit('an unchecked draft');
    registry.write(SETTINGS, "manifests: ['models/**/model.yaml', 'experimental/*/model.yaml']\n");
    registry.commit('check the drafts');
    const { code, report } = await run(registry, 'validate', base);
    // The draft's artifacts were never there: the change that makes it a model must say so.
    expect(code).toBe(1);
    expect(report!.findings.filter((f) => f.rule === 'ARTIFACT-MISSING').map((f) => f.file)).toContain(
      'experimental/draft/model.yaml',
    );
  });
});

describe('modelgate validate/check --base: settings that cannot be read', () => {
  it('stops with exit 2 naming the file at the base when the base settings are invalid', async () => {
    const { registry } = stagedRegistry();
    registry.write(SETTINGS, 'stages: [canary, canary]\n');
    const base = registry.commit('broken settings');
    registry.write(SETTINGS, 'stages: [canary, production]\n');
    regression(registry);
    for (const command of ['check', 'validate'] as const) {
      const { code, stdout, stderr } = await run(registry, command, base);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `modelgate: ${SETTINGS} at the base ${base.slice(0, 12)}: stages: stages must be unique\n` +
          `  fix: With a base, the settings there decide how a change is judged, so a change cannot repair them for itself: fix ${SETTINGS} on ${base} first (a regular file of at most 64 KiB that parses; check it with modelgate validate, without --base). ` +
          'manifests is a glob or a list of globs; stages a list of stage names; environments maps a stage to a GitHub environment; chatops sets permission (none|read|triage|write|maintain|admin), commands.<rollback|promote|canary|guard|status|help>.{permission,teams} and unknown_commands (reply|ignore); deploy sets gateway_api, kserve or nginx (docs/deploy.md); tracking sets registry.{mirror,models,aliases} (docs/tracking.md); endpoints sets url, preview_url and model (docs/strategies.md); shadow sets outputs (preset or query) and judge (docs/shadow.md).\n',
      );
    }
  });

  it('names the branch and its merge base when the base is a branch name, and refuses a settings file too large to be one', async () => {
    const { registry } = stagedRegistry();
    registry.git('checkout', '-q', 'main');
    registry.write(SETTINGS, `# ${'x'.repeat(70 * 1024)}\n`);
    const main = registry.commit('a huge settings file');
    registry.git('checkout', '-qB', 'pr');
    regression(registry, 'stages: [canary, production]\n'); // a change cannot repair the base's file for itself
    registry.git('checkout', '-q', 'main');
    registry.commit('main moves on'); // the base branch is ahead: its merge base with the pull request decides
    registry.git('checkout', '-q', 'pr');
    const { code, stderr } = await run(registry, 'check', 'main');
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(
      `modelgate: ${SETTINGS} at the base main (merge base ${main.slice(0, 12)}) cannot be read: ` +
        `it is ${70 * 1024 + 3} bytes at ${main}, more than the 65536 read for this kind of file`,
    );
  });

  it('still stops on the change own broken settings file, as without a base', async () => {
    const { registry, built: base } = stagedRegistry();
    regression(registry, 'stagez: [canary]\n');
    const { code, stderr } = await run(registry, 'check', base);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(`modelgate: ${SETTINGS}: stagez: unknown setting`);
  });
});
