import { describe, expect, it } from 'vitest';
import { addRealModel, manifestWith } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';
import { safetensors } from '../../helpers/safetensors.js';

// GPT-2 as published: vocab_size 50257, bos = eos = 50256, n_positions 1024, model_max_length 1024.
const GPT2_CONFIG = 'models/gpt2/config.json';
const VOCAB_RULES = 'VOCAB-FITS, VOCAB-PAD, IDS-IN-RANGE and EMBED-SHAPE cannot check without it';

describe('config.json vocab_size is a non-negative integer, or ARTIFACT-INVALID says which rules could not run', () => {
  it.each([
    ['a string', '50257', `vocab_size is "50257" (a string, not a number): ${VOCAB_RULES}`],
    ['null', null, `vocab_size is null (not a number): ${VOCAB_RULES}`],
    ['a list', [50257], `vocab_size is [50257] (a list, not a number): ${VOCAB_RULES}`],
    ['a fraction', 50257.5, `vocab_size is 50257.5 (not an integer): ${VOCAB_RULES}`],
    [
      'too large to count (1e308)',
      1e308,
      `vocab_size is 1e+308 (beyond 9007199254740991, the largest integer counted exactly): ${VOCAB_RULES}`,
    ],
    ['negative', -1, `vocab_size is -1 (negative): ${VOCAB_RULES}`],
  ])('vocab_size as %s is an error naming file, key, value and fix', async (_what, value, message) => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.editJson(GPT2_CONFIG, (c) => (c.vocab_size = value));
    const report = await registry.validate();

    expect(findingsOf(report, 'ARTIFACT-INVALID')).toEqual([
      {
        rule: 'ARTIFACT-INVALID',
        severity: 'error',
        model: 'gpt2',
        file: 'models/gpt2/model.yaml',
        line: 7,
        artifact: GPT2_CONFIG,
        message: `${GPT2_CONFIG}: ${message}`,
        fix: 'Write vocab_size as a plain integer, the number of rows of the embedding (for example 32000).',
      },
    ]);
    // Never judged as if it were a size: no padding rows for 1e308, no fits for "50257".
    expect(findingsOf(report, 'VOCAB-PAD')).toEqual([]);
    expect(findingsOf(report, 'VOCAB-FITS')).toEqual([]);
    expect(report.summary.errors).toBe(1);
  });

  it('names text_config.vocab_size in a multimodal config (Gemma 3)', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'gemma3');
    registry.editJson(
      `${dir}/config.json`,
      (c) => ((c.text_config as Record<string, unknown>).vocab_size = '262208'),
    );
    const [finding, ...rest] = findingsOf(await registry.validate(), 'ARTIFACT-INVALID');
    expect(rest).toEqual([]);
    expect(finding!.message).toBe(
      `${dir}/config.json: text_config.vocab_size is "262208" (a string, not a number): ${VOCAB_RULES}`,
    );
  });

  it('reports a missing vocab_size as an error when the tokenizer and the ids need it', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.editJson(GPT2_CONFIG, (c) => delete c.vocab_size);
    const report = await registry.validate();
    expect(findingsOf(report, 'ARTIFACT-INVALID')).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 7,
        artifact: GPT2_CONFIG,
        message: `${GPT2_CONFIG} has no vocab_size: VOCAB-FITS and IDS-IN-RANGE cannot check without it`,
        fix: `Add vocab_size, the number of rows of the embedding, to ${GPT2_CONFIG}: without it transformers falls back to a default of the model class that may not match the weights.`,
      }),
    ]);
  });

  it('asks for vocab_size only for the rules that have something to check', async () => {
    const registry = TempRegistry.create();
    registry.write('models/m/config.json', { model_type: 'llama', hidden_size: 8 });
    registry.writeManifest('models/m/model.yaml', manifestWith('m', { config: 'config.json' }));
    expect(findingsOf(await registry.validate(), 'ARTIFACT-INVALID')).toEqual([]);
  });
});

describe('bos/eos/pad ids are integers (or lists of them, or null)', () => {
  it.each([
    [
      'generation_config.json',
      'eos_token_id',
      '50256',
      'eos_token_id is "50256" (a string, not an integer): IDS-IN-RANGE, IDS-AGREE and CHAT-STOP cannot check without it',
    ],
    [
      'generation_config.json',
      'eos_token_id',
      [50256, '<|endoftext|>'],
      'eos_token_id is [50256,"<|endoftext|>"] (it holds a string, not an integer): IDS-IN-RANGE, IDS-AGREE and CHAT-STOP cannot check without it',
    ],
    [
      'config.json',
      'bos_token_id',
      50256.5,
      'bos_token_id is 50256.5 (not an integer id): IDS-IN-RANGE and IDS-AGREE cannot check without it',
    ],
    [
      'config.json',
      'pad_token_id',
      { id: 0 },
      'pad_token_id is {"id":0} (an object, not an integer): IDS-IN-RANGE and PAD cannot check without it',
    ],
    [
      'generation_config.json',
      'bos_token_id',
      1e20,
      'bos_token_id is 100000000000000000000 (not an integer id): IDS-IN-RANGE and IDS-AGREE cannot check without it',
    ],
  ])('%s %s = %j is ARTIFACT-INVALID on its manifest line', async (file, key, value, message) => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.editJson(`models/gpt2/${file}`, (c) => (c[key] = value));
    const report = await registry.validate();
    expect(findingsOf(report, 'ARTIFACT-INVALID')).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: file === 'config.json' ? 7 : 8,
        artifact: `models/gpt2/${file}`,
        message: `models/gpt2/${file}: ${message}`,
      }),
    ]);
  });

  it('accepts null ids: transformers writes them for "none"', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.editJson(GPT2_CONFIG, (c) => (c.pad_token_id = null));
    expect(findingsOf(await registry.validate(), 'ARTIFACT-INVALID')).toEqual([]);
  });

  it('still reports a negative id when vocab_size is unusable: [0, …) needs no upper bound', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.editJson(GPT2_CONFIG, (c) => {
      c.vocab_size = 'fifty thousand';
      c.pad_token_id = -1;
    });
    const report = await registry.validate();
    expect(findingsOf(report, 'IDS-IN-RANGE').map((f) => f.message)).toEqual([
      `pad_token_id -1 in ${GPT2_CONFIG} is negative: ids index the embedding from 0`,
    ]);
    expect(findingsOf(report, 'ARTIFACT-INVALID')).toHaveLength(1);
  });
});

