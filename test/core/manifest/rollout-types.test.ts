import { describe, expectTypeOf, it } from 'vitest';
import type { Manifest } from '../../../src/core/manifest/schema.js';
import type { AbPolicy } from '../../../src/core/ab/policy.js';
import type { BlueGreenPolicy } from '../../../src/core/blue-green/policy.js';
import type { ShadowPolicy } from '../../../src/core/shadow/policy.js';
import type { NonCanaryStrategy } from '../../../src/core/canary/state.js';

// Checked by the typecheck (`npm run typecheck`, part of scripts/test.sh): a parsed manifest's
// rollout block is what each strategy's planner takes, with no cast on the way. A field the schema
// makes optional while a strategy requires it, or a type that differs, fails to compile here.

type Rollout = NonNullable<Manifest['rollout']>;

describe("a parsed rollout block is each strategy's policy", () => {
  it('gives the shadow planner a ShadowPolicy', () => {
    expectTypeOf<NonNullable<Rollout['shadow']>>().toExtend<ShadowPolicy>();
  });

  it('gives the A/B planner an AbPolicy, its metric and direction always present', () => {
    expectTypeOf<NonNullable<Rollout['ab']>>().toExtend<AbPolicy>();
    expectTypeOf<NonNullable<Rollout['ab']>['metric']['higher_is_better']>().toEqualTypeOf<boolean>();
  });

  it('gives the blue-green planner a BlueGreenPolicy', () => {
    expectTypeOf<NonNullable<Rollout['blue_green']>>().toExtend<BlueGreenPolicy>();
  });

  it("names the same strategies as the rollout state, with the canary as the state's default", () => {
    expectTypeOf<Exclude<NonNullable<Rollout['strategy']>, 'canary'>>().toEqualTypeOf<NonCanaryStrategy>();
  });
});
