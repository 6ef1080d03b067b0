import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Probot, ProbotOctokit } from 'probot';
import { parse, stringify } from 'yaml';
import modelgateApp from '../../src/app/index.js';
import { decodeState, type CanaryState } from '../../src/core/canary/state.js';
import { sealKeyFrom } from '../../src/core/integrity/seal.js';
import type { AppTrust } from '../../src/app/trust.js';
import { tickRepository } from '../../src/app/tick.js';
import type { Octokit } from '../../src/io/github/octokit.js';
import { APP_BOT, FakeGitHub } from './fake-github.js';
import { addRealModel } from './models.js';
import { T0 } from './prometheus.js';
import { TempRegistry } from './registry.js';
import { fixturePath } from '../setup/fixture-packages.js';

export const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export const CANARY = {
  steps: [10, 100],
  interval: '5m',
  failure_limit: 0,
  metrics: [
    {
      name: 'error_rate',
      query:
        'sum(rate(llm_requests_total{model="{{model}}",version="{{version}}",code=~"5.."}[1m])) / sum(rate(llm_requests_total{model="{{model}}",version="{{version}}"}[1m]))',
      max: 0.03,
      direction: 'increase',
    },
  ],
};

let examples: { name: string; examples: any[] }[] | undefined;

/** The real webhook examples of @octokit/webhooks-examples, by event name (a copy to edit). */
export function webhookExample(name: string, action?: string): any {
  examples ??= JSON.parse(readFileSync(fixturePath.webhookExamples, 'utf8')) as typeof examples;
  const example = examples!
    .find((e) => e.name === name)!
    .examples.find((e) => action === undefined || e.action === action);
  return structuredClone(example);
}

