import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { harnessResults, harnessSamples, scores } from '../helpers/lm-eval.js';
import { addRealModel } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

// GTO registers a version as name@v1.2.3 or, with `gto register --simple false` or when a version is
// registered again after a deregistration, as name@v1.2.3#N. Either is the release: modelgate reads
// it where GTO says it was registered, never at a simple tag that is not there (or no longer counts).

const MANIFEST = 'models/gpt2/model.yaml';
const GATEWAY = {
  gateway_api: {
    namespace: 'llm',
    parents: [{ name: 'gw' }],
    port: 8000,
    gitops: { repository: 'acme/gitops', branch: 'main', path: 'routes/{model}.yaml' },
  },
};
const EVAL = {
  results: [{ path: 'evals/results.json', samples: { arc_easy: 'evals/samples_arc_easy.jsonl' } }],
  gates: [{ metric: 'arc_easy/acc', max_drop: 0.02 }],
};

/** gpt2 at `version`, with `right` of 400 arc_easy documents scored right. */
function writeVersion(registry: TempRegistry, version: string, right: number) {
  registry.write('models/gpt2/evals/samples_arc_easy.jsonl', harnessSamples('arc_easy', scores(400, right)));
  const manifest = parse(registry.read(MANIFEST)) as Record<string, any>;
  registry.write(MANIFEST, stringify({ ...manifest, version, eval: EVAL }));
}

/** A registry with gpt2's real files and harness results, nothing committed yet. */
function gpt2Registry(): TempRegistry {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2');
  registry.write('models/gpt2/evals/results.json', harnessResults());
  return registry;
}

function registry1() {
  const registry = gpt2Registry();
  writeVersion(registry, '1.0.0', 320);
  return { registry, v1: registry.commit('gpt2 1.0.0') };
}

/**
 * `check` of a change to 1.1.1 (`right` of 400) whose base already holds 1.1.0 with the same results: so
 * its gates compare with the version in production, not with the base.
 */
async function checkNext(registry: TempRegistry, right: number) {
  writeVersion(registry, '1.1.0', right);
  const base = registry.commit('gpt2 1.1.0');
  registry.write('models/gpt2/README.md', 'docs');
  writeVersion(registry, '1.1.1', right);
  return checkJson(registry, base);
}

async function checkJson(registry: TempRegistry, base: string) {
  const run = await runCli('check', '--root', registry.root, '--base', base, '--format', 'json');
  return { code: run.code, stderr: run.stderr, report: run.stdout ? JSON.parse(run.stdout) : undefined };
}

