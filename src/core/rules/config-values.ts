import { EXPECTED, type ConfigField, type ValueProblem } from '../config/config-value.js';
import type { Finding, RuleId, Severity } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import { artifactKey } from './added-id.js';
import { embeddingTensors } from './embed-shape.js';
import { finding, type Rule } from './rule.js';

/** The rules that compute with each value: when it is unusable, none of them can check. */
const NEEDED_BY: Record<ConfigField, RuleId[]> = {
  vocab_size: ['VOCAB-FITS', 'VOCAB-PAD', 'IDS-IN-RANGE', 'EMBED-SHAPE'],
  hidden_size: ['EMBED-SHAPE'],
  max_position_embeddings: ['MAX-LEN'],
  bos_token_id: ['IDS-IN-RANGE', 'IDS-AGREE'],
  eos_token_id: ['IDS-IN-RANGE', 'IDS-AGREE', 'CHAT-STOP'],
  pad_token_id: ['IDS-IN-RANGE', 'PAD'],
  model_max_length: ['MAX-LEN'],
  'rope_scaling.factor': ['MAX-LEN'],
  tie_word_embeddings: ['TIED'],
  model_type: ['CLASS'],
};

/**
 * ARTIFACT-INVALID for the values rules compute with: a value that is there
 * but unusable (a string, null, a list, a fraction, 1e308, a negative size) is
 * an error naming the rules it stops; a value that is missing where a rule
 * needs it is reported with that rule's severity (an error for VOCAB-FITS,
 * IDS-IN-RANGE and EMBED-SHAPE, a warning for MAX-LEN), so no check vanishes
 * without a word.
 */
export const configValues: Rule = (facts) => [...unusableValues(facts), ...missingValues(facts)];

function unusableValues(facts: ModelFacts): Finding[] {
  const problems: ValueProblem[] = [
    ...(facts.config?.problems ?? []),
    ...(facts.generation?.problems ?? []),
    ...facts.settings.problems,
  ];
  return problems.map((problem) =>
    finding(facts, {
      rule: 'ARTIFACT-INVALID',
      severity: 'error',
      at: artifactKey(facts, problem.file),
      artifact: problem.file,
      message: `${problem.file}: ${problem.key} is ${problem.shown} (${problem.why}): ${ruleList(NEEDED_BY[problem.field])} cannot check without it`,
      fix: `Write ${problem.key} as ${EXPECTED[problem.field]}.`,
    }),
  );
}

function missingValues(facts: ModelFacts): Finding[] {
  const config = facts.config;
  if (!config) return [];
  const findings: Finding[] = [];
  const reported = new Set(config.problems.map((p) => p.field));
  const nested = config.text !== config.raw;
  const missing = (
    field: ConfigField,
    keys: string,
    needs: [RuleId, boolean][],
    severity: Severity,
    fix: string,
  ) => {
    const rules = needs.filter(([, needed]) => needed).map(([rule]) => rule);
    if (!rules.length || reported.has(field)) return;
    findings.push(
      finding(facts, {
        rule: 'ARTIFACT-INVALID',
        severity,
        at: 'config',
        artifact: config.file,
        message: `${config.file} has no ${keys}: ${ruleList(rules)} cannot check without it`,
        fix,
      }),
    );
  };

  if (config.vocabSize === undefined) {
    const declaresIds = [config.ids, facts.generation].some(
      (ids) => ids !== undefined && (ids.bos.length > 0 || ids.eos.length > 0 || ids.pad.length > 0),
    );
    missing(
      'vocab_size',
      nested ? 'vocab_size (in text_config or at the top level)' : 'vocab_size',
      [
        ['VOCAB-FITS', facts.tokenizer !== undefined],
        ['IDS-IN-RANGE', declaresIds],
        ['EMBED-SHAPE', embeddingTensors(facts).length > 0],
      ],
      'error',
      `Add vocab_size, the number of rows of the embedding, to ${config.file}: without it transformers falls back to a default of the model class that may not match the weights.`,
    );
  }
  if (config.hiddenSize === undefined) {
    missing(
      'hidden_size',
      'hidden_size (nor n_embd or d_model)',
      [['EMBED-SHAPE', embeddingTensors(facts).length > 0]],
      'error',
      `Add hidden_size, the width of the embedding, to ${config.file}.`,
    );
  }
  if (config.maxPositions === undefined && facts.settings.modelMaxLength !== undefined) {
    missing(
      'max_position_embeddings',
      'max_position_embeddings (nor n_positions, n_ctx, max_sequence_length, max_seq_len or seq_length)',
      [['MAX-LEN', true]],
      // MAX-LEN itself only warns; not being able to run it weighs the same.
      'warning',
      `Add max_position_embeddings to ${config.file} if the model has a trained context length (model_max_length is ${facts.settings.modelMaxLength}).`,
    );
  }
  return findings;
}

/** "VOCAB-FITS", "VOCAB-FITS and IDS-IN-RANGE", "A, B and C". */
function ruleList(rules: readonly string[]): string {
  return rules.length > 1 ? `${rules.slice(0, -1).join(', ')} and ${rules.at(-1)}` : (rules[0] ?? '');
}
