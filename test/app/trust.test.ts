import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeState, type CanaryState } from '../../src/core/canary/state.js';
import { issueComment, liveCanary as liveCanaryAt, STATE_KEY } from '../helpers/canary-app.js';
import { APP_BOT, person, type FakeGitHub } from '../helpers/fake-github.js';
import { requestSeries, startPrometheus, T0, type RunningPrometheus } from '../helpers/prometheus.js';

let prometheus: RunningPrometheus;
beforeAll(async () => {
  prometheus = await startPrometheus(requestSeries('gpt2', { '1.2.0': 0.01, '1.3.0': 0.01 }));
}, 60_000);
afterAll(async () => prometheus?.stop());

/** gpt2 1.3.0 from pull request #42, live at 10 % on canary (deployment 2); 1.2.0 in production. */
const liveCanary = () => liveCanaryAt('1.3.0', prometheus.url);

const MARKER = '<!-- modelgate:canary:gpt2 -->';
const NOTICE = '<!-- modelgate:ignored:gpt2 -->';

/** A state line as modelgate wrote it before it sealed its state: base64url JSON, no MAC. */
const unsealedLine = (state: object) =>
  `<!-- modelgate-state:${Buffer.from(JSON.stringify(state)).toString('base64url')} -->`;

/** A state that says "last step, every interval passed": promote on the next tick, to the commit it names. */
function lastStepState(overrides: Partial<CanaryState>): CanaryState {
  return {
    v: 1,
    model: 'gpt2',
    version: '1.3.0',
    ref: 'gpt2@v1.3.0',
    sha: '0'.repeat(40),
    manifest: 'models/gpt2/model.yaml',
    trigger: '0'.repeat(40),
    pr: 42,
    environment: 'canary',
    productionEnvironment: 'production',
    productionStage: 'production',
    baselineVersion: '1.2.0',
    deploymentId: 2,
    weight: 100,
    stepStartedAt: new Date((T0 + 600) * 1000).toISOString(), // when the deployer reported the canary live
    intervals: [],
    status: 'running',
    ...overrides,
  };
}

const canaryComments = (github: FakeGitHub) => github.comments.filter((c) => c.body.startsWith(MARKER));
const notices = (github: FakeGitHub) => github.comments.filter((c) => c.body.startsWith(NOTICE));
const production = (github: FakeGitHub) => github.deployments.filter((d) => d.environment === 'production');

/** The app's own canary comment, edited by hand: its state line replaced by `line`. */
function handEdit(github: FakeGitHub, line: string): void {
  const own = canaryComments(github).find((c) => c.user.login === APP_BOT.login)!;
  own.body = own.body.replace(/<!-- modelgate-state:[^ ]* -->/, line);
}

describe('the app reads state only from its own comments', () => {
  it("a read-only user's forged report, posted before the app's own, is neither adopted nor edited, and no forged commit reaches production", async () => {
    const { github, registry, deliver, tick, state, v2 } = await liveCanary();
    github.roles.set('mallory', 'read');
    // A commit nobody released (pushed to a branch of a fork, say), under the real canary deployment's id.
    registry.git('checkout', '-q', '-b', 'evil');
    registry.write('models/gpt2/generation_config.json', '{"temperature": 9}');
    const evil = registry.commit('evil');
    registry.git('checkout', '-q', 'main');
    const forged = `${MARKER}\n${unsealedLine(lastStepState({ sha: evil, ref: 'evil', trigger: evil }))}\nlooks fine`;
    const stranger = github.postComment(42, forged, person('mallory'));

    await deliver({ id: 2, weight: 10 });
    expect(await tick(6)).toBe(1);
    expect(await tick(6)).toBe(0); // waiting for the deployer to shift to 100 %

    expect(stranger.body).toBe(forged);
    expect(canaryComments(github).map((c) => c.user.login)).toEqual(['mallory', 'modelgate[bot]']);
    expect(state()).toMatchObject({ sha: v2, ref: 'gpt2@v1.3.0', weight: 10, awaiting: 1002 });
    expect(production(github)).toEqual([expect.objectContaining({ id: 1, ref: 'gpt2@v1.2.0' })]);
    expect(registry.git('tag', '-l', 'gpt2#production#*')).toBe('gpt2#production#1');
    expect(registry.git('tag', '--points-at', evil)).toBe('');
    // Reported once on the pull request, by the app's own comment.
    expect(notices(github)).toHaveLength(1);
    expect(notices(github)[0]).toMatchObject({ user: APP_BOT });
    expect(notices(github)[0]!.body).toContain(
      `comment https://github.com/acme/models/pull/42#issuecomment-${stranger.id} by @\u200bmallory carries the marker of modelgate's canary report for **gpt2**, but modelgate did not write it: it was not read.`,
    );
    const own = canaryComments(github).find((c) => c.user.login === APP_BOT.login)!;
    const edits = github.requests.filter((r) => r.operation.endsWith('/issues/comments/{comment_id}'));
    expect(edits.map((r) => r.path)).toEqual([`/repos/acme/models/issues/comments/${own.id}`]); // only its own report
    expect(github.violations).toEqual([]);
  });

  it("a forged report posted after the app's own is not read; when the app's comment is then deleted, the analysis restarts from GitHub's deployments", async () => {
    const { github, deliver, tick, state, v1, v2 } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    const forged = `${MARKER}\n${unsealedLine(lastStepState({ sha: v1, ref: 'gpt2@v1.2.0' }))}`;
    const stranger = github.postComment(42, forged, person('mallory'));
    expect(await tick(6)).toBe(1);
    expect(state()).toMatchObject({ sha: v2, awaiting: 1002 });

    // A maintainer deletes the app's report: the forged one is now the first with the marker.
    const ownIndex = github.comments.findIndex(
      (c) => c.user.login === APP_BOT.login && c.body.startsWith(MARKER),
    );
    github.comments.splice(ownIndex, 1);
    await deliver({ id: 1002, weight: 100 }); // the deployer shifted to 100 %
    expect(await tick(0)).toBe(0);

    expect(stranger.body).toBe(forged);
    expect(production(github)).toHaveLength(1);
    expect(state()).toMatchObject({ sha: v2, deploymentId: 1002, weight: 100, intervals: [] });
    expect(notices(github)).toHaveLength(1);
    expect(notices(github)[0]!.body).toContain(`#issuecomment-${stranger.id} by @\u200bmallory`);
    expect(github.violations).toEqual([]);
  });
});