describe('a version GTO registered with a numbered tag (name@v1.0.0#1)', () => {
  it('is the production baseline of check, read at that tag', async () => {
    const { registry, v1 } = registry1();
    registry.tag('gpt2@v1.0.0#1', { commit: v1, date: 1_760_000_000 });
    registry.tag('gpt2#production#2', { commit: v1, date: 1_760_000_001 });
    const { code, stderr, report } = await checkNext(registry, 250);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(report.gates[0].baseline).toEqual({
      label: 'production 1.0.0 (gpt2#production#2)',
      version: '1.0.0',
    });
    expect(report.gates[0].gates[0]).toMatchObject({ verdict: 'fail', comparison: { delta: -0.175 } });
  });

  it('is compared with when a change keeps its version: other content is VERSION-EXISTS, naming the tag', async () => {
    const { registry, v1 } = registry1();
    registry.tag('gpt2@v1.0.0#1', { commit: v1, date: 1_760_000_000 });
    writeVersion(registry, '1.0.0', 300);
    const { code, report } = await checkJson(registry, v1);
    expect(code).toBe(1);
    const finding = report.findings.find((f: { rule: string }) => f.rule === 'VERSION-EXISTS');
    expect(finding.message).toMatch(
      /^gpt2 1\.0\.0 is already released \(tag gpt2@v1\.0\.0#1\) with different content: models\/gpt2\/evals\/samples_arc_easy\.jsonl/,
    );
  });

  it('is rolled back to only once its simple tag, which deployments name, exists; then restored exactly', async () => {
    const { registry, v1 } = registry1();
    registry.tag('gpt2@v1.0.0#1', { commit: v1, date: 1_760_000_000 });
    registry.tag('gpt2#production#2', { commit: v1, date: 1_760_000_001 });
    writeVersion(registry, '1.1.0', 360);
    registry.commit('gpt2 1.1.0');
    const samples = 'models/gpt2/evals/samples_arc_easy.jsonl';
    // Restored without it, the revert would merge and its release refuse to deploy it.
    const refused = await runCli('rollback', 'gpt2', '--root', registry.root);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      "cannot roll back to 1.0.0 (the last release before 1.1.0 that reached production; or name another version to roll back to): gpt2 1.0.0 is registered as gpt2@v1.0.0#1 (GTO's numbered registration), and deployments name a release by its simple tag gpt2@v1.0.0, which does not exist",
    );
    expect(refused.stderr).toContain(
      `git tag -a -m "Registering gpt2 1.0.0" gpt2@v1.0.0 'gpt2@v1.0.0#1^{commit}'`,
    );
    expect(registry.read(samples)).toBe(harnessSamples('arc_easy', scores(400, 360)));

    registry.tag('gpt2@v1.0.0', { commit: v1, date: 1_760_000_100 });
    const { code, stdout, stderr } = await runCli('rollback', 'gpt2', '--root', registry.root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(
      'gpt2: 1.1.0 -> 1.0.0 (the last release before 1.1.0 that reached production, tag gpt2@v1.0.0)',
    );
    expect(registry.read(samples)).toBe(harnessSamples('arc_easy', scores(400, 320)));
  });

  it('restored by hand fails validate --base with the fix, not the release after the merge', async () => {
    const { registry, v1 } = registry1();
    registry.tag('gpt2@v1.0.0#1', { commit: v1, date: 1_760_000_000 });
    writeVersion(registry, '1.1.0', 360);
    const v2 = registry.commit('gpt2 1.1.0');
    registry.tag('gpt2@v1.1.0', { commit: v2, date: 1_760_000_100 });
    registry.git('checkout', v1, '--', 'models/gpt2');
    const validated = await runCli('validate', '--root', registry.root, '--base', v2);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toContain(
      "error SEMVER-BUMP      gpt2 restores 1.0.0, which no deployment could name: gpt2 1.0.0 is registered as gpt2@v1.0.0#1 (GTO's numbered registration), and deployments name a release by its simple tag gpt2@v1.0.0, which does not exist",
    );
    expect(validated.stdout).toContain(
      `fix: Create the simple tag on the same commit and push it: git tag -a`,
    );
    registry.tag('gpt2@v1.0.0', { commit: v1, date: 1_760_000_200 });
    const fixed = await runCli('validate', '--root', registry.root, '--base', v2);
    expect(fixed.stdout).toContain('restores a released version');
    expect(fixed.code).toBe(0);
  });

  it('registered again at another commit is read where it was registered last, not at its old simple tag', async () => {
    const { registry, v1 } = registry1(); // 320 of 400 at the first registration
    registry.tag('gpt2@v1.0.0', { commit: v1, date: 1_760_000_000 });
    registry.tag('gpt2@v1.0.0!#2', { commit: v1, date: 1_760_000_001 });
    writeVersion(registry, '1.0.0', 360);
    const again = registry.commit('gpt2 1.0.0 rebuilt');
    registry.tag('gpt2@v1.0.0#3', { commit: again, date: 1_760_000_002 });
    registry.tag('gpt2#production#4', { commit: again, date: 1_760_000_003 });
    const { report } = await checkNext(registry, 340);
    // 340 against the 360 of the version production runs: a drop of 0.05. Read at the old simple
    // tag (320), the same change would pass as a gain.
    expect(report.gates[0].gates[0]).toMatchObject({ verdict: 'fail', comparison: { delta: -0.05 } });
  });

  it('whose only registration tag cannot be read is never passed as compared', async () => {
    const { registry, v1 } = registry1();
    registry.tag('gpt2@v1.0.0#1', { commit: registry.treeOf(v1), date: 1_760_000_000 });
    writeVersion(registry, '1.0.0', 300);
    const { code, report } = await checkJson(registry, v1);
    expect(code).toBe(1);
    const finding = report.findings.find((f: { rule: string }) => f.rule === 'VERSION-EXISTS');
    expect(finding.message).toBe(
      'gpt2 1.0.0 is already released (tag gpt2@v1.0.0#1), and this change cannot be compared with that release: its registration tag gpt2@v1.0.0#1 cannot be read: it tags a tree, not a commit',
    );
  });

  it('a merge that restores it is refused with the command that makes it deployable; then it is released', async () => {
    const { registry, v1 } = registry1();
    registry.tag('gpt2@v1.0.0#1', { commit: v1, date: 1_760_000_000 });
    registry.tag('gpt2#canary#2', { commit: v1, date: 1_760_000_001 });
    writeVersion(registry, '1.1.0', 360);
    const v2 = registry.commit('gpt2 1.1.0');
    registry.tag('gpt2@v1.1.0', { commit: v2, date: 1_760_000_100 });
    registry.git('revert', '--no-edit', 'HEAD');
    const tags = registry.git('tag', '--list');

    const refused = await runCli('release', '--root', registry.root, '--base', v2);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "refused gpt2 1.0.0 (models/gpt2/model.yaml): gpt2 1.0.0 is registered as gpt2@v1.0.0#1 (GTO's numbered registration), and deployments name a release by its simple tag gpt2@v1.0.0, which does not exist\n" +
        `    fix: Create the simple tag on the same commit and push it: git tag -a -m "Registering gpt2 1.0.0" gpt2@v1.0.0 'gpt2@v1.0.0#1^{commit}' && git push origin gpt2@v1.0.0\n`,
    );
    expect(registry.git('tag', '--list')).toBe(tags);

    // The fix, as it says (without the push: this registry has no remote).
    registry.git('tag', '-a', '-m', 'Registering gpt2 1.0.0', 'gpt2@v1.0.0', 'gpt2@v1.0.0#1^{commit}');
    const released = await runCli('release', '--root', registry.root, '--base', v2);
    expect(released.stderr).toBe('');
    expect(released.code).toBe(0);
    expect(released.stdout).toContain(
      `+ done     tag gpt2#canary#3 (gpt2 1.0.0 -> canary) on ${v1.slice(0, 12)}`,
    );
  });

  it('is promoted only once its simple tag exists: a stage no deployment could serve is refused with the fix', async () => {
    const { registry, v1 } = registry1();
    registry.tag('gpt2@v1.0.0#1', { commit: v1, date: 1_760_000_000 });
    const refused = await runCli('promote', 'gpt2', '1.0.0', 'canary', '--root', registry.root);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('cannot promote gpt2 1.0.0: gpt2 1.0.0 is registered as gpt2@v1.0.0#1');
    expect(refused.stderr).toContain(`fix: Create the simple tag on the same commit and push it: git tag -a`);
    expect(registry.git('tag', '--list', 'gpt2#*')).toBe('');
    registry.git('tag', '-a', '-m', 'Registering gpt2 1.0.0', 'gpt2@v1.0.0', 'gpt2@v1.0.0#1^{commit}');
    const promoted = await runCli('promote', 'gpt2', '1.0.0', 'canary', '--root', registry.root);
    expect(promoted.stderr).toBe('');
    expect(promoted.stdout).toContain(`created gpt2#canary#2 on ${v1.slice(0, 12)}`);
  });

  it('is refused by modelgate deploy with the same fix, not rendered under a tag the deployer refuses', async () => {
    const { registry, v1 } = registry1();
    registry.write('.github/modelgate.yml', stringify({ deploy: GATEWAY }));
    registry.commit('deploy settings');
    registry.tag('gpt2@v1.0.0#1', { commit: v1, date: 1_760_000_000 });
    const { code, stdout, stderr } = await runCli('deploy', 'gpt2', '1.0.0', '--root', registry.root);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "modelgate: gpt2 1.0.0 is registered as gpt2@v1.0.0#1 (GTO's numbered registration), and deployments name a release by its simple tag gpt2@v1.0.0, which does not exist\n" +
        `  fix: Create the simple tag on the same commit and push it: git tag -a -m "Registering gpt2 1.0.0" gpt2@v1.0.0 'gpt2@v1.0.0#1^{commit}' && git push origin gpt2@v1.0.0\n`,
    );
    expect(code).toBe(2);
  });

  it("registered again on the same commit (GTO's own way) is restored and deployed under its simple tag", async () => {
    const { registry, v1 } = registry1();
    registry.tag('gpt2@v1.0.0', { commit: v1, date: 1_760_000_000 });
    registry.tag('gpt2@v1.0.0!#2', { commit: v1, date: 1_760_000_001 });
    registry.tag('gpt2@v1.0.0#3', { commit: v1, date: 1_760_000_002 });
    registry.tag('gpt2#canary#4', { commit: v1, date: 1_760_000_003 });
    writeVersion(registry, '1.1.0', 360);
    const v2 = registry.commit('gpt2 1.1.0');
    registry.tag('gpt2@v1.1.0', { commit: v2, date: 1_760_000_100 });
    registry.git('revert', '--no-edit', 'HEAD');

    const released = await runCli('release', '--root', registry.root, '--base', v2);
    expect(released.stderr).toBe('');
    expect(released.code).toBe(0);
    expect(released.stdout).toContain(
      `+ done     tag gpt2#canary#5 (gpt2 1.0.0 -> canary) on ${v1.slice(0, 12)}`,
    );
    registry.write('.github/modelgate.yml', stringify({ deploy: GATEWAY }));
    const deployed = await runCli('deploy', 'gpt2', '1.0.0', '--root', registry.root);
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toContain('kind: HTTPRoute');
  });

  it('registered by GTO as name@v1.1.0#N on the merge commit gets its simple tag from the release', async () => {
    const { registry, v1 } = registry1();
    registry.tag('gpt2@v1.0.0', { commit: v1, date: 1_760_000_000 });
    writeVersion(registry, '1.1.0', 360);
    const merge = registry.commit('gpt2 1.1.0');
    registry.tag('gpt2@v1.1.0#2', { commit: merge, date: 1_760_000_100 });

    const released = await runCli('release', '--root', registry.root, '--base', v1);
    expect(released.code).toBe(0);
    // The release and its Deployment name the simple tag: it must exist, on the merge commit.
    expect(registry.git('rev-parse', 'gpt2@v1.1.0^{commit}')).toBe(merge);
  });

  it('a registration withdrawn again (deregistered) is never read: the version is read where it is still registered', async () => {
    const { registry, v1 } = registry1(); // 320 of 400 right
    registry.tag('gpt2@v1.0.0', { commit: v1, date: 1_760_000_000 });
    registry.tag('gpt2#production#1', { commit: v1, date: 1_760_000_001 });
    writeVersion(registry, '1.0.0', 250);
    const mistake = registry.commit('gpt2 1.0.0, registered by mistake');
    registry.tag('gpt2@v1.0.0#2', { commit: mistake, date: 1_760_000_002 });
    registry.tag('gpt2@v1.0.0!#3', { commit: mistake, date: 1_760_000_003 });
    const { report } = await checkNext(registry, 250);
    expect(report.gates[0].gates[0]).toMatchObject({ verdict: 'fail', comparison: { delta: -0.175 } });

    registry.commit('gpt2 1.1.1');
    const rolledBack = await runCli('rollback', 'gpt2', '--to', '1.0.0', '--root', registry.root);
    expect(rolledBack.code).toBe(0);
    expect(registry.read('models/gpt2/evals/samples_arc_easy.jsonl')).toBe(
      harnessSamples('arc_easy', scores(400, 320)),
    );
  });
});

