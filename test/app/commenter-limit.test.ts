import { describe, expect, it } from 'vitest';
import { CommenterLimit } from '../../src/app/commenter-limit.js';
import { issueComment, liveCanary } from '../helpers/canary-app.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 6, 0) + minutes * 60_000);

describe('how many commands a commenter may have acted on', () => {
  it('perWindow in the window, then none until the oldest leaves it; the first refusal of a run is marked', () => {
    const limit = new CommenterLimit({ perWindow: 3, windowMs: 10 * 60_000 });
    expect([0, 1, 2].map((m) => limit.admit(1, 'mallory', at(m)).ok)).toEqual([true, true, true]);
    expect(limit.admit(1, 'mallory', at(3))).toEqual({ ok: false, first: true, until: at(10) });
    expect(limit.admit(1, 'Mallory', at(4))).toEqual({ ok: false, first: false, until: at(10) });
    // Others, and the same login in another installation, are counted apart.
    expect(limit.admit(1, 'alice', at(4)).ok).toBe(true);
    expect(limit.admit(2, 'mallory', at(4)).ok).toBe(true);
    // The first command leaves the window at minute 10.
    expect(limit.admit(1, 'mallory', at(10)).ok).toBe(true);
    expect(limit.admit(1, 'mallory', at(10))).toMatchObject({ ok: false, first: true });
  });

  it('forgets the commenter heard from least recently past maxCommenters', () => {
    const limit = new CommenterLimit({ perWindow: 1, maxCommenters: 2 });
    limit.admit(1, 'a', at(0));
    limit.admit(1, 'b', at(0));
    limit.admit(1, 'c', at(0)); // a is forgotten
    expect(limit.admit(1, 'a', at(1)).ok).toBe(true);
    expect(limit.admit(1, 'c', at(1)).ok).toBe(false);
  });
});

describe("a commenter repeating commands cannot spend the installation's GitHub budget", () => {
  it('past 20 commands in 10 minutes nothing is asked of GitHub for them, said once in the log; others are still served', async () => {
    const live = await liveCanary('1.3.0', 'http://127.0.0.1:9');
    const { github, warnings } = live;
    const say = async (body: string, login: string) => {
      const before = github.requests.length;
      const payload = issueComment(body, { login });
      await live.probot().receive({ id: `c-${payload.comment.id}`, name: 'issue_comment', payload } as any);
      return github.requests.slice(before).filter((r) => !r.operation.startsWith('/app/')).length;
    };
    for (let i = 0; i < 20; i++) expect(await say('/canary status', 'mallory')).toBeGreaterThan(0);
    expect(await say('/canary status', 'mallory')).toBe(0);
    expect(await say('/rollback', 'mallory')).toBe(0);
    expect(
      warnings.filter((w) => w.includes('mallory commented more than 20 commands in 10 minutes')),
    ).toHaveLength(1);
    expect(await say('/canary status', 'alice')).toBeGreaterThan(0);
  }, 60_000);
});
