import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { deployOnce, type DeployOptions } from '../../../src/io/deploy/apply-deploy.js';
import { githubDeployerApi } from '../../../src/io/deploy/deployer-api.js';
import { createOctokit, FAST_FAKE_GITHUB } from '../../../src/io/github/octokit.js';
import { FakeGitHub } from '../../helpers/fake-github.js';
import { TempRegistry } from '../../helpers/registry.js';

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

const LOG_URL = 'https://github.com/acme/models/actions/runs/77';
const SETTINGS = {
  deploy: {
    gateway_api: {
      namespace: 'llm',
      parents: [{ name: 'inference-gateway', namespace: 'gateway-system' }],
      port: 8000,
      gitops: { repository: 'acme/gitops', branch: 'main', path: 'apps/{model}/httproute.yaml' },
    },
  },
};

/** The nginx target instead, for the two versions' servers on this host. */
const NGINX = {
  deploy: {
    nginx: {
      path: 'deploy/nginx/{model}.conf',
      listen: 8080,
      upstream: { '1.0.0': '127.0.0.1:8000', '1.1.0': '127.0.0.1:8001' },
    },
  },
};

/**
 * A registry whose default branch configures the Gateway API target, gpt2
 * 1.0.0 live in production and 1.1.0 released (annotated tag), with the
 * canary deployment command: release creates for it; GitHub faked with the
 * GitOps repository next to it.
 */
async function released(
  settings: object = SETTINGS,
  manifest = (version: string) => `name: gpt2\nversion: ${version}\n`,
  release: { files?: Record<string, string>; message?: string } = {},
) {
  const registry = TempRegistry.create();
  registry.write('.github/modelgate.yml', stringify(settings));
  registry.write('models/gpt2/model.yaml', manifest('1.0.0'));
  const live = registry.commit('Merge pull request #41: gpt2 1.0.0');
  registry.tag('gpt2@v1.0.0', { commit: live, message: 'Release gpt2 1.0.0' });
  registry.write('models/gpt2/model.yaml', manifest('1.1.0'));
  for (const [path, text] of Object.entries(release.files ?? {})) registry.write(path, text);
  const commit = registry.commit('Merge pull request #42: gpt2 1.1.0');
  registry.tag('gpt2@v1.1.0', { commit, message: release.message ?? 'Release gpt2 1.1.0' });
  const github = await FakeGitHub.start();
  fakes.push(github);
  github.localRepo = registry.root;
  const gitops = github.addRepository('acme', 'gitops');
  gitops.seedBranch('main', 'e'.repeat(40), 'f'.repeat(40));
  const production = {
    id: 900,
    ref: 'gpt2@v1.0.0',
    sha: live,
    environment: 'production',
    payload: {
      model: 'gpt2',
      version: '1.0.0',
      weight: 100,
      manifest: 'models/gpt2/model.yaml',
      trigger: live,
    },
    description: '',
    production_environment: true,
  };
  github.deployments.push(production);
  github.reportDeployed(900, 'success');
  const canary = {
    id: 1000,
    ref: 'gpt2@v1.1.0',
    sha: commit,
    environment: 'canary',
    payload: {
      model: 'gpt2',
      version: '1.1.0',
      weight: 10,
      manifest: 'models/gpt2/model.yaml',
      trigger: commit,
    },
    description: 'Deploy gpt2 1.1.0 to canary at 10%',
    production_environment: false,
  };
  github.deployments.push(canary);
  const octokit = createOctokit('ghs_test', () => {}, {
    GITHUB_API_URL: github.url,
    [FAST_FAKE_GITHUB]: '1',
  });
  const log: string[] = [];
  const options: DeployOptions = {
    api: githubDeployerApi(octokit, { owner: 'acme', repo: 'models' }),
    repo: { owner: 'acme', repo: 'models' },
    gitops: octokit,
    root: registry.root,
    logUrl: LOG_URL,
    dryRun: false,
    log: (line) => log.push(line),
  };
  const deploy = (over: Partial<typeof canary> = {}, more: Partial<DeployOptions> = {}) =>
    deployOnce({ ...canary, ...over }, { ...options, ...more });
  return { registry, github, gitops, commit, canary, deploy, log, octokit, options };
}

