import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY, issueComment, liveCanary } from '../helpers/canary-app.js';
import { FakeLlm } from '../helpers/fake-llm.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import {
  LITELLM_SPEND_LOGS,
  logLiteLlmCall,
  startPostgres,
  type RunningPostgres,
} from '../helpers/postgres.js';
import {
  feedbackSeries,
  requestSeries,
  startPrometheus,
  T0,
  type RunningPrometheus,
} from '../helpers/prometheus.js';

// The app runs each strategy end to end against the fake GitHub and a real
// Prometheus: the release's first deployment goes live, the app judges on
// its schedule, deploys what the strategy asks for next, reports on the pull
// request and decides. Data: gpt2 1.2.0 in production; 1.3.0 with fewer
// errors and better liked; 1.4.0 with 2.5 times the errors and less liked.

let prometheus: RunningPrometheus;
let postgres: RunningPostgres;
beforeAll(async () => {
  const requests = requestSeries('gpt2', { '1.2.0': 0.01, '1.3.0': 0.006, '1.4.0': 0.025 }).replace(
    '# EOF\n',
    '',
  );
  [prometheus, postgres] = await Promise.all([
    startPrometheus(requests + feedbackSeries('gpt2', { '1.2.0': 9, '1.3.0': 12, '1.4.0': 6 })),
    startPostgres(),
  ]);
  await logShadowTraffic(postgres.url);
}, 60_000);
afterAll(async () => Promise.all([prometheus?.stop(), postgres?.stop()]));

/**
 * LiteLLM's request log for the first 30 minutes the app watches (from T0 +
 * 10 min): every 5 s a request answered by production 1.2.0 and mirrored to
 * both candidates, 1.3.0 answering alike and 1.4.0 declining one in five.
 */
async function logShadowTraffic(url: string) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(LITELLM_SPEND_LOGS);
  for (let i = 0; i < 360; i++) {
    const at = (seconds: number) => new Date((T0 + 600 + i * 5 + seconds) * 1000).toISOString();
    const answer = `Step ${i}: restart the service, then check the logs for errors ${i % 7}.`;
    const call = { model: 'gpt2', xRequestId: `r${i}` };
    await logLiteLlmCall(db, { ...call, id: `a${i}`, version: '1.2.0', at: at(0), answer });
    await logLiteLlmCall(db, { ...call, id: `b${i}`, version: '1.3.0', at: at(1), answer });
    await logLiteLlmCall(db, {
      ...call,
      id: `c${i}`,
      version: '1.4.0',
      at: at(1),
      answer: i % 5 === 0 ? "I'm sorry, but I can't help with that." : answer,
    });
  }
  await db.end();
}

const AB = {
  strategy: 'ab',
  ab: {
    split: 50,
    metric: {
      name: 'thumbs_up_rate',
      successes:
        'sum(increase(llm_feedback_total{model="{{model}}",version="{{version}}",vote="up"}[{{interval}}]))',
      trials: 'sum(increase(llm_feedback_total{model="{{model}}",version="{{version}}"}[{{interval}}]))',
      higher_is_better: true,
    },
    interval: '10m',
    min_duration: '30m',
    min_samples: 1000,
    horizon: '2h',
  },
};

const BLUE_GREEN = {
  strategy: 'blue_green',
  blue_green: {
    pre_switch: { duration: '5m' },
    post_switch: { duration: '10m', interval: '5m' },
    scale_down_delay: '10m',
  },
};

/** The production deployments made after the first (the release's own): ref and weight. */
const takenOut = (github: FakeGitHub) =>
  github.deployments
    .filter((d) => d.environment === 'production' && d.id !== 1)
    .map((d) => [d.ref, (d.payload as { weight: number }).weight]);
const replies = (github: FakeGitHub) =>
  github.comments.filter((c) => c.body.startsWith('<!-- modelgate:reply -->')).map((c) => c.body);
const report = (github: FakeGitHub) =>
  github.comments.find((c) => c.body.startsWith('<!-- modelgate:canary:gpt2 -->'))!.body;

