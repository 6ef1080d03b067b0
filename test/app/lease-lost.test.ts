import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCanaryStep } from '../../src/app/apply-canary-step.js';
import { applyGuardStep } from '../../src/app/guard-apply.js';
import { LeaseLostError, withLease } from '../../src/app/scheduler/lease.js';
import type { AppTrust } from '../../src/app/trust.js';
import type { CanaryState } from '../../src/core/canary/state.js';
import type { GuardState } from '../../src/core/guard/state.js';
import type { GuardPolicy } from '../../src/core/manifest/guard.js';
import { createOctokit, type Octokit } from '../../src/io/github/octokit.js';
import { FakeGitHub } from '../helpers/fake-github.js';

// A replica that stalled past its hold (a long GC pause, a frozen VM) finds, when it resumes, that
// another replica holds the rollout's key and may be acting on it. The scheduler marks its lease lost
// (test/app/scheduler-bullmq.test.ts); here, a planned step under a lost lease writes nothing at all.

const REPO = { owner: 'acme', repo: 'models' };
const SHA = 'a'.repeat(40);
const trust = { warn: () => {} } as unknown as AppTrust;
const lost = (lease: { lost?: string }) => (lease.lost = '600 ms without a renewal');

let github: FakeGitHub;
let octokit: Octokit;
beforeAll(async () => {
  github = await FakeGitHub.start();
  octokit = createOctokit('ghs_installation', () => {}, {
    GITHUB_API_URL: github.url,
    MODELGATE_TEST_FAST_GITHUB: '1',
  });
});
afterAll(() => github.close());

describe('a step planned under a lost hold', () => {
  it('a canary step (the next traffic step) sends nothing to GitHub', async () => {
    const state = {
      v: 1,
      model: 'gpt2',
      version: '1.3.0',
      ref: 'gpt2@v1.3.0',
      sha: SHA,
      manifest: 'models/gpt2/model.yaml',
      trigger: SHA,
      pr: 42,
      environment: 'canary',
      productionEnvironment: 'production',
      baselineVersion: '1.2.0',
      deploymentId: 2,
      weight: 10,
      stepStartedAt: '2026-11-22T00:00:00.000Z',
      intervals: [],
      status: 'running',
    } as unknown as CanaryState;
    const step = {
      kind: 'deploy-step' as const,
      environment: 'canary',
      weight: 50,
      description: 'Deploy gpt2 1.3.0 to canary at 50%',
    };
    await expect(
      withLease(
        'judge:1:acme/models:gpt2',
        () => applyCanaryStep(octokit, REPO, state, [step], { manifest: undefined, report: '', trust }),
        lost,
      ),
    ).rejects.toThrow(LeaseLostError);
    expect(github.requests).toEqual([]);
  });

  it("a guard's rollback (inside the canary's hold, as a promotion takes it) sends nothing to GitHub", async () => {
    const guard = {
      v: 1,
      model: 'gpt2',
      version: '1.3.0',
      previousVersion: '1.2.0',
      ref: 'gpt2@v1.3.0',
      sha: SHA,
      manifest: 'models/gpt2/model.yaml',
      trigger: SHA,
      pr: 42,
      productionEnvironment: 'production',
      productionStage: 'production',
      deploymentId: 2,
      startedAt: '2026-11-22T00:00:00.000Z',
      bakeEndsAt: '2026-11-22T06:00:00.000Z',
      intervals: [],
      failures: 1,
      consecutiveErrors: 0,
      status: 'rolled_back',
    } satisfies GuardState;
    const rollback = {
      kind: 'deploy-previous' as const,
      version: '1.2.0',
      environment: 'production',
      description: 'Roll back gpt2 to 1.2.0',
    };
    const context = { policy: {} as GuardPolicy, report: '', trust, now: new Date() };
    // The outer hold (the canary's) is the one lost; the guard's, taken inside it, is held.
    await expect(
      withLease(
        'judge:1:acme/models:gpt2',
        () =>
          withLease(
            'guard:1:acme/models:gpt2',
            () => applyGuardStep(octokit, REPO, guard, [rollback], context),
            () => {},
          ),
        lost,
      ),
    ).rejects.toThrow('lost the hold on judge:1:acme/models:gpt2 (600 ms without a renewal)');
    expect(github.requests).toEqual([]);
  });
});
