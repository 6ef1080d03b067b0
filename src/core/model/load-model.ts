import { posix } from 'node:path';
import { rolloutFileReferences } from '../manifest/rollout.js';
import { decodeUtf8, formatBytes } from '../bytes.js';
import { readGenerationConfig, readModelConfig } from '../config/model-config.js';
import { MANIFEST_MAX_BYTES, parseManifest, type YamlPath } from '../manifest/parse.js';
import type { ArtifactSource } from '../source.js';
import { readSentencePiece } from '../tokenizer/sentencepiece.js';
import {
  readAddedTokensJson,
  readSpecialTokens,
  readTokenizerConfig,
  type TokenizerSettings,
} from '../tokenizer/tokenizer-config.js';
import { readRepositoryCorpus } from '../tokenizer/repository-corpus.js';
import type { Tokenizer } from '../tokenizer/model.js';
import { readTokenizerJson } from '../tokenizer/tokenizer-json.js';
import { readVocabJson, readVocabTxt } from '../tokenizer/vocab-files.js';
import { ArtifactReader, describeStat } from './artifact-reader.js';
import type { LoadedModel, ModelFacts } from './facts.js';
import { loadWeights } from './load-weights.js';

/** Optional hooks for long work. */
export interface LoadOptions {
  /** Told before each long step (hashing a large file). */
  progress?: (message: string) => void;
}

/**
 * Reads one manifest and every artifact it references from `source`, and
 * parses them. Problems met on the way (missing, unreadable or malformed
 * files, digests that differ) come back as findings; nothing throws for bad
 * input.
 */
export async function loadModel(
  source: ArtifactSource,
  manifestFile: string,
  options: LoadOptions = {},
): Promise<LoadedModel> {
  const problem = (message: string, fix?: string): LoadedModel => ({
    findings: [
      { rule: 'MANIFEST-SCHEMA', severity: 'error', model: manifestFile, file: manifestFile, message, fix },
    ],
  });
  const stat = await source.stat(manifestFile);
  if (stat.kind !== 'file') return problem(`${manifestFile} cannot be read (${describeStat(stat)})`);
  if (stat.size > MANIFEST_MAX_BYTES) {
    return problem(
      `${manifestFile} is ${formatBytes(stat.size)}; manifests are at most ${formatBytes(MANIFEST_MAX_BYTES)}`,
      'Keep large data in artifact files and reference them from the manifest.',
    );
  }
  const read = await source.read(manifestFile, MANIFEST_MAX_BYTES);
  if (!read.ok) return problem(`${manifestFile} cannot be read: ${read.problem.detail}`);
  const parsed = parseManifest(decodeUtf8(read.value), manifestFile);
  if (!parsed.manifest) return { findings: parsed.findings };

  const facts: ModelFacts = {
    name: parsed.manifest.name,
    manifestFile,
    manifest: parsed.manifest,
    lineOf: parsed.lineOf,
    paths: {},
    files: new Set(),
    settings: { special: [], added: [], problems: [] },
    chatTemplates: [],
    weightFiles: new Map(),
  };
  const reader = new ArtifactReader(source, facts);
  await loadConfigs(reader);
  await loadTokenizer(reader);
  await loadChatTemplates(reader);
  await loadTokenizerCorpus(reader);
  await loadWeights(reader, options.progress);
  await checkReferencedFiles(reader);
  return { facts, findings: reader.findings };
}

async function loadConfigs(reader: ArtifactReader): Promise<void> {
  const { facts } = reader;
  const { artifacts } = facts.manifest;
  const [config, generation, tokenizerConfig, specialMap, addedTokens] = await Promise.all([
    reader.readJson('config', artifacts.config),
    reader.readJson('generation_config', artifacts.generation_config),
    reader.readJson('tokenizer_config', artifacts.tokenizer_config),
    reader.readJson('special_tokens_map', artifacts.special_tokens_map),
    reader.readJson('added_tokens', artifacts.added_tokens),
  ]);
  reader.parse('config', config, (json, file) => (facts.config = readModelConfig(json, file)));
  reader.parse(
    'generation_config',
    generation,
    (json, file) => (facts.generation = { ...readGenerationConfig(json, file), file }),
  );

  // tokenizer_config.json first, then special_tokens_map.json and added_tokens.json on top.
  let settings: TokenizerSettings = { special: [], added: [], problems: [] };
  reader.parse(
    'tokenizer_config',
    tokenizerConfig,
    (json, file) => (settings = readTokenizerConfig(json, file)),
  );
  reader.parse('special_tokens_map', specialMap, (json, file) => {
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new Error(`${file} must be a JSON object`);
    settings.special.push(...readSpecialTokens(json as Record<string, unknown>, file));
  });
  reader.parse('added_tokens', addedTokens, (json, file) =>
    settings.added.push(...readAddedTokensJson(json, file)),
  );
  facts.settings = settings;
}

