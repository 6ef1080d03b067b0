import { expect } from 'vitest';
import { decodeGuardState, type GuardState } from '../../src/core/guard/state.js';
import { CANARY, STATE_KEY, issueComment, liveCanary } from './canary-app.js';
import { APP_BOT, type FakeGitHub } from './fake-github.js';
import { requestSeries, startPrometheus, T0, type RunningPrometheus } from './prometheus.js';

// The production guard's test fixture: gpt2 promoted through a canary on a real Prometheus, whose
// series hold the canary's requests and, per language, what production served before and after.

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

/** The guard's settings the tests start from: a 6 h bake judged hourly, per language. */
export const GUARD = {
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

/** A real Prometheus with the canary's series and the guard's (stop it after the file). */
export function startGuardPrometheus(): Promise<RunningPrometheus> {
  const canary = requestSeries('gpt2', { '1.2.0': 0.01, '1.3.0': 0.01, '1.4.0': 0.01, '1.5.0': 0.01 });
  return startPrometheus(canary.replace(/# EOF\n$/, '') + guardSeries());
}

/** The guard's state as the app sealed it in its comment on `pr`; throws when there is none or it does not verify. */
export function guardState(github: FakeGitHub, model = 'gpt2', pr = 42): GuardState {
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

/**
 * A canary of `version` run to promotion (two passing steps) against
 * `prometheusUrl`; the guard starts at the promotion. `say` comments on a
 * pull request (#42 unless told; alice has write access) and returns the
 * app's reply.
 */
export async function promoted(
  version: string,
  prometheusUrl: string,
  options: { guard?: Record<string, unknown>; alertmanagerUrl?: string } = {},
) {
  const canary = await liveCanary(
    version,
    prometheusUrl,
    { canary: CANARY, guard: options.guard ?? GUARD },
    options.alertmanagerUrl ? { alertmanagerUrl: options.alertmanagerUrl } : undefined,
  );
  await canary.deliver({ id: 2, weight: 10 });
  expect(await canary.tick(6)).toBe(1);
  await canary.deliver({ id: 1002, weight: 100 });
  expect(await canary.tick(6)).toBe(1);
  expect(canary.state().status).toBe('promoted');
  const say = async (body: string, issue = 42) => {
    canary.github.roles.set('alice', 'write');
    const payload = issueComment(body, { issue });
    await canary.probot().receive({ id: `c-${payload.comment.id}`, name: 'issue_comment', payload } as any);
    return canary.github.comments.filter((c) => c.body.startsWith('<!-- modelgate:reply -->')).at(-1)!.body;
  };
  return { ...canary, say, guard: () => guardState(canary.github), guarded: () => canary.app().guarded };
}
