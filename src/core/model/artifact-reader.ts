import { decodeUtf8, formatBytes } from '../bytes.js';
import type { Finding, RuleId } from '../findings.js';
import type { YamlPath } from '../manifest/parse.js';
import { resolveArtifactPath } from '../repo-path.js';
import type { ArtifactSource, ReadProblem, SourceStat } from '../source.js';
import { TokenizerFormatError } from '../tokenizer/model.js';
import type { ModelFacts } from './facts.js';
import { TOKENIZER_JSON_DEFERRED } from '../tokenizer/tokenizer-json.js';
import { describeJsonShapeProblem, type JsonPath } from './json-shape.js';
import { parseJson } from './json-text.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A kind of artifact read whole into memory, its size cap, and what real ones weigh (for the finding). */
export interface ReadLimit {
  /** What the file is, for messages: "config.json files". */
  what: string;
  bytes: number;
  real: string;
}

/**
 * The most modelgate reads into memory per kind of artifact, so what one
 * model costs is bounded (about 230 MiB of file text in all, whatever a pull
 * request commits) instead of growing with every file. Each cap is several
 * times the largest real file of its kind; a file over its cap is refused from
 * its size alone, before a byte is read. (Safetensors headers are capped by
 * their format, 100 MB, and read one at a time.)
 */
export const READ_LIMITS = {
  config: { what: 'config.json files', bytes: 4 * MiB, real: 'real ones are a few KiB' },
  generation_config: {
    what: 'generation_config.json files',
    bytes: 1 * MiB,
    real: 'real ones are under 1 KiB',
  },
  tokenizer_config: {
    what: 'tokenizer_config.json files',
    bytes: 16 * MiB,
    real: "Gemma 3's, with 6,415 added tokens and its chat template, is 1.1 MiB",
  },
  special_tokens_map: {
    what: 'special_tokens_map.json files',
    bytes: 1 * MiB,
    real: 'real ones are under 10 KiB',
  },
  added_tokens: { what: 'added_tokens.json files', bytes: 16 * MiB, real: 'real ones are under 1 MiB' },
  tokenizer_json: {
    what: 'tokenizer.json and vocab.json files',
    bytes: 128 * MiB,
    real: "Gemma 3's tokenizer.json, 262,144 tokens, is 32 MiB",
  },
  sentencepiece: {
    what: 'SentencePiece models',
    bytes: 64 * MiB,
    real: "Gemma's 256,000-piece tokenizer.model is 4 MiB",
  },
  vocab_txt: { what: 'vocab.txt files', bytes: 32 * MiB, real: "bert-base-uncased's is 226 KiB" },
  merges: { what: 'merges.txt files', bytes: 32 * MiB, real: "GPT-2's is 446 KiB" },
  chat_template: { what: 'chat templates', bytes: 1 * MiB, real: 'real ones are under 20 KiB' },
  tokenizer_corpus: {
    what: 'tokenizer corpus files',
    bytes: 1 * MiB,
    real: "modelgate's own reference corpus is about 10 KiB",
  },
  weights_index: {
    what: 'safetensors index files',
    bytes: 32 * MiB,
    real: "DeepSeek V3's, 91,000 tensors in 163 shards, is under 9 MiB",
  },
} as const satisfies Record<string, ReadLimit>;

/** The kinds of artifact READ_LIMITS caps. */
export type ReadKind = keyof typeof READ_LIMITS;

/** Where a JSON artifact keeps its vocabularies, held to MAX_VOCABULARY before it is parsed. */
const VOCABULARY_PATHS: Partial<Record<ReadKind, readonly JsonPath[]>> = {
  tokenizer_json: [['model', 'vocab'], ['added_tokens'], []], // [] is a vocab.json
  tokenizer_config: [['added_tokens_decoder']],
  added_tokens: [[]],
};

/** Values of a JSON artifact read as JsonText, for its reader to read its own way (see parseJson). */
const DEFERRED_PATHS: Partial<Record<ReadKind, readonly JsonPath[]>> = {
  tokenizer_json: TOKENIZER_JSON_DEFERRED,
};

/** Where a finding about an artifact is anchored: an artifacts key ("config") or a manifest path. */
export type ManifestKey = YamlPath | string;

export interface JsonRead {
  file: string;
  value: unknown;
}

/**
 * Reads one model's artifacts from a source. Every problem becomes a finding
 * anchored on the manifest line that references the file, and the read
 * returns undefined: callers go on with what could be read.
 */
export class ArtifactReader {
  readonly findings: Finding[] = [];

  constructor(
    readonly source: ArtifactSource,
    readonly facts: ModelFacts,
  ) {}

