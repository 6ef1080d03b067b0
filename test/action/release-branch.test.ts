// `command: release` tags and deploys only reviewed commits: a push to the default branch, or a manual
// run (workflow_dispatch) there, and only a commit GitHub says is on that branch. Anyone with write
// access can push a branch or dispatch a workflow on one; without these checks a release workflow that
// also runs on workflow_dispatch (or on push with no branches filter) tagged and deployed an unreviewed
// branch (security review, finding F2). Run in process through src/action/release.ts (the bundle is
// rebuilt by the lead), with real git repositories and the fake GitHub checked against GitHub's OpenAPI.
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { OUTPUTS, type ActionInputs } from '../../src/action/inputs.js';
import { runRelease } from '../../src/action/release.js';
import { describeFailure } from '../../src/action/run.js';
import { FAST_FAKE_GITHUB } from '../../src/io/github/octokit.js';
import type { WorkflowEvent } from '../../src/io/github/release-trigger.js';
import * as core from '@actions/core';
import { inProcessStep, releaseInputs } from '../helpers/action-step.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { addRealModel } from '../helpers/models.js';
import { registryTemplate, type TempRegistry } from '../helpers/registry.js';

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

function setVersion(registry: TempRegistry, version: string, sha: string) {
  const manifest = parse(registry.read('models/gpt2/model.yaml')) as Record<string, any>;
  manifest.version = version;
  manifest.artifacts.weights = [{ uri: `s3://models/gpt2/${version}.safetensors`, sha256: sha, size: 10 }];
  registry.write('models/gpt2/model.yaml', stringify(manifest));
}

/**
 * gpt2 1.0.0 released on main, then 1.1.0 merged on main; and a branch `feature` off 1.0.0 that
 * sets 2.0.0, never reviewed or merged.
 */
const history = registryTemplate((registry) => {
  addRealModel(registry, 'gpt2');
  const v1 = registry.commit('gpt2 1.0.0');
  registry.tag('gpt2@v1.0.0', { commit: v1 });
  setVersion(registry, '1.1.0', 'b'.repeat(64));
  const merged = registry.commit('Merge pull request #42 from acme/gpt2-1.1');
  registry.git('checkout', '-q', '-b', 'feature', v1);
  setVersion(registry, '2.0.0', 'e'.repeat(64));
  const feature = registry.commit('gpt2 2.0.0, unreviewed');
  registry.git('checkout', '-q', 'main');
  return { v1, merged, feature };
});

/** A copy of `history` and a GitHub that is its origin (branches and commits from the clone, tags mirrored into it). */
async function origin() {
  const { registry, built } = history();
  const github = await FakeGitHub.start({
    onTag: (name, commit, message) => registry.tag(name, { commit, message }),
  });
  github.localRepo = registry.root;
  fakes.push(github);
  return { registry, github, ...built };
}

const REPOSITORY = { full_name: 'acme/models', default_branch: 'main' };

/** A workflow run's event, as the runner's context holds it. */
function workflowEvent(eventName: string, ref: string, sha: string, payload: WorkflowEvent['payload']) {
  return { eventName, ref, sha, payload, actor: 'mallory', repo: { owner: 'acme', repo: 'models' } };
}

/** One `command: release` step: its exit code, workflow commands and outputs, as run() ends a step. */
async function releaseStep(
  registry: TempRegistry,
  github: FakeGitHub,
  event: WorkflowEvent,
  inputs: Partial<ActionInputs> = {},
) {
  return inProcessStep({ GITHUB_API_URL: github.url, [FAST_FAKE_GITHUB]: '1' }, () =>
    runRelease(releaseInputs(registry.root, inputs), event).catch((error: unknown) =>
      core.setFailed(describeFailure(error)),
    ),
  );
}

const FIX =
  'Run command: release on push with branches: [main] (or workflow_dispatch on main to finish a release).';

