import { z } from 'zod';
import { RUN_REF_FORMS, runRefProblem } from '../tracking/run-ref.js';

// Earlier manifests wrote any key with a string or number (`training: {dataset, run, commit}`): still valid.
const scalar = z.union([z.string(), z.number()]);

/**
 * The manifest's `training` block: the run that produced this version and
 * what it was trained from. modelgate reads the run (credentials from the
 * environment only) and checks it against the rest of the block.
 */
export const trainingBlock = z
  .object({
    run: z
      .string()
      .min(1)
      .max(2048)
      .superRefine((text, context) => {
        const problem = runRefProblem(text);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .describe(`the training run: ${RUN_REF_FORMS}`),
    commit: scalar.optional().describe("the training code's git commit (a prefix of 7 or more hex digits)"),
    dataset: scalar.optional().describe('the dataset name (and version) the run trained on'),
    dataset_digest: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe("the dataset's digest as the tracker records it (MLflow dataset digest)"),
  })
  .catchall(scalar)
  .describe('Where this version was trained: the run reference, the source commit, the dataset.');

/** A parsed `training` block. */
export type TrainingBlock = z.infer<typeof trainingBlock>;
