import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { LEVELS, type Level } from '../../src/core/chatops/permission.js';
import { issueComment, lastCommentId, liveCanary } from '../helpers/canary-app.js';
import type { FakeGitHub } from '../helpers/fake-github.js';

/** Prometheus is never asked in these tests: an address nothing listens on. */
const NO_PROMETHEUS = 'http://127.0.0.1:9';

/** gpt2 1.3.0 live at 10 % on canary from pull request #42 (which touches gpt2), the app listening. */
async function chatops(extra: Record<string, unknown> = {}) {
  const live = await liveCanary('1.3.0', NO_PROMETHEUS, extra);
  await live.deliver({ id: 2, weight: 10 });
  live.github.pullFiles.set(42, ['models/gpt2/model.yaml', 'models/gpt2/generation_config.json']);
  const { github } = live;
  /** Delivers a comment; returns the requests it made (token requests left out) and the replies it posted. */
  const say = async (body: string, options: Parameters<typeof issueComment>[1] = {}) => {
    const before = github.requests.length;
    const repliesBefore = replies(github).length;
    const payload = issueComment(body, options);
    await live.probot().receive({ id: `c-${payload.comment.id}`, name: 'issue_comment', payload } as any);
    return {
      requests: github.requests
        .slice(before)
        .filter((r) => !r.operation.startsWith('/app/'))
        .map((r) => `${r.method} ${r.operation}`),
      replies: replies(github).slice(repliesBefore),
      payload,
    };
  };
  return { ...live, say };
}

const replies = (github: FakeGitHub) =>
  github.comments.filter((c) => c.body.startsWith('<!-- modelgate:reply -->')).map((c) => c.body);

const REFUSED = [
  'GET /repos/{owner}/{repo}/contents/{path}',
  'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
  'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
];

/** Each command, the level it needs by default, and what acting on it leaves behind. */
const COMMANDS: {
  body: string;
  needs: Level;
  acted: (app: Awaited<ReturnType<typeof chatops>>, reply: string) => void;
}[] = [
  {
    body: '/help',
    needs: 'read',
    acted: (_, reply) => expect(reply).toContain('| who may use it |'),
  },
  {
    body: '/canary status',
    needs: 'read',
    acted: (_, reply) =>
      expect(reply).toContain('**gpt2 1.3.0** canary: running at 10% of traffic; 0 intervals judged'),
  },
  {
    body: '/canary pause',
    needs: 'write',
    acted: ({ state }) => expect(state().paused).toMatchObject({ by: 'user' }),
  },
  {
    body: '/canary resume',
    needs: 'write',
    acted: ({ state }, reply) => {
      expect(reply).toContain('the canary of **gpt2 1.3.0** is not paused');
      expect(state().paused).toBeUndefined();
    },
  },
  {
    body: '/canary abort',
    needs: 'write',
    acted: ({ state, github }) => {
      expect(state()).toMatchObject({ status: 'aborted', endedBy: { by: 'user' } });
      expect(github.deploymentStatuses).toEqual([
        expect.objectContaining({ deployment: 2, state: 'failure' }),
      ]);
    },
  },
  {
    body: '/promote',
    needs: 'write',
    acted: ({ state, registry }) => {
      expect(state().status).toBe('promoted');
      expect(registry.git('tag', '-l', 'gpt2#production#*')).toContain('gpt2#production#2');
    },
  },
  {
    body: '/rollback --plan',
    needs: 'write',
    acted: ({ github }, reply) => {
      expect(reply).toContain('a rollback would take **gpt2** from 1.3.0 to **1.2.0**');
      expect(github.pullRequests).toEqual([]);
    },
  },
  {
    body: '/rollback',
    needs: 'write',
    acted: ({ github }) =>
      expect(github.pullRequests).toEqual([expect.objectContaining({ title: 'Roll back gpt2 to 1.2.0' })]),
  },
];

