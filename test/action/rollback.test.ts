import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runAction } from '../helpers/action.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { addRealModel, manifestWith } from '../helpers/models.js';
import { registryTemplate } from '../helpers/registry.js';

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

/** gpt2 1.0.0 in production; 1.1.0 (longer context, a chat template) released on top and checked out. */
const releasedTwice = registryTemplate((registry) => {
  addRealModel(registry, 'gpt2');
  const v1 = registry.commit('gpt2 1.0.0');
  registry.tag('gpt2@v1.0.0', { commit: v1, date: 1_760_000_000 });
  registry.tag('gpt2#production#1', { commit: v1, date: 1_760_000_001 });
  registry.editJson('models/gpt2/config.json', (c) => (c.n_positions = 2048));
  registry.write('models/gpt2/chat_template.jinja', '{{ messages }}');
  const manifest = parse(registry.read('models/gpt2/model.yaml')) as Record<string, any>;
  registry.write(
    'models/gpt2/model.yaml',
    stringify({
      ...manifest,
      version: '1.1.0',
      artifacts: { ...manifest.artifacts, chat_template: 'chat_template.jinja' },
    }),
  );
  const v2 = registry.commit('gpt2 1.1.0');
  registry.tag('gpt2@v1.1.0', { commit: v2, date: 1_760_000_100 });
  return { v1, v2 };
});

/** A copy of `releasedTwice`, with a fake GitHub whose main is 1.1.0. */
async function released() {
  const {
    registry,
    built: { v1, v2 },
  } = releasedTwice();
  const github = await FakeGitHub.start();
  fakes.push(github);
  github.seedBranch('main', v2, registry.treeOf(v2));
  const rollback = (inputs: Record<string, string> = {}) =>
    runAction(
      registry.root,
      { command: 'rollback', model: 'gpt2', 'github-token': 'ghs_test', ...inputs },
      {
        eventName: 'workflow_dispatch',
        env: { GITHUB_API_URL: github.url, GITHUB_RUN_ID: '42', GITHUB_SERVER_URL: 'https://github.com' },
      },
    );
  return { registry, github, v1, v2, rollback };
}

describe('the Action, command: rollback', () => {
  it("opens one pull request whose tree points at the release's own blobs", async () => {
    const { registry, github, v2, rollback } = await released();
    const result = await rollback();
    expect(result.status).toBe(0);
    expect(github.violations).toEqual([]);
    expect(result.outputs['pull-request']).toBe('https://github.com/acme/models/pull/100');

    const [tree] = [...github.trees.values()];
    expect(tree!.base_tree).toBe(registry.treeOf(v2));
    expect(tree!.tree).toEqual([
      { path: 'models/gpt2/chat_template.jinja', mode: '100644', type: 'blob', sha: null },
      {
        path: 'models/gpt2/config.json',
        mode: '100644',
        type: 'blob',
        sha: registry.git('rev-parse', 'gpt2@v1.0.0:models/gpt2/config.json'),
      },
      {
        path: 'models/gpt2/model.yaml',
        mode: '100644',
        type: 'blob',
        sha: registry.git('rev-parse', 'gpt2@v1.0.0:models/gpt2/model.yaml'),
      },
    ]);
    const [commit] = [...github.commits.values()].filter((c) => c.message !== 'seed');
    expect(commit).toMatchObject({
      parents: [v2],
      message: expect.stringContaining('Roll back gpt2 from 1.1.0 to 1.0.0'),
    });
    expect(github.pullRequests).toEqual([
      expect.objectContaining({
        title: 'Roll back gpt2 to 1.0.0',
        head: 'modelgate/rollback-gpt2-1.0.0',
        base: 'main',
      }),
    ]);
    const body = github.pullRequests[0]!.body;
    expect(body).toContain('<!-- modelgate:rollback:gpt2 -->');
    expect(body).toContain('the last release before 1.1.0 that reached production');
    expect(body).toContain('Requested by @octocat from https://github.com/acme/models/actions/runs/42');
  });

  it('asking twice points to the open pull request instead of opening another', async () => {
    const { github, rollback } = await released();
    expect((await rollback()).status).toBe(0);
    const writes = github.writes().length;
    const again = await rollback();
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('already open: https://github.com/acme/models/pull/100');
    expect(github.writes()).toHaveLength(writes);
    expect(github.pullRequests).toHaveLength(1);
  });

  it('refuses an unreleased target and writes nothing', async () => {
    const { github, rollback } = await released();
    const result = await rollback({ to: '0.5.0' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error::gpt2 0.5.0 is not a released version (released: 1.0.0, 1.1.0)');
    expect(github.requests).toEqual([]);
  });

  describe('a file another model uses', () => {
    /** ticket-router, committed on main after 1.1.0, borrows one of gpt2's files. */
    async function shared(artifacts: Record<string, string>) {
      const run = await released();
      run.registry.writeManifest(
        'models/ticket-router/model.yaml',
        manifestWith('ticket-router', {
          config: 'config.json',
          tokenizer: '../gpt2/tokenizer.json',
          ...artifacts,
        }),
      );
      const head = run.registry.commit('ticket-router borrows files of gpt2');
      run.github.seedBranch('main', head, run.registry.treeOf(head));
      return { ...run, head };
    }

    it('that the release did not have is kept: no null entry for it, and the body says why', async () => {
      const { github, rollback } = await shared({ chat_template: '../gpt2/chat_template.jinja' });
      const result = await rollback();
      expect(result.status).toBe(0);
      const [tree] = [...github.trees.values()];
      expect(tree!.tree.map((e) => e.path)).toEqual(['models/gpt2/config.json', 'models/gpt2/model.yaml']);
      expect(github.pullRequests[0]!.body).toContain(
        '| `models/gpt2/chat_template.jinja` | kept: used by ticket-router |',
      );
      expect(github.violations).toEqual([]);
    });

    it('whose content the rollback would change refuses it, naming the file, the model and the fix; nothing is written', async () => {
      const { github, rollback } = await shared({ config: '../gpt2/config.json' });
      const result = await rollback();
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(
        "::error::rolling gpt2 back would change models/gpt2/config.json (used by ticket-router): another model's artifact would change without a new version of it",
      );
      expect(result.stdout).toContain('Give each model its own copy of the file');
      expect(github.requests).toEqual([]);
    });
  });
});
