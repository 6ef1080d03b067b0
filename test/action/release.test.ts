import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { sealKeyFrom } from '../../src/core/integrity/seal.js';
import { planRevertPullRequest } from '../../src/core/rollback/revert-pr.js';
import { runAction } from '../helpers/action.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { addRealModel } from '../helpers/models.js';
import { registryTemplate, type TempRegistry } from '../helpers/registry.js';

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

/** What a push to main carries besides before/after: a release runs only there (release-branch.test.ts). */
const PUSH_TO_MAIN = {
  ref: 'refs/heads/main',
  repository: { full_name: 'acme/models', default_branch: 'main' },
};

function setVersion(
  registry: TempRegistry,
  version: string,
  edit: (m: Record<string, any>) => void = () => {},
) {
  const manifest = parse(registry.read('models/gpt2/model.yaml')) as Record<string, any>;
  manifest.version = version;
  edit(manifest);
  registry.write('models/gpt2/model.yaml', stringify(manifest));
}

/** gpt2 1.0.0 on main, then a merge that releases 1.1.0: built once for the file, copied for each test. */
const merged = registryTemplate((registry) => {
  addRealModel(registry, 'gpt2', { manifest: { canary: { steps: [10, 50, 100] } } });
  const before = registry.commit('gpt2 1.0.0');
  setVersion(
    registry,
    '1.1.0',
    (m) =>
      (m.artifacts.weights = [
        { uri: 's3://models/gpt2/1.1.0.safetensors', sha256: 'b'.repeat(64), size: 10 },
      ]),
  );
  const after = registry.commit('Merge pull request #42 from acme/gpt2-1.1');
  return { before, after };
});

/** A copy of `merged`; GitHub faked, its tags mirrored into the copy. */
async function mergedRelease() {
  const {
    registry,
    built: { before, after },
  } = merged();
  const github = await FakeGitHub.start({
    onTag: (name, commit, message) => registry.tag(name, { commit, message }),
  });
  github.localRepo = registry.root; // GitHub is the clone's origin: it knows main's history (the release checks it)
  fakes.push(github);
  github.pulls.set(after, [
    {
      number: 42,
      title: 'gpt2 1.1.0: new weights',
      merged_at: '2026-11-22T00:00:00Z',
      user: { login: 'alice' },
    },
  ]);
  const release = (inputs: Record<string, string> = {}) =>
    runAction(
      registry.root,
      { command: 'release', 'github-token': 'ghs_test', ...inputs },
      {
        eventName: 'push',
        event: { ...PUSH_TO_MAIN, before, after, pusher: { name: 'bob' } },
        env: { GITHUB_API_URL: github.url, GITHUB_SHA: after, GITHUB_REF: PUSH_TO_MAIN.ref },
      },
    );
  /** Releases 1.1.0, tags 1.0.0 on the commit before, and reverts the merge: the push a rollback makes. */
  const revertMerge = async () => {
    expect((await release()).status).toBe(0);
    const v1 = registry.git('rev-parse', 'HEAD~1');
    registry.tag('gpt2@v1.0.0', { commit: v1 });
    registry.git('revert', '--no-edit', 'HEAD');
    const revert = registry.git('rev-parse', 'HEAD');
    const releaseRevert = (env: Record<string, string> = {}) =>
      runAction(
        registry.root,
        { command: 'release', 'github-token': 'ghs_test' },
        {
          eventName: 'push',
          event: { ...PUSH_TO_MAIN, before: after, after: revert },
          env: { GITHUB_API_URL: github.url, GITHUB_REF: PUSH_TO_MAIN.ref, ...env },
        },
      );
    return { v1, revert, releaseRevert };
  };
  return { registry, github, before, after, release, revertMerge };
}

const RELEASE_WRITES = [
  'POST /repos/{owner}/{repo}/git/tags',
  'POST /repos/{owner}/{repo}/git/refs',
  'POST /repos/{owner}/{repo}/releases',
  'POST /repos/{owner}/{repo}/git/tags',
  'POST /repos/{owner}/{repo}/git/refs',
  'POST /repos/{owner}/{repo}/deployments',
];

