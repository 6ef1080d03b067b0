import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runAction } from '../helpers/action.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { TempRegistry } from '../helpers/registry.js';

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

/**
 * The Action on a `deployment` event: gpt2 1.1.0 released (annotated tag)
 * with the canary deployment command: release creates, nginx configured on
 * the default branch with one upstream per version.
 */
async function deploymentEvent(payload: object = {}) {
  const registry = TempRegistry.create();
  registry.write(
    '.github/modelgate.yml',
    stringify({
      deploy: {
        nginx: {
          path: 'nginx/{model}.conf',
          upstream: { '1.0.0': '127.0.0.1:18001', '1.1.0': '127.0.0.1:18002' },
        },
      },
    }),
  );
  registry.write('models/gpt2/model.yaml', 'name: gpt2\nversion: 1.1.0\n');
  const commit = registry.commit('gpt2 1.1.0');
  registry.tag('gpt2@v1.1.0', { commit });
  const github = await FakeGitHub.start();
  fakes.push(github);
  github.localRepo = registry.root;
  const deployment = {
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
      ...payload,
    },
    description: '',
    production_environment: false,
  };
  github.deployments.push(deployment);
  const deploy = (inputs: Record<string, string> = {}) =>
    runAction(
      registry.root,
      { command: 'deploy', 'github-token': 'ghs_test', ...inputs },
      {
        eventName: 'deployment',
        event: { deployment },
        env: { GITHUB_API_URL: github.url, GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '77' },
      },
    );
  return { registry, github, deploy };
}

describe('the Action, command: deploy', () => {
  it('writes the nginx file, runs the reload command and reports in_progress then success with the run', async () => {
    const { registry, github, deploy } = await deploymentEvent();
    const result = await deploy({ 'reload-command': 'echo reloaded > reloaded.txt' });
    expect(result.status).toBe(0);
    expect(github.violations).toEqual([]);
    expect(registry.read('nginx/gpt2.conf')).toContain('proxy_pass http://modelgate_gpt2__1_1_0;');
    expect(registry.read('reloaded.txt')).toBe('reloaded\n');
    expect(github.deploymentStatuses.map((s) => [s.state, s.description, s.log_url])).toEqual([
      [
        'in_progress',
        'applying: gpt2 1.1.0 answers 100% of requests (asked 10%: no other version is live in production, so it answers every request)',
        'https://github.com/acme/models/actions/runs/77',
      ],
      [
        'success',
        'gpt2 1.1.0 answers 100% of requests (asked 10%: no other version is live in production, so it answers every request)',
        'https://github.com/acme/models/actions/runs/77',
      ],
    ]);
    expect(JSON.parse(result.outputs.deployed!)).toMatchObject({
      deployment: 1000,
      state: 'applied',
      target: 'nginx',
    });
  });

  it('fails the step and reports failure for a payload that breaks the contract', async () => {
    const { github, deploy } = await deploymentEvent({ preview: '1.2.0' });
    const result = await deploy();
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      `::error::deployment 1000's payload breaks modelgate's contract: unknown field "preview"`,
    );
    expect(github.deploymentStatuses.map((s) => s.state)).toEqual(['failure']);
  });

  it('refuses to run on another event', async () => {
    const { registry } = await deploymentEvent();
    const result = await runAction(registry.root, { command: 'deploy' }, { eventName: 'push' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      '::error::command: deploy runs on deployment events, not "push" (Run it in a workflow "on: deployment".)',
    );
  });
});
