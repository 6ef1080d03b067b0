import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import { addedId } from './added-id.js';
import { chatTemplate } from './chat-template.js';
import { configValues } from './config-values.js';
import { embedShape } from './embed-shape.js';
import { maxLen } from './max-len.js';
import { modelClass } from './model-class.js';
import type { Rule } from './rule.js';
import { specialTokens, tokenIds } from './special-tokens.js';
import { vocabFits } from './vocab-fits.js';

/** Every compatibility rule, in report order. Add a rule by adding a file and listing it here. */
const COMPATIBILITY_RULES: readonly Rule[] = [
  configValues,
  vocabFits,
  embedShape,
  addedId,
  specialTokens,
  tokenIds,
  chatTemplate,
  maxLen,
  modelClass,
];

/** Runs every compatibility rule on one model. */
export function checkCompatibility(facts: ModelFacts): Finding[] {
  return COMPATIBILITY_RULES.flatMap((rule) => rule(facts));
}