  /** Resolves and stats a reference; records ARTIFACT-MISSING unless it is a file inside the repository. */
  async locate(key: ManifestKey, ref: string | undefined): Promise<string | undefined> {
    if (ref === undefined) return undefined;
    const resolved = resolveArtifactPath(this.facts.manifestFile, ref);
    const label = JSON.stringify(ref);
    if (!resolved.ok) {
      this.add(
        'ARTIFACT-MISSING',
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

  /**
   * Reads a whole file of a capped kind. A file over its cap is refused from
   * its size (ARTIFACT-INVALID naming the cap) and never read.
   */
  async readBytes(key: ManifestKey, path: string, kind: ReadKind): Promise<Uint8Array | undefined> {
    const limit: ReadLimit = READ_LIMITS[kind];
    const stat = await this.source.stat(path);
    if (stat.kind === 'file' && stat.size > limit.bytes) {
      this.add(
        'ARTIFACT-INVALID',
        key,
        `${path} is ${formatBytes(stat.size)}; modelgate reads ${limit.what} up to ${formatBytes(limit.bytes)} (${limit.real})`,
        'Check that the manifest references the right file: one this large is not a real one of its kind.',
        path,
      );
      return undefined;
    }
    const read = await this.source.read(path, limit.bytes);
    return read.ok ? read.value : this.unreadable(key, path, read.problem);
  }

  async readText(
    key: string,
    ref: string,
    kind: ReadKind,
  ): Promise<{ file: string; text: string } | undefined> {
    const path = await this.locate(key, ref);
    if (path === undefined) return undefined;
    const bytes = await this.readBytes(key, path, kind);
    return bytes && { file: path, text: decodeUtf8(bytes) };
  }

  /** Locates and reads a JSON artifact whose manifest key is also its kind (config, tokenizer_config, …). */
  async readJson(key: ReadKind & string, ref: string | undefined): Promise<JsonRead | undefined> {
    const path = await this.locate(key, ref);
    return path === undefined ? undefined : this.readJsonAt(key, path, key);
  }

  /**
   * Reads and parses a JSON artifact. Its syntax and shape are checked before
   * anything is built (parseJson: JSON_SHAPE_LIMITS, and MAX_VOCABULARY for
   * the kind's vocabularies), so a hostile file costs one pass over its bytes.
   */
  async readJsonAt(key: ManifestKey, path: string, kind: ReadKind): Promise<JsonRead | undefined> {
    const bytes = await this.readBytes(key, path, kind);
    return bytes && this.parseJsonBytes(key, path, kind, bytes);
  }

  /** Parses the bytes of a JSON artifact read with readBytes, as readJsonAt does. */
  parseJsonBytes(key: ManifestKey, path: string, kind: ReadKind, bytes: Uint8Array): JsonRead | undefined {
    const parsed = parseJson(bytes, { vocabularies: VOCABULARY_PATHS[kind], deferred: DEFERRED_PATHS[kind] });
    if (parsed.ok) return { file: path, value: parsed.value };
    if ('problem' in parsed)
      this.add(
        'ARTIFACT-INVALID',
        key,
        `${path} is too large to judge: ${describeJsonShapeProblem(parsed.problem)}`,
        'Check that the manifest references the right file: no real model file is shaped like this.',
        path,
      );
    else
      this.add(
        'ARTIFACT-INVALID',
        key,
        `${path} is not valid JSON: ${parsed.syntax}`,
        'Fix or regenerate the file.',
        path,
      );
    return undefined;
  }

  /** Runs a format reader on parsed JSON; its complaints become ARTIFACT-INVALID. */
  parse(key: ManifestKey, read: JsonRead | undefined, apply: (json: unknown, file: string) => void): void {
    if (!read) return;
    try {
      apply(read.value, read.file);
    } catch (error) {
      this.invalid(key, read.file, error);
    }
  }

  invalid(key: ManifestKey, file: string, error: unknown): void {
    if (!(error instanceof Error)) throw error;
    const named = error instanceof TokenizerFormatError || error.message.startsWith(file);
    this.add(
      'ARTIFACT-INVALID',
      key,
      named ? error.message : `${file}: ${error.message}`,
      'Fix or regenerate the file with the library that produced it.',
      file,
    );
  }

  unreadable(key: ManifestKey, path: string, problem: ReadProblem): undefined {
    const rule: RuleId =
      problem.kind === 'missing' || problem.kind === 'outside' ? 'ARTIFACT-MISSING' : 'ARTIFACT-INVALID';
    const fix =
      problem.kind === 'too-large'
        ? 'Check that the manifest references the right file.'
        : fixFor(problem.kind);
    this.add(rule, key, `${path} cannot be read: ${problem.detail}`, fix, path);
    return undefined;
  }

  /** Records an error finding on the manifest line of `key`. */
  add(rule: RuleId, key: ManifestKey, message: string, fix?: string, artifact?: string): void {
    const path = typeof key === 'string' ? ['artifacts', key] : key;
    this.findings.push({
      rule,
      severity: 'error',
      model: this.facts.name,
      file: this.facts.manifestFile,
      line: this.facts.lineOf(path),
      message,
      fix,
      artifact,
    });
  }
}

/** "does not exist", "is a directory", "is a symlink to …". */
export function describeStat(stat: SourceStat): string {
  if (stat.kind === 'missing') return 'does not exist';
  return 'detail' in stat ? stat.detail : stat.kind;
}

function fixFor(kind: string): string {
  if (kind === 'outside')
    return 'Replace the symlink with the file itself; artifacts must live inside the repository.';
  if (kind === 'missing')
    return 'Commit the file, or fix the path in the manifest (paths are relative to the manifest folder).';
  return 'Reference a regular file.';
}