describe('lengths for MAX-LEN', () => {
  it('reports model_max_length that is not a number instead of skipping MAX-LEN', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    registry.editJson('models/gpt2/tokenizer_config.json', (c) => (c.model_max_length = '4096'));
    expect(findingsOf(await registry.validate(), 'ARTIFACT-INVALID')).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: 10,
        artifact: 'models/gpt2/tokenizer_config.json',
        message:
          'models/gpt2/tokenizer_config.json: model_max_length is "4096" (a string, not a number): MAX-LEN cannot check without it',
        fix: 'Write model_max_length as a plain integer (transformers writes 1e30 for "no limit").',
      }),
    ]);
  });

  it('warns, as MAX-LEN would, when config.json has no position count to compare model_max_length with (Qwen 2.5)', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'qwen2_5');
    registry.editJson(`${dir}/config.json`, (c) => delete c.max_position_embeddings);
    const report = await registry.validate();
    expect(findingsOf(report, 'MAX-LEN')).toEqual([]);
    expect(findingsOf(report, 'ARTIFACT-INVALID')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        artifact: `${dir}/config.json`,
        message: `${dir}/config.json has no max_position_embeddings (nor n_positions, n_ctx, max_sequence_length, max_seq_len or seq_length): MAX-LEN cannot check without it`,
      }),
    ]);
  });

  it('reports a rope_scaling factor that is not a number (it would otherwise shrink the context MAX-LEN allows)', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'qwen2_5');
    registry.editJson(`${dir}/config.json`, (c) => (c.rope_scaling = { type: 'yarn', factor: '4' }));
    const [finding, ...rest] = findingsOf(await registry.validate(), 'ARTIFACT-INVALID');
    expect(rest).toEqual([]);
    expect(finding!.message).toBe(
      `${dir}/config.json: rope_scaling.factor is "4" (a string, not a number): MAX-LEN cannot check without it`,
    );
  });
});

describe('values EMBED-SHAPE and TIED compute with', () => {
  /** A tiny WordLevel model with real (zero-filled) safetensors weights. */
  function tinyModel(registry: TempRegistry, config: Record<string, unknown>) {
    const vocab = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, i]));
    registry.write('models/tiny/tokenizer.json', { model: { type: 'WordLevel', vocab, unk_token: 't0' } });
    registry.write('models/tiny/config.json', { model_type: 'llama', ...config });
    const file = safetensors({ 'model.embed_tokens.weight': { shape: [16, 8] } });
    registry.write('models/tiny/model.safetensors', file);
    registry.writeManifest(
      'models/tiny/model.yaml',
      manifestWith('tiny', {
        config: 'config.json',
        tokenizer: 'tokenizer.json',
        weights: [{ uri: 's3://b/tiny', sha256: 'a'.repeat(64), path: 'model.safetensors' }],
      }),
    );
  }

  it('tie_word_embeddings "false" (a string) is an error, not a silently tied model', async () => {
    const registry = TempRegistry.create();
    tinyModel(registry, { vocab_size: 16, hidden_size: 8, tie_word_embeddings: 'false' });
    const [finding, ...rest] = findingsOf(await registry.validate(), 'ARTIFACT-INVALID');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'error',
      message:
        'models/tiny/config.json: tie_word_embeddings is "false" (a string, not true or false): TIED cannot check without it',
      fix: 'Write tie_word_embeddings as true or false.',
    });
  });

  it('a missing hidden_size is an error when there is an embedding to check', async () => {
    const registry = TempRegistry.create();
    tinyModel(registry, { vocab_size: 16 });
    const [finding, ...rest] = findingsOf(await registry.validate(), 'ARTIFACT-INVALID');
    expect(rest).toEqual([]);
    expect(finding!.message).toBe(
      'models/tiny/config.json has no hidden_size (nor n_embd or d_model): EMBED-SHAPE cannot check without it',
    );
  });

  it('a hidden_size of "8" is an error, and EMBED-SHAPE does not guess', async () => {
    const registry = TempRegistry.create();
    tinyModel(registry, { vocab_size: 16, hidden_size: '8' });
    const report = await registry.validate();
    expect(findingsOf(report, 'ARTIFACT-INVALID').map((f) => f.message)).toEqual([
      'models/tiny/config.json: hidden_size is "8" (a string, not a number): EMBED-SHAPE cannot check without it',
    ]);
    expect(findingsOf(report, 'EMBED-SHAPE')).toEqual([]);
  });
});