/**
 * The last tokenizer.json read, by its exact bytes and path. A comparison with
 * a base reads the same file twice when the change leaves the tokenizer alone,
 * as most do, and reading Llama 3's costs about 70 ms (Gemma 3's, 250). The
 * tokenizer is a function of the bytes and the path, and nothing changes it
 * once read (its merges are parsed once, on first use), so equal bytes share
 * it. One entry: the memory of one tokenizer, whatever else is read.
 */
let remembered: { bytes: Uint8Array; path: string; tokenizer: Tokenizer } | undefined;

function lastTokenizer(bytes: Uint8Array, path: string): Tokenizer | undefined {
  if (!remembered || remembered.path !== path || remembered.bytes.length !== bytes.length) return undefined;
  return Buffer.compare(remembered.bytes, bytes) === 0 ? remembered.tokenizer : undefined;
}

/** The tokenizer's format follows its file name: *.model is SentencePiece, *.txt a WordPiece vocabulary, JSON the rest. */
async function loadTokenizer(reader: ArtifactReader): Promise<void> {
  const { facts } = reader;
  const { tokenizer: ref, merges: mergesRef } = facts.manifest.artifacts;
  const path = await reader.locate('tokenizer', ref);
  if (path === undefined) return;
  const base = posix.basename(path);
  try {
    if (base.endsWith('.model')) {
      const bytes = await reader.readBytes('tokenizer', path, 'sentencepiece');
      if (bytes) facts.tokenizer = readSentencePiece(bytes, path);
    } else if (base.endsWith('.txt')) {
      const bytes = await reader.readBytes('tokenizer', path, 'vocab_txt');
      if (bytes) facts.tokenizer = readVocabTxt(decodeUtf8(bytes), path);
    } else {
      const bytes = await reader.readBytes('tokenizer', path, 'tokenizer_json');
      if (bytes === undefined) return;
      const known = mergesRef ? undefined : lastTokenizer(bytes, path);
      if (known) {
        facts.tokenizer = known;
        return;
      }
      const json = reader.parseJsonBytes('tokenizer', path, 'tokenizer_json', bytes);
      if (json === undefined) return;
      const merges = mergesRef ? await reader.readText('merges', mergesRef, 'merges') : undefined;
      // vocab.json maps tokens to ids, so a token may well be called "model": only an object there marks tokenizer.json.
      const model = (json.value as { model?: unknown } | null)?.model;
      const isTokenizerJson = typeof model === 'object' && model !== null;
      facts.tokenizer = isTokenizerJson
        ? readTokenizerJson(json.value, path)
        : readVocabJson(json.value, path, merges);
      if (isTokenizerJson && !mergesRef) remembered = { bytes, path, tokenizer: facts.tokenizer };
    }
  } catch (error) {
    reader.invalid('tokenizer', path, error);
  }
}

/** chat_template.jinja first (it wins in transformers), then the one in tokenizer_config.json. */
async function loadChatTemplates(reader: ArtifactReader): Promise<void> {
  const { facts } = reader;
  const ref = facts.manifest.artifacts.chat_template;
  if (ref) {
    const template = await reader.readText('chat_template', ref, 'chat_template');
    if (template) facts.chatTemplates.push(template);
  }
  const fromConfig = facts.settings.chatTemplate;
  const configFile = facts.paths.tokenizer_config;
  if (fromConfig !== undefined && configFile)
    facts.chatTemplates.push({ file: configFile, text: fromConfig });
}

/** The repository's own corpus: read with every artifact (it is small and capped), encoded only when behaviour is measured. */
async function loadTokenizerCorpus(reader: ArtifactReader): Promise<void> {
  const ref = reader.facts.manifest.artifacts.tokenizer_corpus;
  if (!ref) return;
  const read = await reader.readText('tokenizer_corpus', ref, 'tokenizer_corpus');
  if (!read) return;
  try {
    reader.facts.tokenizerCorpus = readRepositoryCorpus(read.text, read.file);
  } catch (error) {
    reader.invalid('tokenizer_corpus', read.file, error);
  }
}

/** Files named elsewhere in the manifest (eval results, datasets) must exist too. */
async function checkReferencedFiles(reader: ArtifactReader): Promise<void> {
  const evalBlock = reader.facts.manifest.eval;
  const refs: [YamlPath, string][] = [
    ...(evalBlock?.results ?? []).flatMap((r, i): [YamlPath, string][] => [
      [['eval', 'results', i, 'path'], r.path],
      ...Object.entries(r.samples ?? {}).map(([task, path]): [YamlPath, string] => [
        ['eval', 'results', i, 'samples', task],
        path,
      ]),
    ]),
    ...(evalBlock?.suites ?? []).map((s, i): [YamlPath, string] => [
      ['eval', 'suites', i, 'dataset'],
      s.dataset,
    ]),
    ...rolloutFileReferences(reader.facts.manifest.rollout),
  ];
  await Promise.all(refs.map(([key, ref]) => reader.locate(key, ref)));
}
