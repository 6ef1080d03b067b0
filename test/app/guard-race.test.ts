import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BOT } from '../helpers/fake-github.js';
import { appState, appTrust } from '../helpers/canary-app.js';
import { startGuard } from '../../src/app/guard-start.js';
import type { Octokit } from '../../src/io/github/octokit.js';
import { guardState, promoted as promotedGuard, startGuardPrometheus } from '../helpers/guard-app.js';
import type { RunningPrometheus } from '../helpers/prometheus.js';

let prometheus: RunningPrometheus;
beforeAll(async () => {
  prometheus = await startGuardPrometheus();
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
});

const promoted = (version: string) => promotedGuard(version, prometheus.url);

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
    const proxy = await guardQueriesHeld(prometheus.url);
    const judging = c.tick(60, proxy.url);
    // The guard's job holds the model's lock now (it is reading its window). The promotion asking for
    // that hold opens the gate (a real scheduler: only observed).
    await proxy.firstHeld;
    const scheduler = c.app().scheduler;
    const exclusive = scheduler.exclusive.bind(scheduler);
    let askedGuardHold!: () => void;
    const guardHoldAsked = new Promise<void>((resolve) => (askedGuardHold = resolve));
    scheduler.exclusive = (key, fn) => {
      if (key.startsWith('guard:')) askedGuardHold();
      return exclusive(key, fn);
    };
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
