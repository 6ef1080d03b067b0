import type { GenerationConfig, ModelConfig } from '../config/model-config.js';
import type { Finding } from '../findings.js';
import type { YamlPath } from '../manifest/parse.js';
import type { Manifest } from '../manifest/schema.js';
import type { AddedToken, Tokenizer } from '../tokenizer/model.js';
import type { RepositoryCorpus } from '../tokenizer/repository-corpus.js';
import type { TokenizerSettings } from '../tokenizer/tokenizer-config.js';
import type { LfsPointer } from '../weights/lfs-pointer.js';
import type { TensorInfo } from '../weights/safetensors.js';

/** A chat template and the file it came from. */
export interface ChatTemplateSource {
  file: string;
  text: string;
}

/** What a weights file in the repository turned out to be. */
export type WeightFile =
  | { kind: 'lfs-pointer'; path: string; pointer: LfsPointer }
  | { kind: 'file'; path: string; sha256: string; size: number };

/** A tensor and the repository file whose header declares it. */
export interface TensorLocation extends TensorInfo {
  file: string;
}

/** Everything modelgate read about one model version, parsed and ready for the rules. */
export interface ModelFacts {
  name: string;
  manifestFile: string;
  manifest: Manifest;
  lineOf(path: YamlPath): number | undefined;
  /** Artifact key (config, tokenizer, …) -> repository path, for those that resolved. */
  paths: Partial<Record<string, string>>;
  /** Every repository file the manifest references and that exists (weights and shards excluded). */
  files: Set<string>;
  tokenizer?: Tokenizer;
  /** tokenizer_config.json, special_tokens_map.json and added_tokens.json merged. */
  settings: TokenizerSettings;
  config?: ModelConfig;
  generation?: GenerationConfig & { file: string };
  chatTemplates: ChatTemplateSource[];
  /** `artifacts.tokenizer_corpus`, parsed: examples encoded on top of the reference corpus. */
  tokenizerCorpus?: RepositoryCorpus;
  /** Weight files found in the repository, by index in `artifacts.weights`. */
  weightFiles: Map<number, WeightFile>;
  /** Tensor headers that could be read; undefined when no header was available. */
  tensors?: Map<string, TensorLocation>;
}

/** Load result: the facts (when the manifest was usable) and the findings met while reading. */
export interface LoadedModel {
  facts?: ModelFacts;
  findings: Finding[];
}

/** Every added token from every file, with the files that declare it. */
export function allAddedTokens(facts: Pick<ModelFacts, 'tokenizer' | 'settings'>): AddedToken[] {
  return [...(facts.tokenizer?.added ?? []), ...facts.settings.added];
}
