import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { parse, stringify } from 'yaml';
import modelgateApp from '../../src/app/index.js';
import type { AppConfig } from '../../src/app/config.js';
import { EmbeddedScheduler } from '../../src/app/scheduler/embedded.js';
import { createAppMetrics, type AppMetrics } from '../../src/app/metrics.js';
import { RateBudget } from '../../src/app/rate-budget.js';
import { Registry } from 'prom-client';
import type { RecoveryReport } from '../../src/app/recover.js';
import { decodeState, type CanaryState } from '../../src/core/canary/state.js';
import { sealKeyFrom } from '../../src/core/integrity/seal.js';
import type { AppTrust } from '../../src/app/trust.js';
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

/** A Probot for tests: the fake GitHub as API, retries and throttling off, quiet; the app's warnings kept in `warnings`. */
export function testProbot(baseUrl: string, warnings: string[] = []): Probot {
  const log = pino(
    { level: 'warn' },
    {
      write: (line: string) => {
        const entry = JSON.parse(line) as { level: number; msg: string };
        if (entry.level === 40) warnings.push(entry.msg);
      },
    },
  );
  return new Probot({
    log,
    appId: 1,
    privateKey,
    baseUrl,
    // A function, so it applies last: Probot rebuilds installation clients with its own throttle options.
    Octokit: ProbotOctokit.defaults((options: object) => ({
      ...options,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
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

/** The app as a test drives it: its schedule, run by hand on the test's clock, and what it reported. */
export interface LoadedApp {
  config: AppConfig;
  scheduler: EmbeddedScheduler;
  /** Intervals judged so far. */
  judged: () => number;
  /** What each judged guard window decided, in order. */
  guarded: string[];
  /** Jobs that failed (each is retried at once on the next run: the tests' retry delay is 0). */
  failures: string[];
  /** Settles with the report of the recovery the app runs on start (when `recover` is set). */
  recovered: Promise<RecoveryReport>;
  /** The app's rate-limit budget (a test feeds it readings) and its metrics. */
  budget: RateBudget;
  metrics: AppMetrics;
}

/**
 * Loads modelgate into it, reading Prometheus and the clock the test
 * controls. Its scheduler is the embedded one in manual mode on that clock:
 * jobs run only when the test calls `runDue()`, as `POST /modelgate/tick`
 * would. Recovery on start is off unless `recover` is set.
 */
export async function loadApp(
  probot: Probot,
  now: () => Date,
  prometheusUrl: string,
  options: {
    recover?: boolean;
    tickSecret?: string;
    addHandler?: (handler: any) => void;
    alertmanagerUrl?: string;
  } = {},
): Promise<LoadedApp> {
  const failures: string[] = [];
  const quiet = () => undefined;
  const scheduler = new EmbeddedScheduler({
    manual: true,
    clock: { now: () => now().getTime(), setTimer: () => undefined, clearTimer: quiet },
    retryDelay: () => 0,
    log: {
      info: quiet,
      warn: (fields) => fields.error !== undefined && failures.push(String(fields.error)),
      error: (fields) => failures.push(String(fields.error ?? '')),
    },
  });
  const config: AppConfig = {
    prometheusUrl,
    tickSeconds: 0,
    stateKey: STATE_KEY,
    ...(options.tickSecret ? { tickSecret: options.tickSecret } : {}),
    ...(options.alertmanagerUrl ? { alertmanagerUrl: options.alertmanagerUrl } : {}),
  };
  let judged = 0;
  const guarded: string[] = [];
  let recovered!: (report: RecoveryReport) => void;
  const recovery = new Promise<RecoveryReport>((resolve) => (recovered = resolve));
  const budget = new RateBudget();
  const metrics = createAppMetrics(new Registry(), { defaultMetrics: false });
  await probot.load((app) =>
    modelgateApp(app, {
      config,
      now,
      scheduler,
      budget,
      metrics,
      observer: { judged: () => (judged += 1), guarded: (decision) => guarded.push(decision), recovered },
      ...(options.recover ? {} : { recovery: false }),
      ...(options.addHandler ? { addHandler: options.addHandler } : {}),
    }),
  );
  return { config, scheduler, judged: () => judged, guarded, failures, recovered: recovery, budget, metrics };
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
  example.repository.html_url = 'https://github.com/acme/models';
  example.installation = { id: 1, node_id: 'I' };
  return example;
}

interface LiveRegistry {
  registry: TempRegistry;
  /** The commits of 1.2.0 and of `version`. */
  v1: string;
  v2: string;
}

// liveCanary's registries, built once per test file for each set of arguments: a copy of the
// folder costs far less than the two commits and three tags that build it (about 150 calls a run).
const liveTemplates = new Map<string, LiveRegistry>();

/** A fresh copy of the registry liveCanary serves: gpt2 1.2.0 tagged and released, `version` tagged. */
function liveRegistry(
  version: string,
  extra: Record<string, unknown>,
  options: { settings?: string; files?: Record<string, string>; tagMessage?: string },
): LiveRegistry {
  const key = JSON.stringify([version, extra, options.settings, options.files, options.tagMessage]);
  let template = liveTemplates.get(key);
  // Templates are removed after each file (test/setup/cleanup.ts); the next file builds its own.
  if (!template || !existsSync(template.registry.root)) {
    const registry = TempRegistry.create('file');
    addRealModel(registry, 'gpt2', { version: '1.2.0', manifest: { canary: CANARY, ...extra } });
    if (options.settings) registry.write('.github/modelgate.yml', options.settings);
    for (const [path, content] of Object.entries(options.files ?? {})) registry.write(path, content);
    const v1 = registry.commit('gpt2 1.2.0');
    registry.tag('gpt2@v1.2.0', { commit: v1, date: 1_760_000_000 });
    registry.tag('gpt2#production#1', { commit: v1, date: 1_760_000_001 });
    const manifest = parse(registry.read('models/gpt2/model.yaml')) as Record<string, any>;
    registry.editJson('models/gpt2/generation_config.json', (c) => (c.temperature = 0.7));
    registry.write('models/gpt2/model.yaml', stringify({ ...manifest, version }));
    const v2 = registry.commit(`gpt2 ${version} (#42)`);
    registry.tag(`gpt2@v${version}`, {
      commit: v2,
      date: 1_760_000_100,
      ...(options.tagMessage ? { message: options.tagMessage } : {}),
    });
    template = { registry, v1, v2 };
    liveTemplates.set(key, template);
  }
  return { ...template, registry: template.registry.duplicate() };
}

/** gpt2 1.2.0 in production, `version` released from pull request #42 and live at 10 % on canary. */
export async function liveCanary(
  version: string,
  prometheusUrl: string,
  extra: Record<string, unknown> = {},
  options: {
    alertmanagerUrl?: string;
    /** The release's first deployment, when it is not a canary step at 10 %. */
    first?: { environment?: string; payload?: Record<string, unknown> };
    /** .github/modelgate.yml of the repository (both releases). */
    settings?: string;
    /** More files of both releases, by path. */
    files?: Record<string, string>;
    /** The message of `version`'s release tag (its name when unset: no `Manifest:` line). */
    tagMessage?: string;
  } = {},
) {
  const { registry, v1, v2 } = liveRegistry(version, extra, options);
  const github = await FakeGitHub.start({
    onTag: (name, commit, message) => registry.tag(name, { commit, message }),
  });
  github.localRepo = registry.root;
  github.seedBranch('main', v2, registry.treeOf(v2));
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
  github.reportDeployed(1); // 1.2.0 serves production
  github.deployments.push({
    id: 2,
    ref: `gpt2@v${version}`,
    sha: v2,
    environment: options.first?.environment ?? 'canary',
    payload: {
      model: 'gpt2',
      version,
      weight: 10,
      manifest: 'models/gpt2/model.yaml',
      trigger: v2,
      ...options.first?.payload,
    },
    description: '',
    production_environment: false,
  });
  const warnings: string[] = [];
  let probot = testProbot(github.url, warnings);
  let clock = new Date((T0 + 600) * 1000);
  github.clock = () => clock;
  let loaded = await loadApp(probot, () => clock, prometheusUrl, options);
  /**
   * The deployer reports a deployment live: GitHub records the status and
   * sends deployment_status, carrying the deployment as GitHub has it.
   */
  const deliver = (deployment: { id: number; weight?: number }) => {
    github.reportDeployed(deployment.id);
    github.logDelivery({ guid: `d-${deployment.id}`, event: 'deployment_status', at: clock });
    const recorded = github.deployments.find((d) => d.id === deployment.id);
    return probot.receive({
      id: `d-${deployment.id}`,
      name: 'deployment_status',
      payload: deploymentStatus({
        id: deployment.id,
        sha: recorded?.sha ?? v2,
        ref: recorded?.ref ?? `gpt2@v${version}`,
        environment: recorded?.environment ?? 'canary',
        payload: (recorded?.payload as object | undefined) ?? {
          model: 'gpt2',
          version,
          weight: deployment.weight,
          manifest: 'models/gpt2/model.yaml',
          trigger: v2,
        },
      }),
    } as any);
  };
  /**
   * Time passes and the app runs what is due (as its timer, or a cron job's
   * POST /modelgate/tick, would): returns how many intervals it judged.
   */
  const tick = async (minutes: number, url = prometheusUrl) => {
    clock = new Date(clock.getTime() + minutes * 60_000);
    loaded.config.prometheusUrl = url;
    const before = loaded.judged();
    await loaded.scheduler.runDue();
    return loaded.judged() - before;
  };
  /** A new app process: nothing carried over in memory; it recovers from GitHub's delivery log. */
  const restart = async () => {
    await loaded.scheduler.close();
    probot = testProbot(github.url, warnings);
    loaded = await loadApp(probot, () => clock, prometheusUrl, { ...options, recover: true });
    await loaded.scheduler.runDue(); // the recovery is the new process's first job
    return loaded.recovered;
  };
  const state = () => appState(github);
  return {
    registry,
    github,
    probot: () => probot,
    app: () => loaded,
    deliver,
    tick,
    restart,
    state,
    clock: () => clock,
    warnings,
    v1,
    v2,
  };
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
    createdAt?: string;
  } = {},
) {
  const example = webhookExample('issue_comment', options.action ?? 'created');
  const id = options.id ?? ++commentIds;
  const issue = options.issue ?? 42;
  Object.assign(example.comment, {
    id,
    body,
    // Written now (the app's clock in these tests runs in the past, so a command is never late).
    created_at: options.createdAt ?? new Date().toISOString(),
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
