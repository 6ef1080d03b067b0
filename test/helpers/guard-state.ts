import type { GuardState } from '../../src/core/guard/state.js';

/** When the guards of the core tests were promoted, and an hour. */
export const PROMOTED = Date.parse('2026-03-02T10:00:00Z');
export const HOUR = 3_600_000;

/** A watching guard of support-bot 1.3.0, promoted at PROMOTED, with `bakeHours` of bake; `over` on top. */
export function watchingGuard(bakeHours: number, over: Partial<GuardState> = {}): GuardState {
  return {
    v: 1,
    model: 'support-bot',
    version: '1.3.0',
    ref: 'support-bot@v1.3.0',
    sha: 'a'.repeat(40),
    manifest: 'models/support-bot/model.yaml',
    trigger: 'a'.repeat(40),
    pr: 42,
    productionEnvironment: 'production',
    productionStage: 'production',
    deploymentId: 3,
    startedAt: new Date(PROMOTED).toISOString(),
    bakeEndsAt: new Date(PROMOTED + bakeHours * HOUR).toISOString(),
    intervals: [],
    failures: 0,
    consecutiveErrors: 0,
    status: 'watching',
    checkRunId: 7,
    ...over,
  };
}