describe('A/B test', () => {
  const abRelease = (version: string, ab: Record<string, unknown> = {}) =>
    liveCanary(
      version,
      prometheus.url,
      { rollout: { ...AB, ab: { ...AB.ab, ...ab } } },
      { first: { payload: { weight: 50, strategy: 'ab' } } },
    );

  it('holds the split, proposes "promote B" once the sequential test decides, and promotes on /ab conclude', async () => {
    const live = await abRelease('1.3.0');
    const { github, deliver, tick, state, registry, v2 } = live;
    github.roles.set('alice', 'write');
    await deliver({ id: 2 });
    expect(state()).toMatchObject({ strategy: 'ab', weight: 50, status: 'running', ab: { looks: 0 } });
    expect(await tick(10)).toBe(1);
    expect(await tick(10)).toBe(1);
    expect(state().ab?.proposal).toBeUndefined(); // not before min_duration, however clear the data
    expect(await tick(10)).toBe(1);
    expect(state()).toMatchObject({
      status: 'running',
      ab: { looks: 3, proposal: { outcome: 'promote_b' } },
    });
    const proposal = state().ab!.proposal;
    const deployments = github.deployments.length;
    // A proposal waits for a person; B keeps its share, so its serving health is still looked at
    // every interval (6 in an hour at 10m), and nothing else changes.
    let looked = 0;
    for (let i = 0; i < 6; i++) looked += await tick(10);
    expect(looked).toBe(6);
    expect(state()).toMatchObject({
      status: 'running',
      weight: 50,
      ab: { looks: 3, waitingLooks: 6, proposal, health: { tally: { passed: 9, failed: 0 } } },
    });
    expect(github.deployments).toHaveLength(deployments);
    expect(github.deploymentStatuses.filter((s) => s.state === 'failure')).toEqual([]);
    expect(github.pullRequests).toEqual([]);
    expect(github.deployments.filter((d) => d.environment === 'production')).toHaveLength(1);
    expect(report(github)).toContain('/ab conclude');
    expect(report(github)).toContain(
      "B's serving health is still looked at every 10m (6 looks since the proposal)",
    );

    const payload = issueComment('/ab conclude');
    await live.probot().receive({ id: `c-${payload.comment.id}`, name: 'issue_comment', payload } as any);
    expect(replies(github).at(-1)).toContain(
      'concluded the A/B test of **gpt2**: B (1.3.0) is promoted to production',
    );
    expect(state()).toMatchObject({
      status: 'promoted',
      ab: { confirmedBy: { by: payload.comment.user.login } },
    });
    expect(registry.git('rev-list', '-n', '1', 'gpt2#production#2')).toBe(v2);
    expect(github.deployments.at(-1)).toMatchObject({
      environment: 'production',
      payload: { version: '1.3.0', weight: 100 },
    });
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(github.violations).toEqual([]);
  });

  it('/ab conclude before a conclusion changes nothing and says what is missing', async () => {
    const live = await abRelease('1.3.0');
    live.github.roles.set('alice', 'write');
    await live.deliver({ id: 2 });
    await live.tick(10);
    const writes = live.github.writes().length;
    const payload = issueComment('/ab conclude');
    await live.probot().receive({ id: `c-${payload.comment.id}`, name: 'issue_comment', payload } as any);
    expect(replies(live.github).at(-1)).toMatch(
      /nothing was done: the A\/B test has not reached a conclusion yet/,
    );
    // The reply and the 👀 claim are the only writes.
    expect(live.github.writes().length - writes).toBe(2);
    expect(live.state().status).toBe('running');
  });

  it('with auto_conclude, a worse B is taken out of traffic by itself: failure status and the revert pull request', async () => {
    const { github, deliver, tick, state } = await abRelease('1.4.0', { auto_conclude: true });
    await deliver({ id: 2 });
    for (let i = 0; i < 3; i++) await tick(10);
    expect(state()).toMatchObject({ status: 'failed', ab: { proposal: { outcome: 'keep_a' } } });
    expect(github.deploymentStatuses).toEqual([expect.objectContaining({ deployment: 2, state: 'failure' })]);
    expect(github.pullRequests).toEqual([expect.objectContaining({ title: 'Roll back gpt2 to 1.2.0' })]);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
  });

  it("a B with 2.5 times A's errors is kept out at the first look by its serving health, though its product metric favours it", async () => {
    // Read with lower is better, 1.4.0's fewer thumbs-up favour B; without its health the test
    // would propose "promote B" after min_duration and wait for a person (auto_conclude false).
    const { github, deliver, tick, state } = await abRelease('1.4.0', {
      metric: { ...AB.ab.metric, higher_is_better: false },
      auto_conclude: false,
    });
    await deliver({ id: 2 });
    expect(await tick(10)).toBe(1);
    expect(state()).toMatchObject({
      status: 'failed',
      ab: {
        looks: 1,
        proposal: { outcome: 'keep_a', basis: 'health' },
        health: { tally: { failed: 1 } },
      },
    });
    expect(state().ab!.proposal!.reason).toMatch(
      /^B's serving health failed: 1 failed interval\(s\), more than failure_limit 0 \(interval ending .*: error_rate: canary is higher than the baseline/,
    );
    expect(await tick(30)).toBe(0); // ended: min_duration passes with nothing more judged
    expect(github.deploymentStatuses).toEqual([expect.objectContaining({ deployment: 2, state: 'failure' })]);
    expect(github.pullRequests).toEqual([expect.objectContaining({ title: 'Roll back gpt2 to 1.2.0' })]);
    expect(github.checkRuns[0]).toMatchObject({
      conclusion: 'failure',
      title: "gpt2 1.4.0: A/B test kept A: B's serving health failed",
    });
    expect(report(github)).toMatch(/#### Serving health \(canary\.metrics, B against A\): ❌ fail/);
    expect(report(github)).toMatch(/\| error_rate \| 0\.025 \(n=\d+\) \| 0\.01 \(n=\d+\) \|/);
    expect(takenOut(github)).toEqual([['gpt2@v1.2.0', 100]]);
    expect(github.violations).toEqual([]);
  });

  it('a "promote B" waiting for /ab conclude is overruled when B\'s serving health then fails: A is kept at once', async () => {
    // 1.4.0's fewer thumbs-up favour it (lower is better); its 2.5x errors fail every health
    // interval, tolerated up to failure_limit 3: the proposal comes at min_duration (the third
    // look), and the fourth failure, while the proposal waits, is one too many.
    const { github, deliver, tick, state } = await liveCanary(
      '1.4.0',
      prometheus.url,
      {
        canary: { ...CANARY, failure_limit: 3 },
        rollout: { ...AB, ab: { ...AB.ab, metric: { ...AB.ab.metric, higher_is_better: false } } },
      },
      { first: { payload: { weight: 50, strategy: 'ab' } } },
    );
    await deliver({ id: 2 });
    for (let i = 0; i < 3; i++) expect(await tick(10)).toBe(1);
    const proposal = state().ab!.proposal;
    expect(state()).toMatchObject({
      status: 'running',
      ab: { proposal: { outcome: 'promote_b' }, health: { tally: { failed: 3 } } },
    });
    expect(github.deploymentStatuses.filter((s) => s.state === 'failure')).toEqual([]);

    expect(await tick(10)).toBe(1);
    expect(state()).toMatchObject({
      status: 'failed',
      ab: {
        looks: 3,
        waitingLooks: 1,
        overruled: proposal,
        proposal: { outcome: 'keep_a', basis: 'health' },
        health: { tally: { failed: 4 } },
      },
    });
    expect(state().ab!.proposal!.reason).toMatch(
      /^B's serving health failed while "promote B" waited for \/ab conclude: 4 failed interval\(s\), more than failure_limit 3 \(interval ending .*: error_rate: canary is higher than the baseline/,
    );
    expect(github.deploymentStatuses).toEqual([expect.objectContaining({ deployment: 2, state: 'failure' })]);
    expect(github.pullRequests).toEqual([expect.objectContaining({ title: 'Roll back gpt2 to 1.2.0' })]);
    expect(github.checkRuns[0]).toMatchObject({
      conclusion: 'failure',
      title: "gpt2 1.4.0: A/B test kept A: B's serving health failed",
    });
    expect(report(github)).toMatch(/It overruled the proposal "🚀 promote B" of /);
    expect(await tick(10)).toBe(0); // ended: nothing more is looked at
    expect(await tick(10)).toBe(0);
    expect(takenOut(github)).toEqual([['gpt2@v1.2.0', 100]]);
    expect(github.violations).toEqual([]);
  });
});

describe('blue-green', () => {
  const blueGreenRelease = (version: string) =>
    liveCanary(
      version,
      prometheus.url,
      { rollout: BLUE_GREEN },
      { first: { environment: 'preview', payload: { weight: 0, strategy: 'blue_green', role: 'preview' } } },
    );

  it('judges the preview, switches production at once, watches it against blue, then tags the promotion', async () => {
    const { github, deliver, tick, state, registry, v2 } = await blueGreenRelease('1.3.0');
    await deliver({ id: 2 });
    expect(state()).toMatchObject({
      strategy: 'blue_green',
      environment: 'preview',
      blueGreen: { phase: 'preview' },
    });
    expect(await tick(0)).toBe(1); // the preview went live: its suites (none here) are judged at once
    expect(await tick(5)).toBe(1); // the health window passed: the switch
    const production = github.deployments.filter((d) => d.environment === 'production');
    expect(production.at(-1)).toMatchObject({
      ref: 'gpt2@v1.3.0',
      payload: {
        version: '1.3.0',
        weight: 100,
        strategy: 'blue_green',
        role: 'active',
        scale_down_delay: 600,
      },
    });
    const switchId = production.at(-1)!.id;
    expect(state()).toMatchObject({ awaiting: switchId, blueGreen: { phase: 'switching' } });

    await deliver({ id: switchId });
    expect(state()).toMatchObject({ environment: 'production', deploymentId: switchId, weight: 100 });
    expect(await tick(5)).toBe(1);
    expect(await tick(5)).toBe(1);
    expect(state()).toMatchObject({ status: 'promoted', blueGreen: { phase: 'done' } });
    expect(registry.git('rev-list', '-n', '1', 'gpt2#production#2')).toBe(v2);
    // The switch was the production deployment: promotion adds only the tag.
    expect(github.deployments.filter((d) => d.environment === 'production')).toHaveLength(2);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'success' });
    expect(github.violations).toEqual([]);
  });

  it('a green worse than blue after the switch switches straight back and opens the revert pull request', async () => {
    const { github, deliver, tick, state } = await blueGreenRelease('1.4.0');
    await deliver({ id: 2 });
    await tick(0);
    await tick(5); // 1.4.0 keeps below the threshold alone: the preview passes
    const switchId = github.deployments.at(-1)!.id;
    await deliver({ id: switchId });
    await tick(5);
    await tick(5);
    expect(state()).toMatchObject({ status: 'failed', blueGreen: { phase: 'switched-back' } });
    expect(github.deployments.at(-1)).toMatchObject({
      environment: 'production',
      ref: 'gpt2@v1.2.0',
      payload: { version: '1.2.0', weight: 100, strategy: 'blue_green', role: 'active' },
    });
    expect(github.pullRequests).toEqual([expect.objectContaining({ title: 'Roll back gpt2 to 1.2.0' })]);
    expect(github.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
  });
});

