import { createHash } from 'node:crypto';
import { decodeUtf8 } from '../bytes.js';
import type { ModelFacts } from '../model/facts.js';
import { READ_LIMITS } from '../model/artifact-reader.js';
import { findJsonShapeProblem, describeJsonShapeProblem } from '../model/json-shape.js';
import { specialToken } from '../rules/tokens.js';
import type { ArtifactSource } from '../source.js';
import {
  buildRuntimeTokenizer,
  RuntimeBuildError,
  type EncodingSettings,
  type RuntimeTokenizer,
} from './runtime.js';

/**
 * What a tokenizer did with a list of texts: plain data, so it can be cached
 * and compared across versions without building the tokenizer again.
 */
export interface TokenizerBehaviour {
  /** Ids the post-processor puts around every single text (BOS before, EOS after), as `tokenizer(text)` adds them. */
  frame: { prefix: number[]; suffix: number[] };
  /** Ids of each text without special tokens (as apply_chat_template and a plain encode without them give). */
  ids: number[][];
  /** Each text decoded again, or null when it came back byte for byte. */
  decoded: (string | null)[];
  /** Token strings of every id that occurs, for examples. */
  pieces: Record<string, string>;
  byteLevel: boolean;
  unkId?: number;
}

/**
 * A store for measured behaviour, keyed by the sha256 of everything the
 * measurement depends on. Optional: without one every measurement is made
 * again. What it returns is untrusted and checked (readBehaviour) before use.
 */
export interface BehaviourCache {
  read(key: string): Promise<unknown>;
  write(key: string, value: TokenizerBehaviour): Promise<void>;
}

/** The measurement could not be made: why, for a finding. */
export type Measured = { ok: true; behaviour: TokenizerBehaviour } | { ok: false; problem: string };

/**
 * Bumped whenever what a measurement means changes (this module, the corpus
 * handling, or the tokenizers library version), so old cache entries are
 * never read as new ones.
 */
const MEASUREMENT_VERSION = 'modelgate-tokenizer-behaviour/1 @huggingface/tokenizers@0.2.0';

/** A text used to find the ids a post-processor adds around any text. */
const PROBE = 'a';

/**
 * The last tokenizers built, by file digest and settings: a base comparison
 * that changed only the template, and a process that validates again (the
 * app, the tests), build each tokenizer once. Two at most: a large one holds
 * hundreds of MiB.
 */
const recentRuntimes = new Map<string, RuntimeTokenizer>();
const RECENT_RUNTIMES = 2;

function rememberRuntime(key: string, runtime: RuntimeTokenizer): void {
  recentRuntimes.delete(key);
  recentRuntimes.set(key, runtime);
  while (recentRuntimes.size > RECENT_RUNTIMES) recentRuntimes.delete(recentRuntimes.keys().next().value!);
}

/** The encoding settings of a model: what tokenizer_config.json says about BOS and EOS. */
function encodingSettingsOf(facts: Pick<ModelFacts, 'tokenizer' | 'settings'>): EncodingSettings {
  return {
    addBosToken: facts.settings.addBosToken,
    addEosToken: facts.settings.addEosToken,
    bosToken: specialToken(facts, 'bos')?.content ?? undefined,
    eosToken: specialToken(facts, 'eos')?.content ?? undefined,
  };
}

/**
 * Encodes `texts` with the model's tokenizer.json, or takes the result from
 * the cache when the same file, settings and texts were measured before.
 * The file is read through `source` (the containment rule and size caps of
 * every artifact read) and the tokenizer is built in memory only on a miss.
 */
