import { describe, expect, it } from 'vitest';
import { addRealModel } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';

describe('CHAT-STOP', () => {
  it('fires for the Llama 3 Instruct bug: the template ends turns with <|eot_id|> but generation stops only on <|end_of_text|>', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'llama3');
    registry.editJson(`${dir}/generation_config.json`, (c) => (c.eos_token_id = 128001));
    const findings = findingsOf(await registry.validate(), 'CHAT-STOP');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('"<|eot_id|>" (id 128009)');
    expect(findings[0]!.fix).toContain('Add 128009 to eos_token_id');
  });

  it('uses config.json eos ids when there is no generation_config', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'qwen2_5', { artifacts: { generation_config: undefined } });
    registry.editJson(`${dir}/config.json`, (c) => (c.eos_token_id = 151643));
    const findings = findingsOf(await registry.validate(), 'CHAT-STOP');
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('"<|im_end|>" (id 151645)')]);
  });
});

describe('TEMPLATE-SRC', () => {
  it('fires when chat_template.jinja and tokenizer_config.json disagree', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'qwen2_5', { artifacts: { chat_template: 'chat_template.jinja' } });
    registry.write(
      `${dir}/chat_template.jinja`,
      '{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}',
    );
    const findings = findingsOf(await registry.validate(), 'TEMPLATE-SRC');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', artifact: `${dir}/tokenizer_config.json` });
  });

  it('accepts the same template in both places', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'qwen2_5', { artifacts: { chat_template: 'chat_template.jinja' } });
    registry.write(
      `${dir}/chat_template.jinja`,
      registry.readJson<{ chat_template: string }>(`${dir}/tokenizer_config.json`).chat_template,
    );
    expect(findingsOf(await registry.validate(), 'TEMPLATE-SRC')).toEqual([]);
  });

  it('warns when an instruct model has no chat template', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'llama2', { name: 'helpdesk-chat', description: 'Llama 2 7B chat fine-tune' });
    const [finding] = findingsOf(await registry.validate(), 'TEMPLATE-SRC');
    expect(finding).toMatchObject({ severity: 'warning' });
  });

  it('says nothing for a base model without a template', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'llama2', { name: 'llama-base', description: 'pretrained base' });
    expect(findingsOf(await registry.validate(), 'TEMPLATE-SRC')).toEqual([]);
  });

  it('reports a template that does not render', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'gpt2', { artifacts: { chat_template: 'chat_template.jinja' } });
    registry.write(`${dir}/chat_template.jinja`, '{% for m in messages %}{{ m.content }');
    const [finding] = findingsOf(await registry.validate(), 'TEMPLATE-SRC');
    expect(finding!.message).toContain('does not parse');
  });
});

describe('DOUBLE-BOS', () => {
  it('warns when the template writes <bos> and the post-processor adds it too (Gemma 3)', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gemma3');
    const [finding] = findingsOf(await registry.validate(), 'DOUBLE-BOS');
    expect(finding!.message).toContain('starts with "<bos>"');
  });

  it('is quiet when the tokenizer does not add BOS (Llama 3 files here have a ByteLevel post-processor only)', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'llama3');
    expect(findingsOf(await registry.validate(), 'DOUBLE-BOS')).toEqual([]);
  });
});