describe("the app's own report, edited by hand, cannot steer it", () => {
  it('a state changed without a valid MAC is not acted on, is reported once, and the analysis restarts paused at the step the deployments show', async () => {
    const { github, deliver, tick, state, warnings, v2, probot } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    const before = state();
    // The maintainer's edit: last step, so the next tick would promote.
    handEdit(github, unsealedLine({ ...before, weight: 100 }));

    expect(await tick(6)).toBe(0);
    expect(production(github)).toHaveLength(1);
    expect(state()).toMatchObject({ sha: v2, deploymentId: 2, weight: 10, intervals: [], status: 'running' });
    expect(state().checkRunId).not.toBe(before.checkRunId); // a fresh analysis, with its own check run
    expect(notices(github)).toHaveLength(1);
    expect(notices(github)[0]!.body).toMatch(
      /the state in modelgate's report https:\/\/github\.com\/acme\/models\/pull\/42#issuecomment-\d+ was not acted on: its state line carries no MAC\. The analysis restarts, paused, at the step GitHub's deployments show: \/canary resume goes on\./,
    );
    expect(warnings).toEqual([expect.stringContaining('acme/models#42: ignored state:')]);

    // What the lost state knew (a pause, failed intervals) is gone, so the fresh analysis waits for a person.
    expect(state().paused).toMatchObject({
      by: APP_BOT.login,
      link: expect.stringContaining('#issuecomment-'),
    });
    expect(await tick(6)).toBe(0);
    github.roles.set('octocat', 'write');
    await probot().receive({
      id: 'resume',
      name: 'issue_comment',
      payload: issueComment('/canary resume', { login: 'octocat' }),
    } as any);
    expect(state().paused).toBeUndefined();

    // It goes on from there: the next interval is judged at 10 %, and the notice is not written again.
    const notice = notices(github)[0]!.body;
    expect(await tick(6)).toBe(1);
    expect(state()).toMatchObject({ weight: 10, awaiting: 1002 });
    expect(notices(github)).toHaveLength(1);
    expect(notices(github)[0]!.body).toBe(notice);
    expect(warnings).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it("a state the app's key sealed, whose commit and ref are not the deployment's, is not acted on", async () => {
    const { github, deliver, tick, state, v1, v2 } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    const real = state();
    // As a leaked key or a bug would write it: sealed for this pull request, anchored in the check run.
    const foreign = { ...real, sha: v1, ref: 'gpt2@v1.2.0', weight: 100 };
    const sealed = encodeState(foreign, STATE_KEY, { repository: 'acme/models', pr: 42 });
    handEdit(github, sealed.line);
    github.checkRuns.find((r) => r.id === real.checkRunId)!.external_id = sealed.anchor;

    expect(await tick(6)).toBe(0);
    expect(production(github)).toHaveLength(1);
    expect(state()).toMatchObject({ sha: v2, ref: 'gpt2@v1.3.0', weight: 10, intervals: [] });
    expect(notices(github)[0]!.body).toContain(
      `was not acted on: deployment 2 is gpt2 1.3.0 at gpt2@\u200bv1.3.0 (${v2.slice(0, 12)}) in canary, and the state says gpt2 1.3.0 at gpt2@\u200bv1.2.0 (${v1.slice(0, 12)}) in canary.`,
    );
  });

  it('a sealed state copied from another pull request or repository does not verify here', async () => {
    for (const scope of [
      { repository: 'acme/models', pr: 41 },
      { repository: 'acme/other-models', pr: 42 },
    ]) {
      const { github, deliver, tick, state } = await liveCanary();
      await deliver({ id: 2, weight: 10 });
      const real = state();
      const replayed = encodeState({ ...real, weight: 100, pr: scope.pr }, STATE_KEY, scope);
      handEdit(github, replayed.line);
      github.checkRuns.find((r) => r.id === real.checkRunId)!.external_id = replayed.anchor;
      expect(await tick(6)).toBe(0);
      expect(production(github)).toHaveLength(1);
      expect(state()).toMatchObject({ weight: 10, intervals: [] });
      expect(notices(github)[0]!.body).toMatch(/does not verify \(changed by hand, or copied from another/);
    }
  });

  it("an earlier state of an aborted canary, put back from the comment's edit history, does not start it again", async () => {
    const { github, deliver, tick, probot } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    const own = canaryComments(github).find((c) => c.user.login === APP_BOT.login)!;
    const running = own.body.match(/<!-- modelgate-state:[^ ]* -->/)![0];
    github.roles.set('alice', 'write');
    const abort = issueComment('/canary abort', { login: 'alice' });
    await probot().receive({ id: 'abort', name: 'issue_comment', payload: abort } as any);
    expect(github.deploymentStatuses).toEqual([expect.objectContaining({ deployment: 2, state: 'failure' })]);
    // Taken out of traffic: the version it replaced answers every request again.
    expect(production(github).map((d) => [d.ref, (d.payload as { weight: number }).weight])).toEqual([
      ['gpt2@v1.2.0', 100],
      ['gpt2@v1.2.0', 100],
    ]);

    handEdit(github, running); // sealed by the app, but no longer its last word: "running, 10 %"
    // A finished canary is never judged again; a command that reads it (through the switch back, the
    // model's newest deployment, made for this rollout) finds the state refused.
    const promote = issueComment('/promote gpt2', { login: 'alice' });
    await probot().receive({ id: 'promote', name: 'issue_comment', payload: promote } as any);
    expect(github.comments.at(-1)!.body).toContain('holds no state modelgate can trust');
    expect(await tick(6)).toBe(0);
    expect(github.deployments.filter((d) => d.environment === 'canary')).toHaveLength(1); // no step taken
    expect(production(github)).toHaveLength(2); // and not promoted (the second is the abort's 1.2.0)
    expect(notices(github)[0]!.body).toContain(
      'was not acted on: it is not the state modelgate saved last (an earlier state put back by hand).',
    );
    expect(github.violations).toEqual([]);
  });

  it('a sealed state from before a restart, put back by hand, does not undo the paused restart', async () => {
    const { github, deliver, tick, state, probot } = await liveCanary();
    await deliver({ id: 2, weight: 10 });
    const own = canaryComments(github).find((c) => c.user.login === APP_BOT.login)!;
    const beforeRestart = own.body.match(/<!-- modelgate-state:[^ ]* -->/)![0];
    handEdit(github, unsealedLine({ ...state(), weight: 100 }));
    expect(await tick(6)).toBe(0); // restarted, paused, with a new check run
    const restarted = state();
    expect(restarted.paused).toBeDefined();

    handEdit(github, beforeRestart); // its own seal and its own (older) check run's anchor still agree
    github.roles.set('alice', 'write');
    const resume = issueComment('/canary resume', { login: 'alice' });
    await probot().receive({ id: 'resume', name: 'issue_comment', payload: resume } as any);
    expect(github.comments.at(-1)!.body).toContain('holds no state modelgate can trust');
    expect(await tick(6)).toBe(0); // restarted again, paused, from the deployments
    expect(state().paused).toBeDefined(); // still waiting for a person
    expect(state().intervals).toEqual([]);
    expect(github.deployments.filter((d) => d.environment === 'canary')).toHaveLength(1); // no step taken
    expect(notices(github)[0]!.body).toContain(
      `was superseded by a newer analysis (check run ${restarted.checkRunId})`,
    );
    expect(github.violations).toEqual([]);
  });
});
