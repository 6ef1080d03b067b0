import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { manifestWith } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';
import { lfsPointer, safetensors } from '../../helpers/safetensors.js';

type Header = Record<string, { dtype: string; shape: number[]; data_offsets: unknown }>;

/**
 * A safetensors file laid out as the format says (u64 little-endian header
 * length, JSON header padded to 8 bytes, data), with whatever header the test
 * wants: here the header may lie about the data that follows.
 */
function rawSafetensors(tensors: Header, dataBytes: number): Buffer {
  let json = JSON.stringify({ __metadata__: { format: 'pt' }, ...tensors });
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([length, Buffer.from(json), Buffer.alloc(dataBytes)]);
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * A 16-token model with hidden size 8 whose weights are `file` (digest and
 * size matching), or whatever `artifacts` says instead.
 */
function tinyModel(registry: TempRegistry, file: Buffer, artifacts?: Record<string, unknown>) {
  const vocab = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [i === 0 ? '<unk>' : `t${i}`, i]));
  registry.write('models/tiny/tokenizer.json', { model: { type: 'WordLevel', vocab, unk_token: '<unk>' } });
  registry.write('models/tiny/config.json', {
    model_type: 'llama',
    vocab_size: 16,
    hidden_size: 8,
    tie_word_embeddings: false,
  });
  registry.write('models/tiny/model.safetensors', file);
  registry.writeManifest(
    'models/tiny/model.yaml',
    manifestWith('tiny', {
      config: 'config.json',
      tokenizer: 'tokenizer.json',
      ...(artifacts ?? {
        weights: [
          {
            uri: 's3://bucket/tiny/model.safetensors',
            sha256: sha256(file),
            size: file.length,
            path: 'model.safetensors',
          },
        ],
      }),
    }),
  );
}

// [16, 8] in F16 is 256 bytes.
const EMBED = 'model.embed_tokens.weight';
const HEAD = 'lm_head.weight';
const PREFIX = 'models/tiny/model.safetensors is not a readable safetensors file: ';

