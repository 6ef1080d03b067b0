import type { Measured, TokenizerBehaviour } from './behaviour.js';
import {
  buildRuntimeTokenizer,
  RuntimeBuildError,
  type EncodingSettings,
  type RuntimeTokenizer,
} from './runtime.js';

/**
 * One measurement, as plain data so it can cross to the thread that runs it
 * (src/io/tokenizer-worker.ts): which tokenizer, and what to encode.
 */
export interface MeasureRequest {
  /** The tokenizer file, for messages. */
  file: string;
  /** Names the built tokenizer (file digest and settings), so a second request with it builds nothing. */
  runtimeKey: string;
  settings: EncodingSettings;
  texts: readonly string[];
  /** The file's text; may be left out while the runner may still hold the tokenizer built under runtimeKey. */
  tokenizerJson?: string;
}

/** A text used to find the ids a post-processor adds around any text. */
const PROBE = 'a';

/**
 * The last tokenizers built, by file digest and settings: a base comparison
 * that changed only the template builds each tokenizer once. Two at most: a
 * large one holds hundreds of MiB.
 */
const recentRuntimes = new Map<string, RuntimeTokenizer>();
const RECENT_RUNTIMES = 2;

function rememberRuntime(key: string, runtime: RuntimeTokenizer): void {
  recentRuntimes.delete(key);
  recentRuntimes.set(key, runtime);
  while (recentRuntimes.size > RECENT_RUNTIMES) recentRuntimes.delete(recentRuntimes.keys().next().value!);
}

/**
 * Builds the tokenizer of a request (or takes the one built last for the
 * same key) and encodes and decodes every text; undefined when the request
 * left the file's text out and no tokenizer is built under its key. Pure but
 * unbounded: a tokenizer.json's regular expressions and WordPiece words can
 * take any time, so it runs only where it can be stopped (a TokenizerRunner).
 */
export function measureTokenizerJson(request: MeasureRequest): Measured | undefined {
  try {
    let runtime = recentRuntimes.get(request.runtimeKey);
    if (!runtime) {
      if (request.tokenizerJson === undefined) return undefined;
      runtime = buildRuntimeTokenizer(JSON.parse(request.tokenizerJson), request.settings);
      rememberRuntime(request.runtimeKey, runtime);
    }
    return { ok: true, behaviour: measureWith(runtime, request.texts) };
  } catch (error) {
    // The library throws plain Errors (and a JSON file its SyntaxError) for files it cannot run.
    if (!(error instanceof Error)) throw error;
    const problem = `${request.file} cannot be run as a tokenizer: ${error.message}`;
    return error instanceof RuntimeBuildError && error.fix
      ? { ok: false, problem, fix: error.fix }
      : { ok: false, problem };
  }
}

/** Encodes and decodes every text with a built tokenizer. */
function measureWith(runtime: RuntimeTokenizer, texts: readonly string[]): TokenizerBehaviour {
  const plain = runtime.encode(PROBE);
  const framed = runtime.encode(PROBE, true);
  const start = indexOfRun(framed, plain);
  const frame =
    start < 0
      ? { prefix: [], suffix: [] }
      : { prefix: framed.slice(0, start), suffix: framed.slice(start + plain.length) };
  const ids = texts.map((text) => runtime.encode(text));
  const decoded = ids.map((list, i) => {
    const back = runtime.decode(list);
    return back === texts[i] ? null : back;
  });
  const seen = new Set<number>([...frame.prefix, ...frame.suffix, ...ids.flat()]);
  const pieceList = runtime.pieces([...seen]);
  const pieces: Record<string, string> = {};
  [...seen].forEach((id, i) => (pieces[String(id)] = pieceList[i]!));
  return {
    frame,
    ids,
    decoded,
    pieces,
    byteLevel: runtime.byteLevel,
    ...(runtime.unkId === undefined ? {} : { unkId: runtime.unkId }),
  };
}

function indexOfRun(haystack: readonly number[], needle: readonly number[]): number {
  for (let i = 0; i + needle.length <= haystack.length; i++)
    if (needle.every((id, j) => haystack[i + j] === id)) return i;
  return -1;
}
