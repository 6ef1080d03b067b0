import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { deployOnce, type DeployOptions } from '../../../src/io/deploy/apply-deploy.js';
import { githubDeployerApi } from '../../../src/io/deploy/deployer-api.js';
import { createOctokit, FAST_FAKE_GITHUB } from '../../../src/io/github/octokit.js';
import { FakeGitHub } from '../../helpers/fake-github.js';
import { FakeLlm } from '../../helpers/fake-llm.js';
import { freePort, startNginx, type RunningNginx } from '../../helpers/nginx.js';
import { TempRegistry } from '../../helpers/registry.js';

/*
 * A blue-green rollout of gpt2 1.1.0 (green) over 1.0.0 (blue), with real
 * traffic through Debian's nginx: the preview deployment command: release
 * creates, the switch and the switch back the app creates, each applied by
 * deployOnce with the nginx target and the workflow's reload command. Every
 * request must go to exactly one side, so a few hundred requests are enough.
 */
const REQUESTS = 100;

/** Sends `n` chat completions to a port, one at a time, and counts who answered. */
async function answersFrom(port: number, n: number): Promise<Record<string, number>> {
  const answers: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt2', messages: [{ role: 'user', content: `request ${i}` }] }),
    });
    expect(response.status).toBe(200);
    const answer = ((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!
      .message.content;
    answers[answer] = (answers[answer] ?? 0) + 1;
  }
  return answers;
}

let blue: FakeLlm;
let green: FakeLlm;
let nginx: RunningNginx;
let github: FakeGitHub;
let registry: TempRegistry;
let listen: number;
let previewListen: number;
let options: DeployOptions;
let releaseCommit: string;

beforeAll(async () => {
  blue = await FakeLlm.start({ answer: () => '1.0.0' });
  green = await FakeLlm.start({ answer: () => '1.1.0' });
  listen = await freePort();
  previewListen = await freePort();
  registry = TempRegistry.create('file');
  registry.write(
    '.github/modelgate.yml',
    stringify({
      deploy: {
        nginx: {
          path: 'deploy/nginx/{model}.conf',
          listen: `127.0.0.1:${listen}`,
          preview_listen: `127.0.0.1:${previewListen}`,
          upstream: { '1.0.0': new URL(blue.url).host, '1.1.0': new URL(green.url).host },
        },
      },
    }),
  );
  registry.write('models/gpt2/model.yaml', 'name: gpt2\nversion: 1.1.0\n');
  releaseCommit = registry.commit('Merge pull request #42: gpt2 1.1.0');
  registry.tag('gpt2@v1.1.0', { commit: releaseCommit, message: 'Release gpt2 1.1.0' });
  registry.tag('gpt2@v1.0.0', { commit: releaseCommit, message: 'Release gpt2 1.0.0' });
  nginx = await startNginx(`${registry.root}/deploy/nginx/*.conf`);
  github = await FakeGitHub.start();
  github.localRepo = registry.root;
  // Blue is live in production.
  github.deployments.push({
    id: 900,
    ref: 'gpt2@v1.0.0',
    sha: releaseCommit,
    environment: 'production',
    payload: {
      model: 'gpt2',
      version: '1.0.0',
      weight: 100,
      manifest: 'models/gpt2/model.yaml',
      trigger: releaseCommit,
    },
    description: '',
    production_environment: true,
  });
  github.reportDeployed(900, 'success');
  const octokit = createOctokit('ghs_test', () => {}, {
    GITHUB_API_URL: github.url,
    [FAST_FAKE_GITHUB]: '1',
  });
  options = {
    api: githubDeployerApi(octokit, { owner: 'acme', repo: 'models' }),
    repo: { owner: 'acme', repo: 'models' },
    gitops: octokit,
    root: registry.root,
    target: 'nginx',
    reloadCommand: nginx.reloadCommand,
    dryRun: false,
    log: () => {},
  };
}, 30_000);

afterAll(async () => {
  await nginx?.stop();
  await github?.close();
  await blue?.close();
  await green?.close();
});

/** Creates a deployment as modelgate would, applies it, waits for nginx to serve it and returns its summary. */
async function deploy(environment: string, payload: Record<string, unknown>): Promise<string> {
  const version = payload.version as string;
  const record = {
    id: 1000 + github.deployments.length,
    ref: `gpt2@v${version}`,
    sha: releaseCommit,
    environment,
    payload: { model: 'gpt2', manifest: 'models/gpt2/model.yaml', trigger: releaseCommit, ...payload },
    description: '',
    production_environment: environment === 'production',
  };
  github.deployments.push(record);
  const before = nginx.workers();
  const outcome = await deployOnce(record, options);
  expect(outcome).toMatchObject({ kind: 'applied' });
  await nginx.reloaded(before);
  await nginx.drained();
  return outcome.kind === 'applied' ? outcome.summary : '';
}

describe('command: deploy with the nginx target, blue-green under real traffic', () => {
  it('the preview: every user request still goes to blue; the preview port reaches only green', async () => {
    const summary = await deploy('preview', {
      version: '1.1.0',
      weight: 0,
      strategy: 'blue_green',
      role: 'preview',
    });
    expect(summary).toBe(
      'gpt2 1.0.0 answers 100%; 1.1.0 is deployed beside it as a preview (no user traffic)',
    );
    expect(await answersFrom(listen, REQUESTS)).toEqual({ '1.0.0': REQUESTS });
    expect(await answersFrom(previewListen, REQUESTS)).toEqual({ '1.1.0': REQUESTS });
  });

  it('the switch: every request goes to green at once, and the preview port is gone', async () => {
    const summary = await deploy('production', {
      version: '1.1.0',
      weight: 100,
      strategy: 'blue_green',
      role: 'active',
      scale_down_delay: 1800,
    });
    expect(summary).toBe(
      'gpt2 1.1.0 answers 100% of requests; 1.0.0 stays in place with no traffic for 1800 s',
    );
    expect(await answersFrom(listen, REQUESTS)).toEqual({ '1.1.0': REQUESTS });
    await expect(fetch(`http://127.0.0.1:${previewListen}/`)).rejects.toThrow();
  });

  it('the switch back: blue answers everything again, green kept in turn', async () => {
    const summary = await deploy('production', {
      version: '1.0.0',
      weight: 100,
      strategy: 'blue_green',
      role: 'active',
    });
    expect(summary).toBe('gpt2 1.0.0 answers 100% of requests; 1.1.0 stays in place with no traffic for 0 s');
    expect(await answersFrom(listen, REQUESTS)).toEqual({ '1.0.0': REQUESTS });
    expect(github.violations).toEqual([]);
    expect(nginx.errorLog()).not.toMatch(/\[(emerg|alert|crit|error)\]/);
  });
});