describe('deploying a modelgate Deployment (GitOps, Gateway API)', () => {
  it('a newer production deployment whose payload breaks the contract is never taken as live: its text reaches no file', async () => {
    const { github, gitops, deploy } = await released();
    // Anyone with deployments: write can make one, and report it a success: here before the canary
    // (made after the canary, it would supersede it).
    github.deployments.splice(-1, 0, {
      id: 950,
      ref: 'main',
      sha: 'c'.repeat(40),
      environment: 'production',
      payload: {
        model: 'gpt2',
        version: '1.0.0\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: llm}\n---\n#',
        weight: 100,
        manifest: 'x',
      },
      description: '',
      production_environment: true,
    });
    github.reportDeployed(950, 'success');
    const outcome = await deploy();
    expect(outcome).toMatchObject({ kind: 'applied', summary: 'gpt2 1.1.0 answers 10%, 1.0.0 90%' });
    const file = gitops.fileOfApiCommit(
      gitops.refs.get('refs/heads/main')!.object.sha,
      'apps/gpt2/httproute.yaml',
    );
    expect(file).not.toContain('Namespace');
    expect(file!.split('\n---\n')).toHaveLength(1);
  });

  it('a canary step against a production nobody reports live is refused; a deployment of all traffic goes on', async () => {
    const { github, gitops, deploy, canary } = await released();
    github.reportDeployed(900, 'failure'); // the version that served production is no longer reported live
    const refused = await deploy();
    expect(refused).toMatchObject({
      kind: 'refused',
      reason:
        'the version of gpt2 live in production cannot be told: none of the 1 newest production deployments of gpt2 that take all its traffic is a release reported live',
    });
    expect(github.deploymentStatuses.at(-1)).toMatchObject({ deployment: 1000, state: 'failure' });
    expect([...gitops.commits.values()].filter((c) => c.message.startsWith('Deploy'))).toEqual([]);
    const promotion = { ...canary, id: 1001, payload: { ...canary.payload, weight: 100 } };
    github.deployments.push(promotion);
    expect(await deploy(promotion)).toMatchObject({ kind: 'applied' });
  });

  it.each([
    ['its ref is a branch', 'main', () => 'c'.repeat(40)],
    [
      'its tag is lightweight',
      'gpt2@v6.6.6',
      (r: TempRegistry) => (r.git('tag', 'gpt2@v6.6.6'), r.git('rev-parse', 'HEAD')),
    ],
    [
      'its tag points at another commit',
      'gpt2@v6.6.6',
      (r: TempRegistry) => (r.tag('gpt2@v6.6.6', { message: 'Release gpt2 6.6.6' }), 'c'.repeat(40)),
    ],
  ])(
    'a production deployment reported a success by hand is not live when %s: the split goes to the release',
    async (_why, ref, tagged) => {
      const { registry, github, deploy } = await released();
      const sha = tagged(registry);
      // Anyone with deployments: write can make one, with a payload that keeps the contract.
      github.deployments.splice(-1, 0, {
        id: 950,
        ref,
        sha,
        environment: 'production',
        payload: {
          model: 'gpt2',
          version: '6.6.6',
          weight: 100,
          manifest: 'models/gpt2/model.yaml',
          trigger: sha,
        },
        description: '',
        production_environment: true,
      });
      github.reportDeployed(950, 'success');
      expect(await deploy()).toMatchObject({ kind: 'applied', summary: 'gpt2 1.1.0 answers 10%, 1.0.0 90%' });
    },
  );

  it('a production whose deployments of the model are further back than the deployer reads is unknown, not "never deployed"', async () => {
    const { github, deploy } = await released();
    // 300 newer production deployments of other models: gpt2's 1.0.0 is past the pages the deployer reads.
    const others = Array.from({ length: 300 }, (_, i) => ({
      id: 2000 + i,
      ref: 'main',
      sha: 'd'.repeat(40),
      environment: 'production',
      payload: { model: `other-${i}`, version: '1.0.0', weight: 100, manifest: 'x' },
      description: '',
      production_environment: true,
    }));
    github.deployments.splice(1, 0, ...others); // after 1.0.0, before the canary
    expect(await deploy()).toMatchObject({
      kind: 'refused',
      reason:
        'the version of gpt2 live in production cannot be told: no deployment of gpt2 that takes all its traffic is among the 300 newest in production, so whether one serves it cannot be told',
    });
  });

  it('commits the HTTPRoute to the GitOps repository and reports in_progress, then success, with the run', async () => {
    const { github, gitops, deploy } = await released();
    const outcome = await deploy();
    expect(outcome).toMatchObject({
      kind: 'applied',
      target: 'gateway-api',
      path: 'apps/gpt2/httproute.yaml',
      summary: 'gpt2 1.1.0 answers 10%, 1.0.0 90%',
    });
    expect(github.violations).toEqual([]);
    expect(github.deploymentStatuses).toEqual([
      {
        deployment: 1000,
        state: 'in_progress',
        description: 'applying: gpt2 1.1.0 answers 10%, 1.0.0 90%',
        log_url: LOG_URL,
        at: 2,
      },
      {
        deployment: 1000,
        state: 'success',
        description: 'gpt2 1.1.0 answers 10%, 1.0.0 90%',
        log_url: LOG_URL,
        at: 3,
      },
    ]);
    // The commit went to acme/gitops, on top of its main branch.
    expect(gitops.refs.get('refs/heads/main')!.object.sha).toBe(outcome.kind === 'applied' && outcome.commit);
    const [commit] = [...gitops.commits.values()].filter((c) => c.message.startsWith('Deploy'));
    expect(commit).toMatchObject({ parents: ['e'.repeat(40)] });
    expect(commit!.message).toContain('Deploy gpt2 1.1.0 at 10%');
    const file = gitops.fileOfApiCommit(
      gitops.refs.get('refs/heads/main')!.object.sha,
      'apps/gpt2/httproute.yaml',
    );
    expect(file).toContain('weight: 90');
    // In order, and to which repository: the statuses here, the commit in acme/gitops.
    expect(
      github.requests
        .filter((r) => r.method !== 'GET')
        .map((r) => `${r.method} ${decodeURIComponent(r.path)}`),
    ).toEqual([
      'POST /repos/acme/models/deployments/1000/statuses',
      'POST /repos/acme/gitops/git/trees',
      'POST /repos/acme/gitops/git/commits',
      'PATCH /repos/acme/gitops/git/refs/heads/main',
      'POST /repos/acme/models/deployments/1000/statuses',
    ]);
  });

  it("never asks GitHub to mark earlier deployments inactive: with models sharing an environment, that ends other models' rollouts", async () => {
    const { github, deploy } = await released();
    await deploy();
    expect(github.deploymentStatuses.length).toBeGreaterThan(0);
    expect(github.deploymentStatuses.filter((s) => 'autoInactive' in s)).toEqual([]);
  });

  it.each([
    [
      'one whose ref is no release tag',
      { version: '6.6.6', weight: 100, trigger: 'c'.repeat(40) },
      'failure',
    ],
    ['one whose payload breaks the contract (no trigger)', { version: '6.6.6', weight: 100 }, undefined],
  ])(
    'a deployment that routes nothing replaces nothing: %s leaves a pending rollback to apply',
    async (_why, junk, status) => {
      const { github, deploy, canary } = await released();
      const rollback = {
        ...canary,
        id: 1001,
        ref: 'gpt2@v1.0.0',
        sha: github.deployments.find((d) => d.id === 900)!.sha,
        environment: 'production',
        payload: {
          ...canary.payload,
          version: '1.0.0',
          weight: 100,
          trigger: `modelgate-guard:${'a'.repeat(40)}`,
        },
      };
      github.deployments.push(rollback, {
        id: 1002,
        ref: 'main',
        sha: 'c'.repeat(40),
        environment: 'production',
        payload: { model: 'gpt2', manifest: 'models/gpt2/model.yaml', ...junk },
        description: '',
        production_environment: true,
      } as typeof canary);
      if (status) github.reportDeployed(1002, status);
      expect(await deploy(rollback)).toMatchObject({
        kind: 'applied',
        summary: expect.stringContaining('1.0.0 answers 100%'),
      });
    },
  );

  it('a newer release whose run failed still replaces an older one: a failed run is re-run, and the older one would undo it', async () => {
    const { github, deploy, canary } = await released();
    const live = github.deployments.find((d) => d.id === 900)!;
    const promotion = {
      ...canary,
      id: 1001,
      environment: 'production',
      payload: { ...canary.payload, weight: 100 },
    };
    const rollback = {
      ...promotion,
      id: 1200,
      ref: 'gpt2@v1.0.0',
      sha: live.sha,
      payload: {
        ...canary.payload,
        version: '1.0.0',
        weight: 100,
        trigger: `modelgate-guard:${'a'.repeat(40)}`,
      },
    };
    github.deployments.push(promotion, rollback);
    github.reportDeployed(1200, 'failure'); // a GitOps push conflict, say: its job is re-run
    expect(await deploy(promotion)).toEqual({ kind: 'superseded', by: 1200 });
  });

  it('changes and reports nothing on a re-run of a live deployment', async () => {
    const { github, deploy } = await released();
    await deploy();
    const writes = github.requests.filter((r) => r.method !== 'GET').length;
    expect(await deploy()).toMatchObject({ kind: 'unchanged' });
    expect(github.requests.filter((r) => r.method !== 'GET').length).toBe(writes);
  });

  it('stands down, reporting inactive, when a newer deployment of the model exists', async () => {
    const { github, canary, deploy } = await released();
    github.deployments.push({
      ...canary,
      id: 1001,
      payload: { ...canary.payload, weight: 50 },
      description: '',
      sha: canary.sha,
    });
    expect(await deploy()).toEqual({ kind: 'superseded', by: 1001 });
    expect(github.deploymentStatuses).toMatchObject([
      {
        deployment: 1000,
        state: 'inactive',
        description: 'superseded by deployment 1001 of gpt2: traffic not changed',
      },
    ]);
  });

  it('a re-run of a failed canary after the app switched production back moves no traffic: a newer deployment in any environment supersedes it', async () => {
    const { github, gitops, canary, deploy } = await released();
    expect(await deploy()).toMatchObject({ kind: 'applied', summary: 'gpt2 1.1.0 answers 10%, 1.0.0 90%' });
    // The canary failed: the app marked it failed and deployed 1.0.0 to production at 100 %.
    github.reportDeployed(canary.id, 'failure');
    const back = github.deployments.find((d) => d.environment === 'production')!;
    github.deployments.push({ ...back, id: 1001, payload: { ...(back.payload as object), weight: 100 } });
    const head = gitops.refs.get('refs/heads/main')!.object.sha;
    const statuses = github.deploymentStatuses.length;
    // Someone re-runs the canary's job (or it was queued behind a busy runner).
    expect(await deploy()).toEqual({ kind: 'superseded', by: 1001 });
    expect(gitops.refs.get('refs/heads/main')!.object.sha).toBe(head);
    // No status: a deployment replaced from another environment may still be live in its own.
    expect(github.deploymentStatuses).toHaveLength(statuses);
  });

  it('the first release of a repository whose only stage is production takes every request: no earlier deployment takes all traffic', async () => {
    const { github, deploy } = await released();
    github.deployments.splice(0, 1); // no 1.0.0: nothing was ever deployed
    github.deployments[0]!.environment = 'production'; // the release's first step is in production
    const outcome = await deploy({ environment: 'production' });
    expect(outcome).toMatchObject({
      kind: 'applied',
      summary: expect.stringContaining('1.1.0 answers 100%'),
    });
  });

  it("a re-run of the live promotion's job, while a canary step splits against it, stands down with no status", async () => {
    const { github, gitops, deploy } = await released();
    expect(await deploy()).toMatchObject({ kind: 'applied' });
    const head = gitops.refs.get('refs/heads/main')!.object.sha;
    const statuses = github.deploymentStatuses.length;
    const promotion = github.deployments.find((d) => d.id === 900)!;
    expect(await deploy(promotion as Parameters<typeof deploy>[0])).toEqual({ kind: 'superseded', by: 1000 });
    expect(gitops.refs.get('refs/heads/main')!.object.sha).toBe(head); // the 10 % split stays
    expect(github.deploymentStatuses).toHaveLength(statuses); // 1.0.0 is still live in production
  });

  it("refuses a deployment too old to be among the repository's newest: nothing says it was not replaced", async () => {
    const { github, deploy } = await released();
    // 300 newer deployments of another model push it out of the pages the deployer reads.
    for (let i = 0; i < 300; i++)
      github.deployments.push({
        id: 2000 + i,
        ref: 'main',
        sha: 'd'.repeat(40),
        environment: 'preview',
        payload: { model: 'docs-site' },
        description: '',
        production_environment: false,
      });
    expect(await deploy()).toMatchObject({
      kind: 'refused',
      reason:
        "deployment 1000 of gpt2 is not among the repository's newest deployments, so whether a newer one replaced it cannot be told",
    });
  });

  it('refuses, with a failure status, a version whose tag is missing or does not point at the deployment', async () => {
    const { github, registry, deploy } = await released();
    const other = registry.commit('another commit');
    expect(await deploy({ sha: other })).toMatchObject({
      kind: 'refused',
      reason: `gpt2@v1.1.0 points at ${registry.git('rev-parse', 'HEAD~1').slice(0, 12)} but deployment 1000 deploys ${other.slice(0, 12)}`,
    });
    expect(
      await deploy({
        ref: 'gpt2@v1.2.0',
        payload: { ...(await released()).canary.payload, version: '1.2.0' },
      }),
    ).toMatchObject({
      kind: 'refused',
      reason: 'gpt2 1.2.0 is not released: the tag gpt2@v1.2.0 does not exist',
    });
    expect(github.deploymentStatuses.map((s) => s.state)).toEqual(['failure', 'failure']);
    expect(github.deploymentStatuses[0]).toMatchObject({ log_url: LOG_URL });
  });

  it('refuses a version GTO holds withdrawn, or whose registration is now other content: nothing deploys what is no release', async () => {
    const { registry, github, deploy, commit } = await released();
    registry.tag('gpt2@v1.1.0!#5', { commit, message: 'Deregistering gpt2 1.1.0' });
    expect(await deploy()).toMatchObject({
      kind: 'refused',
      reason: 'gpt2 1.1.0 was deregistered (gpt2@v1.1.0 is withdrawn), so it is no release',
      fix: 'Deploy a released version, or register 1.1.0 again if its withdrawal was a mistake.',
    });
    expect(github.deploymentStatuses.at(-1)).toMatchObject({ deployment: 1000, state: 'failure' });
    // Registered again, on other content: the simple tag the deployment names is the withdrawn one.
    registry.tag('gpt2@v1.1.0#6', {
      commit: registry.commit('gpt2 1.1.0 again'),
      message: 'Registering gpt2 1.1.0',
    });
    expect(await deploy()).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining(
        'was registered again as gpt2@v1.1.0#6, and its simple tag gpt2@v1.1.0',
      ),
    });
  });

  it('refuses a lightweight tag: not a release', async () => {
    const { registry, commit, deploy } = await released();
    registry.git('tag', '-d', 'gpt2@v1.1.0');
    registry.git('tag', 'gpt2@v1.1.0', commit);
    expect(await deploy()).toMatchObject({
      kind: 'refused',
      reason:
        'gpt2@v1.1.0 is a lightweight tag: releases are annotated tags (who and when), so it is not a release',
    });
  });

  it("leaves someone else's deployment alone: no status", async () => {
    const { github, deploy } = await released();
    expect(await deploy({ payload: { service: 'web' } as never })).toMatchObject({ kind: 'foreign' });
    expect(github.deploymentStatuses).toEqual([]);
  });

  it('reports a failure naming the branch when the GitOps branch does not exist', async () => {
    const settings = structuredClone(SETTINGS);
    settings.deploy.gateway_api.gitops.branch = 'clusters';
    const { github, deploy } = await released(settings);
    await expect(deploy()).rejects.toThrow('the GitOps branch clusters does not exist in acme/gitops');
    expect(github.deploymentStatuses.map((s) => [s.state, s.description])).toEqual([
      ['in_progress', 'applying: gpt2 1.1.0 answers 10%, 1.0.0 90%'],
      [
        'failure',
        'not applied: the GitOps branch clusters does not exist in acme/gitops (or the token cannot read it)',
      ],
    ]);
  });

  it('refuses a broken deploy section of the default branch with the setting named', async () => {
    const { deploy } = await released({
      deploy: { gateway_api: { ...SETTINGS.deploy.gateway_api, prot: 1 } },
    });
    expect(await deploy()).toMatchObject({
      kind: 'refused',
      reason: '.github/modelgate.yml: deploy.gateway_api.prot: unknown setting',
    });
  });
});

