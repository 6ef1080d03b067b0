import { finding, type Rule } from './rule.js';

/** MAX-LEN: the tokenizer does not promise a longer context than the position embeddings (after RoPE scaling) give. */
export const maxLen: Rule = (facts) => {
  const limit = facts.settings.modelMaxLength;
  const positions = facts.config?.maxPositions;
  if (limit === undefined || positions === undefined) return [];
  const effective = positions * facts.config!.ropeFactor;
  if (limit <= effective) return [];
  const scaled =
    effective !== positions ? ` (${positions} x rope_scaling factor ${facts.config!.ropeFactor})` : '';
  return [
    finding(facts, {
      rule: 'MAX-LEN',
      severity: 'warning',
      at: 'tokenizer_config',
      artifact: facts.paths.tokenizer_config,
      message: `model_max_length ${limit} in ${facts.paths.tokenizer_config} exceeds the ${effective} positions of ${facts.config!.file}${scaled}: longer inputs degrade or fail`,
      fix: `Lower model_max_length to ${effective}, or configure rope_scaling for the longer context.`,
    }),
  ];
};
