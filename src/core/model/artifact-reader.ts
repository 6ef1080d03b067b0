import { decodeUtf8 } from '../bytes.js';
import type { Finding, RuleId } from '../findings.js';
import type { YamlPath } from '../manifest/parse.js';
import { resolveArtifactPath } from '../repo-path.js';
import type { ArtifactSource, ReadProblem, SourceStat } from '../source.js';
import { TokenizerFormatError } from '../tokenizer/model.js';
import type { ModelFacts } from './facts.js';

const MiB = 1024 * 1024;
/** Upper bounds on what is read into memory; real files are far smaller (Gemma 3's tokenizer.json is 33 MB). */
export const LIMITS = { json: 256 * MiB, text: 64 * MiB, template: 1 * MiB } as const;

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

  async readBytes(key: ManifestKey, path: string, limit: number): Promise<Uint8Array | undefined> {
    const read = await this.source.read(path, limit);
    return read.ok ? read.value : this.unreadable(key, path, read.problem);
  }

  async readText(
    key: string,
    ref: string,
    limit: number,
  ): Promise<{ file: string; text: string } | undefined> {
    const path = await this.locate(key, ref);
    if (path === undefined) return undefined;
    const bytes = await this.readBytes(key, path, limit);
    return bytes && { file: path, text: decodeUtf8(bytes) };
  }

  async readJson(key: string, ref: string | undefined): Promise<JsonRead | undefined> {
    const path = await this.locate(key, ref);
    return path === undefined ? undefined : this.readJsonAt(key, path);
  }

  async readJsonAt(key: string, path: string): Promise<JsonRead | undefined> {
    const bytes = await this.readBytes(key, path, LIMITS.json);
    if (!bytes) return undefined;
    try {
      return { file: path, value: JSON.parse(decodeUtf8(bytes)) };
    } catch (error) {
      this.add(
        'ARTIFACT-INVALID',
        key,
        `${path} is not valid JSON: ${(error as Error).message}`,
        'Fix or regenerate the file.',
        path,
      );
      return undefined;
    }
  }

  /** Runs a format reader on parsed JSON; its complaints become ARTIFACT-INVALID. */
  parse(key: string, read: JsonRead | undefined, apply: (json: unknown, file: string) => void): void {
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
