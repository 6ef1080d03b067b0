import { describe, expect, it } from 'vitest';
import { addRealModel } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';

describe('MAX-LEN', () => {
  it('warns when model_max_length exceeds the position embeddings (Qwen 2.5 without YaRN)', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'qwen2_5');
    const [finding] = findingsOf(await registry.validate(), 'MAX-LEN');
    expect(finding!.message).toContain('model_max_length 131072');
    expect(finding!.message).toContain('32768 positions');
  });

  it('counts RoPE scaling (Qwen 2.5 with YaRN factor 4)', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'qwen2_5');
    registry.editJson(
      `${dir}/config.json`,
      (c) => (c.rope_scaling = { type: 'yarn', factor: 4, original_max_position_embeddings: 32768 }),
    );
    expect(findingsOf(await registry.validate(), 'MAX-LEN')).toEqual([]);
  });

  it('ignores the "no limit" sentinel 1e30 (Llama 3)', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'llama3');
    expect(findingsOf(await registry.validate(), 'MAX-LEN')).toEqual([]);
  });
});

describe('CLASS', () => {
  it('fires when config.json has no model_type', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'llama2');
    registry.editJson(`${dir}/config.json`, (c) => delete c.model_type);
    const [finding] = findingsOf(await registry.validate(), 'CLASS');
    expect(finding).toMatchObject({ severity: 'error' });
  });

  it('warns when the tokenizer class belongs to another family', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'llama2');
    registry.editJson(`${dir}/tokenizer_config.json`, (c) => (c.tokenizer_class = 'Qwen2TokenizerFast'));
    const [finding] = findingsOf(await registry.validate(), 'CLASS');
    expect(finding).toMatchObject({ severity: 'warning' });
    expect(finding!.message).toContain('Qwen2TokenizerFast is unusual for model_type llama');
  });

  it('accepts the generic PreTrainedTokenizerFast (Mistral Nemo)', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'mistral_nemo');
    expect(findingsOf(await registry.validate(), 'CLASS')).toEqual([]);
  });
});
