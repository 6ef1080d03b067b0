import { describe, expect, it } from 'vitest';
import { addRealModel } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';

describe('SPECIAL-RESOLVES', () => {
  it('fires for a pad token that is not a token (Llama 3 with pad_token "<pad>")', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'llama3');
    registry.editJson(`${dir}/tokenizer_config.json`, (c) => (c.pad_token = '<pad>'));
    const findings = findingsOf(await registry.validate(), 'SPECIAL-RESOLVES');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('pad_token "<pad>"');
    expect(findings[0]!.artifact).toBe(`${dir}/tokenizer_config.json`);
  });

  it('resolves special tokens given as AddedToken objects (DeepSeek V3)', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'deepseek_v3');
    expect(findingsOf(await registry.validate(), 'SPECIAL-RESOLVES')).toEqual([]);
  });

  it('checks special_tokens_map.json too', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'gpt2', {
      artifacts: { special_tokens_map: 'special_tokens_map.json' },
    });
    registry.write(`${dir}/special_tokens_map.json`, {
      bos_token: '<|endoftext|>',
      mask_token: { content: '<mask>' },
    });
    const findings = findingsOf(await registry.validate(), 'SPECIAL-RESOLVES');
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('mask_token "<mask>" in')]);
  });
});

describe('PAD', () => {
  it('warns when there is no pad token at all (Llama 3)', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'llama3');
    const [finding] = findingsOf(await registry.validate(), 'PAD');
    expect(finding).toMatchObject({ severity: 'warning' });
    expect(finding!.message).toContain('no pad token');
  });

  it('warns when pad is eos (DeepSeek V3)', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'deepseek_v3');
    const [finding] = findingsOf(await registry.validate(), 'PAD');
    expect(finding!.message).toContain('the pad token is the eos token (id 1)');
  });

  it('is quiet with a dedicated pad token (Gemma 3)', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gemma3');
    expect(findingsOf(await registry.validate(), 'PAD')).toEqual([]);
  });
});

describe('ADDED-ID', () => {
  it('fires when added_tokens.json disagrees with tokenizer.json', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'qwen2_5', { artifacts: { added_tokens: 'added_tokens.json' } });
    registry.write(`${dir}/added_tokens.json`, { '<|im_start|>': 151644, '<|im_end|>': 151646 });
    const findings = findingsOf(await registry.validate(), 'ADDED-ID');
    expect(findings).toHaveLength(2);
    expect(findings.map((f) => f.message).join('\n')).toContain('"<|im_end|>" is 151645 in');
  });

  it('fires when an added token takes the id of a vocabulary entry', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'gpt2');
    registry.editJson(`${dir}/tokenizer.json`, (t) => {
      (t.added_tokens as unknown[]).push({ id: 50, content: '<|tool|>', special: true });
    });
    const findings = findingsOf(await registry.validate(), 'ADDED-ID');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/"<\|tool\|>" .* takes id 50, which the vocabulary gives to "S"/);
  });

  it('accepts added tokens that repeat their own vocabulary entry (Mistral Nemo: 1000 of them)', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'mistral_nemo');
    expect(findingsOf(await registry.validate(), 'ADDED-ID')).toEqual([]);
  });
});
