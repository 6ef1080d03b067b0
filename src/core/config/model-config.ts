type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** config.json reduced to what the rules and the semver policy need. */
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
}

/** bos/eos/pad ids as config.json or generation_config.json state them (eos may be a list). */
export interface TokenIds {
  bos: number[];
  eos: number[];
  pad: number[];
}

const firstNumber = (...values: unknown[]) => values.find((v): v is number => typeof v === 'number');

/** Reads config.json (already parsed). Older architectures name fields differently (n_embd, n_positions, d_model). */
export function readModelConfig(json: unknown, file: string): ModelConfig {
  if (!isObject(json)) throw new Error(`${file} must be a JSON object`);
  const text = isObject(json.text_config) ? json.text_config : json;
  const pick = (...keys: string[]) => firstNumber(...keys.flatMap((k) => [text[k], json[k]]));
  const tie = text.tie_word_embeddings ?? json.tie_word_embeddings;
  const scaling = isObject(text.rope_scaling)
    ? text.rope_scaling
    : isObject(json.rope_scaling)
      ? json.rope_scaling
      : undefined;
  return {
    file,
    raw: json,
    text,
    modelType: typeof json.model_type === 'string' ? json.model_type : undefined,
    vocabSize: pick('vocab_size'),
    hiddenSize: pick('hidden_size', 'n_embd', 'd_model'),
    maxPositions: pick('max_position_embeddings', 'n_positions', 'n_ctx', 'max_sequence_length'),
    tieWordEmbeddings: tie !== false,
    ropeFactor: typeof scaling?.factor === 'number' && scaling.factor > 1 ? scaling.factor : 1,
    ids: readTokenIds(json, text),
  };
}

/** Reads generation_config.json (already parsed). */
export function readGenerationConfig(json: unknown, file: string): TokenIds {
  if (!isObject(json)) throw new Error(`${file} must be a JSON object`);
  return readTokenIds(json, json);
}

function readTokenIds(json: Json, nested: Json): TokenIds {
  const ids = (key: string): number[] => {
    const value = json[key] ?? nested[key];
    const list = Array.isArray(value) ? value : [value];
    return list.filter((v): v is number => typeof v === 'number');
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