describe('shadow', () => {
  const SHADOW = {
    strategy: 'shadow',
    shadow: {
      mirror: 10,
      duration: '20m',
      interval: '10m',
      then: 'canary',
      outputs: { source: 'postgres', sample: 500, min_pairs: 100 },
    },
  };
  const shadowRelease = async (version: string) => {
    const live = await liveCanary(
      version,
      prometheus.url,
      { rollout: SHADOW },
      {
        first: { payload: { weight: 0, mirror: 10, strategy: 'shadow' } },
        settings: 'shadow:\n  outputs:\n    preset: litellm\n',
      },
    );
    live.app().config.shadowDatabaseUrl = postgres.url;
    return live;
  };

  it("compares the shadow's answers with production's from the request log, then hands over to the canary's steps", async () => {
    const { github, deliver, tick, state } = await shadowRelease('1.3.0');
    await deliver({ id: 2 });
    expect(state()).toMatchObject({ strategy: 'shadow', weight: 0, shadow: { phase: 'shadow' } });
    expect(await tick(10)).toBe(1);
    expect(state().shadow).toMatchObject({ judged: 1 });
    expect(await tick(10)).toBe(1);
    // Passed: the canary's first step, without a mirror.
    const step = github.deployments.at(-1)!;
    expect(step).toMatchObject({ environment: 'canary', payload: { version: '1.3.0', weight: 10 } });
    expect(step.payload).not.toHaveProperty('mirror');
    expect(state()).toMatchObject({ status: 'running', awaiting: step.id, shadow: { phase: 'canary' } });
    expect(report(github)).toMatch(/Shadow: gpt2 1\.3\.0/);

    await deliver({ id: step.id });
    expect(state()).toMatchObject({ weight: 10, deploymentId: step.id });
    expect(await tick(5)).toBe(1); // the canary's own interval (5m) judges it now
    expect(state().intervals.at(-1)).toMatchObject({ verdict: 'pass' });
    expect(github.violations).toEqual([]);
  });

  it('a shadow that declines where production answers fails at once: failure status, revert pull request, no traffic ever', async () => {
    const { github, deliver, tick, state } = await shadowRelease('1.4.0');
    await deliver({ id: 2 });
    expect(await tick(10)).toBe(1);
    expect(state()).toMatchObject({ status: 'failed', shadow: { outcome: { verdict: 'fail' } } });
    // Its errors failed the serving metrics, and its answers the refusal check: the report shows both.
    expect(report(github)).toMatch(/\| refusals \(shadow − production\) \| 120 \| 20% \|.*\| ❌ fail \|/);
    expect(report(github)).toMatch(/\| error_rate \| 0\.025 \(n=21\) \| 0\.01 \(n=21\) \|.*❌ fail/);
    expect(github.deploymentStatuses).toEqual([expect.objectContaining({ deployment: 2, state: 'failure' })]);
    expect(github.pullRequests).toEqual([expect.objectContaining({ title: 'Roll back gpt2 to 1.2.0' })]);
    expect(
      github.deployments.filter((d) => {
        const payload = d.payload as { version: string; weight: number };
        return payload.version === '1.4.0' && payload.weight > 0;
      }),
    ).toEqual([]);
    // Its mirror stops: production's 1.2.0 at 100 %, as the only deployment since.
    expect(takenOut(github)).toEqual([['gpt2@v1.2.0', 100]]);
  });

  it('without the database URL the answers are an error each interval, and the shadow never passes', async () => {
    const live = await shadowRelease('1.3.0');
    live.app().config.shadowDatabaseUrl = undefined;
    await live.deliver({ id: 2 });
    await live.tick(10);
    await live.tick(10);
    expect(live.state().status).toBe('failed');
    expect(report(live.github)).toContain('MODELGATE_SHADOW_DATABASE_URL');
  });
});

