import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Steer } from '../canary/state.js';
import { seal, sealVerifies, type SealKey } from '../integrity/seal.js';
import { MODEL_NAME } from '../manifest/schema.js';
import { LOGIN } from '../report/sticky.js';
import type { GuardInterval } from './judge.js';

/** Where a guard stands. `watching` until the bake ends; the rest are final. */
export type GuardStatus = 'watching' | 'passed' | 'unverified' | 'breached' | 'rolled_back' | 'stopped';

/** A production guard, as the app keeps it: sealed in its guard comment on the pull request, nowhere else. */
export interface GuardState {
  v: 1;
  model: string;
  /** The version promoted, and the one it replaced (what a rollback restores). */
  version: string;
  previousVersion?: string;
  ref: string;
  sha: string;
  manifest: string;
  trigger: string;
  pr: number;
  productionEnvironment: string;
  productionStage: string;
  /** The promotion's production deployment. */
  deploymentId: number;
  /** The promotion: the bake counts from here, and the previous version served production before it. */
  startedAt: string;
  bakeEndsAt: string;
  intervals: GuardInterval[];
  /** Failed and consecutive error windows so far (kept apart: old windows are compacted). */
  failures: number;
  consecutiveErrors: number;
  status: GuardStatus;
  /** The first breach: when the breach alert started firing. */
  breachedAt?: string;
  endedAt?: string;
  checkRunId?: number;
  revertUrl?: string;
  rollbackDeploymentId?: number;
  /**
   * After a rollback, while the app waits for the deployer to report the
   * rollback deployment live: when it looks (planRollbackCheck).
   */
  rollbackDue?: string;
  /** What that look found: the rollback live, not applied (and why), or production moved on. */
  rollbackOutcome?: string;
  /** Why a breach rolled nothing back although `on_breach` says rollback: the previous version cannot be put back. */
  notRolledBack?: { reason: string; fix: string };
  /** Who steered the guard by hand (`/guard extend`, `/guard stop`, `/guard resume`). */
  steeredBy?: Steer;
  /**
   * Set when the app restarted the guard because its saved state could not
   * be believed: no window is judged until a person says `/guard resume`.
   */
  paused?: Steer;
}

const text = (max = 1024) => z.string().max(max);
/** The longest reason or fix of a refusal the state keeps (planGuardStep shortens longer ones). */
export const REFUSAL_TEXT = 2048;
const id = z.number().int().positive();
// JSON writes NaN as null: read it back as NaN.
const evidence = z.union([z.number(), z.null()]).transform((v) => v ?? Number.NaN);
const verdict = z.enum(['pass', 'fail', 'inconclusive', 'error']);
const median = z.strictObject({ median: evidence, n: z.number().int().nonnegative() });
const segment = z.strictObject({
  segment: z.record(text(128), text(256)),
  verdict,
  reason: text(4096),
  current: median,
  baseline: median.optional(),
  test: z.strictObject({ p: evidence, adjusted: evidence, effect: evidence }).optional(),
});
const measurement = z.strictObject({
  metric: text(128),
  verdict,
  reason: text(4096),
  judged: z.number().int().nonnegative(),
  breached: z.number().int().nonnegative(),
  worst: z.array(segment).max(20),
});
const interval = z.strictObject({
  at: text(64),
  verdict,
  measurements: z.array(measurement).max(50),
  reason: text(4096).optional(),
});
const steer = z.strictObject({ by: z.string().regex(LOGIN), at: text(64), link: text() });

const guardStateSchema: z.ZodType<GuardState> = z.strictObject({
  v: z.literal(1),
  model: z.string().max(256).regex(MODEL_NAME),
  version: text(256),
  previousVersion: text(256).optional(),
  ref: text(256),
  sha: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/),
  manifest: text(),
  trigger: text(256),
  pr: id,
  productionEnvironment: text(256),
  productionStage: text(256),
  deploymentId: id,
  startedAt: text(64),
  bakeEndsAt: text(64),
  intervals: z.array(interval).max(5000),
  failures: z.number().int().nonnegative(),
  consecutiveErrors: z.number().int().nonnegative(),
  status: z.enum(['watching', 'passed', 'unverified', 'breached', 'rolled_back', 'stopped']),
  breachedAt: text(64).optional(),
  endedAt: text(64).optional(),
  checkRunId: id.optional(),
  revertUrl: text().optional(),
  rollbackDeploymentId: id.optional(),
  rollbackDue: text(64).optional(),
  rollbackOutcome: text(REFUSAL_TEXT).optional(),
  notRolledBack: z.strictObject({ reason: text(REFUSAL_TEXT), fix: text(REFUSAL_TEXT) }).optional(),
  steeredBy: steer.optional(),
  paused: steer.optional(),
});

/** Where a guard state is valid: the repository (`owner/name`) and pull request it was written for. */
export interface GuardScope {
  repository: string;
  pr: number;
}

// Its own scope and marker: a canary's sealed line never reads as a guard's, nor the other way round.
const scopeOf = (scope: GuardScope) => ['guard-state', scope.repository.toLowerCase(), String(scope.pr)];
const STATE = /<!-- modelgate-guard-state:([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))? -->/;
const MAX_ENCODED = 65_536;

/** The hidden, sealed line that carries the guard's state, and the anchor the check run holds. */
export function encodeGuardState(
  state: GuardState,
  key: SealKey,
  scope: GuardScope,
): { line: string; anchor: string } {
  const encoded = Buffer.from(JSON.stringify(state)).toString('base64url');
  return {
    line: `<!-- modelgate-guard-state:${encoded}.${seal(key, scopeOf(scope), encoded)} -->`,
    anchor: anchorOf(encoded),
  };
}

/** A guard state read back: believed (MAC, shape, pull request), or why not. */
export type DecodedGuardState = { state: GuardState; anchor: string } | { problem: string };

/** The guard state in a comment body, believed only when its MAC verifies here and it has the shape of a guard state. */
export function decodeGuardState(body: string, key: SealKey, scope: GuardScope): DecodedGuardState {
  const match = STATE.exec(body);
  if (!match) return { problem: 'it holds no guard state line' };
  const [, encoded = '', tag] = match;
  if (encoded.length > MAX_ENCODED) return { problem: 'its state line is longer than a comment can be' };
  if (!tag) return { problem: 'its state line carries no MAC' };
  if (!sealVerifies(key, scopeOf(scope), encoded, tag))
    return {
      problem:
        'its state line does not verify (changed by hand, or copied from another pull request or repository)',
    };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return { problem: 'its state line is not JSON' };
  }
  const parsed = guardStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      problem: `its state does not have the shape of a guard state (${issue ? `${issue.path.join('.') || 'state'}: ${issue.message}` : 'invalid'})`,
    };
  }
  if (parsed.data.pr !== scope.pr) return { problem: `its state names pull request #${parsed.data.pr}` };
  return { state: parsed.data, anchor: anchorOf(encoded) };
}

/** The digest the guard's check run holds as `external_id`: an older sealed state put back does not match. */
function anchorOf(encoded: string): string {
  return `modelgate-guard-state:${createHash('sha256').update(encoded).digest('hex')}`;
}
