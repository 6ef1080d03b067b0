import { describe, expect, it } from 'vitest';
import { TOKENIZER_PACKAGES, type RealTokenizer } from '../../setup/fixture-packages.js';
import { addRealModel } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';

// Warnings these real models really deserve (checked against their published files).
const EXPECTED_WARNINGS: Record<RealTokenizer, string[]> = {
  gpt2: ['PAD'], // no pad token: the usual GPT-2 complaint
  llama2: [],
  llama3: ['PAD'], // Llama 3 ships no pad token
  qwen2_5: ['MAX-LEN'], // model_max_length 131072 relies on YaRN, which config.json leaves off
  mistral_nemo: ['DOUBLE-BOS', 'PAD'], // the template writes <s> and the post-processor adds it
  gemma3: ['DOUBLE-BOS'], // likewise with <bos>
  // pad_token is the eos token; the template writes {{bos_token}} and add_bos_token: true adds another
  deepseek_v3: ['DOUBLE-BOS', 'PAD'],
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
