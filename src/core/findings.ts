/** How much a finding matters: only `error` blocks a merge. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * The rule catalogue (docs/rules.md). Every finding names exactly one
 * rule; the ids are a contract: tools filter on them.
 */
export const RULES = {
  'MANIFEST-SCHEMA': 'the manifest parses and matches the schema',
  'ARTIFACT-MISSING': 'a referenced file exists and stays inside the repository',
  'ARTIFACT-INVALID': 'a referenced file parses in the format its name promises',
  'ARTIFACT-DIGEST': "a file's sha256 (or Git LFS pointer) matches the manifest",
  'VOCAB-FITS': 'every token id is below the config vocab_size',
  'VOCAB-PAD': 'config vocab_size is padded beyond the tokenizer',
  'EMBED-SHAPE': 'embedding and lm_head tensors are [vocab_size, hidden_size]',
  TIED: 'untied embeddings come with an lm_head tensor',
  SHARDS: 'every shard of the safetensors index exists and holds its tensors',
  'ADDED-ID': 'added tokens agree across files and do not collide with the vocabulary',
  'SPECIAL-RESOLVES': 'every special token string resolves to an id',
  'IDS-IN-RANGE': 'bos/eos/pad ids are within [0, vocab_size)',
  'IDS-AGREE': 'tokenizer bos/eos ids agree with config and generation_config',
  'CHAT-STOP': 'the end-of-turn token of the chat template is a stop id',
  PAD: 'a pad token exists and differs from eos',
  'MAX-LEN': 'tokenizer model_max_length fits the position embeddings',
  CLASS: 'model_type is present and tokenizer_class plausible for it',
  'TEMPLATE-SRC': 'the chat template is defined once; instruct models have one',
  'DOUBLE-BOS': 'BOS is not added by both the template and the tokenizer',
  'ROUND-TRIP': 'a byte-level tokenizer decodes what it encodes back to the same text',
  'UNK-RATE': 'the corpus encodes with few unknown tokens (none for a byte-level tokenizer)',
  'SEMVER-BUMP': 'the version bump covers what changed',
  'VERSION-EXISTS': 'a released version is never reused with different content',
  'SETTINGS-BASE': "with a base, the change is judged with the base's stages and manifest globs, not its own",
  'DEPLOY-ROUTE':
    'with several models, every deploy setting that names one thing per model has {model} in it',
  'EVAL-MODEL': 'recorded results come from the model revision the manifest pins',
  'EVAL-TOKENIZER': "recorded results were produced with this model's tokenizer",
  'EVAL-LIMIT': 'recorded results cover every document of their tasks',
  'EVAL-VERSION': 'candidate and baseline ran the same task versions',
  'EVAL-GATE': 'every evaluation gate passes against its threshold and the baseline',
  'TRAINING-RUN': "the manifest's training run can be read from its tracker",
  'TRAINING-STATUS': 'the training run finished (not running, failed or killed)',
  'TRAINING-COMMIT': "the run's source commit is the manifest's training commit",
  'TRAINING-DATASET': "the run's dataset digest is the manifest's dataset digest",
  'TRAINING-MODEL': 'the training run trained this model, not another',
} as const;

export type RuleId = keyof typeof RULES;

/**
 * One problem (or note) about one model, anchored where a reviewer can act on it.
 * Its strings are plain text, not markup, and may quote what a pull request
 * wrote: every report escapes them for its medium (report/escape.ts).
 */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** Model name, or the manifest path when the manifest has no usable name. */
  model: string;
  /** Repository-relative file the annotation goes on (the manifest, unless the problem has no manifest line). */
  file: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  message: string;
  /** What to do about it. */
  fix?: string;
  /** Repository-relative artifact the finding is about, when it is not the manifest itself. */
  artifact?: string;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order for reports: severity, then file, line and rule. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      ORDER[a.severity] - ORDER[b.severity] ||
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.rule.localeCompare(b.rule) ||
      a.message.localeCompare(b.message),
  );
}

/** Counts per severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}
