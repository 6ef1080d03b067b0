import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { rollbackFiles } from '../../src/app/revert.js';
import { createOctokit } from '../../src/io/github/octokit.js';
import { liveCanary } from '../helpers/canary-app.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { safetensors } from '../helpers/safetensors.js';

/** Prometheus is never asked in these tests: an address nothing listens on. */
const NO_PROMETHEUS = 'http://127.0.0.1:9';
const MANIFEST = 'models/gpt2/model.yaml';
const INDEX = 'models/gpt2/model.safetensors.index.json';
const SHARD_1 = 'models/gpt2/model-00001-of-00002.safetensors';
const SHARD_2 = 'models/gpt2/model-00002-of-00002.safetensors';

/** The app's client for the installation, on the fake GitHub. */
const installationOctokit = (github: FakeGitHub) =>
  createOctokit('ghs_installation', () => {}, {
    GITHUB_API_URL: github.url,
    MODELGATE_TEST_FAST_GITHUB: '1',
  });

describe("a revert restores the model's own index shards", () => {
  it('gpt2 1.3.1 names its weights through an index with one shard; 1.3.2 rewrites it and adds a second: the revert restores the first and removes the second', async () => {
    const { github, registry } = await liveCanary('1.3.0', NO_PROMETHEUS);
    const setVersion = (version: string) => {
      const manifest = parse(registry.read(MANIFEST)) as Record<string, any>;
      manifest.version = version;
      manifest.artifacts.weights_index = 'model.safetensors.index.json';
      registry.write(MANIFEST, stringify(manifest));
    };
    registry.write(SHARD_1, safetensors({ 'wte.weight': { shape: [4, 2] } }));
    registry.write(INDEX, { weight_map: { 'wte.weight': 'model-00001-of-00002.safetensors' } });
    setVersion('1.3.1');
    registry.commit('gpt2 1.3.1');
    registry.tag('gpt2@v1.3.1');
    registry.write(SHARD_1, safetensors({ 'wte.weight': { shape: [4, 3] } }));
    registry.write(SHARD_2, safetensors({ 'lm_head.weight': { shape: [3, 4] } }));
    registry.write(INDEX, {
      weight_map: {
        'wte.weight': 'model-00001-of-00002.safetensors',
        'lm_head.weight': 'model-00002-of-00002.safetensors',
      },
    });
    setVersion('1.3.2');
    const head = registry.commit('gpt2 1.3.2');
    github.seedBranch('main', head, registry.treeOf(head));
    const found = await rollbackFiles(
      installationOctokit(github),
      { owner: 'acme', repo: 'models' },
      { model: 'gpt2', manifest: MANIFEST, tag: 'gpt2@v1.3.1', head, globs: ['models/**/model.yaml'] },
    );
    if ('problem' in found) throw new Error(found.problem);
    expect(found.changes).toEqual([
      { path: SHARD_1, action: 'restore' },
      { path: SHARD_2, action: 'remove' },
      { path: INDEX, action: 'restore' },
      { path: MANIFEST, action: 'restore' },
    ]);
    expect(found.blobs.get(SHARD_1)?.sha).toBe(registry.git('rev-parse', `gpt2@v1.3.1:${SHARD_1}`));
    expect(github.violations).toEqual([]);
  });
});