describe('ChatOps: who may act', () => {
  for (const command of COMMANDS)
    it(`${command.body}: refused below ${command.needs} access with nothing done, acted on from it`, async () => {
      const app = await chatops();
      // Weakest first: a refusal changes nothing, so one app serves every level.
      for (const level of LEVELS) {
        app.github.roles.set('user', level);
        const { requests, replies } = await app.say(command.body, { login: 'user' });
        expect(replies).toHaveLength(1);
        expect(app.github.reactions.get(lastCommentId())).toEqual(new Set(['eyes']));
        if (LEVELS.indexOf(level) < LEVELS.indexOf(command.needs)) {
          expect(requests).toEqual(REFUSED);
          expect(replies[0]).toContain(
            `needs ${command.needs} access to this repository or more, and you have ${level === 'none' ? 'no access' : `${level} access`}. Nothing was done.`,
          );
        } else {
          expect(replies[0]).not.toContain('access to this repository or more');
          // The first level that acts shows what acting does; above it, the command is not refused.
          if (level === command.needs) command.acted(app, replies[0]!);
        }
      }
      expect(app.github.violations).toEqual([]);
    });
});

describe('ChatOps: feedback, exactly once, and hostile input', () => {
  it('a user GitHub does not know (404) is refused like one without access', async () => {
    const { say } = await chatops();
    const { requests, replies } = await say('/promote', { login: 'ghost' });
    expect(requests).toEqual(REFUSED);
    expect(replies[0]).toContain('you have no access');
  });

  it("never trusts the webhook's author_association: a contributor from a fork who claims OWNER is asked of the API", async () => {
    const { github, say, state } = await chatops();
    github.roles.set('forker', 'read');
    const { requests, replies } = await say('/promote gpt2', { login: 'forker', association: 'OWNER' });
    expect(requests).toEqual(REFUSED);
    expect(replies[0]).toContain('needs write access');
    expect(state().status).toBe('running');
  });

  it('a duplicate delivery of the same comment is acted on once: one reply, one promotion', async () => {
    const { github, say, state } = await chatops();
    github.roles.set('alice', 'admin');
    const first = await say('/promote', { id: 555 });
    const writes = github.writes().length;
    const again = await say('/promote', { id: 555 });
    expect(first.replies).toHaveLength(1);
    expect(again.replies).toEqual([]);
    expect(again.requests).toEqual([
      'GET /repos/{owner}/{repo}/contents/{path}',
      'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    ]);
    expect(github.writes()).toHaveLength(writes + 1); // the reaction, answered 200: it exists
    expect(state().status).toBe('promoted');
  });

  it('two /rollback comments at once open one revert pull request; both replies point to it', async () => {
    const { github, say } = await chatops();
    github.roles.set('alice', 'write');
    github.roles.set('bob', 'maintain');
    const [a, b] = await Promise.all([
      say('/rollback', { login: 'alice' }),
      say('/rollback gpt2', { login: 'bob' }),
    ]);
    expect(github.pullRequests).toHaveLength(1);
    const all = replies(github);
    expect(all).toHaveLength(2);
    expect(all.filter((r) => r.includes('opened https://github.com/acme/models/pull/100'))).toHaveLength(1);
    expect(
      all.filter((r) =>
        r.includes(
          'a rollback of **gpt2** to 1.2.0 is already open: https://github.com/acme/models/pull/100',
        ),
      ),
    ).toHaveLength(1);
    expect(a.payload.comment.id).not.toBe(b.payload.comment.id);
    expect(github.violations).toEqual([]);
  });

  it('an edited comment is not read, even when it now holds a command', async () => {
    const { github, say } = await chatops();
    github.roles.set('alice', 'admin');
    const { requests, replies } = await say('/rollback', { action: 'edited' });
    expect(requests).toEqual([]);
    expect(replies).toEqual([]);
    expect(github.pullRequests).toEqual([]);
  });

  it('a comment that is not a command is not answered, and costs no request', async () => {
    const { say } = await chatops();
    expect((await say('LGTM. /rollback if it misbehaves')).requests).toEqual([]);
    expect((await say(' not/a command')).requests).toEqual([]);
  });

  it('bots, modelgate included, are refused with a reply and never asked about', async () => {
    const { github, say } = await chatops();
    github.roles.set('dependabot[bot]', 'admin');
    github.roles.set('modelgate[bot]', 'admin');
    for (const login of ['dependabot[bot]', 'modelgate[bot]']) {
      const { requests, replies } = await say('/rollback', { login, type: 'Bot' });
      expect(requests).toEqual([
        'GET /repos/{owner}/{repo}/contents/{path}',
        'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      ]);
      expect(replies[0]).toContain('comments by bots (modelgate included) are not acted on');
    }
    expect(github.pullRequests).toEqual([]);
  });

  it('hostile arguments: markdown, HTML and mentions in a model name come back inert, and nothing else happens', async () => {
    const { github, say } = await chatops();
    github.roles.set('alice', 'admin');
    const hostile = '<img src=x onerror=alert(1)>**[click](https://evil.example)**@everyone';
    const { requests, replies } = await say(`/rollback ${hostile}`);
    expect(requests).toEqual([
      'GET /repos/{owner}/{repo}/contents/{path}',
      'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    ]);
    const reply = replies[0]!;
    expect(reply).toContain('/rollback` was understood, but');
    expect(reply).not.toContain('<img');
    expect(reply).not.toContain('](https');
    expect(reply).not.toContain('@everyone');
    expect(reply).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;\\*\\*\\[click\\]');
  });

  it('hostile arguments: an unknown model that looks like a model name is escaped in the reply', async () => {
    const { github, say } = await chatops();
    github.roles.set('alice', 'admin');
    const { requests, replies } = await say('/promote no_such__model');
    expect(replies[0]).toContain(
      'no model named **no\\_such\\_\\_model** is registered in this repository (registered: `gpt2`). Nothing was done.',
    );
    expect(requests.filter((r) => !r.startsWith('GET'))).toEqual([
      'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    ]);
  });

  it('very long input is cut: the command is not read past 200 characters, the quote past 80', async () => {
    const { github, say } = await chatops();
    github.roles.set('alice', 'admin');
    const { replies } = await say(`/rollback ${'x'.repeat(100_000)}`);
    expect(replies[0]).toContain('the command is longer than 200 characters');
    expect(replies[0]!.length).toBeLessThan(1_000);
    expect(github.pullRequests).toEqual([]);
  });

  it('an unknown command gets a reply that lists the commands; with unknown_commands: ignore, nothing at all', async () => {
    const app = await chatops();
    const { replies } = await app.say('/rolback gpt2');
    expect(replies[0]).toContain('`/rolback` is not a modelgate command. The commands are `/rollback');
    app.registry.write('.github/modelgate.yml', stringify({ chatops: { unknown_commands: 'ignore' } }));
    app.registry.commit('ignore other bots');
    const again = await app.say('/lgtm');
    expect(again.requests).toEqual(['GET /repos/{owner}/{repo}/contents/{path}']);
    expect(again.replies).toEqual([]);
  });
});

describe('ChatOps: the commands', () => {
  it("finds the model's canary behind a page of other tools' deployments (docs previews share the list)", async () => {
    const { github, say, state } = await chatops();
    for (let i = 0; i < 120; i++)
      github.deployments.push({
        id: 5000 + i,
        ref: 'main',
        sha: 'f'.repeat(40),
        environment: `docs-preview-${i}`,
        payload: {},
        description: '',
        production_environment: false,
      });
    github.roles.set('alice', 'write');
    const { replies } = await say('/canary abort');
    expect(replies[0]).toContain('aborted the canary of **gpt2 1.3.0**');
    expect(state()).toMatchObject({ status: 'aborted' });
  });

  it('/rollback aborts the running canary first, then opens the revert pull request with who asked and where', async () => {
    const { github, say, state, registry } = await chatops();
    github.roles.set('alice', 'write');
    const { replies, payload } = await say('/rollback');
    expect(replies[0]).toContain(
      'opened https://github.com/acme/models/pull/100 to roll back **gpt2** from 1.3.0 to **1.2.0**',
    );
    expect(replies[0]).toContain('The canary of 1.3.0 was aborted first.');
    expect(github.deploymentStatuses).toEqual([
      expect.objectContaining({ deployment: 2, state: 'failure', description: 'canary aborted by @alice' }),
    ]);
    expect(state()).toMatchObject({
      status: 'aborted',
      endedBy: { by: 'alice', link: payload.comment.html_url },
      revertUrl: 'https://github.com/acme/models/pull/100',
    });
    expect(github.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    const [pull] = github.pullRequests;
    expect(pull!.body).toContain(`Requested by @alice from ${payload.comment.html_url}`);
    const [commit] = [...github.commits.values()].filter((c) => c.message.startsWith('Roll back'));
    expect(commit!.message).toContain('Requested-by: alice');
    const [tree] = [...github.trees.values()];
    expect(tree!.tree).toContainEqual({
      path: 'models/gpt2/model.yaml',
      mode: '100644',
      type: 'blob',
      sha: registry.git('rev-parse', 'gpt2@v1.2.0:models/gpt2/model.yaml'),
    });
    expect(github.graphqlCalls).toEqual([]);
    expect(github.violations).toEqual([]);
  });

  it('/canary pause asks GitHub for exactly what it needs, and writes only the reaction, the state and the reply', async () => {
    const { github, say } = await chatops();
    github.roles.set('alice', 'write');
    const { requests } = await say('/canary pause');
    expect(requests).toEqual([
      'GET /repos/{owner}/{repo}/contents/{path}', // .github/modelgate.yml on main
      'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', // the claim
      'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
      'GET /repos/{owner}/{repo}/git/matching-refs/{ref}', // registered models
      'GET /repos/{owner}/{repo}/git/ref/{ref}', // which models the pull request touches: main's tree,
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files', // its files,
      'GET /repos/{owner}/{repo}/contents/{path}', // and the touched manifest
      'GET /repos/{owner}/{repo}/deployments', // the canary: the model's newest deployment,
      'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', // its pull request,
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', // its report,
      'GET /repos/{owner}/{repo}/deployments/{deployment_id}', // checked against its deployment
      'GET /repos/{owner}/{repo}/check-runs/{check_run_id}', // and its anchor in the check run,
      'GET /repos/{owner}/{repo}/commits/{ref}/check-runs', // the newest analysis of the model
      'GET /repos/{owner}/{repo}/contents/{path}', // the policy, for the report
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', // the state
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', // its new anchor
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments', // the reply
    ]);
  });

  it('/rollback enables auto-merge with rollback.mode: auto_merge', async () => {
    const { github, say } = await chatops({ rollback: { mode: 'auto_merge' } });
    github.roles.set('alice', 'write');
    await say('/rollback');
    expect(github.graphqlCalls).toEqual([
      { query: expect.stringContaining('enablePullRequestAutoMerge'), variables: { id: 'PR' } },
    ]);
  });

  it('/rollback to a version that was never released says what is released; nothing is written', async () => {
    const { github, say, state } = await chatops();
    github.roles.set('alice', 'write');
    const { replies } = await say('/rollback gpt2 to 9.9.9');
    expect(replies[0]).toContain(
      'nothing was done: gpt2 9.9.9 is not a released version \\(released: 1.2.0, 1.3.0\\). Name a released version.',
    );
    expect(github.pullRequests).toEqual([]);
    expect(state().status).toBe('running');
  });

  it("/rollback to a version GTO registered with a numbered tag checks that the tag's manifest is of that version", async () => {
    const { github, say, registry, v1 } = await chatops();
    github.roles.set('alice', 'write');
    // A copy of 1.2.0's commit, registered by hand as 1.1.0: its manifest says 1.2.0.
    const copy = registry.git('commit-tree', registry.treeOf(v1), '-p', v1, '-m', 'copy of 1.2.0');
    registry.tag('gpt2@v1.1.0#7', { commit: copy, date: 1_760_000_050 });
    // No simple tag: a deployment could not name the release, so the revert is refused before anything is read.
    const unnamed = (await say('/rollback gpt2 to 1.1.0 --plan')).replies[0];
    expect(unnamed).toContain(
      'nothing was done: cannot roll back to 1.1.0: gpt2 1.1.0 is registered as gpt2@\u200bv1.1.0\\#7',
    );
    // The command as code, to be copied as it is.
    expect(unnamed).toContain(
      'which does not exist. Create the simple tag on the same commit and push it: `git tag -a -m "Registering gpt2 1.1.0" gpt2@v1.1.0 \'gpt2@v1.1.0#7^{commit}\' && git push origin gpt2@v1.1.0`',
    );
    registry.tag('gpt2@v1.1.0', { commit: copy, date: 1_760_000_040 });
    const { replies } = await say('/rollback gpt2 to 1.1.0 --plan');
    expect(replies[0]).toContain('nothing was done');
    expect(replies[0]).toContain('has no manifest of gpt2 1.1.0 where the app looks');
    expect(replies[0]).toContain('is the manifest of gpt2 1.2.0');
    expect(replies[0]).not.toContain('restored from');
  });

  it('/rollback --plan lists the files and changes nothing', async () => {
    const { github, say } = await chatops();
    github.roles.set('alice', 'write');
    const { requests, replies } = await say('/rollback --plan');
    expect(replies[0]).toContain('| `models/gpt2/generation_config.json` | restored from `gpt2@v1.2.0` |');
    expect(replies[0]).toContain('| `models/gpt2/model.yaml` | restored from `gpt2@v1.2.0` |');
    expect(requests.filter((r) => !r.startsWith('GET'))).toEqual([
      'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    ]);
  });

  it('/promote records who asked in the stage tag and the production deployment', async () => {
    const { github, say, state, registry, v2 } = await chatops();
    github.roles.set('alice', 'maintain');
    const { replies, payload } = await say('/promote');
    expect(replies[0]).toContain('promoted **gpt2 1.3.0** to production: tag `gpt2#production#2`');
    expect(registry.git('rev-list', '-n', '1', 'gpt2#production#2')).toBe(v2);
    const message = registry.git('tag', '-l', '--format=%(contents)', 'gpt2#production#2');
    expect(message).toMatch(/^Assign gpt2 1\.3\.0 to production\n/);
    expect(message).toContain(`Requested-by: alice ${payload.comment.html_url}`); // as a release records it
    expect(github.deployments.at(-1)).toMatchObject({
      environment: 'production',
      production_environment: true,
      payload: { version: '1.3.0', weight: 100, requested_by: 'alice', request: payload.comment.html_url },
    });
    expect(state()).toMatchObject({ status: 'promoted', endedBy: { by: 'alice' } });
    expect(github.comments.find((c) => c.body.startsWith('<!-- modelgate:canary:gpt2 -->'))!.body).toContain(
      'promoted to production by @\u200balice with /promote',
    );
    expect((await say('/promote')).replies[0]).toContain(
      'nothing to promote: **gpt2 1.3.0** canary: promoted by @\u200balice',
    );
  });

  it('/canary pause holds the analysis (the tick skips it); /canary resume starts a fresh interval', async () => {
    const { github, say, state, tick } = await chatops();
    github.roles.set('alice', 'write');
    expect((await say('/canary pause gpt2')).replies[0]).toContain('paused the canary of **gpt2 1.3.0**');
    expect(await tick(30)).toBe(0);
    expect((await say('/canary pause')).replies[0]).toContain('already paused by @\u200balice');
    expect((await say('/canary status')).replies[0]).toContain(
      'running at 10% of traffic, paused by @\u200balice',
    );
    expect((await say('/canary resume')).replies[0]).toContain('resumed the canary of **gpt2 1.3.0**');
    expect(state().paused).toBeUndefined();
    expect(await tick(1)).toBe(0); // a fresh interval: not due yet
    expect(await tick(5)).toBe(1);
  });

  it('the model must be named when the pull request touches several; the reply lists them', async () => {
    const { github, say, registry } = await chatops();
    github.roles.set('alice', 'write');
    registry.write(
      'models/gpt2-chat/model.yaml',
      registry.read('models/gpt2/model.yaml').replace('name: gpt2', 'name: gpt2-chat'),
    );
    const commit = registry.commit('gpt2-chat');
    registry.tag('gpt2-chat@v1.3.0', { commit });
    github.seedBranch('main', commit, registry.treeOf(commit));
    github.pullFiles.set(42, ['models/gpt2/model.yaml', 'models/gpt2-chat/model.yaml']);
    const { replies } = await say('/canary abort');
    expect(replies[0]).toContain(
      'which model? this pull request touches 2 registered models: `gpt2`, `gpt2-chat`. Name one, e.g. `/canary abort gpt2`.',
    );
    expect(github.deploymentStatuses).toEqual([]);
  });

  it('in an issue, the only registered model is the one meant', async () => {
    const { github, say } = await chatops();
    github.roles.set('alice', 'read');
    const { replies } = await say('/canary status', { issue: 7, pullRequest: false });
    expect(replies[0]).toContain('**gpt2 1.3.0** canary: running');
    expect(github.comments.at(-1)).toMatchObject({ issue: 7 });
  });

  it('per-command levels and teams from .github/modelgate.yml; /help says who may do what', async () => {
    const { github, say, registry } = await chatops();
    registry.write(
      '.github/modelgate.yml',
      stringify({
        chatops: {
          permission: 'maintain',
          commands: { promote: { permission: 'admin', teams: ['release'] } },
        },
      }),
    );
    registry.commit('who may act');
    github.roles.set('alice', 'admin');
    github.roles.set('bob', 'maintain');
    github.teams.set('acme/release', new Set(['carol']));
    github.roles.set('carol', 'admin');
    const help = (await say('/help', { login: 'bob' })).replies[0]!;
    expect(help).toContain('`/rollback [model] [to <version>] [--plan]`');
    expect(help).toMatch(/\/promote \[model\]`: skip .* \| admin access or more, in team `release` \|/);
    expect(help).toMatch(
      /\/canary status \[model\]`, `\/guard status \[model\]`, `\/ab status \[model\]`: .* \| read access or more \|/,
    );
    expect((await say('/canary pause', { login: 'bob' })).replies[0]).toContain('paused');
    const refused = await say('/promote', { login: 'alice' });
    expect(refused.requests).toEqual([
      'GET /repos/{owner}/{repo}/contents/{path}',
      'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
      'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
      'GET /orgs/{org}/teams/{team_slug}/memberships/{username}',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
    ]);
    expect(refused.replies[0]).toContain(
      '`/promote` is for members of `release`, and you are not one. Nothing was done.',
    );
    expect((await say('/promote', { login: 'carol' })).replies[0]).toContain('promoted **gpt2 1.3.0**');
  });

  it('a broken .github/modelgate.yml refuses every command: who may act cannot be known', async () => {
    const { github, say, registry } = await chatops();
    registry.write('.github/modelgate.yml', 'chatops:\n  permision: read\n');
    registry.commit('typo');
    github.roles.set('alice', 'admin');
    const { requests, replies } = await say('/rollback');
    expect(requests).not.toContain('GET /repos/{owner}/{repo}/collaborators/{username}/permission');
    expect(replies[0]).toContain('nothing was done: .github/modelgate.yml on main is invalid');
    expect(github.pullRequests).toEqual([]);
  });

  it('settings GitHub cannot serve right now refuse the command with the reason; the next comment works', async () => {
    const { github, say } = await chatops();
    github.roles.set('alice', 'write');
    github.fail('GET', '/repos/{owner}/{repo}/contents/{path}', 502);
    const { requests, replies } = await say('/canary pause');
    expect(requests).not.toContain('GET /repos/{owner}/{repo}/collaborators/{username}/permission');
    expect(replies[0]).toContain(
      'nothing was done: .github/modelgate.yml could not be read from GitHub (fake failure 502',
    );
    expect((await say('/canary pause')).replies[0]).toContain('paused the canary');
  });

  it('a GitHub failure while acting is reported in the reply, and the command can be repeated to finish', async () => {
    const { github, say } = await chatops();
    github.roles.set('alice', 'write');
    github.fail('POST', '/repos/{owner}/{repo}/pulls', 500);
    const failed = await say('/rollback');
    expect(failed.replies[0]).toContain('the command failed: fake failure 500');
    const again = await say('/rollback');
    expect(again.replies[0]).toContain('opened https://github.com/acme/models/pull/100');
    expect(github.pullRequests).toHaveLength(1);
  });
});

/** A guard block: 6 hours of baking after promotion (Prometheus is never reached in these tests). */
const GUARD = {
  bake: '6h',
  metrics: [{ name: 'error_rate', query: 'x{version="{{version}}"}', max: 0.05 }],
};

/** gpt2 1.3.0 promoted by alice with /promote: its production guard watching. */
async function guarded() {
  const app = await chatops({ guard: GUARD });
  app.github.roles.set('alice', 'maintain');
  const { replies } = await app.say('/promote');
  expect(replies[0]).toContain(
    `The production guard watches it until ${new Date(app.clock().getTime() + 6 * 3_600_000).toISOString()} (\`/guard status\`).`,
  );
  return app;
}

const guardReport = (github: FakeGitHub) =>
  github.comments.find((c) => c.body.startsWith('<!-- modelgate:guard:gpt2 -->'))?.body;

/** The guard commands, the level each needs by default, and what acting on it leaves behind. */
const GUARD_COMMANDS: {
  body: string;
  needs: Level;
  acted: (app: Awaited<ReturnType<typeof guarded>>, reply: string) => void;
}[] = [
  {
    body: '/guard status',
    needs: 'read',
    acted: (_, reply) =>
      expect(reply).toMatch(
        /\*\*gpt2 1\.3\.0\*\* production guard: watching production until \S+; 0 windows judged, 0 failed; previous version 1\.2\.0\. The report: /,
      ),
  },
  {
    body: '/guard extend 6h',
    needs: 'write',
    acted: ({ github, clock }) => {
      expect(guardReport(github)).toContain(
        `to ${new Date(clock().getTime() + 12 * 3_600_000).toISOString()}`,
      );
      expect(guardReport(github)).toContain('Steered by @\u200buser');
    },
  },
  {
    body: '/guard stop',
    needs: 'write',
    acted: ({ github }) => {
      expect(guardReport(github)).toContain('⏹️ stopped');
      expect(github.checkRuns.find((r) => r.name === 'modelgate guard: gpt2')).toMatchObject({
        conclusion: 'cancelled',
      });
    },
  },
  {
    body: '/guard resume',
    needs: 'write',
    acted: (_, reply) => expect(reply).toContain('nothing to resume: the guard is not paused.'),
  },
];

describe('ChatOps: who may steer the production guard (the same rules as the canary)', () => {
  for (const command of GUARD_COMMANDS)
    it(`${command.body}: refused below ${command.needs} access with nothing done, acted on from it`, async () => {
      const app = await guarded();
      const report = guardReport(app.github);
      // Weakest first: the refusals change nothing, so one app serves every level.
      for (const level of LEVELS) {
        app.github.roles.set('user', level);
        const { requests, replies } = await app.say(command.body, { login: 'user' });
        expect(replies).toHaveLength(1);
        if (LEVELS.indexOf(level) < LEVELS.indexOf(command.needs)) {
          expect(requests).toEqual(REFUSED);
          expect(replies[0]).toContain(
            `\`/${command.body.split(' ').slice(0, 2).join(' ').slice(1)}\` needs ${command.needs} access to this repository or more, and you have ${level === 'none' ? 'no access' : `${level} access`}. Nothing was done.`,
          );
          expect(guardReport(app.github)).toBe(report);
        } else if (level === command.needs) command.acted(app, replies[0]!);
        else expect(replies[0]).not.toContain('access to this repository or more');
      }
      expect(app.github.violations).toEqual([]);
    });

  it('/guard extend past 30 days from the promotion is refused with the reason; a bad duration gets the usage', async () => {
    const { say, github } = await guarded();
    const report = guardReport(github);
    expect((await say('/guard extend 30d')).replies[0]).toContain(
      'nothing to extend: a bake lasts at most 30 days from the promotion.',
    );
    expect((await say('/guard extend soon')).replies[0]).toContain(
      '`/guard` was understood, but "soon" is not a duration \\(such as 30m, 6h or 2d\\): the usage is `/guard status|extend <duration>|stop|resume [model]`.',
    );
    expect(guardReport(github)).toBe(report);
  });

  it('without a guard there is nothing to steer, and the reply says how one starts', async () => {
    const { say, github } = await chatops();
    github.roles.set('alice', 'write');
    expect((await say('/guard stop')).replies[0]).toContain(
      'no production guard of **gpt2** is recorded: the release in production has no guard report. The app starts one when a canary whose manifest has a `guard` block is promoted.',
    );
  });
});