/**
 * Commits gpt2 at `version` (`right` of 400), tags it `gpt2@v<version>` at `date` and assigns it to
 * each of `stages` (`[stage, N]`), a second apart. Returns the commit.
 */
function release(
  registry: TempRegistry,
  version: string,
  right: number,
  date: number,
  stages: [string, number][] = [],
): string {
  writeVersion(registry, version, right);
  const commit = registry.commit(`gpt2 ${version}`);
  registry.tag(`gpt2@v${version}`, { commit, date });
  for (const [i, [stage, n]] of stages.entries())
    registry.tag(`gpt2#${stage}#${n}`, { commit, date: date + i + 1 });
  return commit;
}

/**
 * gpt2 0.9.0 and 1.0.0 (on `first`) reached production; 1.0.0 was then deregistered and registered
 * again on other content (`again`, never deployed); 1.1.0 is checked out.
 */
function registeredAgain() {
  const registry = gpt2Registry();
  const older = release(registry, '0.9.0', 300, 1_760_000_000, [
    ['canary', 1],
    ['production', 2],
  ]);
  const first = release(registry, '1.0.0', 320, 1_760_000_010, [
    ['canary', 3],
    ['production', 4],
  ]);
  registry.tag('gpt2@v1.0.0!#5', { commit: first, date: 1_760_000_013 });
  writeVersion(registry, '1.0.0', 200);
  const again = registry.commit('gpt2 1.0.0, other content');
  registry.tag('gpt2@v1.0.0#6', { commit: again, date: 1_760_000_014 });
  const current = release(registry, '1.1.0', 360, 1_760_000_020);
  return { registry, older, first, again, current };
}

