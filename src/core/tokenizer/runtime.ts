import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A tokenizer that really encodes: tokenizer.json run by @huggingface/tokenizers
 * (pure JS, the same pipeline as the Rust `tokenizers` crate), with the
 * add_bos_token / add_eos_token flags of tokenizer_config.json applied as
 * transformers applies them. Building one costs about a second for a 128k
 * vocabulary, so modelgate builds it only when behaviour must be measured.
 */
export interface RuntimeTokenizer {
  /** Ids of `text`; with `special`, the tokens the post-processor adds (BOS …) too, as `tokenizer(text)` does. */
  encode(text: string, special?: boolean): number[];
  /** Text of `ids`, special tokens kept and no clean-up of spaces: what the decoder itself produces. */
  decode(ids: readonly number[]): string;
  /** Token strings of `ids`, for examples in messages. */
  pieces(ids: readonly number[]): string[];
  /** Every text that decodes is expected back: the pre-tokenizer or decoder works on bytes, or the model falls back to bytes. */
  byteLevel: boolean;
  /** The id unknown text becomes, when the model has one. */
  unkId?: number;
}

/** The parts of tokenizer_config.json that change how text becomes ids. */
export interface EncodingSettings {
  addBosToken?: boolean;
  addEosToken?: boolean;
  bosToken?: string;
  eosToken?: string;
}

/**
 * The post-processor transformers runs: when tokenizer_config.json sets
 * add_bos_token or add_eos_token, it replaces tokenizer.json's with
 * `[bos] $A [eos]` as the flags say (TokenizersBackend.update_post_processor
 * in transformers 5; LlamaTokenizerFast and GemmaTokenizerFast did the same
 * before). Otherwise tokenizer.json's own stays.
 */
function effectivePostProcessor(tokenizerJson: Json, settings: EncodingSettings): unknown {
  const own = tokenizerJson.post_processor ?? null;
  if (settings.addBosToken === undefined && settings.addEosToken === undefined) return own;
  const idOf = (token: string | undefined) =>
    token === undefined ? undefined : addedOrVocabId(tokenizerJson, token);
  const bos = settings.addBosToken && settings.bosToken !== undefined ? settings.bosToken : undefined;
  const eos = settings.addEosToken && settings.eosToken !== undefined ? settings.eosToken : undefined;
  const bosId = idOf(bos);
  const eosId = idOf(eos);
  const special = (id: string, typeId: number) => ({ SpecialToken: { id, type_id: typeId } });
  const sequence = (id: string, typeId: number) => ({ Sequence: { id, type_id: typeId } });
  const part = (typeId: number, name: string) => [
    ...(bos !== undefined && bosId !== undefined ? [special(bos, typeId)] : []),
    sequence(name, typeId),
    ...(eos !== undefined && eosId !== undefined ? [special(eos, typeId)] : []),
  ];
  const specialTokens: Json = {};
  if (bos !== undefined && bosId !== undefined) specialTokens[bos] = { id: bos, ids: [bosId], tokens: [bos] };
  if (eos !== undefined && eosId !== undefined) specialTokens[eos] = { id: eos, ids: [eosId], tokens: [eos] };
  return {
    type: 'TemplateProcessing',
    single: part(0, 'A'),
    pair: [...part(0, 'A'), ...part(1, 'B')],
    special_tokens: specialTokens,
  };
}

function addedOrVocabId(tokenizerJson: Json, token: string): number | undefined {
  const added = Array.isArray(tokenizerJson.added_tokens) ? tokenizerJson.added_tokens : [];
  for (const entry of added)
    if (isObject(entry) && entry.content === token && typeof entry.id === 'number') return entry.id;
  const model = isObject(tokenizerJson.model) ? tokenizerJson.model : {};
  if (isObject(model.vocab) && Object.hasOwn(model.vocab, token)) {
    const id = model.vocab[token];
    return typeof id === 'number' ? id : undefined;
  }
  if (Array.isArray(model.vocab)) {
    const index = model.vocab.findIndex((entry) => Array.isArray(entry) && entry[0] === token);
    return index >= 0 ? index : undefined;
  }
  return undefined;
}

