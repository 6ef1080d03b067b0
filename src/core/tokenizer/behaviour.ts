import { createHash } from 'node:crypto';
import { decodeUtf8 } from '../bytes.js';
import type { ModelFacts } from '../model/facts.js';
import { READ_LIMITS } from '../model/artifact-reader.js';
import { findJsonShapeProblem, describeJsonShapeProblem } from '../model/json-shape.js';
import { specialToken } from '../rules/tokens.js';
import type { ArtifactSource } from '../source.js';
import type { MeasureRequest } from './measure.js';
import type { EncodingSettings } from './runtime.js';

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

/**
 * The measurement could not be made: why, for a finding, and (when the
 * cause is known) what the model's authors can do about it.
 */
export type Measured =
  { ok: true; behaviour: TokenizerBehaviour } | { ok: false; problem: string; fix?: string };

/** The text of a tokenizer.json, or why it cannot be encoded with. */
export type TokenizerText = { ok: true; text: string } | { ok: false; problem: string };

/**
 * Runs measurements (src/core/tokenizer/measure.ts) where they can be stopped:
 * a tokenizer.json is untrusted code in all but name (its regular expressions
 * run on a backtracking engine, its WordPiece model is cubic in a word's
 * length), so the runner bounds time and memory and answers { ok: false }
 * when a measurement runs out of either. It calls `read` for the file's text
 * only when it does not hold the tokenizer built under the request's key.
 * Implemented in src/io/tokenizer-sandbox.ts.
 */
export interface TokenizerRunner {
  measure(request: MeasureRequest, read: () => Promise<TokenizerText>): Promise<Measured>;
}

/**
 * Bumped whenever what a measurement means changes (this module, the corpus
 * handling, or the tokenizers library version), so old cache entries are
 * never read as new ones. /2: tokenizers modelgate now refuses to run (a
 * WordPiece word limit above 1000) must not be answered from an older entry.
 */
const MEASUREMENT_VERSION = 'modelgate-tokenizer-behaviour/2 @huggingface/tokenizers@0.2.0';

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
 * Encodes `texts` with the model's tokenizer.json through `runner`, or takes
 * the result from the cache when the same file, settings and texts were
 * measured before. The file is read through `source` (the containment rule
 * and size caps of every artifact read). Only a measurement that finished is
 * cached: one the runner stopped is tried again next run, never passed.
 */
export async function measureBehaviour(
  source: ArtifactSource,
  facts: Pick<ModelFacts, 'tokenizer' | 'settings'>,
  texts: readonly string[],
  runner: TokenizerRunner,
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
  const request = {
    file: tokenizer.file,
    runtimeKey: JSON.stringify([digest.value.sha256, settings]),
    settings,
    texts,
  };
  const measured = await runner.measure(request, () => readTokenizerText(source, tokenizer.file));
  if (measured.ok && cache) await cache.write(key, measured.behaviour).catch(() => undefined);
  return measured;
}

/** The file's text, read under the size caps of every artifact read, and its tables checked before anything builds it. */
async function readTokenizerText(source: ArtifactSource, file: string): Promise<TokenizerText> {
  const read = await source.read(file, READ_LIMITS.tokenizer_json.bytes);
  if (!read.ok) return { ok: false, problem: `${file} cannot be read: ${read.problem.detail}` };
  const shape = findJsonShapeProblem(read.value, [['model', 'vocab'], ['added_tokens']]);
  if (shape)
    return { ok: false, problem: `${file} is too large to encode with: ${describeJsonShapeProblem(shape)}` };
  return { ok: true, text: decodeUtf8(read.value) };
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
