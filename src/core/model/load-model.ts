import { posix } from 'node:path';
import { readGenerationConfig, readModelConfig } from '../config/model-config.js';
import type { Finding, RuleId } from '../findings.js';
import { MANIFEST_MAX_BYTES, parseManifest, type YamlPath } from '../manifest/parse.js';
import type { Manifest } from '../manifest/schema.js';
import { resolveArtifactPath } from '../repo-path.js';
import type { ArtifactSource, ReadProblem } from '../source.js';
import { TokenizerFormatError } from '../tokenizer/model.js';
import { readSentencePiece } from '../tokenizer/sentencepiece.js';
import {
  readAddedTokensJson,
  readSpecialTokens,
  readTokenizerConfig,
  type TokenizerSettings,
} from '../tokenizer/tokenizer-config.js';
import { readTokenizerJson } from '../tokenizer/tokenizer-json.js';
import { readVocabJson, readVocabTxt } from '../tokenizer/vocab-files.js';
import { LFS_POINTER_MAX_BYTES, parseLfsPointer } from '../weights/lfs-pointer.js';
import {
  parseSafetensorsHeader,
  parseSafetensorsIndex,
  safetensorsHeaderLength,
  type TensorInfo,
} from '../weights/safetensors.js';
import type { LoadedModel, ModelFacts, TensorLocation, WeightFile } from './facts.js';

const MiB = 1024 * 1024;
/** Upper bounds on what is read into memory; real files are far smaller (Gemma 3's tokenizer.json is 33 MB). */
const LIMITS = { json: 256 * MiB, text: 64 * MiB, template: 1 * MiB } as const;

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
  const stat = await source.stat(manifestFile);
  if (stat.kind !== 'file') {
    return {
      findings: [manifestProblem(manifestFile, `${manifestFile} cannot be read (${describeStat(stat)})`)],
    };
  }
  if (stat.size > MANIFEST_MAX_BYTES) {
    return {
      findings: [
        manifestProblem(
          manifestFile,
          `${manifestFile} is ${formatBytes(stat.size)}; manifests are at most ${formatBytes(MANIFEST_MAX_BYTES)}`,
          'Keep large data in artifact files and reference them from the manifest.',
        ),
      ],
    };
  }
  const read = await source.read(manifestFile, MANIFEST_MAX_BYTES);
  if (!read.ok)
    return {
      findings: [manifestProblem(manifestFile, `${manifestFile} cannot be read: ${read.problem.detail}`)],
    };
  const parsed = parseManifest(decodeUtf8(read.value), manifestFile);
  if (!parsed.manifest) return { findings: parsed.findings };
  return new ModelLoader(source, manifestFile, parsed.manifest, parsed.lineOf, options).load();
}

class ModelLoader {
  private readonly findings: Finding[] = [];
  private readonly facts: ModelFacts;

  constructor(
    private readonly source: ArtifactSource,
    private readonly manifestFile: string,
    manifest: Manifest,
    lineOf: (path: YamlPath) => number | undefined,
    private readonly options: LoadOptions,
  ) {
    this.facts = {
      name: manifest.name,
      manifestFile,
      manifest,
      lineOf,
      paths: {},
      files: new Set(),
      settings: { special: [], added: [] },
      chatTemplates: [],
      weightFiles: new Map(),
    };
  }

  async load(): Promise<LoadedModel> {
    const { artifacts } = this.facts.manifest;
    const [config, generation, tokenizerConfig, specialMap, addedTokens] = await Promise.all([
      this.readJson('config', artifacts.config),
      this.readJson('generation_config', artifacts.generation_config),
      this.readJson('tokenizer_config', artifacts.tokenizer_config),
      this.readJson('special_tokens_map', artifacts.special_tokens_map),
      this.readJson('added_tokens', artifacts.added_tokens),
    ]);
    this.parse('config', config, (json, file) => (this.facts.config = readModelConfig(json, file)));
    this.parse('generation_config', generation, (json, file) => {
      this.facts.generation = { ...readGenerationConfig(json, file), file };
    });
    this.facts.settings = this.mergeSettings(tokenizerConfig, specialMap, addedTokens);
    await this.loadTokenizer();
    await this.loadChatTemplate();
    await this.loadWeights();
    await this.checkReferencedFiles();
    return { facts: this.facts, findings: this.findings };
  }

