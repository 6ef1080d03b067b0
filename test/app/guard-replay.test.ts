import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGuardState, type GuardState } from '../../src/core/guard/state.js';
import { APP_BOT, type FakeGitHub } from '../helpers/fake-github.js';
import { CANARY, STATE_KEY, issueComment, liveCanary } from '../helpers/canary-app.js';
import { requestSeries, startPrometheus, T0, type RunningPrometheus } from '../helpers/prometheus.js';

const HOUR = 3600;
/** When the degraded versions turn bad: three hours after the canary's start, two and a half after promotion. */
const DEGRADES_AT = T0 + 3 * HOUR;

/**
 * llm_guard_requests_total{model,version,language,code} once a minute: 10
 * requests/s per language, 1 % errors wobbling deterministically (a phase
 * per version and language). 1.2.0 served production for the two days
 * before the canary; the candidates serve from T0 on. 1.4.0 degrades to
 * 6 % errors in `de` only from DEGRADES_AT, 1.5.0 everywhere.
 */
function guardSeries(): string {
  const lines = [
    '# HELP llm_guard_requests_total Requests served.',
    '# TYPE llm_guard_requests_total counter',
  ];
  const languages = ['en', 'de', 'ja'];
  const serve = (
    version: string,
    from: number,
    to: number,
    share: (t: number, language: string) => number,
  ) => {
    languages.forEach((language, l) => {
      let ok = 0;
      let failed = 0;
      const okLines: string[] = [];
      const failedLines: string[] = [];
      for (let t = from, i = 0; t <= to; t += 60, i++) {
        const wobble = 1 + 0.3 * Math.sin(i * 1.7 + l * 2.1 + version.length);
        const errors = Math.round(600 * share(t, language) * wobble);
        ok += 600 - errors;
        failed += errors;
        const labels = `model="gpt2",version="${version}",language="${language}"`;
        okLines.push(`llm_guard_requests_total{${labels},code="200"} ${ok} ${t}`);
        failedLines.push(`llm_guard_requests_total{${labels},code="500"} ${failed} ${t}`);
      }
      lines.push(...okLines, ...failedLines);
    });
  };
  serve('1.2.0', T0 - 50 * HOUR, T0 + HOUR, () => 0.01);
  serve('1.3.0', T0, T0 + 8 * HOUR, () => 0.01);
  serve('1.4.0', T0, T0 + 8 * HOUR, (t, language) => (t >= DEGRADES_AT && language === 'de' ? 0.06 : 0.01));
  serve('1.5.0', T0, T0 + 8 * HOUR, (t) => (t >= DEGRADES_AT ? 0.06 : 0.01));
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

const GUARD = {
  bake: '6h',
  interval: '1h',
  baseline_days: 2,
  correction: 'holm',
  metrics: [
    {
      name: 'error_rate',
      query:
        'sum by ({{by}}) (rate(llm_guard_requests_total{model="{{model}}",version="{{version}}",code=~"5.."}[5m])) / sum by ({{by}}) (rate(llm_guard_requests_total{model="{{model}}",version="{{version}}"}[5m]))',
      max: 0.2,
      direction: 'increase',
      by: ['language'],
    },
  ],
};

let prometheus: RunningPrometheus;
beforeAll(async () => {
  const canary = requestSeries('gpt2', { '1.2.0': 0.01, '1.3.0': 0.01, '1.4.0': 0.01, '1.5.0': 0.01 });
  prometheus = await startPrometheus(canary.replace(/# EOF\n$/, '') + guardSeries());
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
});

function guardState(github: FakeGitHub, model = 'gpt2', pr = 42): GuardState {
  const comment = github.comments.find(
    (c) =>
      c.issue === pr &&
      c.user.login === APP_BOT.login &&
      c.body.startsWith(`<!-- modelgate:guard:${model} -->`),
  );
  if (!comment) throw new Error(`the app wrote no guard comment of ${model} on #${pr}`);
  const decoded = decodeGuardState(comment.body, STATE_KEY, { repository: 'acme/models', pr });
  if ('problem' in decoded) throw new Error(`the guard's state does not verify: ${decoded.problem}`);
  return decoded.state;
}

/** A canary of `version` run to promotion (two passing steps); the guard starts at the promotion. */
async function promoted(version: string, guard: Record<string, unknown> = GUARD) {
  const canary = await liveCanary(version, prometheus.url, { canary: CANARY, guard });
  await canary.deliver({ id: 2, weight: 10 });
  expect(await canary.tick(6)).toBe(1);
  await canary.deliver({ id: 1002, weight: 100 });
  expect(await canary.tick(6)).toBe(1);
  expect(canary.state().status).toBe('promoted');
  /** A comment on a pull request (#42 unless told; alice has write access); returns the app's reply. */
  const say = async (body: string, issue = 42) => {
    canary.github.roles.set('alice', 'write');
    const payload = issueComment(body, { issue });
    await canary.probot().receive({ id: `c-${payload.comment.id}`, name: 'issue_comment', payload } as any);
    return canary.github.comments.filter((c) => c.body.startsWith('<!-- modelgate:reply -->')).at(-1)!.body;
  };
  return { ...canary, say, guard: () => guardState(canary.github), guarded: () => canary.app().guarded };
}

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
