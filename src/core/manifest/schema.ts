import { z } from 'zod';

/** GTO-compatible model name (DESIGN.md section 2). */
export const MODEL_NAME = /^[a-z0-9]([a-z0-9-_/]*[a-z0-9])?$/;
const SHA256 = /^[a-f0-9]{64}$/;
// SemVer 2.0.0, from semver.org's recommended expression.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

const relPath = z
  .string()
  .min(1)
  .max(1024)
  .describe('Path relative to the manifest folder; must stay inside the repository.');
const semver = z.string().regex(SEMVER, 'must be a SemVer 2 version such as 1.2.0');

const weight = z.strictObject({
  uri: z.string().min(1).describe('Where the weights live (s3://, gs://, hf://, https://).'),
  sha256: z.string().regex(SHA256, 'must be 64 lowercase hex characters'),
  size: z.number().int().nonnegative().optional().describe('Size in bytes.'),
  path: relPath.optional().describe('The file or its Git LFS pointer in the repository.'),
});

const artifacts = z.strictObject({
  config: relPath.describe('config.json'),
  generation_config: relPath.optional(),
  tokenizer: relPath.describe(
    'tokenizer.json, vocab.json (with merges), vocab.txt or a SentencePiece tokenizer.model',
  ),
  merges: relPath.optional().describe('merges.txt, for a vocab.json tokenizer'),
  tokenizer_config: relPath.optional(),
  special_tokens_map: relPath.optional(),
  added_tokens: relPath.optional().describe('added_tokens.json'),
  chat_template: relPath.optional().describe('chat_template.jinja'),
  weights_index: relPath.optional().describe('model.safetensors.index.json'),
  weights: z.array(weight).default([]),
});

const gate = z
  .strictObject({
    metric: z
      .string()
      .min(1)
      .describe(
        'task/metric (lm-evaluation-harness), task/metric,filter, a plain JSON key, or suite/accuracy',
      ),
    min: z.number().optional(),
    max: z.number().optional(),
    max_drop: z
      .number()
      .nonnegative()
      .optional()
      .describe('largest allowed drop against the baseline, in the metric unit'),
    max_drop_pct: z
      .number()
      .nonnegative()
      .optional()
      .describe('largest allowed drop against the baseline, in percent of it'),
  })
  .refine((g) => [g.min, g.max, g.max_drop, g.max_drop_pct].some((v) => v !== undefined), {
    message: 'a gate needs at least one of min, max, max_drop, max_drop_pct',
  });

const scorer = z.union([
  z.enum(['exact_match', 'contains', 'regex', 'json_valid', 'numeric']),
  z.strictObject({
    type: z.enum(['exact_match', 'contains', 'regex', 'json_valid', 'json_schema', 'numeric', 'llm_judge']),
    ignore_case: z.boolean().optional(),
    ignore_punctuation: z.boolean().optional(),
    ignore_whitespace: z.boolean().optional(),
    pattern: z.string().optional(),
    schema: relPath.optional().describe('a JSON Schema file, for json_schema'),
    tolerance: z.number().nonnegative().optional(),
    rubric: z.string().optional().describe('what the judge scores, for llm_judge'),
  }),
]);

const evalBlock = z.strictObject({
  revision: z
    .string()
    .min(1)
    .optional()
    .describe(
      'the model revision recorded results must come from (model_sha / model_revision / revision= of lm-evaluation-harness)',
    ),
  results: z
    .array(
      z.strictObject({
        path: relPath,
        samples: z
          .record(z.string(), relPath)
          .optional()
          .describe('task -> samples_<task>_*.jsonl, for paired comparisons'),
      }),
    )
    .optional(),
  suites: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9_-]+$/i, 'letters, digits, - and _ only'),
        dataset: relPath,
        scorer,
        max_tokens: z.number().int().positive().optional(),
        temperature: z.number().min(0).max(2).optional(),
      }),
    )
    .optional(),
  gates: z.array(gate).optional(),
  confidence: z.number().gt(0.5).lt(1).optional().describe('confidence of every comparison (default 0.95)'),
  min_samples: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('fewer paired samples than this is inconclusive (default 30)'),
  on_inconclusive: z.enum(['fail', 'warn']).optional().describe('default warn'),
});

const canaryMetric = z.strictObject({
  name: z.string().min(1),
  query: z.string().min(1),
  min: z.number().optional(),
  max: z.number().optional(),
  direction: z.enum(['increase', 'decrease', 'either']).optional(),
  critical: z.boolean().optional(),
});

const canary = z.strictObject({
  steps: z.array(z.number().int().min(1).max(100)).min(1).optional(),
  interval: z
    .string()
    .regex(/^\d+(s|m|h)$/, 'a duration such as 30s, 10m or 1h')
    .optional(),
  failure_limit: z.number().int().nonnegative().optional(),
  consecutive_error_limit: z.number().int().positive().optional(),
  on_no_data: z.enum(['fail', 'inconclusive', 'pass']).optional(),
  metrics: z.array(canaryMetric).optional(),
});

/** The `modelgate.dev/v1` model manifest. */
export const manifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    apiVersion: z.literal('modelgate.dev/v1'),
    kind: z.literal('Model'),
    name: z
      .string()
      .regex(MODEL_NAME, 'lowercase letters, digits, -, _ and /, starting and ending with a letter or digit'),
    version: semver,
    description: z.string().optional(),
    lineage: z.strictObject({ base: z.string().optional(), parent: semver.optional() }).optional(),
    artifacts,
    training: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    eval: evalBlock.optional(),
    canary: canary.optional(),
    rollback: z.strictObject({ mode: z.enum(['pull_request', 'auto_merge']) }).optional(),
  })
  .meta({
    title: 'modelgate model manifest',
    description: 'One model version: its artifacts, lineage, evaluation gates and canary policy.',
  });

/** A parsed, schema-valid manifest. */
export type Manifest = z.infer<typeof manifestSchema>;
export type WeightRef = z.infer<typeof weight>;
export type Artifacts = z.infer<typeof artifacts>;

/** The JSON Schema shipped in schema/model.schema.json (generated, checked by a test). */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://modelgate.dev/schema/v1/model.schema.json',
    ...z.toJSONSchema(manifestSchema, { io: 'input', target: 'draft-2020-12' }),
  };
}
