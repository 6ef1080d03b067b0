import { createHash } from 'node:crypto';
import semver from 'semver';
import { z } from 'zod';
import { MODEL_NAME } from '../manifest/schema.js';
import { seal, sealVerifies, type SealKey } from '../integrity/seal.js';
import { steerSchema, type Steer } from './steer.js';
import { intervalResultSchema } from './interval-schema.js';
import type { IntervalResult } from './judge.js';
import { abRecordSchema, type AbRecord } from '../ab/state.js';
import { blueGreenRecordSchema, type BlueGreenRecord } from '../blue-green/state.js';
import { shadowRecordSchema, type ShadowRecord } from '../shadow/state.js';

/** A rollout's strategy other than the canary (`rollout.strategy` in the manifest). */
export type NonCanaryStrategy = 'blue_green' | 'shadow' | 'ab';

export type { Steer } from './steer.js';

/** A running (or finished) canary analysis, as the app keeps it: in the sticky pull-request comment, nowhere else. */
export interface CanaryState {
  v: 1;
  model: string;
  version: string;
  /** The version tag the deployments point at. */
  ref: string;
  /** The release commit. */
  sha: string;
  manifest: string;
  trigger: string;
  pr: number;
  environment: string;
  productionEnvironment: string;
  /** The last stage's name, for the promotion tag `<model>#<stage>#N`. */
  productionStage?: string;
  baselineVersion?: string;
  /** The deployment of the current step, and its traffic weight. */
  deploymentId: number;
  weight: number;
  stepStartedAt: string;
  /** The next step's deployment, created and not yet reported live by the deployer. */
  awaiting?: number;
  intervals: IntervalResult[];
  status: 'running' | 'promoted' | 'failed' | 'aborted';
  checkRunId?: number;
  revertUrl?: string;
  /** Why no revert pull request was opened when one was due (a file another model uses would change, …). */
  revertProblem?: string;
  /** Set by `/canary pause`: no interval is judged until `/canary resume`. */
  paused?: Steer;
  /** Who ended the canary by hand (`/promote`, `/canary abort`, `/rollback`). */
  endedBy?: Steer;
  /** The rollout's strategy; absent for a canary (and in every state written before strategies). */
  strategy?: NonCanaryStrategy;
  /** A shadow's analysis so far (strategy shadow; kept after it hands over to the canary). */
  shadow?: ShadowRecord;
  /** An A/B test's observations and decision (strategy ab). */
  ab?: AbRecord;
  /** A blue-green rollout's phase and analyses (strategy blue_green). */
  blueGreen?: BlueGreenRecord;
}

const text = (max = 1024) => z.string().max(max);
const id = z.number().int().positive();
const interval = intervalResultSchema(1000);
// Versions go into URLs, Service names and deployments: only a SemVer 2 version is one.
const version = z
  .string()
  .max(256)
  .refine((v) => semver.valid(v) === v, 'a SemVer 2 version');

/** The shape of a state read back from a comment: checked before anything uses it. */
const canaryStateSchema: z.ZodType<CanaryState> = z.strictObject({
  v: z.literal(1),
  model: z.string().max(256).regex(MODEL_NAME),
  version,
  ref: text(256),
  sha: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/),
  manifest: text(),
  trigger: text(256),
  pr: id,
  environment: text(256),
  productionEnvironment: text(256),
  productionStage: text(256).optional(),
  baselineVersion: version.optional(),
  deploymentId: id,
  weight: z.number().min(0).max(100),
  stepStartedAt: text(64),
  awaiting: id.optional(),
  intervals: z.array(interval).max(10_000),
  status: z.enum(['running', 'promoted', 'failed', 'aborted']),
  checkRunId: id.optional(),
  revertUrl: text().optional(),
  revertProblem: text(2048).optional(),
  paused: steerSchema.optional(),
  endedBy: steerSchema.optional(),
  strategy: z.enum(['blue_green', 'shadow', 'ab']).optional(),
  shadow: shadowRecordSchema.optional(),
  ab: abRecordSchema.optional(),
  blueGreen: blueGreenRecordSchema.optional(),
});

/** Where a state is valid: the repository (`owner/name`) and pull request it was written for. */
export interface StateScope {
  repository: string;
  pr: number;
}

const scopeOf = (scope: StateScope) => ['canary-state', scope.repository.toLowerCase(), String(scope.pr)];

const STATE = /<!-- modelgate-state:([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))? -->/;
/** GitHub caps a comment at 65,536 characters: a longer state line cannot be ours. */
const MAX_ENCODED = 65_536;

/**
 * The hidden line that carries the state in the comment: base64url JSON
 * (nothing in it can close the HTML comment), then `.` and its MAC over the
 * repository, the pull request and the exact encoded text. With it, the
 * anchor the app writes into the check run (see `stateAnchor`).
 */
export function encodeState(
  state: CanaryState,
  key: SealKey,
  scope: StateScope,
): { line: string; anchor: string } {
  const encoded = Buffer.from(JSON.stringify(state)).toString('base64url');
  return {
    line: `<!-- modelgate-state:${encoded}.${seal(key, scopeOf(scope), encoded)} -->`,
    anchor: stateAnchor(encoded),
  };
}

/** Why a comment's state is not believed. */
export type StateProblem =
  { kind: 'missing'; detail: string } | { kind: 'seal'; detail: string } | { kind: 'schema'; detail: string };

/** A state read back from a comment: believed, or the reason it is not. */
export type DecodedState = { state: CanaryState; anchor: string } | { problem: StateProblem };

/**
 * The state in a comment body, believed only when its MAC verifies for this
 * repository and pull request and it has the shape of a state. A hand edit, a
 * line copied from another pull request and a line without a MAC all fail.
 */
export function decodeState(body: string, key: SealKey, scope: StateScope): DecodedState {
  const match = STATE.exec(body);
  if (!match) return { problem: { kind: 'missing', detail: 'it holds no state line' } };
  const [, encoded = '', tag] = match;
  if (encoded.length > MAX_ENCODED)
    return { problem: { kind: 'schema', detail: 'its state line is longer than a comment can be' } };
  if (!tag) return { problem: { kind: 'seal', detail: 'its state line carries no MAC' } };
  if (!sealVerifies(key, scopeOf(scope), encoded, tag))
    return {
      problem: {
        kind: 'seal',
        detail:
          'its state line does not verify (changed by hand, or copied from another pull request or repository)',
      },
    };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return { problem: { kind: 'schema', detail: 'its state line is not JSON' } };
  }
  const parsed = canaryStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      problem: {
        kind: 'schema',
        detail: `its state does not have the shape of a canary state (${issue ? `${issue.path.join('.') || 'state'}: ${issue.message}` : 'invalid'})`,
      },
    };
  }
  if (parsed.data.pr !== scope.pr)
    return { problem: { kind: 'schema', detail: `its state names pull request #${parsed.data.pr}` } };
  return { state: parsed.data, anchor: stateAnchor(encoded) };
}

/**
 * What the app writes into the canary's check run (its `external_id`) each
 * time it saves a state, and compares when it reads one: the digest of the
 * encoded state. Only the app that
 * created a check run can change it, so a state line restored from the
 * comment's edit history (sealed, but no longer current) does not match.
 */
function stateAnchor(encoded: string): string {
  return `modelgate-state:${createHash('sha256').update(encoded).digest('hex')}`;
}