  private mergeSettings(
    tokenizerConfig: JsonRead | undefined,
    specialMap: JsonRead | undefined,
    addedTokens: JsonRead | undefined,
  ): TokenizerSettings {
    let settings: TokenizerSettings = { special: [], added: [] };
    this.parse(
      'tokenizer_config',
      tokenizerConfig,
      (json, file) => (settings = readTokenizerConfig(json, file)),
    );
    this.parse('special_tokens_map', specialMap, (json, file) => {
      if (typeof json !== 'object' || json === null) throw new Error(`${file} must be a JSON object`);
      settings.special.push(...readSpecialTokens(json as Record<string, unknown>, file));
    });
    this.parse('added_tokens', addedTokens, (json, file) =>
      settings.added.push(...readAddedTokensJson(json, file)),
    );
    return settings;
  }

  private async loadTokenizer(): Promise<void> {
    const { tokenizer: ref, merges: mergesRef } = this.facts.manifest.artifacts;
    const path = await this.locate('tokenizer', ref);
    if (path === undefined) return;
    const base = posix.basename(path);
    try {
      if (base.endsWith('.model')) {
        const bytes = await this.readBytes('tokenizer', path, LIMITS.text);
        if (bytes) this.facts.tokenizer = readSentencePiece(bytes, path);
      } else if (base.endsWith('.txt')) {
        const bytes = await this.readBytes('tokenizer', path, LIMITS.text);
        if (bytes) this.facts.tokenizer = readVocabTxt(decodeUtf8(bytes), path);
      } else {
        const json = await this.readJsonAt('tokenizer', path);
        if (json === undefined) return;
        const merges = mergesRef ? await this.readText('merges', mergesRef, LIMITS.text) : undefined;
        // vocab.json maps tokens to ids, so a token may well be called "model": only an object there marks tokenizer.json.
        const model = (json.value as { model?: unknown } | null)?.model;
        const isTokenizerJson = typeof model === 'object' && model !== null;
        this.facts.tokenizer = isTokenizerJson
          ? readTokenizerJson(json.value, path)
          : readVocabJson(json.value, path, merges);
      }
    } catch (error) {
      this.invalid('tokenizer', path, error);
    }
  }

  private async loadChatTemplate(): Promise<void> {
    const ref = this.facts.manifest.artifacts.chat_template;
    if (ref) {
      const template = await this.readText('chat_template', ref, LIMITS.template);
      if (template) this.facts.chatTemplates.push(template);
    }
    const fromConfig = this.facts.settings.chatTemplate;
    const configFile = this.facts.paths.tokenizer_config;
    if (fromConfig !== undefined && configFile)
      this.facts.chatTemplates.push({ file: configFile, text: fromConfig });
  }

  private async loadWeights(): Promise<void> {
    const tensors = new Map<string, TensorLocation>();
    let anyHeader = false;
    const { weights, weights_index: indexRef } = this.facts.manifest.artifacts;
    for (const [index, weight] of weights.entries()) {
      if (!weight.path) continue;
      const key = ['artifacts', 'weights', index, 'path'] as const;
      const path = await this.locate(key, weight.path);
      if (path === undefined) continue;
      const file = await this.inspectWeightFile(key, path);
      if (!file) continue;
      this.facts.weightFiles.set(index, file);
      this.checkDigest(key, file, weight.sha256, weight.size);
      if (file.kind === 'file' && path.endsWith('.safetensors')) {
        const header = await this.readHeader(key, path, 'ARTIFACT-INVALID');
        if (header) {
          anyHeader = true;
          for (const [name, info] of header) tensors.set(name, { ...info, file: path });
        }
      }
    }
    if (indexRef) anyHeader = (await this.loadShards(indexRef, tensors)) || anyHeader;
    if (anyHeader) this.facts.tensors = tensors;
  }

  /** Reads the index, checks every shard, and adds the tensors of the shards whose header is readable. */
  private async loadShards(indexRef: string, tensors: Map<string, TensorLocation>): Promise<boolean> {
    const json = await this.readJson('weights_index', indexRef);
    if (!json) return false;
    let weightMap: Map<string, string>;
    try {
      weightMap = parseSafetensorsIndex(json.value);
    } catch (error) {
      this.invalid('weights_index', json.file, error);
      return false;
    }
    const byShard = new Map<string, string[]>();
    for (const [tensor, shard] of weightMap) byShard.set(shard, [...(byShard.get(shard) ?? []), tensor]);
    let anyHeader = false;
    for (const [shard, listed] of byShard) {
      const resolved = resolveArtifactPath(json.file, shard);
      const where = `${json.file} lists shard ${JSON.stringify(shard)}`;
      if (!resolved.ok) {
        this.add(
          'SHARDS',
          'error',
          'weights_index',
          `${where}, which ${resolved.reason}`,
          'List shards by file name, next to the index.',
        );
        continue;
      }
      const stat = await this.source.stat(resolved.path);
      if (stat.kind !== 'file') {
        this.add(
          'SHARDS',
          'error',
          'weights_index',
          `${where}, but ${resolved.path} ${describeStat(stat)}`,
          'Add the shard (or its Git LFS pointer) or fix the index.',
          resolved.path,
        );
        continue;
      }
      const head = await this.source.readRange(resolved.path, 0, LFS_POINTER_MAX_BYTES + 1);
      if (head.ok && parseLfsPointer(head.value)) continue; // an LFS pointer: the shard exists, its header is not here
      const header = await this.readHeader('weights_index', resolved.path, 'SHARDS');
      if (!header) continue;
      anyHeader = true;
      const absent = listed.filter((tensor) => !header.has(tensor));
      if (absent.length) {
        this.add(
          'SHARDS',
          'error',
          'weights_index',
          `${resolved.path} does not hold ${absent.length} tensor(s) that ${json.file} assigns to it: ${preview(absent)}`,
          'Regenerate the index from the shards (save_pretrained writes both).',
          resolved.path,
        );
      }
      for (const [name, info] of header) tensors.set(name, { ...info, file: resolved.path });
    }
    return anyHeader;
  }

