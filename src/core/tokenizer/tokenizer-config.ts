import { readCount, show, type ValueProblem } from '../config/config-value.js';
import type { AddedToken } from './model.js';
import { checkVocabularySize } from './vocabulary.js';

export const SPECIAL_ROLES = ['bos', 'eos', 'unk', 'pad', 'sep', 'cls', 'mask'] as const;
export type SpecialRole = (typeof SPECIAL_ROLES)[number];

/** A special token as a file names it: a string, or null for "explicitly none". */
export interface SpecialToken {
  role: SpecialRole;
  content: string | null;
  source: string;
}

/** tokenizer_config.json and friends, reduced to what the rules need. */
export interface TokenizerSettings {
  special: SpecialToken[];
  /** `added_tokens_decoder` of tokenizer_config.json, and added_tokens.json. */
  added: AddedToken[];
  modelMaxLength?: number;
  tokenizerClass?: string;
  addBosToken?: boolean;
  /** add_eos_token: like add_bos_token, it replaces tokenizer.json's post-processor in transformers. */
  addEosToken?: boolean;
  /** The default chat template stored in tokenizer_config.json. */
  chatTemplate?: string;
  /** Values present but unusable (model_max_length as a string, …). */
  problems: ValueProblem[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

// transformers writes int(1e30) when a tokenizer sets no limit.
const UNSET_MAX_LENGTH = 1e20;

/** A token value in tokenizer_config.json / special_tokens_map.json: "text", {content: "text"} or null. */
function tokenContent(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.content === 'string') return value.content;
  return undefined;
}

/** Special tokens named in a tokenizer_config.json or special_tokens_map.json object. */
export function readSpecialTokens(json: Json, source: string): SpecialToken[] {
  const special: SpecialToken[] = [];
  for (const role of SPECIAL_ROLES) {
    const content = tokenContent(json[`${role}_token`]);
    if (content !== undefined) special.push({ role, content, source });
  }
  return special;
}

/** Reads tokenizer_config.json (already parsed). */
export function readTokenizerConfig(json: unknown, file: string): TokenizerSettings {
  if (!isObject(json)) throw new Error(`${file} must be a JSON object`);
  const added: AddedToken[] = [];
  if (isObject(json.added_tokens_decoder)) {
    checkVocabularySize(Object.keys(json.added_tokens_decoder).length, file, 'added_tokens_decoder');
    for (const [key, value] of Object.entries(json.added_tokens_decoder)) {
      const id = Number(key);
      const content = tokenContent(value);
      if (!Number.isSafeInteger(id) || id < 0 || typeof content !== 'string') {
        throw new Error(`${file}: added_tokens_decoder["${key}"] needs an integer id and a "content" string`);
      }
      added.push({ id, content, special: isObject(value) && value.special === true, source: file });
    }
  }
  const problems: ValueProblem[] = [];
  return {
    special: readSpecialTokens(json, file),
    added,
    modelMaxLength: readMaxLength(json.model_max_length, file, problems),
    tokenizerClass: typeof json.tokenizer_class === 'string' ? json.tokenizer_class : undefined,
    addBosToken: typeof json.add_bos_token === 'boolean' ? json.add_bos_token : undefined,
    addEosToken: typeof json.add_eos_token === 'boolean' ? json.add_eos_token : undefined,
    chatTemplate: defaultTemplate(json.chat_template),
    problems,
  };
}

// Unset, null and transformers' "no limit" sentinel all mean no limit; anything else must be a count.
function readMaxLength(value: unknown, file: string, problems: ValueProblem[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && value >= UNSET_MAX_LENGTH) return undefined;
  const reading = readCount(value);
  if (reading.ok) return reading.value;
  problems.push({
    file,
    field: 'model_max_length',
    key: 'model_max_length',
    shown: show(value),
    why: reading.why,
  });
  return undefined;
}

// chat_template is a string, or a list of {name, template} where "default" is the one used.
function defaultTemplate(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const named = value.filter(isObject);
    const chosen = named.find((t) => t.name === 'default') ?? named[0];
    return typeof chosen?.template === 'string' ? chosen.template : undefined;
  }
  return undefined;
}

/** Reads added_tokens.json: `{ "<token>": id }`. */
export function readAddedTokensJson(json: unknown, file: string): AddedToken[] {
  if (!isObject(json)) throw new Error(`${file} must be a JSON object of token -> id`);
  checkVocabularySize(Object.keys(json).length, file, 'added tokens');
  return Object.entries(json).map(([content, id]) => {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
      throw new Error(`${file}: the id of ${JSON.stringify(content)} must be a non-negative integer`);
    }
    return { id, content, special: true, source: file };
  });
}
