import { z } from 'zod';
import { steerSchema, type Steer } from '../canary/steer.js';

/**
 * Where a blue-green rollout stands: `preview` (green deployed beside blue,
 * no user traffic, the pre-switch analysis running), `ready` (it passed; a
 * person switches with `/promote`), `switching` (the production deployment
 * of green is asked for; the deployer has not reported it live), `switched`
 * (all traffic on green, blue warm, the post-switch analysis running),
 * `done` (promoted), `switched-back` (the post-switch analysis failed and
 * blue has all traffic again). A pre-switch failure stays in `preview` with
 * the rollout's status `failed`: no user ever reached green.
 */
export type BlueGreenPhase = 'preview' | 'ready' | 'switching' | 'switched' | 'done' | 'switched-back';

/** One gate the pre-switch suites were judged by, with its evidence. */
export interface SuiteGateSummary {
  metric: string;
  verdict: 'pass' | 'fail' | 'inconclusive' | 'not-run';
  reason: string;
  candidate?: number;
  baseline?: number;
  /** The confidence interval of the change (candidate − baseline), when the gate compared. */
  ci?: [number, number];
  confidence?: number;
}

/** One suite as it ran against the preview endpoint. */
export interface SuiteRunSummary {
  name: string;
  accuracy?: number;
  n?: number;
  errors?: number;
  /** Why it could not run: never a pass. */
  notRun?: string;
}

/** The eval suites' part of the pre-switch analysis: what ran, the gates, the verdict. */
export interface SuiteJudgment {
  at: string;
  verdict: 'pass' | 'fail' | 'inconclusive' | 'none';
  reason: string;
  /** Whose gates judged: "production 1.2.0's manifest" or "the release's manifest". */
  gatesFrom: string;
  /** What the suites were compared with ("production 1.2.0 (support-bot#production#3)"). */
  baseline?: string;
  suites: SuiteRunSummary[];
  gates: SuiteGateSummary[];
}

/** The end of one analysis (pre- or post-switch). */
export interface AnalysisOutcome {
  verdict: 'pass' | 'fail';
  reason: string;
  at: string;
}

/** A blue-green rollout's part of the rollout state (kept in the sealed sticky comment with the rest). */
export interface BlueGreenRecord {
  phase: BlueGreenPhase;
  /** The preview deployment (green, weight 0, its own environment). */
  previewDeploymentId?: number;
  suites?: SuiteJudgment;
  preSwitch?: AnalysisOutcome;
  /** When the pre-switch analysis passed and the rollout began waiting for `/promote`. */
  readyAt?: string;
  /** When the switch was asked for: blue's baseline window ends here (blue had all traffic until then). */
  switchRequestedAt?: string;
  /** Who switched by hand (`/promote` while ready); absent for an automatic switch. */
  switchedBy?: Steer;
  /** When the deployer reported green live in production: the post-switch windows count from here. */
  switchedAt?: string;
  /** How long blue stays warm after the switch, as the switch deployment asked. */
  scaleDownDelaySeconds?: number;
  postSwitch?: AnalysisOutcome;
}

const text = (max = 1024) => z.string().max(max);
const time = text(64);
// JSON writes NaN as null: read it back as NaN, the value the gate had.
const evidence = z.union([z.number(), z.null()]).transform((v) => v ?? Number.NaN);
const outcome = z.strictObject({ verdict: z.enum(['pass', 'fail']), reason: text(4096), at: time });

const suiteJudgmentSchema = z.strictObject({
  at: time,
  verdict: z.enum(['pass', 'fail', 'inconclusive', 'none']),
  reason: text(4096),
  gatesFrom: text(512),
  baseline: text(512).optional(),
  suites: z
    .array(
      z.strictObject({
        name: text(256),
        accuracy: evidence.optional(),
        n: z.number().int().nonnegative().optional(),
        errors: z.number().int().nonnegative().optional(),
        notRun: text(2048).optional(),
      }),
    )
    .max(100),
  gates: z
    .array(
      z.strictObject({
        metric: text(512),
        verdict: z.enum(['pass', 'fail', 'inconclusive', 'not-run']),
        reason: text(4096),
        candidate: evidence.optional(),
        baseline: evidence.optional(),
        ci: z.tuple([evidence, evidence]).optional(),
        confidence: z.number().gt(0).lt(1).optional(),
      }),
    )
    .max(200),
});

/** The shape a BlueGreenRecord read back from a comment must have: every field bounded, nothing extra. */
export const blueGreenRecordSchema: z.ZodType<BlueGreenRecord> = z.strictObject({
  phase: z.enum(['preview', 'ready', 'switching', 'switched', 'done', 'switched-back']),
  previewDeploymentId: z.number().int().positive().optional(),
  suites: suiteJudgmentSchema.optional(),
  preSwitch: outcome.optional(),
  readyAt: time.optional(),
  switchRequestedAt: time.optional(),
  switchedBy: steerSchema.optional(),
  switchedAt: time.optional(),
  scaleDownDelaySeconds: z
    .number()
    .int()
    .nonnegative()
    .max(30 * 86_400)
    .optional(),
  postSwitch: outcome.optional(),
});

/** The record a blue-green rollout starts with, once its preview deployment is created. */
export function startBlueGreenRecord(previewDeploymentId: number): BlueGreenRecord {
  return { phase: 'preview', previewDeploymentId };
}