  private async inspectWeightFile(key: YamlPath, path: string): Promise<WeightFile | undefined> {
    const head = await this.source.readRange(path, 0, LFS_POINTER_MAX_BYTES + 1);
    if (!head.ok) return this.unreadable(key, path, head.problem);
    const pointer = parseLfsPointer(head.value);
    if (pointer) return { kind: 'lfs-pointer', path, pointer };
    this.options.progress?.(`sha256 ${path}`);
    const digest = await this.source.sha256(path);
    if (!digest.ok) return this.unreadable(key, path, digest.problem);
    return { kind: 'file', path, ...digest.value };
  }

  private checkDigest(key: YamlPath, file: WeightFile, sha256: string, size: number | undefined): void {
    const actual =
      file.kind === 'file'
        ? { sha256: file.sha256, size: file.size }
        : { sha256: file.pointer.oid, size: file.pointer.size };
    const what = file.kind === 'file' ? file.path : `the Git LFS pointer ${file.path}`;
    if (actual.sha256 !== sha256) {
      this.add(
        'ARTIFACT-DIGEST',
        'error',
        key,
        `${what} has sha256 ${actual.sha256}, the manifest says ${sha256}`,
        'Update sha256 in the manifest, or restore the file that was meant.',
        file.path,
      );
    } else if (size !== undefined && actual.size !== size) {
      this.add(
        'ARTIFACT-DIGEST',
        'error',
        key,
        `${what} is ${actual.size} bytes, the manifest says ${size}`,
        'Update size in the manifest.',
        file.path,
      );
    }
  }

  private async readHeader(
    key: YamlPath | string,
    path: string,
    rule: RuleId,
  ): Promise<Map<string, TensorInfo> | undefined> {
    const stat = await this.source.stat(path);
    if (stat.kind !== 'file') return undefined;
    try {
      const first = await this.source.readRange(path, 0, 8);
      if (!first.ok) throw new Error(first.problem.detail);
      const length = safetensorsHeaderLength(first.value, stat.size);
      const header = await this.source.readRange(path, 8, length);
      if (!header.ok) throw new Error(header.problem.detail);
      return parseSafetensorsHeader(header.value);
    } catch (error) {
      this.add(
        rule,
        'error',
        key,
        `${path} is not a readable safetensors file: ${(error as Error).message}`,
        'Re-export the weights with safetensors.',
        path,
      );
      return undefined;
    }
  }

  /** Checks that files named elsewhere in the manifest (eval results, datasets) exist. */
  private async checkReferencedFiles(): Promise<void> {
    const evalBlock = this.facts.manifest.eval;
    const refs: [YamlPath, string][] = [
      ...(evalBlock?.results ?? []).map((r, i): [YamlPath, string] => [
        ['eval', 'results', i, 'path'],
        r.path,
      ]),
      ...(evalBlock?.suites ?? []).map((s, i): [YamlPath, string] => [
        ['eval', 'suites', i, 'dataset'],
        s.dataset,
      ]),
    ];
    await Promise.all(refs.map(([key, ref]) => this.locate(key, ref)));
  }

  // ---- reading helpers: each turns a problem into a finding and returns undefined ----