describe('command: release refuses any commit that is not reviewed history of the default branch', () => {
  it("the review's reproduction: workflow_dispatch on an unreviewed branch tags and deploys nothing", async () => {
    const { registry, github, feature } = await origin();
    const run = await releaseStep(
      registry,
      github,
      workflowEvent('workflow_dispatch', 'refs/heads/feature', feature, {
        ref: 'refs/heads/feature',
        repository: REPOSITORY,
        inputs: {},
      }),
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      `::error::release refused: the run is for refs/heads/feature, not for the default branch refs/heads/main; only reviewed commits on the default branch are tagged and deployed (${FIX})`,
    );
    // Refused before any request: no tag, no release, no deployment.
    expect(github.requests).toEqual([]);
    expect(registry.git('tag', '--list')).toBe('gpt2@v1.0.0');
    expect(run.outputs[OUTPUTS.releasedJson]).toBeUndefined();
  });

  it('a push to another branch (a workflow with no branches filter) releases nothing', async () => {
    const { registry, github, v1, feature } = await origin();
    const run = await releaseStep(
      registry,
      github,
      workflowEvent('push', 'refs/heads/feature', feature, {
        before: v1,
        after: feature,
        pusher: { name: 'mallory' },
        repository: REPOSITORY,
      }),
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error::release refused: the run is for refs/heads/feature, not for the default branch refs/heads/main',
    );
    expect(github.writes()).toEqual([]);
  });

  it.each([
    ['pull_request', 'refs/pull/7/merge'],
    ['pull_request_target', 'refs/heads/main'],
    ['workflow_run', 'refs/heads/main'],
    ['schedule', 'refs/heads/main'],
  ])('a %s run is refused, whatever its ref', async (eventName, ref) => {
    const { registry, github, merged } = await origin();
    const run = await releaseStep(
      registry,
      github,
      workflowEvent(eventName, ref, merged, { repository: REPOSITORY }),
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      `::error::release refused: it runs on a push to the default branch main (or a manual run there), not on ${eventName} events (${FIX})`,
    );
    expect(github.requests).toEqual([]);
  });

  it('a pushed tag is not the default branch', async () => {
    const { registry, github, merged } = await origin();
    const run = await releaseStep(
      registry,
      github,
      workflowEvent('push', 'refs/tags/gpt2@v9.9.9', merged, { after: merged, repository: REPOSITORY }),
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'the run is for refs/tags/gpt2@v9.9.9, not for the default branch refs/heads/main',
    );
    expect(github.writes()).toEqual([]);
  });

  it('a run for the default branch naming a commit that is not on it (main was force-pushed since) writes nothing', async () => {
    const { registry, github, v1, feature } = await origin();
    // The event says main, but GitHub's main does not contain the commit.
    const run = await releaseStep(
      registry,
      github,
      workflowEvent('push', 'refs/heads/main', feature, {
        before: v1,
        after: feature,
        repository: REPOSITORY,
      }),
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      `::error::release refused: ${feature.slice(0, 12)} is not on the default branch main; only reviewed commits on it are tagged and deployed (Merge the change into main through a pull request; its push releases it.)`,
    );
    // Compared with main's head by its full ref: a tag named main could not stand in for the branch.
    expect(github.requests.filter((r) => /\/compare\/|\/git\/ref\//.test(r.path)).map((r) => r.path)).toEqual(
      [
        '/repos/acme/models/git/ref/heads%2Fmain',
        `/repos/acme/models/compare/${feature}...${registry.git('rev-parse', 'main')}`,
      ],
    );
    expect(github.writes()).toEqual([]);
    expect(registry.git('tag', '--list')).toBe('gpt2@v1.0.0');
    expect(github.violations).toEqual([]);
  });
});

describe('command: release on the default branch', () => {
  it('a push to main releases the pushed commit, also when main has moved on since (GitHub: ahead)', async () => {
    const { registry, github, v1, merged } = await origin();
    registry.write('README.md', 'later work\n');
    registry.commit('a later merge'); // main is now one commit past the pushed one
    const run = await releaseStep(
      registry,
      github,
      workflowEvent('push', 'refs/heads/main', merged, {
        before: v1,
        after: merged,
        pusher: { name: 'bob' },
        repository: REPOSITORY,
      }),
    );
    expect(run.status).toBe(0);
    expect(github.violations).toEqual([]);
    expect(JSON.parse(run.outputs[OUTPUTS.releasedJson]!)).toEqual([
      { model: 'gpt2', version: '1.1.0', tag: 'gpt2@v1.1.0', environment: 'canary', deployment: 1000 },
    ]);
    expect(registry.git('rev-list', '-n1', 'gpt2@v1.1.0')).toBe(merged);
  });

  it('workflow_dispatch on main releases the head of main: a version with no tag yet', async () => {
    const { registry, github, merged } = await origin();
    const run = await releaseStep(
      registry,
      github,
      workflowEvent('workflow_dispatch', 'refs/heads/main', merged, {
        ref: 'refs/heads/main',
        repository: REPOSITORY,
        inputs: {},
      }),
    );
    expect(run.status).toBe(0);
    expect(github.deployments).toEqual([
      expect.objectContaining({ ref: 'gpt2@v1.1.0', environment: 'canary', sha: merged }),
    ]);
    expect(github.violations).toEqual([]);
  });

  it('a payload without the default branch: GitHub is asked, and its answer decides', async () => {
    const { registry, github, v1, merged } = await origin();
    github.defaultBranch = 'trunk';
    const run = await releaseStep(
      registry,
      github,
      workflowEvent('push', 'refs/heads/main', merged, { before: v1, after: merged }),
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'the run is for refs/heads/main, not for the default branch refs/heads/trunk',
    );
    expect(github.requests.map((r) => `${r.method} ${r.operation}`)).toEqual(['GET /repos/{owner}/{repo}']);
    expect(github.violations).toEqual([]);
  });
});
