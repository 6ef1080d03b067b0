import { describe, expect, it } from 'vitest';
import { addRealModel } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';

describe('VOCAB-FITS and VOCAB-PAD', () => {
  it('fires when Llama 3 config keeps vocab_size 128000 but the tokenizer adds 256 special tokens above it', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'llama3');
    registry.editJson(`${dir}/config.json`, (c) => (c.vocab_size = 128000));
    const [finding, ...rest] = findingsOf(await registry.validate(), 'VOCAB-FITS');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'error',
      file: `${dir}/model.yaml`,
      line: 7,
      artifact: `${dir}/config.json`,
    });
    expect(finding!.message).toContain('vocab_size 128000');
    expect(finding!.message).toContain('<|begin_of_text|>=128000');
    expect(finding!.fix).toContain('at least 128256');
  });

  it('notes padding rows when vocab_size is larger than the tokenizer (Qwen 2.5: 152064 for 151665 ids)', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'qwen2_5');
    const report = await registry.validate();
    expect(findingsOf(report, 'VOCAB-FITS')).toEqual([]);
    const [pad] = findingsOf(report, 'VOCAB-PAD');
    expect(pad).toMatchObject({ severity: 'info' });
    expect(pad!.message).toContain('152064');
    expect(pad!.message).toContain('151665');
  });

  it('reads vocab_size from text_config for multimodal configs (Gemma 3)', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'gemma3');
    registry.editJson(
      `${dir}/config.json`,
      (c) => ((c.text_config as Record<string, unknown>).vocab_size = 262144),
    );
    const [finding] = findingsOf(await registry.validate(), 'VOCAB-FITS');
    expect(finding!.message).toContain('<image_soft_token>=262144');
  });
});

describe('IDS-IN-RANGE and IDS-AGREE', () => {
  it('fires IDS-IN-RANGE for an eos id past vocab_size', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'mistral_nemo');
    registry.editJson(`${dir}/generation_config.json`, (c) => (c.eos_token_id = [2, 131072]));
    const findings = findingsOf(await registry.validate(), 'IDS-IN-RANGE');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(
      /eos_token_id 131072 in .*generation_config.json is outside \[0, 131072\)/,
    );
  });

  it('fires IDS-AGREE when config bos is not the tokenizer bos', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'llama3');
    registry.editJson(`${dir}/config.json`, (c) => (c.bos_token_id = 1));
    const findings = findingsOf(await registry.validate(), 'IDS-AGREE');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('"<|begin_of_text|>" (id 128000)');
  });

  it('fires IDS-AGREE when the stop ids leave out the tokenizer eos', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'deepseek_v3');
    registry.editJson(`${dir}/generation_config.json`, (c) => (c.eos_token_id = 2));
    const findings = findingsOf(await registry.validate(), 'IDS-AGREE');
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining("does not include the tokenizer's eos token"),
    ]);
  });

  it('accepts an eos list that contains the tokenizer eos (Llama 3: [128001, 128009])', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'llama3');
    const report = await registry.validate();
    expect(findingsOf(report, 'IDS-AGREE')).toEqual([]);
    expect(findingsOf(report, 'IDS-IN-RANGE')).toEqual([]);
  });
});
