import { describe, expect, it } from 'vitest';
import { RateBudget } from '../../src/app/rate-budget.js';

// An installation's REST budget as GitHub states it: 5,000 requests an hour
// (x-ratelimit-limit), the window ending at x-ratelimit-reset (epoch seconds).
const RESET = new Date('2026-03-02T11:00:00Z');
const BEFORE_RESET = new Date('2026-03-02T10:40:00Z');
const window = (remaining: number, resetAt = RESET, limit = 5000) => ({ remaining, limit, resetAt });

describe('the rate budget: routine work yields to people', () => {
  it('admits work for an installation it has not heard from yet (nothing says the budget is low)', () => {
    const budget = new RateBudget();
    expect(budget.admit(7, 'routine', BEFORE_RESET)).toEqual({ ok: true });
    expect(budget.admit('app', 'urgent', BEFORE_RESET)).toEqual({ ok: true });
  });

  it('defers routine work below the reserve (20% of the limit) until the reset, and still admits urgent work', () => {
    const budget = new RateBudget();
    budget.record(7, window(1000));
    expect(budget.admit(7, 'routine', BEFORE_RESET)).toEqual({ ok: true });
    budget.record(7, window(999));
    expect(budget.admit(7, 'routine', BEFORE_RESET)).toEqual({
      ok: false,
      retryAt: RESET,
      code: 'reserve',
      reason:
        '999 of 5000 GitHub requests left, below the 1000 kept for ChatOps and releases, until 2026-03-02T11:00:00.000Z',
    });
    expect(budget.admit(7, 'urgent', BEFORE_RESET)).toEqual({ ok: true });
  });

  it('admits urgent work down to the last request, and nothing once none is left', () => {
    const budget = new RateBudget();
    budget.record(7, window(1));
    expect(budget.admit(7, 'urgent', BEFORE_RESET)).toEqual({ ok: true });
    budget.record(7, window(0));
    for (const priority of ['urgent', 'routine'] as const)
      expect(budget.admit(7, priority, BEFORE_RESET)).toEqual({
        ok: false,
        retryAt: RESET,
        code: 'exhausted',
        reason: 'no GitHub requests left of 5000 until 2026-03-02T11:00:00.000Z',
      });
  });

  it('admits everything again once the window has reset, before any new response says so', () => {
    const budget = new RateBudget();
    budget.record(7, window(0));
    expect(budget.admit(7, 'routine', RESET)).toEqual({ ok: true });
  });

  it('keeps installations apart', () => {
    const budget = new RateBudget();
    budget.record(7, window(10));
    budget.record(8, window(4000));
    expect(budget.admit(7, 'routine', BEFORE_RESET).ok).toBe(false);
    expect(budget.admit(8, 'routine', BEFORE_RESET).ok).toBe(true);
    expect(budget.admit('app', 'routine', BEFORE_RESET).ok).toBe(true);
  });

  it('takes the lowest reading of a window, whatever order concurrent responses arrive in, and ignores a late one from an older window', () => {
    const budget = new RateBudget();
    budget.record(7, window(900));
    budget.record(7, window(1500)); // sent earlier, answered later
    expect(budget.reading(7)).toEqual(window(900));
    expect(budget.admit(7, 'routine', BEFORE_RESET).ok).toBe(false);

    const nextWindow = new Date('2026-03-02T12:00:00Z');
    budget.record(7, window(4999, nextWindow));
    expect(budget.reading(7)).toEqual(window(4999, nextWindow));
    budget.record(7, window(3, RESET)); // from the window that is over
    expect(budget.reading(7)).toEqual(window(4999, nextWindow));
  });

  it('pauses all work while GitHub asks for it (a secondary rate limit), whatever the primary budget says', () => {
    const budget = new RateBudget();
    budget.record(7, window(4900));
    const until = new Date('2026-03-02T10:41:00Z');
    budget.block(7, until);
    budget.block(7, new Date('2026-03-02T10:40:30Z')); // a shorter pause does not shorten the longer one
    for (const priority of ['urgent', 'routine'] as const)
      expect(budget.admit(7, priority, BEFORE_RESET)).toEqual({
        ok: false,
        retryAt: until,
        code: 'secondary_limit',
        reason: 'GitHub asked for a pause (secondary rate limit) until 2026-03-02T10:41:00.000Z',
      });
    expect(budget.admit(7, 'routine', until)).toEqual({ ok: true });
    expect(budget.reading(7)).toEqual(window(4900));
  });

  it('takes the reserve as a share of the limit the installation has (GitHub raises it for large organisations)', () => {
    const budget = new RateBudget({ reserveShare: 0.5 });
    expect(budget.reserveOf(12_500)).toBe(6250);
    budget.record(7, window(6249, RESET, 12_500));
    expect(budget.admit(7, 'routine', BEFORE_RESET)).toMatchObject({ ok: false, code: 'reserve' });
    budget.record(8, window(6250, RESET, 12_500));
    expect(budget.admit(8, 'routine', BEFORE_RESET)).toEqual({ ok: true });
  });

  it('ignores readings that are not numbers rather than blocking on them', () => {
    const budget = new RateBudget();
    budget.record(7, { remaining: Number.NaN, limit: 5000, resetAt: RESET });
    budget.record(7, { remaining: 0, limit: 0, resetAt: RESET });
    budget.record(7, { remaining: 0, limit: 5000, resetAt: new Date('not a date') });
    expect(budget.reading(7)).toBeUndefined();
    expect(budget.admit(7, 'routine', BEFORE_RESET)).toEqual({ ok: true });
  });

  it('remembers a bounded number of installations, forgetting the one heard from least recently', () => {
    const budget = new RateBudget({ maxHolders: 2 });
    budget.record(1, window(0));
    budget.record(2, window(0));
    budget.record(1, window(0)); // heard from again: now the most recent
    budget.record(3, window(0));
    expect(budget.reading(2)).toBeUndefined();
    expect(budget.admit(2, 'urgent', BEFORE_RESET)).toEqual({ ok: true });
    expect(budget.admit(1, 'urgent', BEFORE_RESET).ok).toBe(false);
    expect(budget.admit(3, 'urgent', BEFORE_RESET).ok).toBe(false);
  });

  it('refuses a reserve that is not a share', () => {
    expect(() => new RateBudget({ reserveShare: 1.5 })).toThrow(
      'reserveShare must be between 0 and 1, not 1.5',
    );
    expect(() => new RateBudget({ reserveShare: Number.NaN })).toThrow(
      'reserveShare must be between 0 and 1',
    );
    expect(() => new RateBudget({ maxHolders: 0 })).toThrow('maxHolders must be a positive integer, not 0');
  });
});