describe('a repository whose only stage is production: rollout steps are never the live version', () => {
  it("a canary's second step is split against the version it replaces, not against its own first step", async () => {
    const { github, deploy, canary } = await released();
    const step1 = { ...canary, id: 1000, environment: 'production', production_environment: false };
    github.deployments.splice(github.deployments.indexOf(canary), 1, step1);
    await deploy(step1);
    const step2 = { ...step1, id: 1001, payload: { ...step1.payload, weight: 50 } };
    github.deployments.push(step2);
    expect(await deploy(step2)).toMatchObject({ summary: 'gpt2 1.1.0 answers 50%, 1.0.0 50%' });
  });

  it('a version that failed at its second step is not live for the next release', async () => {
    const { github, deploy, canary, registry } = await released();
    const step1 = { ...canary, id: 1000, environment: 'production', production_environment: true };
    github.deployments.splice(github.deployments.indexOf(canary), 1, step1);
    await deploy(step1);
    const step2 = {
      ...step1,
      id: 1001,
      production_environment: false,
      payload: { ...step1.payload, weight: 50 },
    };
    github.deployments.push(step2);
    await deploy(step2);
    github.reportDeployed(1001, 'failure'); // the app fails the judged step
    registry.write('models/gpt2/model.yaml', 'name: gpt2\nversion: 1.2.0\n');
    const next = registry.commit('gpt2 1.2.0');
    registry.tag('gpt2@v1.2.0', { commit: next, message: 'Release gpt2 1.2.0' });
    const release = {
      ...step1,
      id: 1100,
      ref: 'gpt2@v1.2.0',
      sha: next,
      payload: { ...step1.payload, version: '1.2.0', trigger: next },
    };
    github.deployments.push(release);
    expect(await deploy(release)).toMatchObject({ summary: 'gpt2 1.2.0 answers 10%, 1.0.0 90%' });
  });
});

