import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { branchView } from '../../src/app/chatops/registry.js';
import { MAX_OTHER_MANIFESTS, rollbackFiles } from '../../src/app/revert.js';
import { createOctokit } from '../../src/io/github/octokit.js';
import { issueComment, liveCanary } from '../helpers/canary-app.js';
import type { FakeGitHub } from '../helpers/fake-github.js';
import { manifestWith } from '../helpers/models.js';

/** Prometheus is never asked in these tests: an address nothing listens on. */
const NO_PROMETHEUS = 'http://127.0.0.1:9';
const TICKET_ROUTER = 'models/ticket-router/model.yaml';

/**
 * gpt2 1.3.0 live on canary (1.2.0 in production; 1.3.0 changed
 * generation_config.json), with more files in both releases; alice may act.
 * `say` delivers a comment on pull request #42 and returns the app's replies.
 */
async function chatops(files: Record<string, string>) {
  const live = await liveCanary('1.3.0', NO_PROMETHEUS, {}, { files });
  await live.deliver({ id: 2, weight: 10 });
  live.github.roles.set('alice', 'write');
  const say = async (body: string) => {
    const before = replies(live.github).length;
    const payload = issueComment(body);
    await live.probot().receive({ id: `c-${payload.comment.id}`, name: 'issue_comment', payload } as any);
    return replies(live.github).slice(before);
  };
  return { ...live, say };
}

/** The app's client for the installation, on the fake GitHub. */
const installationOctokit = (github: FakeGitHub) =>
  createOctokit('ghs_installation', () => {}, {
    GITHUB_API_URL: github.url,
    MODELGATE_TEST_FAST_GITHUB: '1',
  });

const replies = (github: FakeGitHub) =>
  github.comments.filter((c) => c.body.startsWith('<!-- modelgate:reply -->')).map((c) => c.body);

/** ticket-router's manifest: its own tokenizer, and the given artifacts. */
const ticketRouter = (artifacts: Record<string, string>) =>
  stringify(
    manifestWith('ticket-router', { tokenizer: 'tokenizer.json', ...artifacts }, { version: '2.0.0' }),
  );

