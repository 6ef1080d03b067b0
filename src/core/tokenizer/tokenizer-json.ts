import { JsonText } from '../model/json-text.js';
import { TokenizerFormatError, type AddedToken, type Tokenizer } from './model.js';
import { checkTokenLength, checkVocabularySize, Vocabulary } from './vocabulary.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where tokenizer.json keeps its two large values. parseJson leaves them as
 * JsonText: an object vocabulary is indexed over its bytes, and the merges are
 * parsed only when a base version's are compared with them.
 */
export const TOKENIZER_JSON_DEFERRED = [
  ['model', 'vocab'],
  ['model', 'merges'],
] as const;

/** Reads a Hugging Face `tokenizer.json` (parsed by JSON.parse, or by parseJson with TOKENIZER_JSON_DEFERRED). */
export function readTokenizerJson(json: unknown, file: string): Tokenizer {
  if (!isObject(json) || !isObject(json.model)) {
    throw new TokenizerFormatError(file, `${file} has no "model" object; it is not a tokenizer.json`);
  }
  const model = json.model;
  const modelType = typeof model.type === 'string' ? model.type : inferModelType(model);
  const vocab = readModelVocab(model, modelType, file);
  const added = readAddedTokens(json.added_tokens, file);
  const { vocab: _vocab, ...modelOptions } = model;
  // The merges are part of the pipeline a base version is compared with: parsed if that happens.
  const merges = modelOptions.merges;
  if (merges instanceof JsonText)
    Object.defineProperty(modelOptions, 'merges', { enumerable: true, get: () => merges.value() });
  return {
    format: 'tokenizer.json',
    file,
    modelType,
    vocab,
    added,
    pipeline: {
      model: modelOptions,
      normalizer: json.normalizer ?? null,
      pre_tokenizer: json.pre_tokenizer ?? null,
      post_processor: json.post_processor ?? null,
    },
    prepends: prependedToken(json.post_processor),
  };
}

// Old files omit model.type; the fields tell which model it is.
function inferModelType(model: Json): string {
  if ('merges' in model) return 'BPE';
  if (Array.isArray(model.vocab) || (model.vocab instanceof JsonText && model.vocab.type === 'array'))
    return 'Unigram';
  if ('continuing_subword_prefix' in model || 'max_input_chars_per_word' in model) return 'WordPiece';
  return 'WordLevel';
}

function readModelVocab(model: Json, modelType: string, file: string): Vocabulary {
  const text = model.vocab instanceof JsonText ? model.vocab : undefined;
  if (text && modelType !== 'Unigram' && text.type === 'object') {
    const { vocabulary, invalid } = Vocabulary.fromJsonText(text, file);
    return checkedIds(vocabulary, invalid, file);
  }
  const vocab = text ? text.value() : model.vocab;
  if (modelType === 'Unigram') {
    if (!Array.isArray(vocab))
      throw new TokenizerFormatError(file, `${file}: Unigram model.vocab must be a list`);
    checkVocabularySize(vocab.length, file);
    const pieces = vocab.map((entry: unknown, index: number) => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
        throw new TokenizerFormatError(file, `${file}: model.vocab[${index}] must be [piece, score]`);
      }
      return entry[0];
    });
    return Vocabulary.fromList(pieces, file);
  }
  if (!isObject(vocab))
    throw new TokenizerFormatError(file, `${file}: model.vocab must be an object of token -> id`);
  const { vocabulary, invalid } = Vocabulary.fromObject(vocab, file);
  return checkedIds(vocabulary, invalid, file);
}

function checkedIds(vocabulary: Vocabulary, invalid: string[], file: string): Vocabulary {
  if (invalid.length) {
    throw new TokenizerFormatError(
      file,
      `${file}: model.vocab has ${invalid.length} entries whose id is not a non-negative integer (first: ${JSON.stringify(invalid[0])})`,
    );
  }
  return vocabulary;
}

function readAddedTokens(list: unknown, file: string): AddedToken[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new TokenizerFormatError(file, `${file}: added_tokens must be a list`);
  checkVocabularySize(list.length, file, 'added_tokens list');
  return list.map((entry: unknown, index) => {
    if (
      !isObject(entry) ||
      typeof entry.content !== 'string' ||
      !Number.isSafeInteger(entry.id) ||
      (entry.id as number) < 0
    ) {
      throw new TokenizerFormatError(
        file,
        `${file}: added_tokens[${index}] needs an integer "id" and a string "content"`,
      );
    }
    checkTokenLength(entry.content, file, `added_tokens[${index}]`);
    return { id: entry.id as number, content: entry.content, special: entry.special === true, source: file };
  });
}

/** The special token a post-processor puts before a single sequence. */
function prependedToken(processor: unknown): string | undefined {
  if (!isObject(processor)) return undefined;
  switch (processor.type) {
    case 'TemplateProcessing': {
      const first: unknown = Array.isArray(processor.single) ? processor.single[0] : undefined;
      const special = isObject(first) && isObject(first.SpecialToken) ? first.SpecialToken : undefined;
      return typeof special?.id === 'string' ? special.id : undefined;
    }
    case 'BertProcessing':
    case 'RobertaProcessing':
      return Array.isArray(processor.cls) && typeof processor.cls[0] === 'string'
        ? processor.cls[0]
        : undefined;
    case 'Sequence':
      return Array.isArray(processor.processors)
        ? processor.processors.map(prependedToken).find((token) => token !== undefined)
        : undefined;
    default:
      return undefined;
  }
}

/** JSON with sorted keys, so that reordering a file's keys is not a change. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
