import type { Vocabulary } from './vocabulary.js';

/** Where a tokenizer's vocabulary came from. */
export type TokenizerFormat = 'tokenizer.json' | 'vocab.json' | 'vocab.txt' | 'sentencepiece';

/** A token added on top of the base vocabulary, as one file declares it. */
export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
  /** Repository-relative file that declares it. */
  source: string;
}

/** What modelgate knows about a tokenizer file, independent of its format. */
export interface Tokenizer {
  format: TokenizerFormat;
  file: string;
  /** BPE, WordPiece, WordLevel, Unigram (or SentencePiece's model type). */
  modelType: string;
  vocab: Vocabulary;
  /** Added tokens declared by the tokenizer file itself (tokenizer.json `added_tokens`, SentencePiece control pieces). */
  added: AddedToken[];
  /**
   * The parts that define how text becomes ids besides the vocabulary (merges,
   * normalizer, pre-tokenizer, post-processor), as parsed JSON values: any
   * change is a breaking change. Compared with jsonEqual only when a base is
   * given, so validation alone never walks the merges.
   */
  pipeline: Record<string, unknown>;
  /** The token the post-processor puts before a single sequence (BOS), if any. */
  prepends?: string;
  /** Special ids a SentencePiece model fixes in its trainer spec. */
  builtinSpecial?: Partial<Record<'bos' | 'eos' | 'unk' | 'pad', string>>;
}

/** A tokenizer file that could not be read as its format; becomes an ARTIFACT-INVALID finding. */
export class TokenizerFormatError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'TokenizerFormatError';
  }
}