describe('the app never removes or rewrites a file another model uses', () => {
  it("the review's case: gpt2 now borrows ticket-router's tokenizer_config.json; the revert keeps it, and says so", async () => {
    const { github, registry, say } = await chatops({
      [TICKET_ROUTER]: ticketRouter({ config: 'config.json', tokenizer_config: 'tokenizer_config.json' }),
      'models/ticket-router/config.json': '{"model_type": "gpt2"}\n',
      'models/ticket-router/tokenizer_config.json': '{"model_max_length": 1024}\n',
    });
    // The default branch moves on: gpt2 points its tokenizer_config at ticket-router's copy.
    const manifest = parse(registry.read('models/gpt2/model.yaml')) as Record<string, any>;
    manifest.artifacts.tokenizer_config = '../ticket-router/tokenizer_config.json';
    registry.write('models/gpt2/model.yaml', stringify(manifest));
    const head = registry.commit('gpt2 uses the tokenizer_config of ticket-router');
    github.seedBranch('main', head, registry.treeOf(head));

    const [plan] = await say('/rollback --plan');
    expect(plan).toContain('| `models/ticket-router/tokenizer_config.json` | kept: used by ticket-router |');
    expect(plan).not.toContain('| `models/ticket-router/tokenizer_config.json` | removed |');

    const [opened] = await say('/rollback');
    expect(opened).toContain('opened https://github.com/acme/models/pull/100');
    const [tree] = [...github.trees.values()];
    expect(tree!.tree.map((e) => e.path)).toEqual([
      'models/gpt2/generation_config.json',
      'models/gpt2/model.yaml',
      'models/gpt2/tokenizer_config.json', // its own again, as 1.2.0 had it
    ]);
    expect(tree!.tree.every((e) => typeof e.sha === 'string')).toBe(true);
    expect(github.pullRequests[0]!.body).toContain(
      '| `models/ticket-router/tokenizer_config.json` | kept: used by ticket-router |',
    );
    expect(github.violations).toEqual([]);
  });

  it('a shared file the revert would rewrite: no pull request; the reply names the file, the model and the fix', async () => {
    const { github, say, state } = await chatops({
      [TICKET_ROUTER]: ticketRouter({
        config: 'config.json',
        generation_config: '../gpt2/generation_config.json',
      }),
      'models/ticket-router/config.json': '{"model_type": "gpt2"}\n',
    });
    for (const command of ['/rollback --plan', '/rollback']) {
      const [reply] = await say(command);
      expect(reply).toContain(
        "nothing was done: rolling gpt2 back would change models/gpt2/generation\\_config.json \\(used by ticket-router\\): another model's artifact would change without a new version of it.",
      );
      expect(reply).toContain('Give each model its own copy of the file');
    }
    expect(github.pullRequests).toEqual([]);
    expect(github.trees.size).toBe(0);
    // Refused before anything was done: the canary runs on.
    expect(state().status).toBe('running');
  });

  it(`more than ${MAX_OTHER_MANIFESTS} other manifests on the default branch: refused before one of them is read`, async () => {
    const many = Object.fromEntries(
      Array.from({ length: MAX_OTHER_MANIFESTS + 1 }, (_, i) => [
        `models/m-${String(i).padStart(3, '0')}/model.yaml`,
        ticketRouter({ config: 'config.json' }).replace('ticket-router', `m-${i}`),
      ]),
    );
    const { github, say } = await chatops(many);
    const before = github.requests.length;
    const [reply] = await say('/rollback');
    expect(reply).toContain(
      `nothing was done: the default branch has ${MAX_OTHER_MANIFESTS + 1} other manifests, more than the ${MAX_OTHER_MANIFESTS} the app reads to find the files they use.`,
    );
    const read = github.requests
      .slice(before)
      .filter((r) => r.operation === '/repos/{owner}/{repo}/contents/{path}' && /\/m-\d+\//.test(r.path));
    expect(read).toEqual([]);
    expect(github.pullRequests).toEqual([]);
  });

  it("a tree GitHub lists only in part (truncated) refuses the rollback: an unseen file could be another model's", async () => {
    const { github, v2 } = await chatops({});
    const octokit = installationOctokit(github);
    // GitHub marks a recursive listing over its limits (100,000 entries, 7 MB) `truncated: true`;
    // the fake cannot hold such a tree, so its answer is marked as GitHub marks it.
    octokit.hook.after('request', (response, options) => {
      if (String(options.url).includes('/git/trees/'))
        (response.data as { truncated: boolean }).truncated = true;
    });
    const found = await rollbackFiles(
      octokit,
      { owner: 'acme', repo: 'models' },
      {
        model: 'gpt2',
        manifest: 'models/gpt2/model.yaml',
        tag: 'gpt2@v1.2.0',
        head: v2,
        globs: ['models/**/model.yaml'],
      },
    );
    expect(found).toEqual({
      problem:
        'GitHub listed the files of gpt2@v1.2.0 only in part (its tree is truncated), so the files other models use cannot all be seen',
      fix: 'Roll back by hand (modelgate rollback in a checkout, or command: rollback in a workflow).',
    });
  });
});

describe('the app finds a file another model uses through its symlinks', () => {
  it("ticket-router's generation_config.json is a committed link to gpt2's, which the revert would rewrite: refused, naming the file and the model", async () => {
    const { github, registry } = await chatops({
      [TICKET_ROUTER]: ticketRouter({ config: 'config.json', generation_config: 'generation_config.json' }),
      'models/ticket-router/config.json': '{"model_type": "gpt2"}\n',
    });
    registry.symlink('models/ticket-router/generation_config.json', '../gpt2/generation_config.json');
    const head = registry.commit('ticket-router reads the generation_config of gpt2 through a link');
    github.seedBranch('main', head, registry.treeOf(head));
    const octokit = installationOctokit(github);
    const found = await rollbackFiles(
      octokit,
      { owner: 'acme', repo: 'models' },
      {
        model: 'gpt2',
        manifest: 'models/gpt2/model.yaml',
        tag: 'gpt2@v1.2.0',
        head,
        globs: ['models/**/model.yaml'],
      },
    );
    expect(found).toEqual({
      problem:
        "rolling gpt2 back would change models/gpt2/generation_config.json (used by ticket-router): another model's artifact would change without a new version of it",
      fix: "Give each model its own copy of the file (copy it into the model's folder and point its manifest at the copy), release that, then roll back again; or roll back by hand.",
    });
    // One blob read: the link's target, nothing else.
    const blobs = github.requests.filter((r) => r.operation === '/repos/{owner}/{repo}/git/blobs/{file_sha}');
    expect(blobs.map((r) => r.path)).toEqual([
      `/repos/acme/models/git/blobs/${registry.git('rev-parse', `${head}:models/ticket-router/generation_config.json`)}`,
    ]);
    expect(github.violations).toEqual([]);
  });
});

describe('the default branch as ChatOps reads it', () => {
  it('a tree GitHub lists only in part (truncated) decides nothing: a manifest it left out is a model the command cannot see', async () => {
    const { github } = await chatops({});
    const octokit = installationOctokit(github);
    // As above: the fake's answer is marked as GitHub marks a listing over its limits.
    octokit.hook.after('request', (response, options) => {
      if (String(options.url).includes('/git/trees/'))
        (response.data as { truncated: boolean }).truncated = true;
    });
    await expect(
      branchView(octokit, { owner: 'acme', repo: 'models' }, 'main', ['models/**/model.yaml']),
    ).rejects.toThrow(
      "GitHub listed the files of main only in part (its tree is truncated), so the models' manifests cannot all be found; run the command from a checkout (modelgate) instead",
    );
  });
});

describe('a revert restores the release as it was', () => {
  it('a file the release had as a symlink is restored as a symlink, not as a file holding the link text', async () => {
    const { github, registry } = await chatops({});
    // gpt2 1.3.1: its generation_config.json a link to a file beside it; then main makes it a plain file again.
    registry.write('models/gpt2/generation_config.base.json', '{"max_new_tokens": 64}\n');
    registry.symlink('models/gpt2/generation_config.json', 'generation_config.base.json');
    registry.write(
      'models/gpt2/model.yaml',
      registry.read('models/gpt2/model.yaml').replace(/^version: .*$/m, 'version: 1.3.1'),
    );
    registry.commit('gpt2 1.3.1');
    registry.tag('gpt2@v1.3.1');
    registry.remove('models/gpt2/generation_config.json');
    registry.write('models/gpt2/generation_config.json', '{"max_new_tokens": 32}\n');
    registry.write(
      'models/gpt2/model.yaml',
      registry.read('models/gpt2/model.yaml').replace(/^version: .*$/m, 'version: 1.3.2'),
    );
    const head = registry.commit('gpt2 1.3.2');
    github.seedBranch('main', head, registry.treeOf(head));
    const octokit = installationOctokit(github);
    const found = await rollbackFiles(
      octokit,
      { owner: 'acme', repo: 'models' },
      {
        model: 'gpt2',
        manifest: 'models/gpt2/model.yaml',
        tag: 'gpt2@v1.3.1',
        head,
        globs: ['models/**/model.yaml'],
      },
    );
    if ('problem' in found) throw new Error(found.problem);
    expect(found.changes).toContainEqual({ path: 'models/gpt2/generation_config.json', action: 'restore' });
    expect(found.blobs.get('models/gpt2/generation_config.json')).toEqual({
      path: 'models/gpt2/generation_config.json',
      sha: registry.git('rev-parse', 'gpt2@v1.3.1:models/gpt2/generation_config.json'),
      mode: '120000',
    });
    expect(github.violations).toEqual([]);
  });
});