export async function measureBehaviour(
  source: ArtifactSource,
  facts: Pick<ModelFacts, 'tokenizer' | 'settings'>,
  texts: readonly string[],
  cache?: BehaviourCache,
): Promise<Measured> {
  const tokenizer = facts.tokenizer;
  if (tokenizer?.format !== 'tokenizer.json')
    return { ok: false, problem: 'only tokenizer.json files are encoded' };
  const digest = await source.sha256(tokenizer.file);
  if (!digest.ok) return { ok: false, problem: `${tokenizer.file} cannot be read: ${digest.problem.detail}` };
  const settings = encodingSettingsOf(facts);
  const key = behaviourKey(digest.value.sha256, settings, texts);
  if (cache) {
    const cached = readBehaviour(await cache.read(key).catch(() => undefined), texts.length);
    if (cached) return { ok: true, behaviour: cached };
  }
  const runtimeKey = JSON.stringify([digest.value.sha256, settings]);
  const built = recentRuntimes.get(runtimeKey);
  if (built) {
    const behaviour = measureWith(built, texts);
    if (cache) await cache.write(key, behaviour).catch(() => undefined);
    return { ok: true, behaviour };
  }
  const limit = READ_LIMITS.tokenizer_json;
  const read = await source.read(tokenizer.file, limit.bytes);
  if (!read.ok) return { ok: false, problem: `${tokenizer.file} cannot be read: ${read.problem.detail}` };
  const shape = findJsonShapeProblem(read.value, [['model', 'vocab'], ['added_tokens']]);
  if (shape)
    return {
      ok: false,
      problem: `${tokenizer.file} is too large to encode with: ${describeJsonShapeProblem(shape)}`,
    };
  let behaviour: TokenizerBehaviour;
  try {
    const json: unknown = JSON.parse(decodeUtf8(read.value));
    const runtime = buildRuntimeTokenizer(json, settings);
    rememberRuntime(runtimeKey, runtime);
    behaviour = measureWith(runtime, texts);
  } catch (error) {
    if (!(error instanceof RuntimeBuildError || error instanceof SyntaxError || error instanceof Error))
      throw error;
    return { ok: false, problem: `${tokenizer.file} cannot be run as a tokenizer: ${error.message}` };
  }
  if (cache) await cache.write(key, behaviour).catch(() => undefined);
  return { ok: true, behaviour };
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

/** The cache key: sha256 over the measurement version, the tokenizer file's digest, the settings and the texts. */
export function behaviourKey(
  fileSha256: string,
  settings: EncodingSettings,
  texts: readonly string[],
): string {
  return createHash('sha256')
    .update(JSON.stringify([MEASUREMENT_VERSION, fileSha256, settings, texts]))
    .digest('hex');
}

const isIdList = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((id) => Number.isSafeInteger(id) && (id as number) >= 0);

/**
 * A cached value, checked field by field: anything that is not exactly a
 * TokenizerBehaviour for `count` texts is a miss, never a result.
 */
export function readBehaviour(value: unknown, count: number): TokenizerBehaviour | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const frame = v.frame as Record<string, unknown> | undefined;
  if (typeof frame !== 'object' || frame === null || !isIdList(frame.prefix) || !isIdList(frame.suffix))
    return undefined;
  if (!Array.isArray(v.ids) || v.ids.length !== count || !v.ids.every(isIdList)) return undefined;
  if (
    !Array.isArray(v.decoded) ||
    v.decoded.length !== count ||
    !v.decoded.every((d) => d === null || typeof d === 'string')
  )
    return undefined;
  if (typeof v.pieces !== 'object' || v.pieces === null || Array.isArray(v.pieces)) return undefined;
  if (!Object.values(v.pieces).every((p) => typeof p === 'string')) return undefined;
  if (typeof v.byteLevel !== 'boolean') return undefined;
  if (v.unkId !== undefined && !(Number.isSafeInteger(v.unkId) && (v.unkId as number) >= 0)) return undefined;
  const pieces = v.pieces as Record<string, string>;
  const ids = v.ids as number[][];
  const complete = [...frame.prefix, ...frame.suffix, ...ids.flat()].every((id) =>
    Object.hasOwn(pieces, String(id)),
  );
  if (!complete) return undefined;
  return {
    frame: { prefix: frame.prefix, suffix: frame.suffix },
    ids,
    decoded: v.decoded as (string | null)[],
    pieces,
    byteLevel: v.byteLevel,
    ...(v.unkId === undefined ? {} : { unkId: v.unkId as number }),
  };
}

/** A cache that also remembers this run's measurements in memory, so each tokenizer is built at most once per run. */
export function rememberBehaviour(persistent?: BehaviourCache): BehaviourCache {
  const memory = new Map<string, TokenizerBehaviour>();
  return {
    read: async (key) => memory.get(key) ?? persistent?.read(key),
    write: async (key, value) => {
      memory.set(key, value);
      await persistent?.write(key, value);
    },
  };
}