describe('a safetensors header is checked against the file it heads (ARTIFACT-INVALID, the tensor named)', () => {
  it.each([
    [
      'offsets past the end of the file',
      { [HEAD]: { dtype: 'F16', shape: [16, 8], data_offsets: [0, 256] } },
      128,
      `tensor "${HEAD}" has data_offsets [0, 256], past the end of the data (128 bytes after the header)`,
    ],
    [
      'overlapping tensors',
      {
        [EMBED]: { dtype: 'F16', shape: [16, 8], data_offsets: [0, 256] },
        [HEAD]: { dtype: 'F16', shape: [16, 8], data_offsets: [128, 384] },
      },
      384,
      `tensors "${EMBED}" [0, 256] and "${HEAD}" [128, 384] overlap`,
    ],
    [
      'begin after end',
      { [HEAD]: { dtype: 'F16', shape: [16, 8], data_offsets: [256, 0] } },
      256,
      `tensor "${HEAD}" has data_offsets [256, 0]: it begins after it ends`,
    ],
    [
      'a size that disagrees with dtype x shape',
      { [HEAD]: { dtype: 'F16', shape: [16, 8], data_offsets: [0, 128] } },
      128,
      `tensor "${HEAD}" has data_offsets [0, 128], 128 bytes, but F16 [16, 8] is 256 bytes`,
    ],
    [
      'a shape whose element count overflows a double',
      { [HEAD]: { dtype: 'F16', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 256] } },
      256,
      `tensor "${HEAD}" has data_offsets [0, 256], 256 bytes, but F16 [1099511627776, 1099511627776] is 2417851639229258349412352 bytes`,
    ],
    [
      'a dtype safetensors does not define',
      { [HEAD]: { dtype: 'F17', shape: [16, 8], data_offsets: [0, 256] } },
      256,
      `tensor "${HEAD}" has dtype "F17", which is not a safetensors dtype`,
    ],
    [
      'offsets that are not byte offsets',
      { [HEAD]: { dtype: 'F16', shape: [16, 8], data_offsets: [0, '256'] } },
      256,
      `tensor "${HEAD}" has data_offsets [0,"256"]: they are [begin, end] byte offsets`,
    ],
    [
      'data no tensor claims, between two',
      {
        [EMBED]: { dtype: 'F16', shape: [16, 8], data_offsets: [0, 256] },
        [HEAD]: { dtype: 'F16', shape: [16, 8], data_offsets: [300, 556] },
      },
      556,
      `bytes 256 to 300 of the data belong to no tensor (before "${HEAD}")`,
    ],
    [
      'data no tensor claims, at the end',
      { [HEAD]: { dtype: 'F16', shape: [16, 8], data_offsets: [0, 256] } },
      300,
      'the data holds 300 bytes but its tensors end at byte 256: 44 bytes belong to no tensor',
    ],
  ])('refuses %s', async (_what, header, dataBytes, reason) => {
    const registry = TempRegistry.create();
    tinyModel(registry, rawSafetensors(header, dataBytes));
    const report = await registry.validate();
    expect(findingsOf(report, 'ARTIFACT-INVALID')).toEqual([
      {
        rule: 'ARTIFACT-INVALID',
        severity: 'error',
        model: 'tiny',
        file: 'models/tiny/model.yaml',
        line: 12, // the weights entry's path
        artifact: 'models/tiny/model.safetensors',
        message: PREFIX + reason,
        fix: 'Re-export the weights with safetensors (save_file or save_pretrained), which writes a header that matches the data.',
      },
    ]);
    // The lying header feeds no rule: EMBED-SHAPE and TIED do not judge tensors that are not there.
    expect(findingsOf(report, 'EMBED-SHAPE')).toEqual([]);
    expect(findingsOf(report, 'TIED')).toEqual([]);
    expect(findingsOf(report, 'ARTIFACT-DIGEST')).toEqual([]);
  });

  it('accepts a header that tiles its data exactly, in any key order', async () => {
    const registry = TempRegistry.create();
    tinyModel(
      registry,
      rawSafetensors(
        {
          [HEAD]: { dtype: 'BF16', shape: [16, 8], data_offsets: [256, 512] },
          [EMBED]: { dtype: 'F16', shape: [16, 8], data_offsets: [0, 256] },
          'model.norm.weight': { dtype: 'F32', shape: [8], data_offsets: [512, 544] },
          'model.empty': { dtype: 'I64', shape: [0, 8], data_offsets: [544, 544] },
        },
        544,
      ),
    );
    const report = await registry.validate();
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('checks a shard listed by model.safetensors.index.json the same way', async () => {
    const registry = TempRegistry.create();
    tinyModel(registry, safetensors({ [EMBED]: { shape: [16, 8] } }), {
      weights_index: 'model.safetensors.index.json',
    });
    registry.write(
      'models/tiny/model-00002-of-00002.safetensors',
      rawSafetensors({ [HEAD]: { dtype: 'F16', shape: [16, 8], data_offsets: [0, 256] } }, 16),
    );
    registry.write('models/tiny/model.safetensors.index.json', {
      metadata: { total_size: 512 },
      weight_map: { [HEAD]: 'model-00002-of-00002.safetensors' },
    });
    const report = await registry.validate();
    expect(findingsOf(report, 'ARTIFACT-INVALID')).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 8, // artifacts.weights_index
        artifact: 'models/tiny/model-00002-of-00002.safetensors',
        message: `models/tiny/model-00002-of-00002.safetensors (a shard models/tiny/model.safetensors.index.json lists) is not a readable safetensors file: tensor "${HEAD}" has data_offsets [0, 256], past the end of the data (16 bytes after the header)`,
      }),
    ]);
    expect(findingsOf(report, 'SHARDS')).toEqual([]);
  });
});

describe('Git LFS pointers', () => {
  it('treats a pointer whose size no double holds as a file, whose digest then fails', async () => {
    const registry = TempRegistry.create();
    const oid = 'c'.repeat(64);
    const pointer = lfsPointer(oid, 0).replace('size 0', 'size 99999999999999999999');
    // The manifest states no size: before, the pointer's oid alone passed.
    tinyModel(registry, Buffer.from(pointer), {
      weights: [{ uri: 's3://bucket/tiny/model.safetensors', sha256: oid, path: 'model.safetensors' }],
    });
    const [finding, ...rest] = findingsOf(await registry.validate(), 'ARTIFACT-DIGEST');
    expect(rest).toEqual([]);
    expect(finding!.message).toMatch(
      /^models\/tiny\/model.safetensors has sha256 [0-9a-f]{64}, the manifest says c{64}$/,
    );
  });
});
