import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { manifestWith } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';
import { lfsPointer, safetensors } from '../../helpers/safetensors.js';

const VOCAB = 16;
const HIDDEN = 8;

/** A tiny WordLevel model whose weights are real (small) safetensors files. */
function tinyModel(
  registry: TempRegistry,
  config: Record<string, unknown> = {},
  artifacts: Record<string, unknown> = {},
) {
  const vocab = Object.fromEntries(Array.from({ length: VOCAB }, (_, i) => [i === 0 ? '<unk>' : `t${i}`, i]));
  registry.write('models/tiny/tokenizer.json', {
    version: '1.0',
    added_tokens: [],
    model: { type: 'WordLevel', vocab, unk_token: '<unk>' },
  });
  registry.write('models/tiny/config.json', {
    model_type: 'llama',
    vocab_size: VOCAB,
    hidden_size: HIDDEN,
    tie_word_embeddings: false,
    ...config,
  });
  registry.writeManifest(
    'models/tiny/model.yaml',
    manifestWith('tiny', { config: 'config.json', tokenizer: 'tokenizer.json', ...artifacts }),
  );
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

function withWeights(registry: TempRegistry, file: Buffer, extra: Record<string, unknown> = {}) {
  registry.write('models/tiny/model.safetensors', file);
  return {
    weights: [
      {
        uri: 's3://bucket/tiny/model.safetensors',
        sha256: sha256(file),
        size: file.length,
        path: 'model.safetensors',
        ...extra,
      },
    ],
  };
}

describe('EMBED-SHAPE and TIED', () => {
  it('passes when embeddings and lm_head are [vocab_size, hidden_size]', async () => {
    const registry = TempRegistry.create();
    const file = safetensors({
      'model.embed_tokens.weight': { shape: [VOCAB, HIDDEN] },
      'lm_head.weight': { shape: [VOCAB, HIDDEN] },
    });
    tinyModel(registry, {}, withWeights(registry, file));
    const report = await registry.validate();
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('fires when the embedding has fewer rows than vocab_size', async () => {
    const registry = TempRegistry.create();
    const file = safetensors({
      'model.embed_tokens.weight': { shape: [VOCAB - 4, HIDDEN] },
      'lm_head.weight': { shape: [VOCAB, HIDDEN] },
    });
    tinyModel(registry, {}, withWeights(registry, file));
    const findings = findingsOf(await registry.validate(), 'EMBED-SHAPE');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain(
      'model.embed_tokens.weight in models/tiny/model.safetensors has shape [12, 8]',
    );
  });

  it('fires TIED when tie_word_embeddings is false and there is no lm_head', async () => {
    const registry = TempRegistry.create();
    const file = safetensors({ 'model.embed_tokens.weight': { shape: [VOCAB, HIDDEN] } });
    tinyModel(registry, {}, withWeights(registry, file));
    expect(findingsOf(await registry.validate(), 'TIED')).toHaveLength(1);
  });

  it('accepts a missing lm_head when embeddings are tied (the default)', async () => {
    const registry = TempRegistry.create();
    const file = safetensors({ 'transformer.wte.weight': { shape: [VOCAB, HIDDEN] } });
    tinyModel(registry, { tie_word_embeddings: undefined }, withWeights(registry, file));
    expect(findingsOf(await registry.validate(), 'TIED')).toEqual([]);
  });
});

describe('SHARDS', () => {
  const index = (map: Record<string, string>) => ({ metadata: { total_size: 1 }, weight_map: map });

  it('passes when every shard exists and holds its tensors; their headers feed EMBED-SHAPE', async () => {
    const registry = TempRegistry.create();
    registry.write(
      'models/tiny/model-00001-of-00002.safetensors',
      safetensors({ 'model.embed_tokens.weight': { shape: [VOCAB, HIDDEN + 1] } }),
    );
    registry.write(
      'models/tiny/model-00002-of-00002.safetensors',
      safetensors({ 'lm_head.weight': { shape: [VOCAB, HIDDEN] } }),
    );
    registry.write(
      'models/tiny/model.safetensors.index.json',
      index({
        'model.embed_tokens.weight': 'model-00001-of-00002.safetensors',
        'lm_head.weight': 'model-00002-of-00002.safetensors',
      }),
    );
    tinyModel(registry, {}, { weights_index: 'model.safetensors.index.json' });
    const report = await registry.validate();
    expect(findingsOf(report, 'SHARDS')).toEqual([]);
    expect(findingsOf(report, 'EMBED-SHAPE').map((f) => f.message)).toEqual([
      expect.stringContaining('[16, 9]'),
    ]);
    expect(findingsOf(report, 'TIED')).toEqual([]);
  });

  it('fires for a missing shard and for a tensor the shard does not hold', async () => {
    const registry = TempRegistry.create();
    registry.write(
      'models/tiny/model-00001-of-00002.safetensors',
      safetensors({ 'model.embed_tokens.weight': { shape: [VOCAB, HIDDEN] } }),
    );
    registry.write(
      'models/tiny/model.safetensors.index.json',
      index({
        'model.embed_tokens.weight': 'model-00001-of-00002.safetensors',
        'model.norm.weight': 'model-00001-of-00002.safetensors',
        'lm_head.weight': 'model-00002-of-00002.safetensors',
      }),
    );
    tinyModel(registry, {}, { weights_index: 'model.safetensors.index.json' });
    const messages = findingsOf(await registry.validate(), 'SHARDS').map((f) => f.message);
    expect(messages).toEqual([
      expect.stringContaining(
        'does not hold 1 tensor(s) that models/tiny/model.safetensors.index.json assigns to it: model.norm.weight',
      ),
      expect.stringContaining(
        'lists shard "model-00002-of-00002.safetensors", but models/tiny/model-00002-of-00002.safetensors does not exist',
      ),
    ]);
  });

  it('accepts shards stored as Git LFS pointers without reading them', async () => {
    const registry = TempRegistry.create();
    registry.write('models/tiny/model-00001-of-00001.safetensors', lfsPointer('a'.repeat(64), 123456789));
    registry.write(
      'models/tiny/model.safetensors.index.json',
      index({ 'lm_head.weight': 'model-00001-of-00001.safetensors' }),
    );
    tinyModel(registry, {}, { weights_index: 'model.safetensors.index.json' });
    const report = await registry.validate();
    expect(findingsOf(report, 'SHARDS')).toEqual([]);
    expect(findingsOf(report, 'TIED')).toEqual([]); // no header was read: nothing to judge
  });
});

describe('ARTIFACT-DIGEST', () => {
  it('passes for a file whose sha256 and size match', async () => {
    const registry = TempRegistry.create();
    const file = safetensors({ 'lm_head.weight': { shape: [VOCAB, HIDDEN] } });
    tinyModel(registry, {}, withWeights(registry, file));
    expect(findingsOf(await registry.validate(), 'ARTIFACT-DIGEST')).toEqual([]);
  });

  it('fires when the file differs from the manifest digest', async () => {
    const registry = TempRegistry.create();
    const file = safetensors({ 'lm_head.weight': { shape: [VOCAB, HIDDEN] } });
    tinyModel(registry, {}, withWeights(registry, file, { sha256: 'f'.repeat(64) }));
    const [finding] = findingsOf(await registry.validate(), 'ARTIFACT-DIGEST');
    expect(finding!.message).toContain(`has sha256 ${sha256(file)}, the manifest says ${'f'.repeat(64)}`);
    expect(finding!.line).toBe(12); // the weights entry's path line in the manifest
  });

  it('compares a Git LFS pointer without downloading the object', async () => {
    const registry = TempRegistry.create();
    registry.write('models/tiny/model.safetensors', lfsPointer('b'.repeat(64), 42));
    const weights = (sha: string, size: number) => ({
      weights: [{ uri: 's3://x/model.safetensors', sha256: sha, size, path: 'model.safetensors' }],
    });
    tinyModel(registry, {}, weights('b'.repeat(64), 42));
    expect(findingsOf(await registry.validate(), 'ARTIFACT-DIGEST')).toEqual([]);
    tinyModel(registry, {}, weights('b'.repeat(64), 43));
    const [finding] = findingsOf(await registry.validate(), 'ARTIFACT-DIGEST');
    expect(finding!.message).toBe(
      'the Git LFS pointer models/tiny/model.safetensors is 42 bytes, the manifest says 43',
    );
  });
});
