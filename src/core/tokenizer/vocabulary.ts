import { MAX_HASHED_CHARACTERS } from '../hashed-string.js';
import type { JsonText } from '../model/json-text.js';
import { TokenizerFormatError } from './model.js';
import { TokenTable } from './token-table.js';

/**
 * The most vocabulary entries modelgate reads from one file: 2^20, four times
 * the largest published vocabularies (Gemma 3: 262,144; BLOOM, mT5, XLM-R and
 * NLLB: about 250,000). Every format is counted before its tables are built,
 * so a hostile ten-million-entry vocabulary costs a count, not minutes.
 */
export const MAX_VOCABULARY = 1_048_576;

/** Refuses a token longer than MAX_HASHED_CHARACTERS (a Map key): `where` names it ("token 12", "added_tokens[3]"). */
export function checkTokenLength(token: string, file: string, where: string): void {
  if (token.length > MAX_HASHED_CHARACTERS)
    throw new TokenizerFormatError(
      file,
      `${file}: ${where} is ${token.length} characters long; modelgate reads tokens of at most ${MAX_HASHED_CHARACTERS} (real tokens are a few dozen)`,
    );
}

/** Refuses a vocabulary (or added-token list) of more than MAX_VOCABULARY entries. */
export function checkVocabularySize(entries: number, file: string, what = 'vocabulary'): void {
  if (entries > MAX_VOCABULARY) {
    throw new TokenizerFormatError(
      file,
      `${file}: the ${what} has ${entries} entries; modelgate reads at most ${MAX_VOCABULARY} (the largest real vocabularies have about 262,000 tokens)`,
    );
  }
}

/**
 * A tokenizer's base vocabulary (token string <-> id), whatever file it came
 * from. Lookups use own properties only, so tokens such as "constructor" or
 * "__proto__" never hit Object.prototype.
 */
export class Vocabulary {
  private reverse?: (string | undefined)[];

  private constructor(
    private readonly ids: Readonly<Record<string, number>> | ReadonlyMap<string, number> | TokenTable,
    /** Number of entries. */
    readonly size: number,
    /** Highest id, -1 for an empty vocabulary. */
    readonly maxId: number,
  ) {}

  /**
   * From a `{token: id}` object (tokenizer.json BPE/WordPiece/WordLevel,
   * vocab.json) read from `file`. Returns the entries that are not integer
   * ids; throws TokenizerFormatError beyond MAX_VOCABULARY entries.
   */
  static fromObject(
    ids: Record<string, unknown>,
    file: string,
  ): { vocabulary: Vocabulary; invalid: string[] } {
    // One pass over the tokens checks every id; the id -> token table waits for a question that
    // needs it (tokenAt), since most models never ask one below their highest id.
    const tokens = Object.keys(ids);
    checkVocabularySize(tokens.length, file);
    let size = 0;
    let maxId = -1;
    const invalid: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      const id = ids[token];
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
        invalid.push(token);
        continue;
      }
      size += 1;
      if (id > maxId) maxId = id;
    }
    return { vocabulary: new Vocabulary(ids as Record<string, number>, size, maxId), invalid };
  }

  /**
   * From a `{token: id}` object left unparsed in the file (parseJson's
   * deferred values): indexed over its bytes (TokenTable), or parsed and read
   * as fromObject does when the table cannot be exact.
   */
  static fromJsonText(text: JsonText, file: string): { vocabulary: Vocabulary; invalid: string[] } {
    const table = TokenTable.index(text);
    if (!table) return Vocabulary.fromObject(text.value() as Record<string, unknown>, file);
    checkVocabularySize(table.keys, file);
    return { vocabulary: new Vocabulary(table, table.size, table.maxId), invalid: table.invalid() };
  }

  /**
   * From a list where the index is the id (vocab.txt, Unigram, SentencePiece)
   * read from `file`. The first occurrence of a duplicate wins; throws
   * TokenizerFormatError beyond MAX_VOCABULARY entries.
   */
  static fromList(tokens: readonly string[], file: string): Vocabulary {
    checkVocabularySize(tokens.length, file);
    tokens.forEach((token, id) => checkTokenLength(token, file, `token ${id}`));
    const map = new Map<string, number>();
    tokens.forEach((token, id) => {
      if (!map.has(token)) map.set(token, id);
    });
    const vocabulary = new Vocabulary(map, tokens.length, tokens.length - 1);
    vocabulary.reverse = [...tokens];
    return vocabulary;
  }

  /** The id of `token`, if the vocabulary has it. */
  idOf(token: string): number | undefined {
    if (this.ids instanceof Map || this.ids instanceof TokenTable) return this.ids.get(token);
    const ids = this.ids as Readonly<Record<string, number>>;
    if (!Object.hasOwn(ids, token)) return undefined;
    const id = ids[token];
    return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : undefined;
  }

  /**
   * The token at `id`; when several share it, the first in the order
   * JSON.parse gives an object's keys (array-index tokens such as "17" first,
   * then file order). The table is built on first use.
   */
  tokenAt(id: number): string | undefined {
    // Ids above the highest one need no table: added tokens usually sit there (Llama 3: 256 of them).
    if (!Number.isSafeInteger(id) || id < 0 || id > this.maxId) return undefined;
    this.reverse ??= this.buildReverse();
    return this.reverse[id];
  }

  /** Every `[token, id]` pair. */
  *entries(): IterableIterator<[string, number]> {
    if (this.ids instanceof Map || this.ids instanceof TokenTable) {
      yield* this.ids.entries();
      return;
    }
    for (const token in this.ids) {
      const id = this.idOf(token);
      if (id !== undefined) yield [token, id];
    }
  }

  private buildReverse(): (string | undefined)[] {
    // Sized for ids 0..n-1; a hostile id far above that (5e9) stays a sparse entry, not a huge array.
    const reverse = new Array<string | undefined>(Math.min(this.maxId + 1, this.size));
    if (this.ids instanceof Map || this.ids instanceof TokenTable) {
      for (const [token, id] of this.ids.entries()) reverse[id] ??= token;
      return reverse;
    }
    const ids = this.ids as Readonly<Record<string, number>>;
    for (const token of Object.keys(ids)) {
      const id = this.idOf(token);
      if (id !== undefined && reverse[id] === undefined) reverse[id] = token;
    }
    return reverse;
  }
}
