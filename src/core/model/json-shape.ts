import { MAX_HASHED_CHARACTERS } from '../hashed-string.js';
import { MAX_VOCABULARY } from '../tokenizer/vocabulary.js';

/**
 * How much JSON.parse may be asked to build from one artifact. JSON.parse is
 * quick on long strings and lists but slows down sharply on objects with
 * millions of keys (ten million vocabulary entries do not finish in minutes),
 * and deep nesting breaks the recursive walks that follow (JSON.stringify,
 * deep equality). The vocabulary is the largest object a model file has, so
 * objects get the vocabulary cap; lists get four times as much, because BPE
 * merges run about twice the vocabulary (Gemma 3: 262,144 tokens, 514,906
 * merges). Real files nest fewer than ten levels. Keys are held to
 * MAX_HASHED_CHARACTERS bytes (at least as many as characters), as long keys
 * take JSON.parse quadratic time.
 */
export const JSON_SHAPE_LIMITS = {
  objectMembers: MAX_VOCABULARY,
  listItems: 4 * MAX_VOCABULARY,
  values: 8 * MAX_VOCABULARY,
  depth: 128,
  keyBytes: MAX_HASHED_CHARACTERS,
} as const;

/** The first limit a JSON document exceeds. Counts are "at least": measuring stops there. */
export type JsonShapeProblem =
  | { limit: 'depth'; depth: number }
  | { limit: 'vocabulary' | 'objectMembers' | 'listItems'; path: string; entries: number }
  | { limit: 'values'; values: number }
  | { limit: 'keyBytes'; path: string; bytes: number };

/** A key path from the root, such as ["model", "vocab"]; [] is the document itself. */
export type JsonPath = readonly string[];

/** A value at one of the deferred paths: its bytes [start, end), and the index of the path it is at. */
export interface DeferredSpan {
  path: number;
  start: number;
  end: number;
  /** An object's members or a list's items. */
  members?: number;
}

/** What one pass over a JSON text found; it stops at the first problem or syntax error. */
export interface JsonScan {
  /** Where the document starts: 3 after a UTF-8 byte order mark, else 0. */
  start: number;
  /** The first limit of JSON_SHAPE_LIMITS the text exceeds. */
  problem?: JsonShapeProblem;
  /** The byte offset of the first syntax error. */
  syntaxErrorAt?: number;
  /** The values found at the deferred paths, in file order (a key repeated in an object appears twice). */
  deferred: DeferredSpan[];
}

// Paths in messages name this many levels, then "…".
const PATH_DEPTH = 4;
const ROOT = '(root)';

class SyntaxStop {
  constructor(readonly at: number) {}
}
class ShapeStop {
  constructor(readonly problem: JsonShapeProblem) {}
}

/**
 * Checks a JSON text in one pass over its bytes, without building any value:
 * its syntax (RFC 8259, exactly what JSON.parse accepts after UTF-8 decoding,
 * which turns invalid bytes inside strings into U+FFFD), and the limits of
 * JSON_SHAPE_LIMITS, stopping at the first limit passed, so a hostile file
 * costs at most the bytes up to that point. The containers at `vocabularies`
 * are held to MAX_VOCABULARY and reported as vocabularies. The byte ranges
 * of the values at `deferred` paths are returned, so a caller can parse the
 * rest of the document and read those values its own way (a vocabulary of
 * 128,000 tokens is cheaper to index than to build as an object).
 */
export function scanJson(
  bytes: Uint8Array,
  vocabularies: readonly JsonPath[] = [],
  deferred: readonly JsonPath[] = [],
): JsonScan {
  const scanner = new JsonScanner(bytes, vocabularies, deferred);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    scanner.document(start);
    return { start, deferred: scanner.spans };
  } catch (stop) {
    if (stop instanceof SyntaxStop) return { start, syntaxErrorAt: stop.at, deferred: scanner.spans };
    if (stop instanceof ShapeStop) return { start, problem: stop.problem, deferred: scanner.spans };
    throw stop;
  }
}

/**
 * The first limit of JSON_SHAPE_LIMITS a JSON text exceeds (see scanJson).
 * Malformed JSON is measured up to its first syntax error; JSON.parse reports
 * that error afterwards.
 */
export function findJsonShapeProblem(
  bytes: Uint8Array,
  vocabularies: readonly JsonPath[] = [],
): JsonShapeProblem | undefined {
  return scanJson(bytes, vocabularies).problem;
}