describe('a version registered again on other content (a deregistration between)', () => {
  it('is rolled back to as that content: the production the earlier registration reached does not count for it', async () => {
    const { registry } = registeredAgain();
    const planned = await runCli('rollback', 'gpt2', '--plan', '--root', registry.root);
    expect(planned.stderr).toBe('');
    expect(planned.stdout).toContain(
      'gpt2: 1.1.0 -> 0.9.0 (the last release before 1.1.0 that reached production, tag gpt2@v0.9.0)',
    );
  });

  it('is refused as a rollback target by name, with the reason the release would refuse it', async () => {
    const { registry, first } = registeredAgain();
    const asked = await runCli('rollback', 'gpt2', '--to', '1.0.0', '--root', registry.root);
    expect(asked.code).not.toBe(0);
    expect(asked.stderr).toBe(
      `modelgate: cannot roll back to 1.0.0: gpt2 1.0.0 was registered again as gpt2@v1.0.0#6, and its simple tag gpt2@v1.0.0, which deployments name, is the earlier registration on ${first.slice(0, 12)}\n` +
        '  fix: Release this content as a new version: gpt2@v1.0.0 cannot be moved (released versions are immutable).\n',
    );
    expect(registry.read('models/gpt2/evals/samples_arc_easy.jsonl')).toBe(
      harnessSamples('arc_easy', scores(400, 360)),
    );
  });

  it('is deregistered as its current registration, on its own commit, and never promoted: no deployment could name it', async () => {
    const { registry, again, first } = registeredAgain();
    const canary = await runCli('promote', 'gpt2', '1.0.0', 'canary', '--dry-run', '--root', registry.root);
    expect(canary.stdout).toBe('');
    expect(canary.stderr).toContain(
      `cannot promote gpt2 1.0.0: gpt2 1.0.0 was registered again as gpt2@v1.0.0#6, and its simple tag gpt2@v1.0.0, which deployments name, is the earlier registration on ${first.slice(0, 12)}`,
    );
    // Its canary was the earlier content's: this content never was in canary.
    registry.write('.github/modelgate.yml', stringify({ stages: ['canary', 'production'] }));
    const production = await runCli(
      'promote',
      'gpt2',
      '1.0.0',
      'production',
      '--dry-run',
      '--root',
      registry.root,
    );
    expect(production.stderr).toContain('gpt2 1.0.0 was never in canary, which comes before production');
    const deregistered = await runCli('deprecate', 'gpt2', '1.0.0', '--dry-run', '--root', registry.root);
    expect(deregistered.stderr).toBe('');
    expect(deregistered.stdout).toContain(again.slice(0, 12));
  });
});

