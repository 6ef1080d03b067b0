import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { registryTemplate, type TempRegistry } from '../helpers/registry.js';
import { fixturePath } from '../setup/fixture-packages.js';

// Security review F1: `m` 1.0.0 is released from models/m; a pull request moves the folder to
// models/m-v2, keeps `name: m` and changes the model. validate, check and release used to compare
// it with nothing (status "new") and release it.

const GPT2 = join(import.meta.dirname, '..', 'fixtures', 'configs', 'gpt2');

/** GPT-2 as published, named m, in `dir`, with `n_layer` layers and a weights entry of digest `weights`. */
function writeM(registry: TempRegistry, dir: string, version: string, layers: number, weights: string) {
  registry.copy(fixturePath.tokenizerJson('gpt2'), `${dir}/tokenizer.json`);
  registry.copy(fixturePath.tokenizerConfig('gpt2'), `${dir}/tokenizer_config.json`);
  registry.copy(join(GPT2, 'generation_config.json'), `${dir}/generation_config.json`);
  registry.write(`${dir}/config.json`, {
    ...(JSON.parse(readFileSync(join(GPT2, 'config.json'), 'utf8')) as object),
    n_layer: layers,
  });
  registry.writeManifest(`${dir}/model.yaml`, {
    apiVersion: 'modelgate.dev/v1',
    kind: 'Model',
    name: 'm',
    version,
    artifacts: {
      config: 'config.json',
      generation_config: 'generation_config.json',
      tokenizer: 'tokenizer.json',
      tokenizer_config: 'tokenizer_config.json',
      weights: [{ uri: `s3://w/m/${version}`, sha256: weights.repeat(64), size: 1 }],
    },
  });
}

const released = registryTemplate((registry) => {
  writeM(registry, 'models/m', '1.0.0', 12, 'a');
  const base = registry.commit('m 1.0.0');
  registry.tag('m@v1.0.0');
  return base;
});

/** The released registry, with models/m moved to models/m-v2 as `version` and committed. */
function moved(version: string, layers: number, weights: string) {
  const { registry, built: base } = released();
  registry.remove('models/m');
  writeM(registry, 'models/m-v2', version, layers, weights);
  const head = registry.commit(`move m to models/m-v2 as ${version}`);
  return { registry, base, head };
}