/** One sentence for a finding: what is too big, how big, and the limit. */
export function describeJsonShapeProblem(problem: JsonShapeProblem): string {
  const limits = JSON_SHAPE_LIMITS;
  switch (problem.limit) {
    case 'depth':
      return `it nests more than ${limits.depth} levels deep; modelgate reads JSON nested at most ${limits.depth} levels (real files use fewer than ten)`;
    case 'values':
      return `it holds more than ${limits.values} values; modelgate reads at most ${limits.values} from one file`;
    case 'vocabulary': {
      const where = problem.path === ROOT ? '' : ` (${problem.path})`;
      return `the vocabulary${where} has more than ${MAX_VOCABULARY} entries; modelgate reads at most ${MAX_VOCABULARY} (the largest real vocabularies have about 262,000 tokens)`;
    }
    case 'objectMembers':
      return `${problem.path === ROOT ? 'the top-level object' : problem.path} has more than ${limits.objectMembers} entries; modelgate reads at most ${limits.objectMembers} in one JSON object`;
    case 'listItems':
      return `${problem.path === ROOT ? 'the top-level list' : problem.path} has more than ${limits.listItems} items; modelgate reads at most ${limits.listItems} in one JSON list`;
    case 'keyBytes':
      return `${problem.path === ROOT ? 'the top-level object' : problem.path} has a key of ${problem.bytes} bytes; modelgate reads keys of at most ${limits.keyBytes} bytes (real keys are under 1 KiB)`;
  }
}

const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number | undefined) =>
  c !== undefined && ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66));

/**
 * The scan's state: where it is, and for each open container whether it is an
 * object and where its current key is (decoded only to match a path or name
 * one in a message). Containers recurse; the depth limit bounds the stack.
 */