describe('deploying to nginx: a reload that fails', () => {
  it('leaves the file as it was, so no later reload puts the refused routing live', async () => {
    const { registry, github, canary, deploy } = await released(NGINX);
    const file = join(registry.root, 'deploy/nginx/gpt2.conf');
    // The first deployment makes the file: a failed reload removes it again.
    await expect(deploy({}, { reloadCommand: 'echo "nginx: [emerg] bad" >&2; exit 1' })).rejects.toThrow(
      'the reload command failed (exit 1: nginx: [emerg] bad); deploy/nginx/gpt2.conf holds what it held before',
    );
    expect(existsSync(file)).toBe(false);
    expect(github.deploymentStatuses.at(-1)).toMatchObject({ deployment: 1000, state: 'failure' });
    // Applied once, the file holds the 10 % split; a 50 % step whose reload fails leaves it at 10 %.
    expect(await deploy({}, { reloadCommand: 'true' })).toMatchObject({ kind: 'applied' });
    const applied = readFileSync(file, 'utf8');
    const step = { ...canary, id: 1001, payload: { ...canary.payload, weight: 50 } };
    github.deployments.push(step);
    await expect(deploy(step, { reloadCommand: 'exit 2' })).rejects.toThrow(
      'the reload command failed (exit 2)',
    );
    expect(readFileSync(file, 'utf8')).toBe(applied);
  });
});

