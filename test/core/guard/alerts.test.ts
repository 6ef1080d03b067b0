import { describe, expect, it } from 'vitest';
import { canaryFailedAlert } from '../../../src/core/guard/alerts.js';
import type { CanaryState } from '../../../src/core/canary/state.js';

const links = {
  repository: 'acme/models',
  pullRequestUrl: 'https://github.com/acme/models/pull/42',
  reportUrl: 'https://github.com/acme/models/pull/42#issuecomment-7',
};
const now = new Date('2026-12-01T06:00:00Z');
const canary = (over: Partial<CanaryState>) =>
  ({ model: 'support-bot', version: '2.0.0', weight: 10, intervals: [], pr: 42, ...over }) as CanaryState;

describe('the failed canary alert says where the traffic is', () => {
  it('with a version before it: the share it failed at, and the version its traffic goes back to', () => {
    const alert = canaryFailedAlert(canary({ baselineVersion: '1.4.0' }), links, now);
    expect(alert.annotations.summary).toBe(
      'the canary of support-bot 2.0.0 failed at 10% of traffic; its traffic goes back to 1.4.0',
    );
  });

  it('a first release: no share, since it answers every request and keeps them (nothing to go back to)', () => {
    const alert = canaryFailedAlert(canary({}), links, now);
    expect(alert.annotations.summary).toBe(
      "the canary of support-bot 2.0.0 failed; it is the model's first release, so it still answers every request (no version to go back to)",
    );
    expect(alert.annotations.summary).not.toMatch(/%/);
  });
});
