import {
  readCount,
  readTokenIdList,
  show,
  typeName,
  type ConfigField,
  type ValueProblem,
} from './config-value.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * config.json reduced to what the rules and the semver policy need. Every
 * number here is a usable integer; a value that is present but unusable is
 * left out and listed in `problems` instead.
 */
export interface ModelConfig {
  file: string;
  raw: Json;
  /** The language model's settings: `text_config` for multimodal configs, else the whole file. */
  text: Json;
  modelType?: string;
  vocabSize?: number;
  hiddenSize?: number;
  maxPositions?: number;
  /** transformers ties embeddings unless told otherwise. */
  tieWordEmbeddings: boolean;
  /** Effective context after RoPE scaling, when the config scales it. */
  ropeFactor: number;
  ids: TokenIds;
  /** Values present but unusable (a string, a fraction, 1e308, …). */
  problems: ValueProblem[];
}

/** bos/eos/pad ids as config.json or generation_config.json state them (eos may be a list). */
export interface TokenIds {
  bos: number[];
  eos: number[];
  pad: number[];
}

/** generation_config.json reduced to its token ids, with the values that are unusable. */
export interface GenerationConfig extends TokenIds {
  problems: ValueProblem[];
}

/** The keys each size goes by (older architectures: GPT-2's n_embd and n_positions, T5's d_model, MPT's max_seq_len). */
const SIZE_KEYS = {
  vocab_size: ['vocab_size'],
  hidden_size: ['hidden_size', 'n_embd', 'd_model'],
  max_position_embeddings: [
    'max_position_embeddings',
    'n_positions',
    'n_ctx',
    'max_sequence_length',
    'max_seq_len',
    'seq_length',
  ],
} as const satisfies Partial<Record<ConfigField, readonly string[]>>;

/** Records a value that is present but unusable. */
type ReportProblem = (field: ConfigField, key: string, value: unknown, why: string) => void;

/** Reads config.json (already parsed). Throws only when it is not a JSON object. */
export function readModelConfig(json: unknown, file: string): ModelConfig {
  if (!isObject(json)) throw new Error(`${file} must be a JSON object`);
  const text = isObject(json.text_config) ? json.text_config : json;
  const problems: ValueProblem[] = [];
  const problem: ReportProblem = (field, key, value, why) =>
    problems.push({ file, field, key, shown: show(value), why });

  // The first key present wins, text_config before the top level, as transformers reads a nested config.
  const size = (field: keyof typeof SIZE_KEYS): number | undefined => {
    for (const key of SIZE_KEYS[field]) {
      for (const [where, prefix] of [
        [text, text === json ? '' : 'text_config.'],
        [json, ''],
      ] as const) {
        if (where[key] === undefined) continue;
        const reading = readCount(where[key]);
        if (reading.ok) return reading.value;
        problem(field, `${prefix}${key}`, where[key], reading.why);
        return undefined;
      }
    }
    return undefined;
  };

  const nestedTie =
    text !== json && text.tie_word_embeddings !== undefined && text.tie_word_embeddings !== null;
  const tieKey = nestedTie ? 'text_config.' : '';
  const tie = text.tie_word_embeddings ?? json.tie_word_embeddings;
  if (tie !== undefined && tie !== null && typeof tie !== 'boolean')
    problem(
      'tie_word_embeddings',
      `${tieKey}tie_word_embeddings`,
      tie,
      `${typeName(tie)}, not true or false`,
    );

  const modelType = json.model_type;
  if (modelType !== undefined && typeof modelType !== 'string')
    problem('model_type', 'model_type', modelType, `${typeName(modelType)}, not a string`);

  return {
    file,
    raw: json,
    text,
    modelType: typeof modelType === 'string' ? modelType : undefined,
    vocabSize: size('vocab_size'),
    hiddenSize: size('hidden_size'),
    maxPositions: size('max_position_embeddings'),
    // Only an explicit false unties; a value of the wrong type is reported above.
    tieWordEmbeddings: tie !== false,
    ropeFactor: ropeFactor(json, text, problem),
    ids: readTokenIds(json, text, text === json ? '' : 'text_config.', problem),
    problems,
  };
}

function ropeFactor(json: Json, text: Json, problem: ReportProblem): number {
  const [scaling, key] = isObject(text.rope_scaling)
    ? [text.rope_scaling, text === json ? 'rope_scaling' : 'text_config.rope_scaling']
    : isObject(json.rope_scaling)
      ? [json.rope_scaling, 'rope_scaling']
      : [undefined, ''];
  const factor = scaling?.factor;
  if (factor === undefined || factor === null) return 1;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor <= 0) {
    problem(
      'rope_scaling.factor',
      `${key}.factor`,
      factor,
      typeof factor === 'number' ? 'not a positive number' : `${typeName(factor)}, not a number`,
    );
    return 1;
  }
  return factor > 1 ? factor : 1;
}

/** Reads generation_config.json (already parsed). Throws only when it is not a JSON object. */
export function readGenerationConfig(json: unknown, file: string): GenerationConfig {
  if (!isObject(json)) throw new Error(`${file} must be a JSON object`);
  const problems: ValueProblem[] = [];
  const ids = readTokenIds(json, json, '', (field, key, value, why) =>
    problems.push({ file, field, key, shown: show(value), why }),
  );
  return { ...ids, problems };
}

// The top level first, then the nested text_config (null counts as unset, as transformers writes it).
function readTokenIds(json: Json, nested: Json, nestedPrefix: string, problem: ReportProblem): TokenIds {
  const ids = (field: 'bos_token_id' | 'eos_token_id' | 'pad_token_id'): number[] => {
    const own = json[field] !== undefined && json[field] !== null;
    const value = own ? json[field] : nested[field];
    const reading = readTokenIdList(value);
    if (reading.ok) return reading.value;
    problem(field, own ? field : `${nestedPrefix}${field}`, value, reading.why);
    return [];
  };
  return { bos: ids('bos_token_id'), eos: ids('eos_token_id'), pad: ids('pad_token_id') };
}

/** Fields whose change is an architecture change (DESIGN.md SemVer policy: MAJOR). */
export const ARCHITECTURE_FIELDS = [
  'model_type',
  'architectures',
  'hidden_size',
  'num_hidden_layers',
  'num_attention_heads',
  'num_key_value_heads',
  'head_dim',
  'intermediate_size',
  'rope_theta',
  'rope_scaling',
  'tie_word_embeddings',
  // The same fields under older names (GPT-2, T5).
  'n_embd',
  'n_layer',
  'n_head',
  'n_inner',
  'd_model',
  'num_layers',
  'num_heads',
  'd_ff',
] as const;
