import { MAX_VOCABULARY } from '../tokenizer/vocabulary.js';

/**
 * How much JSON.parse may be asked to build from one artifact. JSON.parse is
 * quick on long strings and lists but slows down sharply on objects with
 * millions of keys (ten million vocabulary entries do not finish in minutes),
 * and deep nesting breaks the recursive walks that follow (JSON.stringify,
 * deep equality). The vocabulary is the largest object a model file has, so
 * objects get the vocabulary cap; lists get four times as much, because BPE
 * merges run about twice the vocabulary (Gemma 3: 262,144 tokens, 514,906
 * merges). Real files nest fewer than ten levels.
 */
export const JSON_SHAPE_LIMITS = {
  objectMembers: MAX_VOCABULARY,
  listItems: 4 * MAX_VOCABULARY,
  values: 8 * MAX_VOCABULARY,
  depth: 128,
} as const;

/** The first limit a JSON document exceeds. Counts are "at least": measuring stops there. */
export type JsonShapeProblem =
  | { limit: 'depth'; depth: number }
  | { limit: 'vocabulary' | 'objectMembers' | 'listItems'; path: string; entries: number }
  | { limit: 'values'; values: number };

/** A key path from the root, such as ["model", "vocab"]; [] is the document itself. */
export type JsonPath = readonly string[];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
// Paths in messages name this many levels, then "…".
const PATH_DEPTH = 4;
const ROOT = '(root)';

/**
 * Finds the first limit of JSON_SHAPE_LIMITS a JSON text exceeds, in one pass
 * over its bytes that allocates nothing per entry and stops at the first limit
 * passed, so a hostile file costs at most the bytes up to that point. The
 * containers at `vocabularies` are held to MAX_VOCABULARY and reported as
 * vocabularies. Malformed JSON is measured as far as it goes; JSON.parse
 * reports the syntax error afterwards.
 */
export function findJsonShapeProblem(
  bytes: Uint8Array,
  vocabularies: readonly JsonPath[] = [],
): JsonShapeProblem | undefined {
  const maxDepth = JSON_SHAPE_LIMITS.depth;
  const isObject = new Uint8Array(maxDepth);
  const isVocabulary = new Uint8Array(maxDepth);
  // Int32 is enough: measuring stops at the first count past its limit, far below 2^31.
  const limit = new Int32Array(maxDepth);
  const commas = new Int32Array(maxDepth);
  const nonEmpty = new Uint8Array(maxDepth);
  const expectKey = new Uint8Array(maxDepth);
  // Where the current key of each object level is; decoded only to name a path.
  const keyStart = new Float64Array(maxDepth);
  const keyEnd = new Float64Array(maxDepth);
  const levels = { isObject, keyStart, keyEnd };
  const watchedDepths = new Set(vocabularies.map((path) => path.length));
  let values = 0;
  let top = -1;
  const length = bytes.length;
  for (let i = 0; i < length; i++) {
    const c = bytes[i]!;
    if (c <= 0x20 || c === 0x3a) continue; // whitespace and ':'
    if (c === QUOTE) {
      // Most strings are short tokens: a plain loop beats a native search here.
      let end = i + 1;
      while (end < length) {
        const d = bytes[end]!;
        if (d === QUOTE) break;
        end += d === BACKSLASH ? 2 : 1;
      }
      if (top >= 0) {
        nonEmpty[top] = 1;
        if (expectKey[top]) {
          expectKey[top] = 0;
          keyStart[top] = i + 1;
          keyEnd[top] = Math.min(end, length);
        }
      }
      i = end;
    } else if (c === 0x2c) {
      // ,
      if (top < 0) continue;
      expectKey[top] = isObject[top]!; // only objects have keys
      commas[top]! += 1;
      values += 1;
      // n commas separate n + 1 entries.
      if (commas[top]! >= limit[top]!) return containerProblem(bytes, top, levels, isVocabulary, limit);
      if (values > JSON_SHAPE_LIMITS.values) return { limit: 'values', values };
    } else if (c === 0x7b || c === 0x5b) {
      // { or [
      if (top >= 0) nonEmpty[top] = 1;
      top += 1;
      if (top >= maxDepth) return { limit: 'depth', depth: top + 1 };
      isObject[top] = c === 0x7b ? 1 : 0;
      commas[top] = 0;
      nonEmpty[top] = 0;
      expectKey[top] = isObject[top]!;
      // No closure here: one that captures `bytes` would slow every read of it in this loop.
      const watched = watchedDepths.has(top) && isWatched(bytes, top, vocabularies, levels);
      isVocabulary[top] = watched ? 1 : 0;
      limit[top] = watched
        ? MAX_VOCABULARY
        : isObject[top]
          ? JSON_SHAPE_LIMITS.objectMembers
          : JSON_SHAPE_LIMITS.listItems;
    } else if (c === 0x7d || c === 0x5d) {
      // } or ]
      if (top < 0) continue;
      if (nonEmpty[top]) values += 1;
      top -= 1;
    } else if (top >= 0) {
      nonEmpty[top] = 1;
    }
  }
  return undefined;
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
  }
}

interface Levels {
  isObject: Uint8Array;
  keyStart: Float64Array;
  keyEnd: Float64Array;
}

function containerProblem(
  bytes: Uint8Array,
  top: number,
  levels: Levels,
  isVocabulary: Uint8Array,
  limit: Int32Array,
): JsonShapeProblem {
  const path = pathTo(bytes, top, levels);
  const entries = limit[top]! + 1;
  if (isVocabulary[top]) return { limit: 'vocabulary', path, entries };
  return { limit: levels.isObject[top] ? 'objectMembers' : 'listItems', path, entries };
}

// Is the container just opened at level `top` reached through exactly the keys of one of the watched paths?
function isWatched(bytes: Uint8Array, top: number, paths: readonly JsonPath[], levels: Levels): boolean {
  return paths.some(
    (path) =>
      path.length === top &&
      path.every(
        (key, level) => levels.isObject[level] === 1 && keyText(bytes, level, levels, Infinity) === key,
      ),
  );
}

function pathTo(bytes: Uint8Array, top: number, levels: Levels): string {
  if (top === 0) return ROOT;
  const parts: string[] = [];
  for (let level = 0; level < Math.min(top, PATH_DEPTH); level++) {
    parts.push(levels.isObject[level] ? keyText(bytes, level, levels, 60) : '[]');
  }
  if (top > PATH_DEPTH) parts.push('…');
  return parts.join('.');
}

function keyText(bytes: Uint8Array, level: number, levels: Levels, max: number): string {
  const start = levels.keyStart[level]!;
  const length = levels.keyEnd[level]! - start;
  const shown = Math.min(length, max);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, shown).toString('utf8');
  return shown < length ? `${text}…` : text;
}
