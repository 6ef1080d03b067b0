// The commenter limit shared by every replica on one Redis (real redis-server, started here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCommenterLimit } from '../../src/app/commenter-limit-redis.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';

let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedis({ requirePass: 'the-s3cret' });
}, 60_000);
afterAll(async () => {
  await redis?.stop();
});

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 6, 0) + minutes * 60_000);

let prefixes = 0;
/** Two replicas' limits on this file's Redis (its URL carries the password), counting in a prefix of their own. */
function replicas(perWindow: number, warnings: string[]) {
  const prefix = `test-${++prefixes}`;
  const warn = (message: string) => warnings.push(message);
  return [1, 2].map(
    () => new RedisCommenterLimit(redis.url, { perWindow, windowMs: 10 * 60_000, prefix, warn }),
  ) as [RedisCommenterLimit, RedisCommenterLimit];
}

describe('the commenter limit on Redis', () => {
  it("two replicas count one commenter's commands together; the first refusal of a run is marked once", async () => {
    const warnings: string[] = [];
    const [one, two] = replicas(3, warnings);
    expect(one.description).toBe('3 commands in 10 minutes');
    expect((await one.admit(1, 'mallory', at(0))).ok).toBe(true);
    expect((await two.admit(1, 'mallory', at(1))).ok).toBe(true);
    expect((await one.admit(1, 'Mallory', at(2))).ok).toBe(true);
    // Per replica this would be one and two commands: on Redis it is the fourth.
    expect(await two.admit(1, 'mallory', at(3))).toEqual({ ok: false, first: true, until: at(10) });
    expect(await one.admit(1, 'mallory', at(4))).toEqual({ ok: false, first: false, until: at(10) });
    // Others, and the same login in another installation, are counted apart.
    expect((await two.admit(1, 'alice', at(4))).ok).toBe(true);
    expect((await one.admit(2, 'mallory', at(4))).ok).toBe(true);
    // The first command leaves the window at minute 10; a new run of refusals is marked again.
    expect((await one.admit(1, 'mallory', at(10))).ok).toBe(true);
    expect(await two.admit(1, 'mallory', at(10))).toMatchObject({ ok: false, first: true });
    expect(warnings).toEqual([]); // every answer came from Redis
    await Promise.all([one.close(), two.close()]);
  });

  it('a Redis that does not answer leaves the limit to each replica, said once and without the password', async () => {
    const warnings: string[] = [];
    const away = new RedisCommenterLimit('redis://:the-s3cret@127.0.0.1:9', {
      perWindow: 2,
      warn: (m) => warnings.push(m),
    });
    const answers = [];
    for (let m = 0; m < 4; m++) answers.push((await away.admit(1, 'mallory', at(m))).ok);
    expect(answers).toEqual([true, true, false, false]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^the commenter limit cannot reach Redis \(.+\): each replica counts commenters on its own until it answers$/,
    );
    expect(warnings.join('\n')).not.toContain('the-s3cret');
    await away.close();
  });
});