describe('the Action, command: release', () => {
  it('tags the merge commit, publishes the release, assigns canary and hands it to the deployer', async () => {
    const { registry, github, after, release } = await mergedRelease();
    const result = await release();
    expect(result.status).toBe(0);
    expect(github.violations).toEqual([]);
    expect(github.writes()).toEqual(RELEASE_WRITES);

    const [versionTag, stageTag] = [...github.tagObjects.values()];
    expect(versionTag).toMatchObject({ tag: 'gpt2@v1.1.0', object: { sha: after, type: 'commit' } });
    expect(versionTag!.message).toContain('Merged-by: bob');
    expect(versionTag!.message).toContain('Pull-request: #42 https://github.com/acme/models/pull/42');
    expect(stageTag).toMatchObject({ tag: 'gpt2#canary#1', object: { sha: after } });

    const notes = github.releases.get('gpt2@v1.1.0')!;
    expect(notes.name).toBe('gpt2 1.1.0');
    expect(notes.body).toContain(
      'Merged in [#42 gpt2 1.1.0: new weights](https://github.com/acme/models/pull/42) by @bob',
    );
    expect(notes.body).toContain('| minor | `models/gpt2/model.yaml` | new weights (sha256 changed) |');
    expect(notes.body).toContain(`| \`s3://models/gpt2/1.1.0.safetensors\` | \`${'b'.repeat(64)}\` | 10 |`);

    expect(github.deployments).toEqual([
      expect.objectContaining({
        ref: 'gpt2@v1.1.0',
        environment: 'canary',
        payload: {
          model: 'gpt2',
          version: '1.1.0',
          weight: 10,
          manifest: 'models/gpt2/model.yaml',
          trigger: after,
        },
        production_environment: false,
      }),
    ]);
    expect(result.outputs.released).toBe(result.outputs['released-json']); // the deprecated name, until 1.0
    expect(JSON.parse(result.outputs['released-json']!)).toEqual([
      { model: 'gpt2', version: '1.1.0', tag: 'gpt2@v1.1.0', environment: 'canary', deployment: 1000 },
    ]);
    expect(registry.git('tag', '--list').split('\n')).toEqual(['gpt2#canary#1', 'gpt2@v1.1.0']);
  });

  it('creates nothing twice when the same run is re-run', async () => {
    const { github, release } = await mergedRelease();
    expect((await release()).status).toBe(0);
    const writes = github.writes().length;
    const again = await release();
    expect(again.status).toBe(0);
    expect(github.writes()).toHaveLength(writes);
    expect(github.deployments).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it('finishes a run that failed half-way (tag created, release refused) without repeating the tag', async () => {
    const { github, release } = await mergedRelease();
    github.fail('POST', '/repos/{owner}/{repo}/releases', 422);
    const failed = await release();
    expect(failed.status).toBe(1);
    // A 422 answers what was sent, so the message no longer promises that a re-run gets past it (release-notes-size.test.ts).
    expect(failed.stdout).toContain(
      '::error::GitHub refused the GitHub Release of gpt2@v1.1.0 (422: fake failure 422',
    );
    expect(github.writes()).toEqual(RELEASE_WRITES.slice(0, 3));

    const rerun = await release();
    expect(rerun.status).toBe(0);
    expect(github.writes()).toEqual([...RELEASE_WRITES.slice(0, 3), ...RELEASE_WRITES.slice(2)]);
    expect([...github.tagObjects.values()].map((t) => t.tag)).toEqual(['gpt2@v1.1.0', 'gpt2#canary#1']);
    expect(github.violations).toEqual([]);
  });

  it('retries a 500 and carries on', async () => {
    const { github, release } = await mergedRelease();
    github.fail('POST', '/repos/{owner}/{repo}/deployments', 500);
    const result = await release();
    expect(result.status).toBe(0);
    expect(github.deployments).toHaveLength(1);
  });

  it('waits out a secondary rate limit as GitHub asks, and carries on', async () => {
    const { github, release } = await mergedRelease();
    github.fail(
      'POST',
      '/repos/{owner}/{repo}/releases',
      403,
      1,
      { 'retry-after': '1' },
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    );
    const result = await release();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      '::warning::GitHub secondary rate limit on POST /repos/{owner}/{repo}/releases; retrying in 1 s',
    );
    expect(github.releases.size).toBe(1);
    expect(github.writes().filter((w) => w.includes('releases'))).toHaveLength(2);
  });

  it('prints the plan and changes nothing with dry-run', async () => {
    const { github, release } = await mergedRelease();
    const result = await release({ 'dry-run': 'true' });
    expect(result.status).toBe(0);
    expect(github.writes()).toEqual([]);
    expect(result.summary).toContain('+ plan     tag gpt2@v1.1.0');
    expect(result.summary).toContain('+ plan     deployment: Deploy gpt2 1.1.0 to canary at 10%');
  });

  it('a merge that restores a released version assigns and deploys it again, with no new version tag', async () => {
    const { github, revertMerge } = await mergedRelease();
    const { v1, revert, releaseRevert } = await revertMerge();
    expect((await releaseRevert()).status).toBe(0);
    expect(github.writes().slice(RELEASE_WRITES.length)).toEqual([
      'POST /repos/{owner}/{repo}/git/tags',
      'POST /repos/{owner}/{repo}/git/refs',
      'POST /repos/{owner}/{repo}/deployments',
    ]);
    expect([...github.tagObjects.values()].at(-1)).toMatchObject({
      tag: 'gpt2#canary#2',
      object: { sha: v1 },
    });
    expect(github.deployments.at(-1)).toMatchObject({
      ref: 'gpt2@v1.0.0',
      payload: { version: '1.0.0', trigger: revert },
    });
    expect(github.violations).toEqual([]);
  });

  it('refuses a tag that GitHub already has on another commit, before creating anything else', async () => {
    const { github, release } = await mergedRelease();
    github.refs.set('refs/tags/gpt2@v1.1.0', {
      ref: 'refs/tags/gpt2@v1.1.0',
      object: { sha: 'c'.repeat(40), type: 'commit' },
    });
    const result = await release();
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`tag gpt2@v1.1.0 already exists on GitHub at cccccccccccc, not at`);
    expect(github.writes()).toEqual([]);
  });

  it('releases nothing when the pushed manifests have errors', async () => {
    const { registry, github, after } = await mergedRelease();
    registry.editJson('models/gpt2/config.json', (c) => (c.vocab_size = 100));
    const broken = registry.commit('break it');
    const result = await runAction(
      registry.root,
      { command: 'release', 'github-token': 'ghs_test' },
      {
        eventName: 'push',
        event: { ...PUSH_TO_MAIN, before: after, after: broken },
        env: { GITHUB_API_URL: github.url, GITHUB_REF: PUSH_TO_MAIN.ref },
      },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('nothing was released');
    expect(github.requests).toEqual([]);
  });
});

// The rest of the decision (no key, a copied line, the workflow's own pull request, a short key): rollback-request.test.ts.
describe('the Action, command: release, believes who asked for a rollback only when modelgate opened its pull request', () => {
  const STATE_SECRET = 'the app and the workflow share this state key';
  const COMMENT = 'https://github.com/acme/models/pull/42#issuecomment-7';
  /** The body of the rollback pull request: who asked, sealed as the app seals it when `seal` is given. */
  const rollbackBody = (requestedBy: string, seal?: { secret: string; repository: string }) =>
    planRevertPullRequest({
      model: 'gpt2',
      from: '1.1.0',
      to: '1.0.0',
      tag: 'gpt2@v1.0.0',
      reason: 'asked for 1.0.0',
      changes: [{ path: 'models/gpt2/model.yaml', action: 'restore' }],
      requestedBy,
      link: COMMENT,
      ...(seal ? { requestSeal: { key: sealKeyFrom(seal.secret), repository: seal.repository } } : {}),
    });

  /** The revert merged: pull request #100 from modelgate's rollback branch, opened by `user`, with `body`. */
  async function mergedRollback(body: string, user: { login: string; type: 'User' | 'Bot' }) {
    const released = await mergedRelease();
    const reverted = await released.revertMerge();
    released.github.pulls.set(reverted.revert, [
      {
        number: 100,
        title: 'Roll back gpt2 to 1.0.0',
        merged_at: '2026-11-22T01:00:00Z',
        user,
        body,
        head: 'modelgate/rollback-gpt2-1.0.0',
      },
    ]);
    const stageTag = () => [...released.github.tagObjects.values()].at(-1)!;
    return { ...released, ...reverted, stageTag };
  }

  it("the app's pull request, its line sealed with the key the workflow also has: who asked reaches the stage tag and the deployment", async () => {
    const plan = rollbackBody('carol', { secret: STATE_SECRET, repository: 'acme/models' });
    const { github, releaseRevert, stageTag } = await mergedRollback(plan.body, {
      login: 'modelgate[bot]',
      type: 'Bot',
    });
    const result = await releaseRevert({ MODELGATE_STATE_KEY: STATE_SECRET });
    expect(result.status).toBe(0);
    expect(stageTag().message).toContain(`Requested-by: carol ${COMMENT}`);
    expect(github.deployments.at(-1)).toMatchObject({
      payload: { version: '1.0.0', requested_by: 'carol', request: COMMENT },
    });
    // The key reaches the log only in the command that tells the runner to mask it.
    expect(result.stdout.split('\n').filter((l) => l.includes(STATE_SECRET))).toEqual([
      `::add-mask::${STATE_SECRET}`,
    ]);
    expect(github.violations).toEqual([]);
  });

  it('a forged request line in a pull request a person opened is not believed: the audit trail does not take the name', async () => {
    const { github, releaseRevert, stageTag } = await mergedRollback(rollbackBody('ceo').body, {
      login: 'mallory',
      type: 'User',
    });
    const result = await releaseRevert();
    expect(result.status).toBe(0);
    expect(stageTag().message).not.toContain('Requested-by');
    expect(github.deployments.at(-1)!.payload).not.toHaveProperty('requested_by');
    expect(result.stdout).toContain(
      '::warning::pull request #100: its request line was written by @mallory, not by modelgate. The release does not record who asked for it.',
    );
  });
});
