import { describe, expect, it } from 'vitest';
import { decideCanary } from '../../../src/core/canary/decide.js';
import type { AnalysisState } from '../../../src/core/canary/judge.js';

const state = (status: AnalysisState['status']): AnalysisState => ({
  status,
  reason: status,
  failures: 0,
  consecutiveErrors: 0,
});

describe('the next move of a canary', () => {
  it('advances through the steps and promotes after the last', () => {
    expect(decideCanary({ steps: [5, 25, 50, 100] }, 5, state('passed'))).toEqual({
      action: 'advance',
      weight: 25,
      reason: 'the 5% step passed',
    });
    expect(decideCanary({ steps: [5, 25, 50, 100] }, 100, state('passed'))).toEqual({
      action: 'promote',
      reason: 'the last step (100%) passed',
    });
    expect(decideCanary({}, 50, state('passed'))).toMatchObject({ action: 'advance', weight: 100 });
  });

  it('waits while running and rolls back on failure', () => {
    expect(decideCanary({}, 25, state('running')).action).toBe('wait');
    expect(decideCanary({}, 25, state('failed'))).toEqual({ action: 'rollback', reason: 'failed' });
  });
});
