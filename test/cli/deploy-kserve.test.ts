// modelgate deploy --target kserve: the storageUri is tied to the weights the manifest at the
// release tag lists (src/core/deploy/storage-binding.ts), read from the local clone's tag.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { manifestWith } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

const KSERVE = {
  kserve: {
    namespace: 'llm',
    storage_uri: 's3://models/{model}/{version}/',
    gitops: { path: 'apps/{model}.yaml' },
  },
};

/** gpt2 1.0.0 released (annotated tag) with its weights at `uri`; the working tree then lists them elsewhere. */
function released(uri: string): TempRegistry {
  const registry = TempRegistry.create();
  registry.write('.github/modelgate.yml', stringify({ deploy: KSERVE }));
  const manifest = (weights: string) =>
    manifestWith(
      'gpt2',
      {
        config: 'config.json',
        tokenizer: 'tokenizer.json',
        weights: [{ uri: weights, sha256: 'a'.repeat(64) }],
      },
      { version: '1.0.0' },
    );
  registry.writeManifest('models/gpt2/model.yaml', manifest(uri));
  const commit = registry.commit('gpt2 1.0.0');
  registry.tag('gpt2@v1.0.0', { commit, message: 'Release gpt2 1.0.0' });
  // What the working tree says now is not the release: the tag's manifest decides.
  registry.writeManifest('models/gpt2/model.yaml', manifest('s3://models/gpt2/1.0.0/model.safetensors'));
  registry.commit('weights listed elsewhere, unreleased');
  return registry;
}

describe('modelgate deploy --target kserve', () => {
  it('prints the InferenceService when the release lists its weights in the storageUri', async () => {
    const registry = released('s3://models/gpt2/1.0.0/model.safetensors');
    const { code, stdout, stderr } = await runCli('deploy', 'gpt2', '1.0.0', '--root', registry.root);
    expect(stderr).toContain('gpt2 1.0.0');
    expect(code).toBe(0);
    expect(stdout).toContain('storageUri: s3://models/gpt2/1.0.0');
  });

  it("refuses a release whose manifest (at its tag, not the working tree's) lists the weights elsewhere", async () => {
    const registry = released('s3://scratch/gpt2/model.safetensors');
    const { code, stdout, stderr } = await runCli('deploy', 'gpt2', '1.0.0', '--root', registry.root);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'modelgate: KServe would load gpt2 1.0.0 from s3://models/gpt2/1.0.0/, but its manifest lists a weights file elsewhere (s3://scratch/gpt2/model.safetensors)',
    );
  });

  it('says so, with nothing printed, when no manifest at the release tag declares the version', async () => {
    const registry = TempRegistry.create();
    registry.write('.github/modelgate.yml', stringify({ deploy: KSERVE }));
    const commit = registry.commit('settings, no manifest yet');
    registry.tag('gpt2@v1.0.0', { commit, message: 'Release gpt2 1.0.0' });
    registry.writeManifest(
      'models/gpt2/model.yaml',
      manifestWith(
        'gpt2',
        {
          config: 'config.json',
          tokenizer: 'tokenizer.json',
          weights: [{ uri: 's3://models/gpt2/1.0.0/w.bin', sha256: 'a'.repeat(64) }],
        },
        { version: '1.0.0' },
      ),
    );
    registry.commit('the manifest, after the tag');
    const { code, stdout, stderr } = await runCli('deploy', 'gpt2', '1.0.0', '--root', registry.root);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^modelgate: the manifest of gpt2 1\.0\.0 at gpt2@v1\.0\.0 cannot be read \(.+\), so what the KServe storageUri holds cannot be tied to the release\n {2}fix: Release the version with modelgate release/m,
    );
  });
});