/** gpt2 1.0.0 (v1) and 1.1.0 (v2), each released and in production in turn; 1.1.0 checked out. */
function bothInProduction() {
  const registry = gpt2Registry();
  const v1 = release(registry, '1.0.0', 320, 1_760_000_000, [['production', 1]]);
  const v2 = release(registry, '1.1.0', 360, 1_760_000_100, [['production', 2]]);
  return { registry, v1, v2 };
}

describe('a version deregistered after it was released', () => {
  it('is no rollback: a change restoring its content fails validate, and the release refuses it (nothing deploys it)', async () => {
    const { registry, v1, v2 } = bothInProduction();
    registry.tag('gpt2@v1.0.0!#3', { commit: v1, date: 1_760_000_102 });
    registry.git('checkout', v1, '--', 'models/gpt2');
    registry.commit('gpt2 back to 1.0.0 by hand');

    const validated = await runCli('validate', '--root', registry.root, '--base', v2);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toContain(
      'error SEMVER-BUMP      gpt2 1.1.0 -> 1.0.0: 1.0.0 is a release GTO holds deregistered, so its content is no rollback and nothing may assign or deploy it',
    );
    expect(validated.stdout).toContain(
      'fix: Release this content as a new version (1.1.1 or later, above every release)',
    );
    expect(validated.stdout).not.toContain('the content differs');

    const tags = registry.git('tag', '--list');
    const released = await runCli('release', '--root', registry.root, '--base', v2);
    expect(released.code).not.toBe(0);
    expect(released.stdout + released.stderr).toContain('1.0.0 is a release GTO holds deregistered');
    expect(released.stdout).not.toContain('deployment');
    expect(registry.git('tag', '--list')).toBe(tags);
  });

  it('is never assigned again by a release without a base, even at the commit that registered it', async () => {
    const { registry, v2 } = bothInProduction();
    registry.tag('gpt2@v1.1.0!#3', { commit: v2, date: 1_760_000_102 });
    // A manual run (no base) at the commit that registered 1.1.0, after it was deregistered.
    const tags = registry.git('tag', '--list');
    const released = await runCli('release', '--root', registry.root);
    expect(released.stderr).toBe('');
    expect(released.code).toBe(0);
    expect(released.stdout).not.toContain('canary');
    expect(registry.git('tag', '--list')).toBe(tags);
  });
});
