import { describe, expect, it } from 'vitest';
import { TOKENIZER_PACKAGES, type RealTokenizer } from '../../setup/fixture-packages.js';
import { addRealModel } from '../../helpers/models.js';
import { findingsOf, TempRegistry } from '../../helpers/registry.js';

// Warnings these real models really deserve (checked against their published files).
const EXPECTED_WARNINGS: Record<RealTokenizer, string[]> = {
  gpt2: ['PAD'], // no pad token: the usual GPT-2 complaint
  llama2: [],
  llama3: ['PAD'], // Llama 3 ships no pad token
  qwen2_5: ['MAX-LEN'], // model_max_length 131072 relies on YaRN, which config.json leaves off
  // Likewise: Qwen3-8B's tokenizer allows 131072 tokens, its config.json 40960 positions (YaRN is opt-in)
  qwen3: ['MAX-LEN'],
  mistral_nemo: ['DOUBLE-BOS', 'PAD'], // the template writes <s> and the post-processor adds it
  gemma3: ['DOUBLE-BOS'], // likewise with <bos>
  // pad_token is the eos token; the template writes {{bos_token}} and add_bos_token: true adds another
  deepseek_v3: ['DOUBLE-BOS', 'PAD'],
  // Harmony: history turns end with <|end|>, the answer with <|return|> (a stop id); pad is <|endoftext|>
  gpt_oss: [],
};

describe('real models with their published configs', () => {
  it.each(Object.keys(TOKENIZER_PACKAGES) as RealTokenizer[])(
    '%s validates with no error',
    async (tokenizer) => {
      const registry = TempRegistry.create();
      addRealModel(registry, tokenizer);
      const report = await registry.validate();

      expect(report.models).toHaveLength(1);
      expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(
        report.findings
          .filter((f) => f.severity === 'warning')
          .map((f) => f.rule)
          .sort(),
      ).toEqual(EXPECTED_WARNINGS[tokenizer]);
    },
  );
});

describe("gpt-oss's Harmony template: the turn the model generates ends with <|return|>", () => {
  // OpenAI's template writes <|end|> after replies in the history and <|return|> after the last
  // reply of a training example; only <|return|> (200002) is generated and is a stop id.
  it('no CHAT-STOP for the published files: <|end|> in history turns is not where generation stops', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt_oss');
    expect(findingsOf(await registry.validate(), 'CHAT-STOP')).toEqual([]);
  });

  it('CHAT-STOP names <|return|> when generation_config.json no longer stops on it', async () => {
    const registry = TempRegistry.create();
    const dir = addRealModel(registry, 'gpt_oss');
    registry.editJson(`${dir}/generation_config.json`, (c) => (c.eos_token_id = [199999, 200012]));
    const findings = findingsOf(await registry.validate(), 'CHAT-STOP');
    expect(findings.map((f) => [f.severity, f.message, f.fix])).toEqual([
      [
        'error',
        `the chat template in ${dir}/chat_template.jinja ends assistant turns with "<|return|>" (id 200002), but eos_token_id in ${dir}/generation_config.json is [199999, 200012]: generation runs past the end of the turn`,
        `Add 200002 to eos_token_id in ${dir}/generation_config.json.`,
      ],
    ]);
  });
});