  /** Resolves and stats an artifact reference; records ARTIFACT-MISSING when it is not a file inside the repository. */
  private async locate(key: YamlPath | string, ref: string | undefined): Promise<string | undefined> {
    if (ref === undefined) return undefined;
    const resolved = resolveArtifactPath(this.manifestFile, ref);
    const label = JSON.stringify(ref);
    if (!resolved.ok) {
      this.add(
        'ARTIFACT-MISSING',
        'error',
        key,
        `${label} ${resolved.reason}`,
        'Reference a file inside the repository, relative to the manifest folder.',
      );
      return undefined;
    }
    const stat = await this.source.stat(resolved.path);
    if (stat.kind !== 'file') {
      this.add(
        'ARTIFACT-MISSING',
        'error',
        key,
        `${label} (${resolved.path}) ${describeStat(stat)} in ${this.source.label}`,
        fixFor(stat.kind),
        resolved.path,
      );
      return undefined;
    }
    if (typeof key === 'string') this.facts.paths[key] = resolved.path;
    const isWeight = Array.isArray(key) && key[1] === 'weights';
    if (!isWeight) this.facts.files.add(resolved.path);
    return resolved.path;
  }

  private async readBytes(
    key: YamlPath | string,
    path: string,
    limit: number,
  ): Promise<Uint8Array | undefined> {
    const read = await this.source.read(path, limit);
    return read.ok ? read.value : this.unreadable(key, path, read.problem);
  }

  private async readText(
    key: string,
    ref: string,
    limit: number,
  ): Promise<{ file: string; text: string } | undefined> {
    const path = await this.locate(key, ref);
    if (path === undefined) return undefined;
    const bytes = await this.readBytes(key, path, limit);
    return bytes && { file: path, text: decodeUtf8(bytes) };
  }

  private async readJson(key: string, ref: string | undefined): Promise<JsonRead | undefined> {
    const path = await this.locate(key, ref);
    return path === undefined ? undefined : this.readJsonAt(key, path);
  }

  private async readJsonAt(key: string, path: string): Promise<JsonRead | undefined> {
    const bytes = await this.readBytes(key, path, LIMITS.json);
    if (!bytes) return undefined;
    try {
      return { file: path, value: JSON.parse(decodeUtf8(bytes)) };
    } catch (error) {
      this.add(
        'ARTIFACT-INVALID',
        'error',
        key,
        `${path} is not valid JSON: ${(error as Error).message}`,
        'Fix or regenerate the file.',
        path,
      );
      return undefined;
    }
  }

  private parse(key: string, read: JsonRead | undefined, apply: (json: unknown, file: string) => void): void {
    if (!read) return;
    try {
      apply(read.value, read.file);
    } catch (error) {
      this.invalid(key, read.file, error);
    }
  }

  private invalid(key: YamlPath | string, file: string, error: unknown): void {
    if (!(error instanceof Error)) throw error;
    const message =
      error instanceof TokenizerFormatError || error.message.startsWith(file)
        ? error.message
        : `${file}: ${error.message}`;
    this.add(
      'ARTIFACT-INVALID',
      'error',
      key,
      message,
      'Fix or regenerate the file with the library that produced it.',
      file,
    );
  }

  private unreadable(key: YamlPath | string, path: string, problem: ReadProblem): undefined {
    const rule: RuleId =
      problem.kind === 'missing' || problem.kind === 'outside' ? 'ARTIFACT-MISSING' : 'ARTIFACT-INVALID';
    const fix =
      problem.kind === 'too-large'
        ? 'Check that the manifest references the right file.'
        : fixFor(problem.kind);
    this.add(rule, 'error', key, `${path} cannot be read: ${problem.detail}`, fix, path);
    return undefined;
  }

  private add(
    rule: RuleId,
    severity: Finding['severity'],
    key: YamlPath | string,
    message: string,
    fix?: string,
    artifact?: string,
  ): void {
    const path = typeof key === 'string' ? ['artifacts', key] : key;
    this.findings.push({
      rule,
      severity,
      model: this.facts.name,
      file: this.manifestFile,
      line: this.facts.lineOf(path),
      message,
      fix,
      artifact,
    });
  }
}

interface JsonRead {
  file: string;
  value: unknown;
}

function manifestProblem(file: string, message: string, fix?: string): Finding {
  return { rule: 'MANIFEST-SCHEMA', severity: 'error', model: file, file, message, fix };
}

function describeStat(stat: { kind: string; detail?: string }): string {
  if (stat.kind === 'missing') return 'does not exist';
  return stat.detail ?? stat.kind;
}

function fixFor(kind: string): string {
  if (kind === 'outside')
    return 'Replace the symlink with the file itself; artifacts must live inside the repository.';
  if (kind === 'missing')
    return 'Commit the file, or fix the path in the manifest (paths are relative to the manifest folder).';
  return 'Reference a regular file.';
}

function preview(items: readonly string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** Decodes UTF-8 (a BOM is dropped; invalid bytes become U+FFFD and fail the parse that follows). */
export function decodeUtf8(bytes: Uint8Array): string {
  // Buffer's decoder is markedly faster than TextDecoder on multi-megabyte tokenizer files.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** 1536 -> "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
