import { z } from 'zod';

// JSON has no NaN or Infinity (it writes null): read null back as NaN, the value the judge had.
const evidence = z.union([z.number(), z.null()]).transform((v) => v ?? Number.NaN);
const text = (max: number) => z.string().max(max);

/** A judgment's verdict, as it is kept in a sealed state. */
export const verdictSchema = z.enum(['pass', 'fail', 'inconclusive', 'error']);

const median = z.looseObject({ median: evidence, n: z.number().int().nonnegative() });
// Loose where the judge may add evidence: a new field travels through instead of failing old states.
const measurement = z.looseObject({
  metric: text(1024),
  verdict: verdictSchema,
  reason: text(4096),
  critical: z.boolean(),
  canary: median.optional(),
  baseline: median.optional(),
  threshold: z.looseObject({ min: evidence.optional(), max: evidence.optional() }).optional(),
  test: z
    .looseObject({ u: evidence, p: evidence, effect: evidence, method: z.enum(['exact', 'normal']) })
    .optional(),
});

/**
 * The shape of one judged interval (IntervalResult) read back from a sealed
 * state, with at most `maxMeasurements` measurements: every state that keeps
 * intervals (a canary's, a shadow's serving metrics) checks them with this.
 */
export function intervalResultSchema(maxMeasurements: number) {
  return z.looseObject({
    at: text(64),
    verdict: verdictSchema,
    score: evidence,
    measurements: z.array(measurement).max(maxMeasurements),
    reason: text(4096).optional(),
  });
}