const errorsOf = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { rule: string; severity: string; file: string }[] }).findings
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.rule} ${f.file}`);

describe('a model moved to another folder is judged against its base and its release', () => {
  it('12 -> 24 layers with a patch bump: validate and check exit 1 with SEMVER-BUMP, release tags nothing', async () => {
    const { registry, base, head } = moved('1.0.1', 24, 'b');

    const validate = await runCli('validate', '--root', registry.root, '--base', base, '--format', 'json');
    expect(validate.code).toBe(1);
    expect(errorsOf(validate.stdout)).toEqual(['SEMVER-BUMP models/m-v2/model.yaml']);
    expect(JSON.parse(validate.stdout).changes).toMatchObject([
      { model: 'm', status: 'changed', from: '1.0.0', to: '1.0.1', declared: 'patch', required: 'major' },
    ]);

    const check = await runCli('check', '--root', registry.root, '--base', base, '--format', 'json');
    expect(check.code).toBe(1);
    expect(errorsOf(check.stdout)).toContain('SEMVER-BUMP models/m-v2/model.yaml');

    const release = await runCli('release', '--root', registry.root, '--base', base, '--head', head);
    expect(release.code).toBe(1);
    expect(release.stderr).toContain('modelgate: nothing was released; fix these first:');
    expect(release.stderr).toContain(
      'm 1.0.0 -> 1.0.1 is a patch bump, but the change needs major: models/m-v2/config.json: n_layer changed from 12 to 24',
    );
    expect(registry.git('tag', '-l')).toBe('m@v1.0.0');
  });

  it('released 1.0.0 kept with other weights and layers: VERSION-EXISTS, and no "restore" of m 1.0.0', async () => {
    const { registry, base, head } = moved('1.0.0', 24, 'c');

    const validate = await runCli('validate', '--root', registry.root, '--base', base, '--format', 'json');
    expect(validate.code).toBe(1);
    expect(errorsOf(validate.stdout).sort()).toEqual([
      'SEMVER-BUMP models/m-v2/model.yaml',
      'VERSION-EXISTS models/m-v2/model.yaml',
    ]);

    const release = await runCli('release', '--root', registry.root, '--base', base, '--head', head);
    expect(release.code).toBe(1);
    expect(release.stderr).toContain('m 1.0.0 is already released (tag m@v1.0.0) with different content:');
    expect(release.stdout).toBe('');
    // Before the fix: m#canary#1 on the old commit and a deployment "Restore m 1.0.0 to canary at 5%".
    expect(registry.git('tag', '-l')).toBe('m@v1.0.0');
  });

  it('a plain move with a patch bump validates and is released as m 1.0.1', async () => {
    const { registry, base, head } = moved('1.0.1', 12, 'a');

    const validate = await runCli('validate', '--root', registry.root, '--base', base, '--format', 'json');
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout).changes).toMatchObject([
      { status: 'changed', from: '1.0.0', to: '1.0.1', required: 'patch' },
    ]);

    const release = await runCli(
      'release',
      '--root',
      registry.root,
      '--base',
      base,
      '--head',
      head,
      '--dry-run',
      '--format',
      'json',
    );
    expect(release.code).toBe(0);
    const steps = (JSON.parse(release.stdout) as { steps: { kind: string; tag?: string }[] }).steps;
    expect(steps.filter((s) => s.kind === 'version-tag').map((s) => s.tag)).toEqual(['m@v1.0.1']);
  });

  it('a copy left in the old folder is refused: one manifest per model name', async () => {
    const { registry, built: base } = released();
    writeM(registry, 'models/m-v2', '1.0.1', 12, 'a');

    const validate = await runCli('validate', '--root', registry.root, '--base', base);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain(
      'name "m" is declared by 2 manifests: models/m-v2/model.yaml, models/m/model.yaml; a model has one manifest',
    );
    expect(validate.stdout).toContain(
      'fix: Give each model its own name; to move a model to another folder, move its manifest (git mv) instead of copying it.',
    );
  });
});

describe('a rollback to a release made before the model moved', () => {
  /** m 1.0.0 released from models/m, then 1.0.1 released from models/m-v2; `other`: models/m held model "other" at 1.0.0. */
  function movedAndReleased(other: boolean) {
    const { registry } = released();
    if (other) {
      // At m 1.0.0, models/m-v2 held another model: today's path of m names it at the tag.
      writeM(registry, 'models/m-v2', '0.3.0', 6, 'c');
      registry.write(
        'models/m-v2/model.yaml',
        registry.read('models/m-v2/model.yaml').replace('name: m\n', 'name: other\n'),
      );
      registry.commit('other 0.3.0');
      registry.git('tag', '-d', 'm@v1.0.0');
      registry.tag('m@v1.0.0');
      registry.remove('models/m-v2');
    }
    registry.remove('models/m');
    writeM(registry, 'models/m-v2', '1.0.1', 12, 'b');
    const head = registry.commit('move m to models/m-v2 as 1.0.1');
    registry.tag('m@v1.0.1', { commit: head });
    return { registry, head };
  }

  it("plans the restore of that release's files at their paths and the removal of the newer ones", async () => {
    const { registry } = movedAndReleased(false);
    const { code, stdout } = await runCli(
      'rollback',
      'm',
      '--to',
      '1.0.0',
      '--plan',
      '--root',
      registry.root,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    // Before: refused, "m@v1.0.0 has no valid manifest at models/m-v2/model.yaml".
    const { changes } = JSON.parse(stdout) as { changes: { path: string; action: string }[] };
    expect(changes.filter((c) => c.path.startsWith('models/m/')).map((c) => c.action)).toEqual(
      Array(5).fill('restore'),
    );
    expect(changes.filter((c) => c.path.startsWith('models/m-v2/')).map((c) => c.action)).toEqual(
      Array(5).fill('remove'),
    );
  });

  it("never restores the model that held today's path at that tag", async () => {
    const { registry } = movedAndReleased(true);
    const { code, stdout } = await runCli(
      'rollback',
      'm',
      '--to',
      '1.0.0',
      '--plan',
      '--root',
      registry.root,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    // Before: the plan restored "other" 0.3.0's files (6 layers) in models/m-v2 as m 1.0.0.
    const { changes } = JSON.parse(stdout) as { changes: { path: string; action: string }[] };
    expect(changes).toContainEqual({ path: 'models/m/config.json', action: 'restore' });
    expect(changes).toContainEqual({ path: 'models/m-v2/config.json', action: 'remove' });
    expect(changes.filter((c) => c.action === 'restore').every((c) => c.path.startsWith('models/m/'))).toBe(
      true,
    );
  });
});
