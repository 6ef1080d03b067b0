import { describe, expect, it } from 'vitest';
import type { GuardState } from '../../../src/core/guard/state.js';
import { planGuardSteer } from '../../../src/core/guard/steer.js';
import { nextGuardJudgment } from '../../../src/core/guard/step.js';
import { guardMarkdown } from '../../../src/core/guard/report.js';
import { HOUR, PROMOTED, watchingGuard } from '../../helpers/guard-state.js';

const now = new Date(PROMOTED + 3 * HOUR);
const steer = {
  by: 'alice',
  at: now.toISOString(),
  link: 'https://github.com/acme/models/pull/42#issuecomment-9',
};

const watching = (over: Partial<GuardState> = {}) => watchingGuard(24, { previousVersion: '1.2.0', ...over });

describe('a person steering the production guard', () => {
  it('/guard extend moves the end of the bake and records who asked; nothing else happens', () => {
    const planned = planGuardSteer(watching(), { action: 'extend', byMs: 6 * HOUR }, steer, now);
    expect(planned).toEqual({
      state: { ...watching(), bakeEndsAt: '2026-03-03T16:00:00.000Z', steeredBy: steer },
      effects: [{ kind: 'save-state' }],
      done: 'the bake now ends at 2026-03-03T16:00:00.000Z (6h later)',
    });
  });

  it('/guard extend never takes the bake past 30 days from the promotion', () => {
    const toThirtyDays = planGuardSteer(watching(), { action: 'extend', byMs: 29 * 24 * HOUR }, steer, now);
    expect(toThirtyDays).toMatchObject({ state: { bakeEndsAt: '2026-04-01T10:00:00.000Z' } });
    expect(
      planGuardSteer(watching(), { action: 'extend', byMs: 29 * 24 * HOUR + 60_000 }, steer, now),
    ).toEqual({
      refused: 'a bake lasts at most 30 days from the promotion',
    });
  });

  it('/guard stop ends the guard: the check run is cancelled, a firing breach alert resolved, the state saved', () => {
    const planned = planGuardSteer(
      watching({ breachedAt: now.toISOString(), failures: 1 }),
      { action: 'stop' },
      steer,
      now,
    );
    if ('refused' in planned) throw new Error(planned.refused);
    expect(planned.state).toMatchObject({ status: 'stopped', endedAt: now.toISOString(), steeredBy: steer });
    expect(planned.effects).toEqual([
      {
        kind: 'complete-check',
        conclusion: 'cancelled',
        title: 'support-bot 1.3.0: guard stopped by @alice',
        summary: `Stopped by @alice: ${steer.link}`,
      },
      { kind: 'send-alerts' },
      { kind: 'save-state' },
    ]);
    expect(nextGuardJudgment(planned.state, {})).toBeUndefined();
  });

  it('a guard that has ended cannot be steered', () => {
    for (const status of ['passed', 'rolled_back', 'stopped'] as const)
      expect(planGuardSteer(watching({ status }), { action: 'stop' }, steer, now)).toEqual({
        refused: `the guard has ended (${status.replace('_', ' ')})`,
      });
  });

  it('a paused guard judges nothing; /guard resume judges again from the first window after the promotion', () => {
    const paused = watching({ paused: { by: 'modelgate[bot]', at: now.toISOString(), link: 'r' } });
    expect(nextGuardJudgment(paused, { interval: '1h' })).toBeUndefined();
    expect(guardMarkdown(paused)).toContain('⏸️ Paused: the saved state could not be believed');
    const resumed = planGuardSteer(paused, { action: 'resume' }, steer, now);
    if ('refused' in resumed) throw new Error(resumed.refused);
    expect(resumed.state.paused).toBeUndefined();
    expect(resumed.effects).toEqual([{ kind: 'save-state' }]);
    expect(nextGuardJudgment(resumed.state, { interval: '1h' })?.due).toEqual(new Date(PROMOTED + HOUR));
    expect(planGuardSteer(watching(), { action: 'resume' }, steer, now)).toEqual({
      refused: 'the guard is not paused',
    });
  });
});
