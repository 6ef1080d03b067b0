import { z } from 'zod';
import {
  BAKE_MAX_MS,
  BAKE_MIN_MS,
  GUARD_DURATION_PATTERN,
  GUARD_INTERVAL_MAX_MS,
  GUARD_INTERVAL_MIN_MS,
  guardDurationProblem,
} from '../guard/duration.js';

/** A Prometheus label name (the data model's rule), not one of its reserved `__` names. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function duration(min: number, max: number) {
  return z
    .string()
    .regex(GUARD_DURATION_PATTERN, 'a duration such as 30m, 6h or 2d')
    .superRefine((text, context) => {
      // The pattern's own issue is reported already; this adds the bounds.
      const problem = GUARD_DURATION_PATTERN.test(text) ? guardDurationProblem(text, min, max) : undefined;
      if (problem) context.addIssue({ code: 'custom', message: problem });
    });
}

const guardMetric = z
  .strictObject({
    name: z.string().min(1).max(128),
    query: z
      .string()
      .min(1)
      .max(4096)
      .describe(
        'PromQL, as a canary metric: {{model}} and {{version}} are filled in; {{by}} becomes the `by` labels joined with commas',
      ),
    min: z.number().optional(),
    max: z.number().optional(),
    direction: z
      .enum(['increase', 'decrease', 'either'])
      .optional()
      .describe(
        'which change from the previous version is bad; compared over the same hours of earlier days',
      ),
    by: z
      .array(
        z
          .string()
          .regex(LABEL_NAME, 'a Prometheus label name')
          .refine((label) => !label.startsWith('__'), 'labels starting with __ are reserved by Prometheus'),
      )
      .min(1)
      .max(4)
      .optional()
      .describe(
        'split the metric into segments by these labels; the query must return one series per segment',
      ),
  })
  .refine((m) => m.min !== undefined || m.max !== undefined || m.direction !== undefined, {
    message:
      'a guard metric needs a threshold (min or max) or a direction to compare with the previous version',
  });

/** The `guard` block: how production is watched after a promotion, and what a breach does. */
export const guardSchema = z
  .strictObject({
    bake: duration(BAKE_MIN_MS, BAKE_MAX_MS).describe(
      'how long the new version is watched after promotion: 10m to 30d',
    ),
    interval: duration(GUARD_INTERVAL_MIN_MS, GUARD_INTERVAL_MAX_MS)
      .optional()
      .describe('how long each judged window is: 5m to 1d (default 1h)'),
    on_breach: z
      .enum(['rollback', 'alert'])
      .optional()
      .describe(
        'rollback (default): the previous version back to production, its stage tag, a revert pull request; alert: only alert',
      ),
    baseline_days: z
      .number()
      .int()
      .min(1)
      .max(28)
      .optional()
      .describe('the previous version is read over the same hours of this many earlier days (default 7)'),
    failure_limit: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('failed intervals tolerated (default 0)'),
    confidence: z.number().gt(0.5).lt(1).optional().describe('confidence of each comparison (default 0.95)'),
    correction: z
      .enum(['holm', 'benjamini-hochberg'])
      .optional()
      .describe('multiple-comparison control across segments (default holm)'),
    min_samples: z
      .number()
      .int()
      .min(3)
      .optional()
      .describe(
        'fewer values than this in a segment (either side) is not enough data to judge it (default 6)',
      ),
    metrics: z.array(guardMetric).min(1).max(50),
  })
  .describe('The production guard after promotion.');

/** A parsed `guard` block. */
export type GuardPolicy = z.infer<typeof guardSchema>;
export type GuardMetric = GuardPolicy['metrics'][number];