/** A Probot for tests: the fake GitHub as API, retries and throttling off, quiet. */
export function testProbot(baseUrl: string): Probot {
  return new Probot({
    appId: 1,
    privateKey,
    baseUrl,
    // A function, so it applies last: Probot rebuilds installation clients with its own throttle options.
    Octokit: ProbotOctokit.defaults((options: object) => ({
      ...options,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
    logLevel: 'fatal',
  });
}

/** The app's seal key in the tests (what MODELGATE_STATE_KEY would give). */
export const STATE_KEY = sealKeyFrom('modelgate tests: the state key of acme/models');

/** What the app trusts when a test ticks it directly: its bot account and the key; warnings are kept. */
export function appTrust(warnings: string[] = []): AppTrust {
  return {
    self: { login: APP_BOT.login, type: APP_BOT.type },
    key: STATE_KEY,
    warn: (message) => warnings.push(message),
  };
}

/** Loads modelgate into it, reading Prometheus and the clock the test controls. */
export function loadApp(probot: Probot, now: () => Date, prometheusUrl: string): Promise<void> {
  return probot.load((app) =>
    modelgateApp(app, { config: { prometheusUrl, tickSeconds: 0, stateKey: STATE_KEY }, now }),
  );
}

/** The state in the app's own canary comment of `model` on pull request `pr` (it must verify). */
export function appState(github: FakeGitHub, model = 'gpt2', pr = 42): CanaryState {
  const comment = github.comments.find(
    (c) =>
      c.issue === pr &&
      c.user.login === APP_BOT.login &&
      c.body.startsWith(`<!-- modelgate:canary:${model} -->`),
  );
  if (!comment) throw new Error(`the app wrote no canary comment of ${model} on #${pr}`);
  const decoded = decodeState(comment.body, STATE_KEY, { repository: 'acme/models', pr });
  if ('problem' in decoded) throw new Error(`the app's state does not verify: ${decoded.problem.detail}`);
  return decoded.state;
}

/** The real deployment_status example from @octokit/webhooks-examples, pointed at our deployment. */
export function deploymentStatus(deployment: {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload: object;
}) {
  const example = webhookExample('deployment_status');
  Object.assign(example.deployment, deployment);
  example.deployment_status.state = 'success';
  example.repository.name = 'models';
  example.repository.owner.login = 'acme';
  example.repository.full_name = 'acme/models';
  example.installation = { id: 1, node_id: 'I' };
  return example;
}

/** gpt2 1.2.0 in production, `version` released from pull request #42 and live at 10 % on canary. */
export async function liveCanary(
  version: string,
  prometheusUrl: string,
  extra: Record<string, unknown> = {},
) {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2', { version: '1.2.0', manifest: { canary: CANARY, ...extra } });
  const v1 = registry.commit('gpt2 1.2.0');
  registry.tag('gpt2@v1.2.0', { commit: v1, date: 1_760_000_000 });
  registry.tag('gpt2#production#1', { commit: v1, date: 1_760_000_001 });
  const manifest = parse(registry.read('models/gpt2/model.yaml')) as Record<string, any>;
  registry.editJson('models/gpt2/generation_config.json', (c) => (c.temperature = 0.7));
  registry.write('models/gpt2/model.yaml', stringify({ ...manifest, version }));
  const v2 = registry.commit(`gpt2 ${version} (#42)`);
  registry.tag(`gpt2@v${version}`, { commit: v2, date: 1_760_000_100 });
  const github = await FakeGitHub.start({
    onTag: (name, commit, message) => registry.tag(name, { commit, message }),
  });
  github.localRepo = registry.root;
  github.seedBranch('main', v2, registry.git('rev-parse', `${v2}^{tree}`));
  github.pulls.set(v2, [
    { number: 42, title: `gpt2 ${version}`, merged_at: '2026-11-22T00:00:00Z', user: { login: 'alice' } },
  ]);
  github.deployments.push({
    id: 1,
    ref: 'gpt2@v1.2.0',
    sha: v1,
    environment: 'production',
    payload: {
      model: 'gpt2',
      version: '1.2.0',
      weight: 100,
      manifest: 'models/gpt2/model.yaml',
      trigger: v1,
    },
    description: '',
    production_environment: true,
  });
  github.deployments.push({
    id: 2,
    ref: `gpt2@v${version}`,
    sha: v2,
    environment: 'canary',
    payload: { model: 'gpt2', version, weight: 10, manifest: 'models/gpt2/model.yaml', trigger: v2 },
    description: '',
    production_environment: false,
  });
  const probot = testProbot(github.url);
  let clock = new Date((T0 + 600) * 1000);
  await loadApp(probot, () => clock, prometheusUrl);
  /** The deployer reports a deployment live: GitHub records the status and sends deployment_status. */
  const deliver = (deployment: { id: number; weight: number }) => {
    github.reportDeployed(deployment.id);
    return probot.receive({
      id: `d-${deployment.id}`,
      name: 'deployment_status',
      payload: deploymentStatus({
        id: deployment.id,
        sha: v2,
        ref: `gpt2@v${version}`,
        environment: 'canary',
        payload: {
          model: 'gpt2',
          version,
          weight: deployment.weight,
          manifest: 'models/gpt2/model.yaml',
          trigger: v2,
        },
      }),
    } as any);
  };
  const warnings: string[] = [];
  let octokit = (await probot.auth(1)) as unknown as Octokit;
  const tick = (minutes: number, url = prometheusUrl) => {
    clock = new Date(clock.getTime() + minutes * 60_000);
    return tickRepository(
      octokit,
      { owner: 'acme', repo: 'models' },
      { prometheusUrl: url, tickSeconds: 0, stateKey: STATE_KEY },
      clock,
      appTrust(warnings),
    );
  };
  /** A new app process: nothing carried over in memory. */
  const restart = async () => {
    const fresh = testProbot(github.url);
    await loadApp(fresh, () => clock, prometheusUrl);
    octokit = (await fresh.auth(1)) as unknown as Octokit;
  };
  const state = () => appState(github);
  return { registry, github, probot: () => probot, deliver, tick, restart, state, warnings, v1, v2 };
}

let commentIds = 7_000_000;

/** The id of the last comment `issueComment` made. */
export const lastCommentId = () => commentIds;

/** The real issue_comment example from @octokit/webhooks-examples, as a comment on pull request #42 of acme/models. */
export function issueComment(
  body: string,
  options: {
    login?: string;
    type?: 'User' | 'Bot';
    action?: 'created' | 'edited';
    id?: number;
    issue?: number;
    pullRequest?: boolean;
    association?: string;
  } = {},
) {
  const example = webhookExample('issue_comment', options.action ?? 'created');
  const id = options.id ?? ++commentIds;
  const issue = options.issue ?? 42;
  Object.assign(example.comment, {
    id,
    body,
    html_url: `https://github.com/acme/models/pull/${issue}#issuecomment-${id}`,
    author_association: options.association ?? 'MEMBER',
  });
  Object.assign(example.comment.user, {
    login: options.login ?? 'alice',
    type: options.type ?? 'User',
  });
  example.issue.number = issue;
  if (options.pullRequest ?? true)
    example.issue.pull_request = {
      url: `https://api.github.com/repos/acme/models/pulls/${issue}`,
      html_url: `https://github.com/acme/models/pull/${issue}`,
      diff_url: `https://github.com/acme/models/pull/${issue}.diff`,
      patch_url: `https://github.com/acme/models/pull/${issue}.patch`,
      merged_at: '2026-11-22T00:00:00Z',
    };
  Object.assign(example.repository, {
    name: 'models',
    full_name: 'acme/models',
    default_branch: 'main',
    html_url: 'https://github.com/acme/models',
  });
  example.repository.owner.login = 'acme';
  example.installation = { id: 1, node_id: 'I' };
  if (options.action === 'edited') example.changes = { body: { from: '/help' } };
  return example;
}