describe('two deployer jobs of one model at the same time (GitHub runs deployment workflows in parallel)', () => {
  /** The production deployment of 1.0.0 at 100 % that takes the canary out of traffic (the app's switch back). */
  const switchBack = (github: FakeGitHub) => {
    const production = github.deployments.find((d) => d.id === 900)!;
    return { ...production, sha: production.sha!, id: 1001, description: 'Switch gpt2 back to 1.0.0' };
  };
  /** An API whose first listing of newer deployments is followed by `meanwhile`, before the job goes on. */
  const thenMeanwhile = (api: DeployOptions['api'], meanwhile: () => Promise<unknown>) => {
    let first = true;
    return {
      ...api,
      newerDeployments: async (model: string, id: number) => {
        const newer = await api.newerDeployments(model, id);
        if (first) {
          first = false;
          await meanwhile();
        }
        return newer;
      },
    };
  };
  /**
   * Deploys the canary whose job has read the deployments when the switch back is made, and the
   * switch back's job runs to the end before the canary's job goes on.
   */
  const deployDuringSwitchBack = async ({
    github,
    deploy,
    options,
  }: Awaited<ReturnType<typeof released>>) => {
    const back = switchBack(github);
    return deploy(
      {},
      {
        api: thenMeanwhile(options.api, async () => {
          github.deployments.push(back);
          expect(await deployOnce(back, options)).toMatchObject({ kind: 'applied' });
        }),
      },
    );
  };
  const httpRoute = (gitops: FakeGitHub) =>
    gitops.fileOfApiCommit(gitops.refs.get('refs/heads/main')!.object.sha, 'apps/gpt2/httproute.yaml');

  it("a job that planned before a newer deployment existed does not commit over the newer one's file", async () => {
    const setup = await released();
    const { github, gitops, canary } = setup;
    expect(await deployDuringSwitchBack(setup)).toEqual({ kind: 'superseded', by: 1001 });
    const file = httpRoute(gitops);
    expect(file).not.toContain('1-1-0');
    expect(file).toContain('weight: 100');
    // The canary never took traffic: in_progress, then inactive, and no success.
    expect(github.deploymentStatuses.filter((s) => s.deployment === canary.id).map((s) => s.state)).toEqual([
      'in_progress',
      'inactive',
    ]);
    expect(github.violations).toEqual([]);
  });

  it('a push that lands between reading the branch and moving it makes the job plan again, on the new head', async () => {
    const { github, gitops, canary, deploy, octokit, options } = await released();
    const back = switchBack(github);
    // A client of its own for the canary's job, so the switch back's job runs while it commits.
    const racing = createOctokit('ghs_test', () => {}, {
      GITHUB_API_URL: github.url,
      [FAST_FAKE_GITHUB]: '1',
    });
    let first = true;
    racing.hook.before('request', async (request) => {
      if (!first || request.method !== 'PATCH' || !String(request.url).includes('/git/refs/')) return;
      first = false;
      github.deployments.push(back);
      expect(await deployOnce(back, { ...options, gitops: octokit })).toMatchObject({ kind: 'applied' });
    });
    const outcome = await deploy({}, { gitops: racing });
    expect(outcome).toEqual({ kind: 'superseded', by: 1001 });
    expect(httpRoute(gitops)).not.toContain('1-1-0');
    expect(github.deploymentStatuses.filter((s) => s.deployment === canary.id).at(-1)).toMatchObject({
      state: 'inactive',
    });
    // Its commit was refused as no fast-forward, and none of its commits is on the branch.
    const onBranch = gitops.refs.get('refs/heads/main')!.object.sha;
    expect(gitops.commits.get(onBranch)!.message).toContain('Deploy gpt2 1.0.0 at 100%');
  });

  it('nginx: the plan is made again right before the file is written', async () => {
    const setup = await released(NGINX);
    expect(await deployDuringSwitchBack(setup)).toEqual({ kind: 'superseded', by: 1001 });
    const { registry } = setup;
    const file = readFileSync(join(registry.root, 'deploy/nginx/gpt2.conf'), 'utf8');
    expect(file).not.toContain('127.0.0.1:8001');
    expect(file).toContain('127.0.0.1:8000');
  });

  it('a re-run of the live production deployment after a newer one was made keeps its success: an older release would read as live', async () => {
    const { registry, github, deploy, options } = await released();
    // 0.9.0 served production before 1.0.0: still reported a success (nothing marks it otherwise).
    registry.tag('gpt2@v0.9.0', {
      commit: github.deployments.find((d) => d.id === 900)!.sha!,
      message: 'Release gpt2 0.9.0',
    });
    const production = github.deployments.find((d) => d.id === 900)!;
    github.deployments.unshift({
      ...production,
      id: 800,
      ref: 'gpt2@v0.9.0',
      payload: { ...(production.payload as object), version: '0.9.0' },
    });
    github.reportDeployed(800, 'success');
    // 1.1.0's promotion is made; its job has not run yet when 1.0.0's job is re-run.
    github.deployments.push({
      ...production,
      id: 1001,
      ref: 'gpt2@v1.1.0',
      sha: github.deployments.find((d) => d.id === 1000)!.sha,
      payload: { ...(production.payload as object), version: '1.1.0' },
    });
    const statuses = github.deploymentStatuses.length;
    expect(await deploy(production as Parameters<typeof deploy>[0])).toEqual({
      kind: 'superseded',
      by: 1001,
    });
    expect(github.deploymentStatuses).toHaveLength(statuses);
    // 1.0.0 still serves production until 1.1.0's job reports it live: a canary's rest goes to 1.0.0, not 0.9.0.
    expect(await options.api.liveVersion('production', 'gpt2')).toBe('1.0.0');
  });

  it('a plan made again that now refuses the deployment reports failure, and writes nothing', async () => {
    const { github, gitops, canary, deploy, options } = await released();
    const head = gitops.refs.get('refs/heads/main')!.object.sha;
    const outcome = await deploy(
      {},
      {
        // Meanwhile production's deployment is reported failed by hand: the split's other version cannot be told.
        api: thenMeanwhile(options.api, async () => github.reportDeployed(900, 'failure')),
      },
    );
    expect(outcome).toMatchObject({ kind: 'refused', reason: expect.stringContaining('cannot be told') });
    expect(gitops.refs.get('refs/heads/main')!.object.sha).toBe(head);
    expect(github.deploymentStatuses.filter((s) => s.deployment === canary.id).map((s) => s.state)).toEqual([
      'in_progress',
      'failure',
    ]);
  });

  it('a branch that keeps moving fails the job with the way out, not a raw API error', async () => {
    const { github, deploy } = await released();
    github.fail('PATCH', '/repos/{owner}/{repo}/git/refs/{ref}', 422, 5);
    await expect(deploy()).rejects.toThrow(
      'the GitOps branch main of acme/gitops moved 5 times while this deployment was being committed',
    );
    expect(github.deploymentStatuses.at(-1)).toMatchObject({ deployment: 1000, state: 'failure' });
  });
});

