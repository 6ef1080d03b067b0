import { finding, type Rule } from './rule.js';

// Tokenizer classes transformers pairs with each model_type (slow and Fast variants).
const TOKENIZERS: Record<string, string[]> = {
  llama: ['LlamaTokenizer', 'CodeLlamaTokenizer'],
  mistral: ['LlamaTokenizer'],
  mixtral: ['LlamaTokenizer'],
  qwen2: ['Qwen2Tokenizer'],
  qwen3: ['Qwen2Tokenizer'],
  qwen2_moe: ['Qwen2Tokenizer'],
  gemma: ['GemmaTokenizer'],
  gemma2: ['GemmaTokenizer'],
  gemma3: ['GemmaTokenizer'],
  gemma3_text: ['GemmaTokenizer'],
  gpt2: ['GPT2Tokenizer'],
  gpt_neox: ['GPTNeoXTokenizer'],
  bert: ['BertTokenizer'],
  phi3: ['LlamaTokenizer'],
  deepseek_v3: ['LlamaTokenizer'],
  t5: ['T5Tokenizer'],
};
// Generic classes that serve any model.
const GENERIC = new Set(['PreTrainedTokenizerFast', 'PreTrainedTokenizer', 'TokenizersBackend']);

/** CLASS: config.json names a model_type, and the tokenizer class is one that model uses. */
export const modelClass: Rule = (facts) => {
  const { config } = facts;
  if (!config) return [];
  if (!config.modelType) {
    return [
      finding(facts, {
        rule: 'CLASS',
        severity: 'error',
        at: 'config',
        artifact: config.file,
        message: `${config.file} has no model_type: transformers and vLLM cannot pick an architecture`,
        fix: 'Add model_type (for example "llama") to config.json.',
      }),
    ];
  }
  const tokenizerClass = facts.settings.tokenizerClass;
  const expected = TOKENIZERS[config.modelType];
  if (!tokenizerClass || !expected || GENERIC.has(tokenizerClass)) return [];
  const base = tokenizerClass.replace(/Fast$/, '');
  if (expected.includes(base)) return [];
  return [
    finding(facts, {
      rule: 'CLASS',
      severity: 'warning',
      at: 'tokenizer_config',
      artifact: facts.paths.tokenizer_config,
      message: `tokenizer_class ${tokenizerClass} is unusual for model_type ${config.modelType} (expected ${expected.map((c) => `${c}(Fast)`).join(' or ')})`,
      fix: 'Check that the tokenizer files belong to this model.',
    }),
  ];
};
