// The commenter limit shared by every replica on one Redis (real redis-server, started here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCommenterLimit, unreachableWarning } from '../../src/app/commenter-limit-redis.js';
import { startRedis, type RunningRedis } from '../helpers/redis.js';

let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedis({ requirePass: 'the-s3cret' });
}, 60_000);
afterAll(async () => {
  await redis?.stop();
});

const MINUTE = 60_000;

let prefixes = 0;
/** Two replicas' limits on this file's Redis (its URL carries the password), counting in a prefix of their own. */
function replicas(perWindow: number, warnings: string[], windowMs = 10 * MINUTE) {
  const prefix = `test-${++prefixes}`;
  const warn = (message: string) => warnings.push(message);
  // A loaded machine may take longer than production's 250 ms: these tests are about the count.
  return [1, 2].map(
    () => new RedisCommenterLimit(redis.url, { perWindow, windowMs, prefix, warn, commandTimeoutMs: 5000 }),
  ) as [RedisCommenterLimit, RedisCommenterLimit];
}
/** A replica's clock, `skewMs` off. */
const now = (skewMs = 0) => new Date(Date.now() + skewMs);

describe('the commenter limit on Redis', () => {
  it("two replicas count one commenter's commands together; the first refusal of a run is marked once", async () => {
    const warnings: string[] = [];
    const [one, two] = replicas(3, warnings);
    expect(one.description).toBe('3 commands in 10 minutes');
    const started = Date.now();
    expect((await one.admit(1, 'mallory', now())).ok).toBe(true);
    expect((await two.admit(1, 'mallory', now())).ok).toBe(true);
    expect((await one.admit(1, 'Mallory', now())).ok).toBe(true);
    // Per replica this would be one and two commands: on Redis it is the fourth.
    const refused = await two.admit(1, 'mallory', now());
    expect(refused).toMatchObject({ ok: false, first: true });
    const until = (refused as { until: Date }).until.getTime();
    expect(until).toBeGreaterThanOrEqual(started + 10 * MINUTE - 1000);
    expect(until).toBeLessThanOrEqual(Date.now() + 10 * MINUTE + 1000);
    expect(await one.admit(1, 'mallory', now())).toMatchObject({ ok: false, first: false });
    // Others, and the same login in another installation, are counted apart.
    expect((await two.admit(1, 'alice', now())).ok).toBe(true);
    expect((await one.admit(2, 'mallory', now())).ok).toBe(true);
    expect(warnings).toEqual([]); // every answer came from Redis
    await Promise.all([one.close(), two.close()]);
  });

  it('a command leaves the window when its time is up; a new run of refusals is marked again', async () => {
    const warnings: string[] = [];
    const [one, two] = replicas(2, warnings, 2000);
    expect((await one.admit(1, 'mallory', now())).ok).toBe(true);
    expect((await two.admit(1, 'mallory', now())).ok).toBe(true);
    expect(await one.admit(1, 'mallory', now())).toMatchObject({ ok: false, first: true });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await two.admit(1, 'mallory', now())).ok).toBe(true);
    expect((await one.admit(1, 'mallory', now())).ok).toBe(true);
    expect(await two.admit(1, 'mallory', now())).toMatchObject({ ok: false, first: true });
    expect(warnings).toEqual([]);
    await Promise.all([one.close(), two.close()]);
  });

  // Before: each replica stamped and pruned with its own clock, so one an hour ahead dropped every
  // command the others had counted, and its commenter was admitted past the limit.
  it("replicas whose clocks differ count one window: Redis's clock decides", async () => {
    const warnings: string[] = [];
    const [behind, ahead] = replicas(3, warnings);
    for (let i = 0; i < 3; i++) expect((await behind.admit(1, 'mallory', now(-60 * MINUTE))).ok).toBe(true);
    expect(await ahead.admit(1, 'mallory', now(60 * MINUTE))).toMatchObject({ ok: false, first: true });
    expect(await behind.admit(1, 'mallory', now(-60 * MINUTE))).toMatchObject({ ok: false, first: false });
    expect(warnings).toEqual([]);
    await Promise.all([behind.close(), ahead.close()]);
  });

  it('a Redis that does not answer leaves the limit to each replica, said once and without the password', async () => {
    const warnings: string[] = [];
    const away = new RedisCommenterLimit('redis://:the-s3cret@127.0.0.1:9', {
      perWindow: 2,
      warn: (m) => warnings.push(m),
    });
    const answers = [];
    for (let m = 0; m < 4; m++) answers.push((await away.admit(1, 'mallory', now(m * MINUTE))).ok);
    expect(answers).toEqual([true, true, false, false]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^the commenter limit's Redis failed \(.+\): each replica counts commenters on its own, and Redis is asked again every 30 s$/,
    );
    expect(warnings.join('\n')).not.toContain('the-s3cret');
    // An outage that goes on is said again every ten minutes, not once for ever.
    await away.admit(1, 'mallory', now(11 * MINUTE));
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/^the commenter limit's Redis still fails \(/);
    await away.close();
  });

  // Before: a reply error (here the wrong password; OOM or READONLY alike) was said once as
  // "cannot reach", and never again however long it lasted.
  it("Redis's own refusal is said with its reason", async () => {
    const warnings: string[] = [];
    const refused = new RedisCommenterLimit(redis.url.replace('the-s3cret', 'old-s3cret'), {
      warn: (m) => warnings.push(m),
      commandTimeoutMs: 5000,
    });
    expect((await refused.admit(1, 'mallory', now())).ok).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^the commenter limit's Redis failed \(/);
    expect(warnings[0]).not.toContain('old-s3cret');
    await refused.close();
  });

  it('an error that carries the password, as typed or URL-encoded, is logged without it', () => {
    const password = 'p@ss word/1';
    const error = new Error(
      `connect to redis://:${encodeURIComponent(password)}@cache:6379 failed (auth ${password})`,
    );
    const warning = unreachableWarning(error, password);
    expect(warning).toBe(
      "the commenter limit's Redis failed (connect to redis://:***@cache:6379 failed (auth ***)): each replica counts commenters on its own, and Redis is asked again every 30 s",
    );
    expect(unreachableWarning('ECONNREFUSED', '')).toContain('(ECONNREFUSED)');
  });
});
