import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGuardState, type GuardState } from '../../src/core/guard/state.js';
import { APP_BOT, type FakeGitHub } from '../helpers/fake-github.js';
import { CANARY, STATE_KEY, appState, appTrust, issueComment, liveCanary } from '../helpers/canary-app.js';
import { startGuard } from '../../src/app/guard-start.js';
import type { Octokit } from '../../src/io/github/octokit.js';
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

/**
 * A proxy in front of Prometheus that holds the guard's queries (its own
 * series) until `open()`, and passes every other query at once.
 */
async function guardQueriesHeld(target: string) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let reached!: () => void;
  const firstHeld = new Promise<void>((resolve) => (reached = resolve));
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', async () => {
      if (decodeURIComponent(`${req.url}${body}`).includes('llm_guard_requests_total')) {
        reached();
        await gate;
      }
      const upstream = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers: { 'content-type': String(req.headers['content-type'] ?? 'text/plain') },
        ...(req.method === 'POST' ? { body } : {}),
      });
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? '' });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, open: () => open(), firstHeld, close: () => server.close() };
}

type Promoted = Awaited<ReturnType<typeof promoted>>;

/** gpt2 1.5.0 released from pull request #43 (its commit tagged); returns the commit. */
function release150({ registry, github }: Promoted): string {
  registry.write(
    'models/gpt2/model.yaml',
    registry.read('models/gpt2/model.yaml').replace(/version: 1\.4\.0/, 'version: 1.5.0'),
  );
  const v3 = registry.commit('gpt2 1.5.0 (#43)');
  registry.tag('gpt2@v1.5.0', { commit: v3, date: 1_760_000_200 });
  github.pulls.set(v3, [
    { number: 43, title: 'gpt2 1.5.0', merged_at: '2026-11-23T00:00:00Z', user: { login: 'alice' } },
  ]);
  return v3;
}

const production = ({ github }: Promoted) =>
  github.deployments
    .filter((d) => d.environment === 'production')
    .map((d) => `${(d.payload as { version: string }).version}`);

/** How many hourly windows 1.4.0's guard judges before it rolls back (its `de` segment degrades). */
let windowsToRollback = 0;

describe('a promotion and the guard of the release it replaces never act on production out of order', () => {
  beforeAll(async () => {
    const trial = await promoted('1.4.0');
    while (trial.guarded().at(-1) !== 'rollback' && windowsToRollback < 8) {
      await trial.tick(60);
      windowsToRollback++;
    }
    expect(trial.guarded().at(-1)).toBe('rollback');
  }, 60_000);

  it('a guard whose release was superseded while its window was read does not roll production back below the new release', async () => {
    const c = await promoted('1.4.0');
    for (let i = 0; i < windowsToRollback - 1; i++) await c.tick(60);
    expect(c.guard()).toMatchObject({ status: 'watching', version: '1.4.0' });
    const proxy = await guardQueriesHeld(prometheus.url);
    // The window that would roll back is being read from Prometheus...
    const judging = c.tick(60, proxy.url);
    await proxy.firstHeld;
    // ...when 1.5.0 is promoted (what /promote and an auto-promotion call once they hold the guard: a
    // promotion outside the app, `modelgate promote`, holds nothing at all).
    const v3 = release150(c);
    c.github.deployments.push({
      id: 3000,
      ref: 'gpt2@v1.5.0',
      sha: v3,
      environment: 'production',
      payload: {
        model: 'gpt2',
        version: '1.5.0',
        weight: 100,
        manifest: 'models/gpt2/model.yaml',
        trigger: v3,
      },
      description: '',
      production_environment: true,
    });
    const octokit = (await c.probot().auth(1)) as unknown as Octokit;
    const canary150 = {
      ...c.state(),
      version: '1.5.0',
      ref: 'gpt2@v1.5.0',
      sha: v3,
      trigger: v3,
      pr: 43,
      baselineVersion: '1.4.0',
    };
    await startGuard(
      octokit,
      { owner: 'acme', repo: 'models' },
      canary150,
      { deploymentId: 3000, promotedAt: c.clock() },
      appTrust(),
    );
    proxy.open();
    await judging;
    proxy.close();
    // Production stays on 1.5.0: no rollback deployment, no stage tag, no revert pull request.
    expect(production(c)).toEqual(['1.2.0', '1.4.0', '1.5.0']);
    expect(c.github.pullRequests).toEqual([]);
    expect(c.registry.git('tag', '--list', 'gpt2#production#*').split('\n')).toHaveLength(2);
    expect(c.guard()).toMatchObject({ status: 'stopped', steeredBy: { by: APP_BOT.login } });
    expect(c.guarded()).not.toContain('rollback');
    expect(guardState(c.github, 'gpt2', 43)).toMatchObject({ version: '1.5.0', status: 'watching' });
    // The model's guard schedule belongs to 1.5.0's guard (the ended one did not drop it).
    expect(await c.app().scheduler.pending('guard', 10)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ pr: 43, model: 'gpt2' }) }),
    ]);
    expect(c.github.violations).toEqual([]);
  }, 60_000);

  it('/promote waits for a guard judgment of the model under way: the judgment finishes, then the promotion deploys', async () => {
    const c = await promoted('1.4.0');
    for (let i = 0; i < windowsToRollback - 1; i++) await c.tick(60);
    // 1.5.0's canary runs on pull request #43, at 10 %.
    const v3 = release150(c);
    c.github.deployments.push({
      id: 3001,
      ref: 'gpt2@v1.5.0',
      sha: v3,
      environment: 'canary',
      payload: {
        model: 'gpt2',
        version: '1.5.0',
        weight: 10,
        manifest: 'models/gpt2/model.yaml',
        trigger: v3,
      },
      description: '',
      production_environment: false,
    });
    await c.deliver({ id: 3001 });
    expect(appState(c.github, 'gpt2', 43)).toMatchObject({ status: 'running', version: '1.5.0' });
    // The promotion asking for the guard's hold opens the gate (a real scheduler: only observed).
    const scheduler = c.app().scheduler;
    const exclusive = scheduler.exclusive.bind(scheduler);
    let askedGuardHold!: () => void;
    const guardHoldAsked = new Promise<void>((resolve) => (askedGuardHold = resolve));
    scheduler.exclusive = (key, fn) => {
      if (key.startsWith('guard:')) askedGuardHold();
      return exclusive(key, fn);
    };
    const proxy = await guardQueriesHeld(prometheus.url);
    const judging = c.tick(60, proxy.url);
    await proxy.firstHeld;
    const promoting = c.say('/promote', 43);
    await Promise.race([guardHoldAsked, promoting]);
    proxy.open();
    await judging;
    const reply = await promoting;
    proxy.close();
    expect(reply).toContain('promoted **gpt2 1.5.0** to production');
    // The window under way was judged whole on the production it read (1.4.0): its rollback came first,
    // then the promotion, so production ends on the version just promoted.
    expect(c.guarded().at(-1)).toBe('rollback');
    expect(c.guard().status).toBe('rolled_back');
    expect(production(c)).toEqual(['1.2.0', '1.4.0', '1.2.0', '1.5.0']);
    expect(guardState(c.github, 'gpt2', 43)).toMatchObject({ version: '1.5.0', status: 'watching' });
    expect(c.github.violations).toEqual([]);
  }, 60_000);
});