describe('what a deployment may not steer', () => {
  it('a deployment of a branch, or of a release tag on another commit, is never analysed', async () => {
    const { github, deliver, registry, v2 } = await liveCanary('1.3.0', prometheus.url);
    // Anyone with deployments: write can deploy the head of an open pull request's branch.
    registry.git('checkout', '-q', '-b', 'feature/x');
    registry.write('.github/modelgate.yml', 'endpoints:\n  url: https://attacker.example/v1\n');
    const head = registry.commit('point the endpoints elsewhere (#43)');
    registry.git('checkout', '-q', 'main');
    github.pulls.set(head, [{ number: 43, title: 'x', merged_at: null, user: { login: 'mallory' } }]);
    const payload = {
      model: 'gpt2',
      version: '1.3.0',
      weight: 10,
      manifest: 'models/gpt2/model.yaml',
      trigger: v2,
    };
    const base = { environment: 'canary', description: '', production_environment: false, payload };
    github.deployments.push({ ...base, id: 8, ref: 'feature/x', sha: head });
    github.deployments.push({ ...base, id: 9, ref: 'gpt2@v1.3.0', sha: head });
    await deliver({ id: 8 });
    await deliver({ id: 9 });
    expect(github.comments).toEqual([]);
    expect(github.checkRuns).toEqual([]);
  });

  it('a payload that breaks the contract (a version that is no version) is never analysed', async () => {
    const { github, deliver } = await liveCanary(
      '1.3.0',
      prometheus.url,
      {},
      {
        first: { payload: { version: '1.3.0@evil.example/x?' } },
      },
    );
    await deliver({ id: 2 });
    expect(github.comments).toEqual([]);
    expect(github.checkRuns).toEqual([]);
  });

  it('the baseline is the version production serves: a newer production deployment that failed is not it', async () => {
    const { github, deliver, state, v1 } = await liveCanary('1.3.0', prometheus.url);
    github.deployments.push({
      id: 5,
      ref: 'gpt2@v1.2.0',
      sha: v1,
      environment: 'production',
      payload: {
        model: 'gpt2',
        version: '1.1.9',
        weight: 100,
        manifest: 'models/gpt2/model.yaml',
        trigger: v1,
      },
      description: '',
      production_environment: true,
    });
    github.reportDeployed(5, 'failure');
    await deliver({ id: 2 });
    expect(state().baselineVersion).toBe('1.2.0');
  });

  it("a shadow's request-log query comes from the default branch, not from the release commit", async () => {
    const live = await liveCanary(
      '1.3.0',
      prometheus.url,
      {
        rollout: {
          strategy: 'shadow',
          shadow: { duration: '20m', interval: '10m', outputs: { source: 'postgres', min_pairs: 100 } },
        },
      },
      {
        first: { payload: { weight: 0, mirror: 10, strategy: 'shadow' } },
        settings: 'shadow:\n  outputs:\n    preset: litellm\n',
      },
    );
    live.app().config.shadowDatabaseUrl = postgres.url;
    // The default branch moves on without the shadow settings; the release commit still has them.
    live.registry.write('.github/modelgate.yml', 'stages: [canary, production]\n');
    live.registry.commit('drop the shadow settings');
    await live.deliver({ id: 2 });
    await live.tick(10);
    expect(report(live.github)).toContain('has no shadow.outputs query or preset');
  });

  it('/canary abort after a blue-green switch deploys blue to production again: green never keeps the traffic', async () => {
    const live = await liveCanary(
      '1.3.0',
      prometheus.url,
      { rollout: BLUE_GREEN },
      { first: { environment: 'preview', payload: { weight: 0, strategy: 'blue_green', role: 'preview' } } },
    );
    live.github.roles.set('alice', 'write');
    await live.deliver({ id: 2 });
    await live.tick(0);
    await live.tick(5);
    const switchId = live.github.deployments.at(-1)!.id;
    await live.deliver({ id: switchId });
    const payload = issueComment('/canary abort');
    await live.probot().receive({ id: `c-${payload.comment.id}`, name: 'issue_comment', payload } as any);
    expect(live.github.deployments.at(-1)).toMatchObject({
      environment: 'production',
      ref: 'gpt2@v1.2.0',
      payload: { version: '1.2.0', weight: 100, strategy: 'blue_green', role: 'active' },
    });
    expect(live.state()).toMatchObject({ status: 'aborted', blueGreen: { phase: 'switched-back' } });
  });
});