describe('deploying to KServe (GitOps): the storageUri is the release’s weights', () => {
  const KSERVE = {
    deploy: {
      kserve: {
        namespace: 'llm',
        storage_uri: 's3://models/{model}/{version}/',
        gitops: { repository: 'acme/gitops', branch: 'main', path: 'apps/{model}/inferenceservice.yaml' },
      },
    },
  };
  /** A manifest whose weights are in `folder(version)`. */
  const withWeights = (folder: (version: string) => string) => (version: string) =>
    stringify({
      apiVersion: 'modelgate.dev/v1',
      kind: 'Model',
      name: 'gpt2',
      version,
      artifacts: {
        config: 'config.json',
        tokenizer: 'tokenizer.json',
        weights: [{ uri: `${folder(version)}/model.safetensors`, sha256: 'a'.repeat(64) }],
      },
    });

  it('commits the InferenceService when the manifest at the release tag lists its weights there', async () => {
    const { github, gitops, deploy } = await released(
      KSERVE,
      withWeights((v) => `s3://models/gpt2/${v}`),
    );
    expect(await deploy()).toMatchObject({ kind: 'applied' });
    const file = gitops.fileOfApiCommit(
      gitops.refs.get('refs/heads/main')!.object.sha,
      'apps/gpt2/inferenceservice.yaml',
    );
    expect(file).toContain('storageUri: s3://models/gpt2/1.1.0');
    expect(github.violations).toEqual([]);
  });

  // Before: KServe was pointed at the template's URI whatever the release listed: weights nobody checked.
  it('refuses, with a failure status and nothing committed, a release whose weights are elsewhere', async () => {
    const { github, gitops, deploy } = await released(
      KSERVE,
      withWeights((v) => `s3://staging/gpt2-${v}`),
    );
    const head = gitops.refs.get('refs/heads/main')!.object.sha;
    expect(await deploy()).toMatchObject({
      kind: 'refused',
      reason:
        'KServe would load gpt2 1.1.0 from s3://models/gpt2/1.1.0/, but its manifest lists a weights file elsewhere (s3://staging/gpt2-1.1.0/model.safetensors)',
    });
    expect(gitops.refs.get('refs/heads/main')!.object.sha).toBe(head);
    expect(github.deploymentStatuses.at(-1)).toMatchObject({ deployment: 1000, state: 'failure' });
    expect(github.violations).toEqual([]);
  });

  /**
   * The release of `released()`, whose weights are in staging, with a decoy at the same commit:
   * `docs/example.yaml` declares gpt2 1.1.0 with weights under the storageUri. `message` is the
   * release tag's (the default has no Manifest: line, as a tag made before modelgate wrote one).
   */
  const withDecoy = async (message = 'Release gpt2 1.1.0') => {
    const setup = await released(
      KSERVE,
      withWeights((v) => `s3://staging/gpt2-${v}`),
      { files: { 'docs/example.yaml': withWeights((v) => `s3://models/gpt2/${v}`)('1.1.0') }, message },
    );
    const head = setup.gitops.refs.get('refs/heads/main')!.object.sha;
    const decoy = { payload: { ...setup.canary.payload, manifest: 'docs/example.yaml' } };
    return { ...setup, head, decoy };
  };

  // Before: the deployer read the manifest the payload named, so a deployment naming the decoy
  // (anyone with deployments: write can make one) was committed with the decoy's storageUri.
  it("refuses a payload naming another file than the release's manifest: the tag's Manifest: line, else the globs", async () => {
    const unrecorded = await withDecoy();
    expect(await unrecorded.deploy(unrecorded.decoy)).toMatchObject({
      kind: 'refused',
      reason:
        'gpt2@v1.1.0 records no manifest (no Manifest: line), and "docs/example.yaml", the manifest the deployment names, is not one the registry\'s manifest globs [models/**/model.yaml] find',
    });
    expect(unrecorded.gitops.refs.get('refs/heads/main')!.object.sha).toBe(unrecorded.head);
    expect(unrecorded.github.deploymentStatuses.at(-1)).toMatchObject({ deployment: 1000, state: 'failure' });

    const recorded = await withDecoy(
      `Release gpt2 1.1.0\n\nManifest: models/gpt2/model.yaml sha256:${'b'.repeat(64)}\n`,
    );
    expect(await recorded.deploy(recorded.decoy)).toMatchObject({
      kind: 'refused',
      reason:
        'the deployment names the manifest "docs/example.yaml", but gpt2@v1.1.0 records "models/gpt2/model.yaml" as the release\'s manifest',
    });
    expect(recorded.gitops.refs.get('refs/heads/main')!.object.sha).toBe(recorded.head);
    expect(recorded.github.violations).toEqual([]);
  });

  // Before: a GitHub failure reading the manifest escaped the deployer, leaving the deployment without a status.
  it('fails the deployment, nothing committed, when GitHub cannot give the manifest', async () => {
    const { github, gitops, deploy, options } = await released(
      KSERVE,
      withWeights((v) => `s3://models/gpt2/${v}`),
    );
    const head = gitops.refs.get('refs/heads/main')!.object.sha;
    // GitHub fails once the settings are read: the next contents read is the manifest's.
    const { api } = options;
    const settings = async () => {
      const read = await api.settings();
      github.fail('GET', '/repos/{owner}/{repo}/contents/{path}', 502, 100);
      return read;
    };
    expect(await deploy({}, { api: { ...api, settings } })).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(
        /^models\/gpt2\/model\.yaml at [0-9a-f]{12} could not be read from GitHub \(HTTP 502\), so the KServe storageUri cannot be tied/,
      ),
      fix: 'Re-run the deploy job once GitHub answers.',
    });
    expect(gitops.refs.get('refs/heads/main')!.object.sha).toBe(head);
    expect(github.deploymentStatuses.at(-1)).toMatchObject({ deployment: 1000, state: 'failure' });
  });
});
