import { describe, expect, it } from 'vitest';
import { validate } from '../../../src/core/validate.js';
import { GitRepository } from '../../../src/io/git-repository.js';
import { DEFAULT_MANIFESTS } from '../../../src/io/settings.js';
import { sharedTokenizerSandbox } from '../../../src/io/tokenizer-sandbox.js';
import { addRealModel } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';
import { TOKENIZER_PACKAGES, type RealTokenizer } from '../../setup/fixture-packages.js';

const BEHAVIOUR_RULES = ['ROUND-TRIP', 'UNK-RATE', 'CHAT-STOP', 'SPECIAL-RESOLVES', 'DOUBLE-BOS'];

// The only behavioural findings these real models deserve: their templates write BOS and the
// tokenizer adds it too (add_bos_token, or Gemma's and Mistral's post-processors), a warning.
const EXPECTED: Record<RealTokenizer, string[]> = {
  gpt2: [],
  llama2: [],
  llama3: [],
  qwen2_5: [],
  qwen3: [],
  mistral_nemo: ['warning DOUBLE-BOS'],
  gemma3: ['warning DOUBLE-BOS'],
  deepseek_v3: ['warning DOUBLE-BOS'],
  gpt_oss: [],
};

describe('real tokenizers with their real templates, encoded on the reference corpus', () => {
  // One build per tokenizer: 'always' measures each model once, with its chat template and the corpus.
  it.each(Object.keys(TOKENIZER_PACKAGES) as RealTokenizer[])('%s: no false finding', async (name) => {
    const registry = TempRegistry.create();
    addRealModel(registry, name);
    const report = await validate(new GitRepository(registry.root), {
      manifests: DEFAULT_MANIFESTS,
      tokenizerBehaviour: 'always',
      tokenizerRunner: sharedTokenizerSandbox(),
    });
    expect(report.models).toHaveLength(1);
    expect(
      report.findings.filter((f) => BEHAVIOUR_RULES.includes(f.rule)).map((f) => `${f.severity} ${f.rule}`),
    ).toEqual(EXPECTED[name]);
    // Measured, not skipped: nothing says the behaviour was left unchecked.
    expect(report.findings.filter((f) => f.message.includes('was not checked'))).toEqual([]);
  });
});
