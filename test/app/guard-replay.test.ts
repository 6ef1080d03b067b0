import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BOT, type FakeGitHub } from '../helpers/fake-github.js';
import { promoted as promotedGuard, startGuardPrometheus } from '../helpers/guard-app.js';
import type { RunningPrometheus } from '../helpers/prometheus.js';

let prometheus: RunningPrometheus;
beforeAll(async () => {
  prometheus = await startGuardPrometheus();
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
});

const promoted = (version: string) => promotedGuard(version, prometheus.url);

const guardComment = (github: FakeGitHub) =>
  github.comments.find((c) => c.body.startsWith('<!-- modelgate:guard:gpt2 -->'))!;

const guardRuns = (github: FakeGitHub) =>
  github.checkRuns
    .filter((r) => r.name === 'modelgate guard: gpt2')
    .map((r) => [r.id, r.status, r.conclusion]);

describe('a guard state from before the guard restarted is history, never the present', () => {
  it('an older sealed state pasted back after a restart is not believed: the guard stays paused, and judges nothing without /guard resume', async () => {
    const { github, tick, guard, say, restart, app, warnings } = await promoted('1.4.0');
    await tick(60);
    expect(guard().intervals).toHaveLength(1);
    // The state modelgate saved last under check run A: it stays in the comment's edit history.
    const saved = guardComment(github).body;
    const checkA = guard().checkRunId!;
    // Someone with write access breaks the seal: the guard restarts paused, with a new check run B.
    const comment = guardComment(github);
    comment.body = comment.body.replace(/(modelgate-guard-state:[A-Za-z0-9_-]+\.)[A-Za-z0-9_-]{4}/, '$1AAAA');
    await tick(60);
    const checkB = guard().checkRunId!;
    expect(guard()).toMatchObject({ status: 'watching', paused: { by: APP_BOT.login }, intervals: [] });
    expect(checkB).toBeGreaterThan(checkA);
    // A no longer says it watches production: B does.
    expect(guardRuns(github)).toEqual([
      [checkA, 'completed', 'cancelled'],
      [checkB, 'in_progress', undefined],
    ]);
    expect(github.checkRuns.find((r) => r.id === checkA)!.title).toBe(
      'gpt2 1.4.0: production guard superseded',
    );
    // The old body pasted back from the edit history: sealed by the app, anchored in A, which was superseded.
    guardComment(github).body = saved;
    expect(await say('/guard status')).toContain(
      `holds no state modelgate can trust (its check run ${checkA} was superseded by a newer guard \\(check run ${checkB}\\)), so nothing was done. The guard restarts, paused, from GitHub`,
    );
    await restart(); // a new process rebuilds its schedule from GitHub
    for (let run = 0; run < 6; run++) await tick(60);
    // Restarted paused again from GitHub: nothing judged, nothing rolled back, however long it waits.
    expect(guard()).toMatchObject({ status: 'watching', paused: { by: APP_BOT.login }, intervals: [] });
    expect(app().guarded).toEqual([]);
    expect(github.pullRequests).toEqual([]);
    expect(github.deployments.filter((d) => d.environment === 'production')).toHaveLength(2);
    const runs = guardRuns(github);
    expect(runs.filter(([, status]) => status === 'in_progress')).toEqual([
      [guard().checkRunId, 'in_progress', undefined],
    ]);
    expect(warnings.some((w) => w.includes(`was superseded by a newer guard (check run ${checkB})`))).toBe(
      true,
    );
    // Only a person who may act resumes it.
    expect(await say('/guard resume')).toContain('resumed the production guard of **gpt2 1.4.0**');
    expect(github.violations).toEqual([]);
  }, 60_000);
});