describe('shadow by replay', () => {
  it('sends recorded prompts to both versions once each, compares the answers and promotes', async () => {
    const questions = Array.from({ length: 120 }, (_, i) => ({
      id: `q${i}`,
      prompt: `How do I rotate key ${i}?`,
    }));
    const asked = new Map<string, number>();
    const llm = await FakeLlm.start({
      answer: (question, { url }) => {
        const version = /\/(\d+\.\d+\.\d+)\/v1\//.exec(url)?.[1] ?? '?';
        asked.set(`${version} ${question}`, (asked.get(`${version} ${question}`) ?? 0) + 1);
        return `To rotate it, open the console and choose "rotate" (${question.length} characters asked).`;
      },
    });
    try {
      const base = new URL(llm.url);
      const live = await liveCanary(
        '1.3.0',
        prometheus.url,
        {
          rollout: {
            strategy: 'shadow',
            shadow: {
              duration: '20m',
              interval: '10m',
              then: 'promote',
              outputs: {
                source: 'replay',
                replay: 'prompts.jsonl',
                sample: 60,
                min_pairs: 100,
                checks: {
                  similarity: { min: 0.6 },
                  refusal_rate: { max_increase: 0.05 },
                  length_ratio: { min: 0.5, max: 2 },
                },
              },
            },
          },
        },
        {
          first: { payload: { weight: 0, mirror: 10, strategy: 'shadow' } },
          settings: `endpoints:\n  url: 'http://${base.host}/{version}/v1'\n`,
          files: { 'models/gpt2/prompts.jsonl': questions.map((q) => JSON.stringify(q)).join('\n') + '\n' },
        },
      );
      live.app().config.evalApiKey = 'sk-test-eval';
      await live.deliver({ id: 2 });
      expect(await live.tick(10)).toBe(1);
      expect(await live.tick(10)).toBe(1);
      expect(live.state()).toMatchObject({ status: 'promoted', shadow: { outcome: { verdict: 'pass' } } });
      // 120 prompts, each sent once to each version; the key went with every request.
      expect(asked.size).toBe(240);
      expect([...asked.values()].every((n) => n === 1)).toBe(true);
      expect(new Set(llm.authorizations)).toEqual(new Set(['Bearer sk-test-eval']));
      expect(live.github.deployments.at(-1)).toMatchObject({
        environment: 'production',
        payload: { version: '1.3.0' },
      });
    } finally {
      await llm.close();
    }
  });
});
