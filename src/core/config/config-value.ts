/**
 * The values of config.json, generation_config.json and tokenizer_config.json
 * that rules compute with. Each is either usable (a plain integer, a boolean)
 * or a ValueProblem: a rule never sees a string, a fraction or 1e308 and
 * quietly skips or misjudges its check.
 */

/** The values rules need, by the name the rules and messages use. */
export type ConfigField =
  | 'vocab_size'
  | 'hidden_size'
  | 'max_position_embeddings'
  | 'bos_token_id'
  | 'eos_token_id'
  | 'pad_token_id'
  | 'model_max_length'
  | 'rope_scaling.factor'
  | 'tie_word_embeddings'
  | 'model_type';

/** A value that is present in a file but unusable. */
export interface ValueProblem {
  file: string;
  field: ConfigField;
  /** The key as written, dotted when nested ("text_config.vocab_size"). */
  key: string;
  /** The value, shortened for a message. */
  shown: string;
  /** Why it is unusable, said after the value: "a string, not a number", "not an integer", … */
  why: string;
}

/** A reading: the value, or why there is none. */
export type ValueReading<T> = { ok: true; value: T } | { ok: false; why: string };

/** A count (a size, a length): a non-negative integer that a double holds exactly. */
export function readCount(value: unknown): ValueReading<number> {
  if (typeof value !== 'number') return { ok: false, why: notA(value, 'a number') };
  if (!Number.isInteger(value)) return { ok: false, why: 'not an integer' };
  if (value < 0) return { ok: false, why: 'negative' };
  if (!Number.isSafeInteger(value))
    return { ok: false, why: `beyond ${Number.MAX_SAFE_INTEGER}, the largest integer counted exactly` };
  return { ok: true, value };
}

/**
 * A token id field: one integer or a list of them (eos_token_id often is);
 * null means "none" (transformers writes it for unset ids). Negative ids are
 * kept: IDS-IN-RANGE reports them as outside [0, vocab_size).
 */
export function readTokenIdList(value: unknown): ValueReading<number[]> {
  if (value === null || value === undefined) return { ok: true, value: [] };
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  const inList = Array.isArray(value);
  for (const id of list) {
    if (typeof id !== 'number')
      return { ok: false, why: inList ? `it holds ${typeName(id)}, not an integer` : notA(id, 'an integer') };
    if (!Number.isSafeInteger(id))
      return { ok: false, why: inList ? `it holds ${show(id)}, not an integer id` : 'not an integer id' };
  }
  return { ok: true, value: list as number[] };
}

// "a string, not a number"; null is just "not a number".
function notA(value: unknown, expected: string): string {
  return value === null ? `not ${expected}` : `${typeName(value)}, not ${expected}`;
}

/** "a string", "null", "a list", … for messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

/** A value as JSON, at most 40 characters, for messages. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** What a field must be, for a fix. */
export const EXPECTED: Record<ConfigField, string> = {
  vocab_size: 'a plain integer, the number of rows of the embedding (for example 32000)',
  hidden_size: 'a plain integer, the width of the embedding (for example 4096)',
  max_position_embeddings:
    'a plain integer, the number of positions the model was trained for (for example 8192)',
  bos_token_id: 'an integer token id, or null',
  eos_token_id: 'an integer token id or a list of them (for example [128001, 128009]), or null',
  pad_token_id: 'an integer token id, or null',
  model_max_length: 'a plain integer (transformers writes 1e30 for "no limit")',
  'rope_scaling.factor': 'a positive number (for example 8.0)',
  tie_word_embeddings: 'true or false',
  model_type: 'a string naming the architecture (for example "llama")',
};
