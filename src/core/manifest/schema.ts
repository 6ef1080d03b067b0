import { z } from 'zod';
import { INTERVAL_PATTERN, intervalProblem, stepsProblem } from '../canary/interval.js';
import { releaseTag } from '../registry/tag-names.js';
import { trainingBlock } from './training.js';
import { guardSchema } from './guard.js';
import { rolloutProblems, rolloutSchema } from './rollout.js';
import {
  MODEL_NAME,
  NAME_MAX_LENGTH,
  NAME_RULES,
  NAME_TOO_LONG,
  tagNameProblem,
  VERSION_MAX_LENGTH,
  VERSION_RULE,
  VERSION_TOO_LONG,
  versionProblem,
} from '../registry/names.js';

/** GTO-compatible model name (DESIGN.md section 2) within names.ts's limits. */
export { MODEL_NAME };

const SHA256 = /^[a-f0-9]{64}$/;

const relPath = z
  .string()
  .min(1)
  .max(1024)
  .describe('Path relative to the manifest folder; must stay inside the repository.');
// names.ts's version rule: the length first and alone (a megabyte never meets the
// pattern), then the pattern, then semver's numeric limit.
const semver = z
  .string()
  .max(VERSION_MAX_LENGTH, { abort: true, message: VERSION_TOO_LONG })
  .regex(VERSION_RULE.pattern, VERSION_RULE.message)
  .superRefine((version, context) => {
    const problem = versionProblem(version);
    // The pattern's own issue is already reported; this adds only what lies beyond it.
    if (problem && VERSION_RULE.pattern.test(version)) context.addIssue({ code: 'custom', message: problem });
  });
const modelName = NAME_RULES.reduce(
  (schema, rule) => schema.regex(rule.pattern, rule.message),
  z.string().min(1).max(NAME_MAX_LENGTH, { abort: true, message: NAME_TOO_LONG }),
);

/**
 * The most `weights` entries a manifest may list: every entry names a file to
 * hash, and real models have a few hundred shards at most (Llama 3.1 405B has
 * 191, DeepSeek V3 163), so a list longer than this is not a model.
 */
export const MAX_WEIGHT_ENTRIES = 4096;
const WEIGHTS_TOO_MANY = `lists more than ${MAX_WEIGHT_ENTRIES} weights files; a model has a few hundred at most (Llama 3.1 405B has 191 shards): list each file once`;

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
  tokenizer_corpus: relPath
    .optional()
    .describe(
      'Extra tokenizer corpus: text (one example per line) or JSON lines ({"text": ...}), encoded on top of the reference corpus',
    ),
  weights_index: relPath.optional().describe('model.safetensors.index.json'),
  weights: z
    .array(weight)
    .max(MAX_WEIGHT_ENTRIES, { abort: true, message: WEIGHTS_TOO_MANY })
    .default([])
    .describe(`The weights files, at most ${MAX_WEIGHT_ENTRIES}.`),
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
    higher_is_better: z
      .boolean()
      .optional()
      .describe(
        "the metric's direction; counts from the baseline's manifest, and from this one only when nothing trusted states one",
      ),
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

/** A custom issue from one of the shared checks, when it has something to say. */
function check<T>(problem: (value: T) => string | undefined) {
  return (value: T, context: z.core.$RefinementCtx<T>) => {
    const message = problem(value);
    if (message) context.addIssue({ code: 'custom', message });
  };
}

const canary = z.strictObject({
  steps: z
    .array(z.number().int().min(1).max(100))
    .min(1)
    .max(100)
    .superRefine(check(stepsProblem))
    .optional()
    .describe('traffic percent per step, rising strictly, ending at 100'),
  interval: z
    .string()
    .regex(INTERVAL_PATTERN, 'a duration such as 30s, 10m or 1h')
    .superRefine((text, context) => {
      // The pattern's own issue is reported already; this adds the bounds.
      if (INTERVAL_PATTERN.test(text)) check(intervalProblem)(text, context);
    })
    .optional()
    .describe('how long each analysis interval is: 10s to 24h (default 10m)'),
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
    name: modelName,
    version: semver,
    description: z.string().optional(),
    lineage: z.strictObject({ base: z.string().optional(), parent: semver.optional() }).optional(),
    artifacts,
    training: trainingBlock.optional(),
    eval: evalBlock.optional(),
    canary: canary.optional(),
    rollback: z.strictObject({ mode: z.enum(['pull_request', 'auto_merge']) }).optional(),
    guard: guardSchema.optional(),
    rollout: rolloutSchema.optional(),
  })
  .superRefine((manifest, context) => {
    // A rollout leans on canary.metrics and eval.suites: what it needs from them is judged here, where both are seen.
    for (const problem of rolloutProblems(manifest)) context.addIssue({ code: 'custom', ...problem });
    // Valid name and valid version can still make a tag git refuses to write: say so here, not at release.
    const problem = tagNameProblem(releaseTag(manifest.name, manifest.version));
    if (problem)
      context.addIssue({
        code: 'custom',
        path: ['version'],
        message: `${problem}: shorten the version or the name`,
      });
  })
  .meta({
    title: 'modelgate model manifest',
    description: 'One model version: its artifacts, lineage, evaluation gates and rollout policy.',
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
