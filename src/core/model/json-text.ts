import { decodeUtf8 } from '../bytes.js';
import { scanJson, type JsonPath, type JsonShapeProblem } from './json-shape.js';

/**
 * A JSON value that was checked (syntax and size) but not built: its UTF-8
 * text in the file's bytes. Its reader decides how to read it (a vocabulary
 * is indexed over the bytes); `value()` builds it as JSON.parse would.
 */
export class JsonText {
  private parsed?: { value: unknown };

  constructor(
    private readonly bytes: Uint8Array,
    /** Where the value starts and ends in `bytes`. */
    readonly start: number,
    readonly end: number,
    /** How many members or items the object or list has (repeated keys count each time). */
    readonly members?: number,
  ) {}

  /** The JSON type of the value, from its first byte. */
  get type(): 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' {
    switch (this.bytes[this.start]) {
      case 0x7b:
        return 'object';
      case 0x5b:
        return 'array';
      case 0x22:
        return 'string';
      case 0x74:
      case 0x66:
        return 'boolean';
      case 0x6e:
        return 'null';
      default:
        return 'number';
    }
  }

  /** The value's UTF-8 text (a view, not a copy). */
  get utf8(): Uint8Array {
    return this.bytes.subarray(this.start, this.end);
  }

  /** The value as JSON.parse builds it, parsed on first use. */
  value(): unknown {
    this.parsed ??= { value: JSON.parse(decodeUtf8(this.utf8)) };
    return this.parsed.value;
  }
}

/** A JSON artifact read: its value, or why there is none. */
export type JsonParse =
  { ok: true; value: unknown } | { ok: false; problem: JsonShapeProblem } | { ok: false; syntax: string };

export interface JsonParseOptions {
  /** Containers held to MAX_VOCABULARY (see scanJson). */
  vocabularies?: readonly JsonPath[];
  /** Paths whose values come back as JsonText instead of being built: not the root, none inside another. */
  deferred?: readonly JsonPath[];
}

/**
 * Parses a JSON file's bytes as JSON.parse does, after one pass that checks
 * its syntax and size (scanJson): too large a file is refused before anything
 * is built, and a malformed one gets JSON.parse's own message. The values at
 * `deferred` paths are JsonText: the rest of the document is parsed with a
 * placeholder in their place, so a 9 MB tokenizer.json costs JSON.parse of its
 * small parts only. Where a key repeats, the last one wins, as in JSON.parse.
 */
export function parseJson(bytes: Uint8Array, options: JsonParseOptions = {}): JsonParse {
  const deferred = options.deferred ?? [];
  const scan = scanJson(bytes, options.vocabularies, deferred);
  if (scan.problem) return { ok: false, problem: scan.problem };
  if (scan.syntaxErrorAt !== undefined)
    return { ok: false, syntax: syntaxMessage(bytes, scan.syntaxErrorAt) };
  if (!scan.deferred.length) return { ok: true, value: JSON.parse(decodeUtf8(bytes)) };
  // Each deferred value becomes the string "<n>" (its index in scan.deferred): every value at a
  // deferred path is replaced, so what JSON.parse leaves at such a path is always a placeholder.
  let text = '';
  let at = scan.start;
  scan.deferred.forEach((span, index) => {
    text += `${decodeUtf8(bytes.subarray(at, span.start))}"${index}"`;
    at = span.end;
  });
  text += decodeUtf8(bytes.subarray(at));
  const value: unknown = JSON.parse(text);
  for (const path of deferred) {
    const parent = valueAt(value, path.slice(0, -1));
    const key = path[path.length - 1]!;
    if (!isObject(parent) || !Object.hasOwn(parent, key)) continue;
    const span = scan.deferred[Number(parent[key])];
    if (typeof parent[key] !== 'string' || !span)
      throw new Error(`parseJson: no placeholder at ${path.join('.')}`);
    parent[key] = new JsonText(bytes, span.start, span.end, span.members);
  }
  return { ok: true, value };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function valueAt(value: unknown, path: JsonPath): unknown {
  let at = value;
  for (const key of path) {
    if (!isObject(at) || !Object.hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

// JSON.parse's own message names the error the way users know it; the scan only found where.
function syntaxMessage(bytes: Uint8Array, at: number): string {
  try {
    JSON.parse(decodeUtf8(bytes));
  } catch (error) {
    return (error as Error).message;
  }
  return `unexpected byte at offset ${at}`;
}