class JsonScanner {
  private at = 0;
  private values = 0;
  readonly spans: DeferredSpan[] = [];
  private readonly isObject = new Uint8Array(JSON_SHAPE_LIMITS.depth);
  private readonly keyStart = new Int32Array(JSON_SHAPE_LIMITS.depth);
  private readonly keyEnd = new Int32Array(JSON_SHAPE_LIMITS.depth);
  private readonly watchedLengths: Set<number>;
  // 1 at the path lengths of deferred paths: the only values worth matching against them.
  private readonly deferredLength = new Uint8Array(JSON_SHAPE_LIMITS.depth + 1);
  // The members or items of the container read last.
  private members = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly vocabularies: readonly JsonPath[],
    private readonly deferred: readonly JsonPath[],
  ) {
    this.watchedLengths = new Set(vocabularies.map((path) => path.length));
    for (const path of deferred)
      if (path.length <= JSON_SHAPE_LIMITS.depth) this.deferredLength[path.length] = 1;
  }

  document(start: number): void {
    this.at = start;
    this.whitespace();
    this.value(0);
    this.whitespace();
    if (this.at !== this.bytes.length) throw new SyntaxStop(this.at);
  }

  /** A value whose path has `length` levels (the containers 0..length-1 hold it). */
  private value(length: number): void {
    this.whitespace();
    const start = this.at;
    const c = this.bytes[start];
    if (c === 0x22) this.string();
    else if (c === 0x7b) this.object(length);
    else if (c === 0x5b) this.list(length);
    else if (c === 0x74) this.word('true');
    else if (c === 0x66) this.word('false');
    else if (c === 0x6e) this.word('null');
    else this.number();
    if (this.deferredLength[length] === 1) {
      const path = this.deferred.findIndex((p) => p.length === length && this.isAt(p));
      const members = c === 0x7b || c === 0x5b ? this.members : undefined;
      if (path >= 0) this.spans.push({ path, start, end: this.at, members });
    }
  }

  private object(level: number): void {
    const limit = this.open(level, 1);
    const bytes = this.bytes;
    this.at += 1;
    this.whitespace();
    this.members = 0;
    if (bytes[this.at] === 0x7d) {
      this.at += 1;
      return;
    }
    let commas = 0;
    for (;;) {
      this.whitespace();
      if (bytes[this.at] !== 0x22) throw new SyntaxStop(this.at);
      this.keyStart[level] = this.at + 1;
      this.string();
      this.keyEnd[level] = this.at - 1;
      const keyBytes = this.keyEnd[level]! - this.keyStart[level]!;
      if (keyBytes > JSON_SHAPE_LIMITS.keyBytes)
        throw new ShapeStop({ limit: 'keyBytes', path: this.pathTo(level), bytes: keyBytes });
      this.whitespace();
      if (bytes[this.at] !== 0x3a) throw new SyntaxStop(this.at);
      this.at += 1;
      this.value(level + 1);
      this.whitespace();
      const next = bytes[this.at];
      this.at += 1;
      if (next === 0x7d) break;
      if (next !== 0x2c) throw new SyntaxStop(this.at - 1);
      commas = this.comma(level, commas, limit);
    }
    this.values += 1;
    this.members = commas + 1;
  }

  private list(level: number): void {
    const limit = this.open(level, 0);
    const bytes = this.bytes;
    this.at += 1;
    this.whitespace();
    this.members = 0;
    if (bytes[this.at] === 0x5d) {
      this.at += 1;
      return;
    }
    let commas = 0;
    for (;;) {
      // A list item is never at a deferred path (paths are keys): a string, the usual item, goes straight.
      this.whitespace();
      if (bytes[this.at] === 0x22) this.string();
      else this.value(level + 1);
      this.whitespace();
      const next = bytes[this.at];
      this.at += 1;
      if (next === 0x5d) break;
      if (next !== 0x2c) throw new SyntaxStop(this.at - 1);
      commas = this.comma(level, commas, limit);
    }
    this.values += 1;
    this.members = commas + 1;
  }

  /** Opens the container at `level`; returns how many entries it may hold. */
  private open(level: number, isObject: number): number {
    if (level >= JSON_SHAPE_LIMITS.depth) throw new ShapeStop({ limit: 'depth', depth: level + 1 });
    this.isObject[level] = isObject;
    if (this.watchedLengths.has(level) && this.vocabularies.some((p) => p.length === level && this.isAt(p)))
      return -MAX_VOCABULARY; // negative: a vocabulary, named as one in the problem
    return isObject ? JSON_SHAPE_LIMITS.objectMembers : JSON_SHAPE_LIMITS.listItems;
  }

  // n commas separate n + 1 entries.
  private comma(level: number, commas: number, limit: number): number {
    const count = commas + 1;
    this.values += 1;
    if (count >= Math.abs(limit)) {
      const path = this.pathTo(level);
      const entries = Math.abs(limit) + 1;
      if (limit < 0) throw new ShapeStop({ limit: 'vocabulary', path, entries });
      throw new ShapeStop({ limit: this.isObject[level] ? 'objectMembers' : 'listItems', path, entries });
    }
    if (this.values > JSON_SHAPE_LIMITS.values) throw new ShapeStop({ limit: 'values', values: this.values });
    return count;
  }

  private string(): void {
    const bytes = this.bytes;
    const length = bytes.length;
    let i = this.at + 1;
    for (;;) {
      if (i >= length) throw new SyntaxStop(length);
      const c = bytes[i]!;
      i += 1;
      if (c === 0x22) break;
      if (c === 0x5c) {
        const escape = bytes[i];
        i += 1;
        if (escape === 0x75) {
          for (let k = 0; k < 4; k++, i++) if (!isHex(bytes[i])) throw new SyntaxStop(i);
        } else if (
          escape !== 0x22 && // "
          escape !== 0x5c && // \
          escape !== 0x2f && // /
          escape !== 0x62 && // b
          escape !== 0x66 && // f
          escape !== 0x6e && // n
          escape !== 0x72 && // r
          escape !== 0x74 // t
        )
          throw new SyntaxStop(i - 1);
      } else if (c < 0x20) throw new SyntaxStop(i - 1);
    }
    this.at = i;
  }

  private number(): void {
    const bytes = this.bytes;
    let i = this.at;
    if (bytes[i] === 0x2d) i += 1;
    if (bytes[i] === 0x30) i += 1;
    else if (isDigit(bytes[i]) && bytes[i] !== 0x30) while (isDigit(bytes[i])) i += 1;
    else throw new SyntaxStop(i);
    if (bytes[i] === 0x2e) {
      i += 1;
      if (!isDigit(bytes[i])) throw new SyntaxStop(i);
      while (isDigit(bytes[i])) i += 1;
    }
    if (bytes[i] === 0x65 || bytes[i] === 0x45) {
      i += 1;
      if (bytes[i] === 0x2b || bytes[i] === 0x2d) i += 1;
      if (!isDigit(bytes[i])) throw new SyntaxStop(i);
      while (isDigit(bytes[i])) i += 1;
    }
    this.at = i;
  }

  private word(word: string): void {
    for (let k = 0; k < word.length; k++)
      if (this.bytes[this.at + k] !== word.charCodeAt(k)) throw new SyntaxStop(this.at + k);
    this.at += word.length;
  }

  private whitespace(): void {
    const bytes = this.bytes;
    let i = this.at;
    for (;;) {
      const c = bytes[i];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i += 1;
    }
    this.at = i;
  }

  // Is the value being read reached through exactly the keys of `path` (every level an object)?
  private isAt(path: JsonPath): boolean {
    for (let level = path.length - 1; level >= 0; level--)
      if (this.isObject[level] !== 1 || this.key(level) !== path[level]) return false;
    return true;
  }

  private key(level: number): string {
    const raw = this.text(this.keyStart[level]!, this.keyEnd[level]!);
    // A key with escapes ("mod\u0065l") means what JSON.parse makes of it.
    return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  private pathTo(level: number): string {
    if (level === 0) return ROOT;
    const parts: string[] = [];
    for (let k = 0; k < Math.min(level, PATH_DEPTH); k++) {
      if (!this.isObject[k]) {
        parts.push('[]');
        continue;
      }
      const start = this.keyStart[k]!;
      const end = this.keyEnd[k]!;
      const text = this.text(start, Math.min(end, start + 60));
      parts.push(end - start > 60 ? `${text}…` : text);
    }
    if (level > PATH_DEPTH) parts.push('…');
    return parts.join('.');
  }

  private text(start: number, end: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, end - start).toString('utf8');
  }
}