/** Whether a tokenizer.json promises that every text survives encode and decode (byte-level BPE or byte fallback). */
function isByteLevel(tokenizerJson: Json): boolean {
  const mentionsByteLevel = (part: unknown): boolean => {
    if (!isObject(part)) return false;
    if (part.type === 'ByteLevel') return true;
    const children = [part.pretokenizers, part.decoders].find(Array.isArray) as unknown[] | undefined;
    return children?.some(mentionsByteLevel) ?? false;
  };
  const model = isObject(tokenizerJson.model) ? tokenizerJson.model : {};
  return (
    model.byte_fallback === true ||
    mentionsByteLevel(tokenizerJson.pre_tokenizer) ||
    mentionsByteLevel(tokenizerJson.decoder)
  );
}

/** The model's unknown-token id: BPE/WordPiece name it, Unigram numbers it. */
function unknownId(tokenizerJson: Json): number | undefined {
  const model = isObject(tokenizerJson.model) ? tokenizerJson.model : {};
  if (typeof model.unk_id === 'number') return model.unk_id;
  return typeof model.unk_token === 'string' ? addedOrVocabId(tokenizerJson, model.unk_token) : undefined;
}

/**
 * The longest word a WordPiece model may try to split. The library's WordPiece
 * costs time cubic in the word's length, and longer words become the unknown
 * token anyway; BERT and its kin use 100 (some 200).
 */
const MAX_WORDPIECE_WORD_CHARS = 1000;

/** A tokenizer.json the library cannot run; becomes a finding, never a crash. */
export class RuntimeBuildError extends Error {
  override name = 'RuntimeBuildError';

  /** What the model's authors can do, when modelgate knows better than "check that it loads". */
  readonly fix: string | undefined;

  constructor(message: string, fix?: string) {
    super(message);
    this.fix = fix;
  }
}

/**
 * Builds a RuntimeTokenizer from a parsed tokenizer.json and the encoding
 * settings of tokenizer_config.json. Pure: no I/O, the library runs in
 * memory. Throws RuntimeBuildError when the library refuses the file.
 */
export function buildRuntimeTokenizer(tokenizerJson: unknown, settings: EncodingSettings): RuntimeTokenizer {
  if (!isObject(tokenizerJson) || !isObject(tokenizerJson.model))
    throw new RuntimeBuildError('it has no "model" object');
  const wordLimit = tokenizerJson.model.max_input_chars_per_word;
  if (
    tokenizerJson.model.type === 'WordPiece' &&
    typeof wordLimit === 'number' &&
    wordLimit > MAX_WORDPIECE_WORD_CHARS
  )
    throw new RuntimeBuildError(
      `its WordPiece model sets max_input_chars_per_word to ${wordLimit}, above the ${MAX_WORDPIECE_WORD_CHARS} modelgate runs (WordPiece takes time cubic in a word's length; published tokenizers use 100 or 200)`,
      `Set model.max_input_chars_per_word in tokenizer.json to at most ${MAX_WORDPIECE_WORD_CHARS} (BERT uses 100); words longer than it become the unknown token.`,
    );
  const effective: Json = {
    decoder: null,
    normalizer: null,
    pre_tokenizer: null,
    added_tokens: [],
    ...tokenizerJson,
    post_processor: effectivePostProcessor(tokenizerJson, settings),
  };
  let library: HfTokenizer;
  try {
    // Unigram and legacy word-level models read eos/bos from the config; encode and decode options are passed per call.
    const config = Object.fromEntries(
      Object.entries({ bos_token: settings.bosToken, eos_token: settings.eosToken }).filter(
        ([, v]) => v !== undefined,
      ),
    );
    library = new HfTokenizer(effective, config);
  } catch (error) {
    throw new RuntimeBuildError(error instanceof Error ? error.message : String(error));
  }
  return {
    encode: (text, special = false) =>
      text === '' && !special ? [] : library.encode(text, { add_special_tokens: special }).ids,
    decode: (ids) =>
      ids.length === 0
        ? ''
        : library.decode([...ids], { skip_special_tokens: false, clean_up_tokenization_spaces: false }),
    pieces: (ids) => ids.map((id) => library.id_to_token(id) ?? `#${id}`),
    byteLevel: isByteLevel(tokenizerJson),
    unkId: unknownId(tokenizerJson),
  };
}
