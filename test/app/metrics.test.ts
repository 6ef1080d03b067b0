import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Probot, ProbotOctokit } from 'probot';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubRequests, routeTableOf, routeTemplate, UNKNOWN_ROUTE } from '../../src/app/github-requests.js';
import { createAppMetrics, metricsRoute, type AppMetrics } from '../../src/app/metrics.js';
import { RateBudget } from '../../src/app/rate-budget.js';
import { createAppServer } from '../../src/app/server.js';
import { GitHubOpenApi } from '../helpers/openapi.js';
import { fixturePath } from '../setup/fixture-packages.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

/** 2026-03-02T11:00:00Z: the end of every rate-limit window the server reports. */
const RESET_EPOCH = 1_772_449_200;
const NOW = new Date('2026-03-02T10:40:00Z');
/** The id GitHub's documentation gives octocat/Hello-World; pagination links name repositories by id. */
const REPOSITORY_ID = 1_296_269;
const SECONDARY_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.';

/**
 * A small GitHub on 127.0.0.1 that answers the way api.github.com does
 * where the plugin looks: every response carries the x-ratelimit-* headers
 * of the caller's window (GitHub's "Rate limits for the REST API": limit,
 * remaining, used, reset in epoch seconds, resource), each request but a 304
 * spends one, a matching If-None-Match gets 304 with the same headers
 * ("Best practices": conditional requests are free), pagination links name
 * the repository by id (/repositories/<id>/...), a secondary limit is a 403
 * with retry-after. Every path and method is checked against GitHub's
 * published REST description, whose template the server keeps as the truth
 * the plugin's route label must equal.
 */
class SmallGitHub {
  readonly seen: { method: string; template: string; status: number }[] = [];
  readonly problems: string[] = [];
  /** Requests left per window: an installation id, or `app` for the app's JWT. */
  readonly remaining = new Map<string, number>();
  url = '';
  private server!: Server;
  private readonly openapi = new GitHubOpenApi();

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.url);
      const method = req.method ?? 'GET';
      const json = body ? (JSON.parse(body) as unknown) : undefined;
      // GitHub's own id alias is not in the description: /repositories/{id}/... stands for /repos/{owner}/{repo}/...
      const byId = /^\/repositories\/\d+(\/.*)$/.exec(url.pathname);
      // GraphQL is one endpoint outside the REST description.
      const checked =
        url.pathname === '/graphql'
          ? { template: '/graphql', problems: [] }
          : byId
            ? this.openapi.check(method, new URL(`/repos/o/r${byId[1]}${url.search}`, this.url), json)
            : this.openapi.check(method, url, json);
      this.problems.push(...checked.problems);
      const template = `${method} ${checked.template ?? '?'}`;
      const auth = req.headers.authorization ?? '';
      const holder = /^bearer /i.test(auth) ? 'app' : (/ghs_installation_(\d+)/.exec(auth)?.[1] ?? 'none');
      const answer = this.answer(template, url, req, holder);
      const conditional = answer.status === 304;
      // GraphQL has a window of its own (x-ratelimit-resource: graphql).
      const resource = template === 'POST /graphql' ? 'graphql' : 'core';
      const window = resource === 'core' ? holder : `${holder} ${resource}`;
      const left = this.remaining.get(window) ?? 5000;
      if (!conditional) this.remaining.set(window, Math.max(0, left - 1));
      const remaining = this.remaining.get(window) ?? 5000;
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        'x-github-api-version-selected': '2022-11-28',
        'x-github-media-type': 'github.v3; format=json',
        'x-github-request-id': `C0DE:${this.seen.length}`,
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': String(remaining),
        'x-ratelimit-used': String(5000 - remaining),
        'x-ratelimit-reset': String(RESET_EPOCH),
        'x-ratelimit-resource': resource,
        ...answer.headers,
      };
      this.seen.push({ method, template, status: answer.status });
      res.writeHead(answer.status, headers);
      res.end(answer.status === 304 ? undefined : JSON.stringify(answer.body));
    });
  }

  private answer(
    template: string,
    url: URL,
    req: IncomingMessage,
    holder: string,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    switch (template) {
      case 'POST /app/installations/{installation_id}/access_tokens': {
        const id = /installations\/(\d+)/.exec(url.pathname)![1];
        return {
          status: 201,
          body: {
            token: `ghs_installation_${id}`,
            expires_at: '2026-03-02T11:40:00Z',
            permissions: { deployments: 'write', issues: 'write' },
            repository_selection: 'all',
          },
        };
      }
      case 'GET /app':
        return { status: 200, body: { id: 1, slug: 'modelgate', name: 'modelgate' } };
      case 'GET /repos/{owner}/{repo}/deployments': {
        const etag = `W/"deployments-${url.pathname}"`;
        if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
        const firstPage =
          !url.pathname.startsWith('/repositories/') && url.searchParams.get('per_page') === '1';
        const headers: Record<string, string> = { etag };
        if (firstPage)
          headers.link = `<${this.url}/repositories/${REPOSITORY_ID}/deployments?per_page=1&page=2>; rel="next", <${this.url}/repositories/${REPOSITORY_ID}/deployments?per_page=1&page=2>; rel="last"`;
        return { status: 200, body: [], headers };
      }
      case 'GET /repos/{owner}/{repo}/contents/{path}':
        return { status: 200, body: { type: 'file', encoding: 'base64', content: '', path: url.pathname } };
      case 'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions':
        return { status: 201, body: { id: 1, content: 'eyes' } };
      case 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}':
        return {
          status: 403,
          body: {
            message: SECONDARY_LIMIT_MESSAGE,
            documentation_url:
              'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          },
          headers: { 'retry-after': '60' },
        };
      case 'POST /graphql':
        return { status: 200, body: { data: { viewer: { login: `installation-${holder}` } } } };
      default:
        return {
          status: 404,
          body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
        };
    }
  }
}

/** One sample of the text exposition. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function samplesOf(exposition: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[key!] = value!.replace(/\\(.)/g, '$1');
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

async function samples(metrics: AppMetrics, name?: string): Promise<Sample[]> {
  const all = samplesOf(await metrics.registry.metrics());
  return name ? all.filter((s) => s.name === name) : all;
}

function value(all: Sample[], name: string, labels: Record<string, string>): number | undefined {
  return all.find(
    (s) =>
      s.name === name &&
      Object.keys(s.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}

/** A monotonic clock that moves a quarter of a second each time it is read: each request takes 0.25 s. */
function steppingClock(): () => number {
  let ms = 0;
  return () => (ms += 250);
}

/**
 * The app's Probot as production builds it (Probot's own Octokit, retry and
 * throttling on) with the plugin, against the small GitHub.
 */
function probotWith(
  github: SmallGitHub,
  metrics: AppMetrics,
  budget: RateBudget,
  options: { quiet?: boolean } = {},
) {
  const plugin = githubRequests({ metrics, budget, clock: () => NOW, now: steppingClock() });
  const Octokit = options.quiet
    ? ProbotOctokit.plugin(plugin).defaults((o: object) => ({
        ...o,
        retry: { enabled: false },
        throttle: { enabled: false },
      }))
    : ProbotOctokit.plugin(plugin);
  return new Probot({ appId: 1, privateKey, baseUrl: github.url, Octokit, logLevel: 'fatal' });
}

let github: SmallGitHub;
beforeAll(async () => {
  github = await new SmallGitHub().start();
});
afterAll(() => github.stop());

describe('GitHub requests, as the plugin records them', () => {
  it('counts every request of an installation client by route template and status, with its duration and the rate limit GitHub reported', async () => {
    const metrics = createAppMetrics();
    const budget = new RateBudget();
    const probot = probotWith(github, metrics, budget);
    const octokit = await probot.auth(42);

    // The first request also waits for the installation's token (its own request, inside this one's time).
    await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: 'models',
      path: 'models/support-bot/model.yaml',
    });
    await octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'models' });
    // Pagination: the second page's URL is concrete and names the repository by id.
    const pages = await octokit.paginate(octokit.rest.repos.listDeployments, {
      owner: 'acme',
      repo: 'models',
      per_page: 1,
    });
    expect(pages).toEqual([]);
    await octokit.graphql('query { viewer { login } }');

    const all = await samples(metrics);
    const route = 'GET /repos/{owner}/{repo}/deployments';
    expect(value(all, 'modelgate_github_requests_total', { route, status: '200' })).toBe(3);
    expect(
      value(all, 'modelgate_github_requests_total', {
        route: 'GET /repos/{owner}/{repo}/contents/{path}',
        status: '200',
      }),
    ).toBe(1);
    expect(value(all, 'modelgate_github_requests_total', { route: 'POST /graphql', status: '200' })).toBe(1);
    expect(value(all, 'modelgate_github_request_duration_seconds_count', { route })).toBe(3);
    expect(value(all, 'modelgate_github_request_duration_seconds_sum', { route })).toBe(0.75);
    expect(value(all, 'modelgate_github_request_duration_seconds_bucket', { route, le: '0.1' })).toBe(0);
    expect(value(all, 'modelgate_github_request_duration_seconds_bucket', { route, le: '0.25' })).toBe(3);

    // Four core requests of installation 42 (the token request is the app's, made by Probot's auth).
    expect(github.remaining.get('42')).toBe(4996);
    const core = { installation: '42', resource: 'core' };
    expect(value(all, 'modelgate_github_rate_limit_remaining', core)).toBe(4996);
    expect(value(all, 'modelgate_github_rate_limit_limit', core)).toBe(5000);
    expect(value(all, 'modelgate_github_rate_limit_reset_timestamp_seconds', core)).toBe(RESET_EPOCH);
    expect(
      value(all, 'modelgate_github_rate_limit_remaining', { installation: '42', resource: 'graphql' }),
    ).toBe(4999);
    // Creating the installation's token spent the app's budget (its JWT), not the installation's.
    expect(
      value(all, 'modelgate_github_requests_total', {
        route: 'POST /app/installations/{installation_id}/access_tokens',
        status: '201',
      }),
    ).toBe(1);
    expect(
      value(all, 'modelgate_github_rate_limit_remaining', { installation: 'app', resource: 'core' }),
    ).toBe(github.remaining.get('app'));
    // Only the core window feeds the budget.
    expect(budget.reading(42)).toEqual({
      remaining: 4996,
      limit: 5000,
      resetAt: new Date(RESET_EPOCH * 1000),
    });

    // Every label is one of GitHub's documented templates: the one the server matched each request to.
    const labels = new Set(
      all.filter((s) => s.name === 'modelgate_github_requests_total').map((s) => s.labels.route),
    );
    const served = new Set(github.seen.map((s) => s.template));
    expect(labels).toEqual(served);
    expect(github.problems).toEqual([]);
  });

  it("labels the app's own requests (its JWT) `app`, apart from any installation", async () => {
    const metrics = createAppMetrics();
    const budget = new RateBudget();
    const octokit = await probotWith(github, metrics, budget).auth();
    await octokit.rest.apps.getAuthenticated();
    const all = await samples(metrics);
    expect(value(all, 'modelgate_github_requests_total', { route: 'GET /app', status: '200' })).toBe(1);
    expect(
      value(all, 'modelgate_github_rate_limit_remaining', { installation: 'app', resource: 'core' }),
    ).toBe(github.remaining.get('app'));
    expect(budget.reading('app')?.remaining).toBe(github.remaining.get('app'));
  });

  it('counts a conditional request that matched as 304, which spends no budget', async () => {
    const metrics = createAppMetrics();
    const budget = new RateBudget();
    const octokit = await probotWith(github, metrics, budget).auth(44);
    const first = await octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'models' });
    const etag = first.headers.etag!;
    const before = github.remaining.get('44');
    const again = octokit.rest.repos.listDeployments({
      owner: 'acme',
      repo: 'models',
      headers: { 'if-none-match': etag },
    });
    await expect(again).rejects.toMatchObject({ status: 304 });
    expect(github.remaining.get('44')).toBe(before);

    const all = await samples(metrics);
    const route = 'GET /repos/{owner}/{repo}/deployments';
    expect(value(all, 'modelgate_github_requests_total', { route, status: '200' })).toBe(1);
    expect(value(all, 'modelgate_github_requests_total', { route, status: '304' })).toBe(1);
    expect(
      value(all, 'modelgate_github_rate_limit_remaining', { installation: '44', resource: 'core' }),
    ).toBe(before);
  });

  it("labels a webhook's event client with the delivery's installation, and times the handler by event", async () => {
    const metrics = createAppMetrics();
    const budget = new RateBudget();
    const probot = probotWith(github, metrics, budget, { quiet: true });
    await probot.load((app) => {
      app.on('issue_comment.created', (context) =>
        metrics.timeWebhook('issue_comment', async () => {
          await context.octokit.rest.reactions.createForIssueComment(
            context.repo({
              comment_id: context.payload.comment.id,
              content: 'eyes',
            }),
          );
        }),
      );
    });
    // A real delivery (@octokit/webhooks-examples), installed as installation 43.
    const examples = JSON.parse(readFileSync(fixturePath.webhookExamples, 'utf8')) as {
      name: string;
      examples: any[];
    }[];
    const payload = structuredClone(
      examples.find((e) => e.name === 'issue_comment')!.examples.find((e) => e.action === 'created')!,
    );
    payload.installation = { id: 43, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDM=' };
    await probot.receive({ id: 'a1b2', name: 'issue_comment', payload });

    const all = await samples(metrics);
    expect(
      value(all, 'modelgate_github_requests_total', {
        route: 'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
        status: '201',
      }),
    ).toBe(1);
    expect(
      value(all, 'modelgate_github_rate_limit_remaining', { installation: '43', resource: 'core' }),
    ).toBe(github.remaining.get('43'));
    expect(
      value(all, 'modelgate_webhook_duration_seconds_count', { event: 'issue_comment', outcome: 'ok' }),
    ).toBe(1);
  });

  it('pauses the installation in the budget when GitHub answers with a secondary rate limit', async () => {
    const metrics = createAppMetrics();
    const budget = new RateBudget();
    // Throttling off: what the app sees when Probot's throttling gives up, or is not there.
    const octokit = await probotWith(github, metrics, budget, { quiet: true }).auth(45);
    const edit = octokit.rest.issues.updateComment({
      owner: 'acme',
      repo: 'models',
      comment_id: 1,
      body: 'x',
    });
    await expect(edit).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('secondary rate limit'),
    });

    expect(budget.admit(45, 'urgent', NOW)).toEqual({
      ok: false,
      retryAt: new Date('2026-03-02T10:41:00Z'),
      code: 'secondary_limit',
      reason: 'GitHub asked for a pause (secondary rate limit) until 2026-03-02T10:41:00.000Z',
    });
    expect(budget.admit(46, 'urgent', NOW)).toEqual({ ok: true });
    const all = await samples(metrics);
    expect(
      value(all, 'modelgate_github_requests_total', {
        route: 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
        status: '403',
      }),
    ).toBe(1);
  });

  it('defers routine work once the requests an installation makes bring it under the reserve', async () => {
    const metrics = createAppMetrics();
    const budget = new RateBudget();
    github.remaining.set('47', 1002);
    const octokit = await probotWith(github, metrics, budget).auth(47);
    await octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'models' });
    await octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'models' });
    expect(budget.admit(47, 'routine', NOW)).toEqual({ ok: true }); // 1000 left: the reserve itself
    await octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'models' });
    expect(budget.admit(47, 'routine', NOW)).toMatchObject({
      ok: false,
      code: 'reserve',
      retryAt: new Date(RESET_EPOCH * 1000),
    });
    expect(budget.admit(47, 'urgent', NOW)).toEqual({ ok: true });
  });

  it('counts a request that got no answer as network_error, not as a status GitHub never sent', async () => {
    const metrics = createAppMetrics();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const Octokit = ProbotOctokit.plugin(githubRequests({ metrics })).defaults({
      retry: { enabled: false },
      throttle: { enabled: false },
    });
    const octokit = new Octokit({
      auth: { token: 'ghs_x', installationId: 9 },
      baseUrl: `http://127.0.0.1:${port}`,
    });
    await expect(octokit.rest.repos.listDeployments({ owner: 'acme', repo: 'models' })).rejects.toMatchObject(
      {
        status: 500, // what Octokit reports for a refused connection
      },
    );
    const all = await samples(metrics);
    expect(
      value(all, 'modelgate_github_requests_total', {
        route: 'GET /repos/{owner}/{repo}/deployments',
        status: 'network_error',
      }),
    ).toBe(1);
    expect(all.filter((s) => s.name === 'modelgate_github_rate_limit_remaining')).toEqual([]);
  });
});

describe('route templates: never a concrete URL', () => {
  const table = routeTableOf(new ProbotOctokit({ auth: { token: 'x' } }));
  const cases: [string, string, string | undefined, string][] = [
    ['GET', '/repos/{owner}/{repo}/deployments', undefined, 'GET /repos/{owner}/{repo}/deployments'],
    [
      'GET',
      'https://api.github.com/repos/acme/models/deployments?per_page=100',
      undefined,
      'GET /repos/{owner}/{repo}/deployments',
    ],
    [
      'GET',
      'https://api.github.com/repositories/1296269/deployments?page=2',
      undefined,
      'GET /repos/{owner}/{repo}/deployments',
    ],
    // GitHub Enterprise Server: the API lives under /api/v3.
    [
      'GET',
      'https://ghe.example.com/api/v3/repos/acme/models/pulls?state=open',
      'https://ghe.example.com/api/v3',
      'GET /repos/{owner}/{repo}/pulls',
    ],
    // A literal segment beats a parameter.
    ['GET', '/repos/acme/models/pulls/comments', undefined, 'GET /repos/{owner}/{repo}/pulls/comments'],
    ['GET', '/repos/acme/models/pulls/7', undefined, 'GET /repos/{owner}/{repo}/pulls/{pull_number}'],
    ['GET', '/repos/acme/models/releases/latest', undefined, 'GET /repos/{owner}/{repo}/releases/latest'],
    // A ref and a file path may hold slashes, encoded or not.
    [
      'GET',
      '/repos/acme/models/git/ref/tags%2Fsupport-bot%40v1.3.0',
      undefined,
      'GET /repos/{owner}/{repo}/git/ref/{ref}',
    ],
    [
      'GET',
      '/repos/acme/models/git/ref/tags/support-bot@v1.3.0',
      undefined,
      'GET /repos/{owner}/{repo}/git/ref/{ref}',
    ],
    [
      'GET',
      '/repos/acme/models/contents/models/support-bot/model.yaml',
      undefined,
      'GET /repos/{owner}/{repo}/contents/{path}',
    ],
    ['GET', '/repos/acme/models/compare/v1...v2', undefined, 'GET /repos/{owner}/{repo}/compare/{basehead}'],
    [
      'POST',
      '/repos/{owner}/{repo}/releases/{release_id}/assets{?name,label}',
      undefined,
      'POST /repos/{owner}/{repo}/releases/{release_id}/assets',
    ],
    ['post', '/graphql', undefined, 'POST /graphql'],
    // Whatever is not a documented route is `other`: a name or an id never becomes a label.
    ['GET', '/acme/models/secret-project', undefined, UNKNOWN_ROUTE],
    ['GET', 'https://api.github.com/repos/acme', undefined, UNKNOWN_ROUTE],
    ['DELETE', '/graphql', undefined, UNKNOWN_ROUTE],
    ['GET', undefined as unknown as string, undefined, UNKNOWN_ROUTE],
  ];
  it.each(cases)('%s %s -> its template', (method, url, baseUrl, expected) => {
    expect(routeTemplate(method, url, baseUrl, table)).toBe(expected);
  });

  it("knows every route of Octokit's REST methods (about a thousand)", () => {
    const count = [...table.values()].reduce((n, routes) => n + routes.length, 0);
    expect(count).toBeGreaterThan(900);
  });
});

describe('label cardinality is bounded', () => {
  it('1,000 repositories, a thousand installations and a hundred event names make a bounded number of series', async () => {
    const metrics = createAppMetrics(new Registry(), { maxRateLimitSeries: 100, maxEvents: 8 });
    const octokit = await probotWith(github, metrics, new RateBudget(), { quiet: true }).auth(50);
    for (let batch = 0; batch < 1000; batch += 50)
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const n = batch + i;
          // Every repository's deployments; every tenth one's manifest, at a path that names it.
          return Promise.all([
            octokit.rest.repos.listDeployments({ owner: `org-${n % 7}`, repo: `repo-${n}` }),
            n % 10 === 0
              ? octokit.rest.repos.getContent({
                  owner: `org-${n % 7}`,
                  repo: `repo-${n}`,
                  path: `models/m${n}/model.yaml`,
                })
              : undefined,
          ]);
        }),
      );
    for (let id = 1; id <= 1000; id++)
      metrics.setRateLimit(id, 'core', { remaining: id, limit: 5000, resetAt: new Date(RESET_EPOCH * 1000) });
    // GitHub's event names are lower-case words joined by underscores.
    const letters = (n: number) => String.fromCharCode(97 + (n % 26), 97 + Math.floor(n / 26));
    for (let e = 0; e < 100; e++) await metrics.timeWebhook(`event_${letters(e)}`, async () => {});

    const all = (await samples(metrics)).filter((s) => s.name.startsWith('modelgate_'));
    const requests = all.filter((s) => s.name === 'modelgate_github_requests_total');
    expect(requests.map((s) => `${s.labels.route} ${s.labels.status}`).sort()).toEqual([
      'GET /repos/{owner}/{repo}/contents/{path} 200',
      'GET /repos/{owner}/{repo}/deployments 200',
      'POST /app/installations/{installation_id}/access_tokens 201',
    ]);
    expect(requests.reduce((n, s) => n + s.value, 0)).toBe(1101);
    const remaining = all.filter((s) => s.name === 'modelgate_github_rate_limit_remaining');
    expect(remaining).toHaveLength(100);
    // The most recently updated installations are kept.
    expect(
      value(all, 'modelgate_github_rate_limit_remaining', { installation: '1000', resource: 'core' }),
    ).toBe(1000);
    expect(
      value(all, 'modelgate_github_rate_limit_remaining', { installation: '1', resource: 'core' }),
    ).toBeUndefined();
    const events = new Set(
      all.filter((s) => s.name === 'modelgate_webhook_duration_seconds_count').map((s) => s.labels.event),
    );
    expect(events.size).toBe(9);
    expect(events.has('other')).toBe(true);
    // No repository, owner, path or id anywhere in a label.
    for (const sample of all)
      for (const label of Object.values(sample.labels))
        expect(label).not.toMatch(/repo-|org-|model\.yaml|acme/);
    expect(all.length).toBeLessThan(600);
  });

  it('keeps closed label sets closed at run time too (a value from outside becomes other)', async () => {
    const metrics = createAppMetrics(new Registry(), { defaultMetrics: false });
    metrics.countJudgment('pass');
    metrics.countJudgment('maybe' as never);
    metrics.countDecision('rollback');
    metrics.countGitHubRequest('GET /repos/acme/models\n/deployments', 700 as never, 0.1);
    metrics.setRateLimit(3, 'Search!', { remaining: 1, limit: 30, resetAt: new Date(RESET_EPOCH * 1000) });
    const all = await samples(metrics);
    expect(value(all, 'modelgate_judgments_total', { verdict: 'pass' })).toBe(1);
    expect(value(all, 'modelgate_judgments_total', { verdict: 'other' })).toBe(1);
    expect(value(all, 'modelgate_decisions_total', { action: 'rollback' })).toBe(1);
    expect(value(all, 'modelgate_github_requests_total', { route: 'other', status: 'other' })).toBe(1);
    expect(
      value(all, 'modelgate_github_rate_limit_remaining', { installation: '3', resource: 'other' }),
    ).toBe(1);
  });
});

describe('the app metrics', () => {
  it('count canaries by status, and say since when the longest-waiting one waits for the deployer', async () => {
    const metrics = createAppMetrics(new Registry(), { defaultMetrics: false });
    metrics.setCanaries({
      running: { count: 3 },
      awaiting_deployer: { count: 2, oldestSince: new Date('2026-03-02T10:10:00Z') },
    });
    let all = await samples(metrics);
    expect(value(all, 'modelgate_canaries', { status: 'running' })).toBe(3);
    expect(value(all, 'modelgate_canaries', { status: 'paused' })).toBe(0);
    expect(value(all, 'modelgate_canaries', { status: 'awaiting_deployer' })).toBe(2);
    expect(
      value(all, 'modelgate_canary_status_oldest_since_timestamp_seconds', { status: 'awaiting_deployer' }),
    ).toBe(Date.parse('2026-03-02T10:10:00Z') / 1000);
    // The deployer answered: no canary waits, and the timestamp goes away (an alert on it resolves).
    metrics.setCanaries({ running: { count: 5 } });
    all = await samples(metrics);
    expect(value(all, 'modelgate_canaries', { status: 'awaiting_deployer' })).toBe(0);
    expect(all.filter((s) => s.name === 'modelgate_canary_status_oldest_since_timestamp_seconds')).toEqual(
      [],
    );
  });

  it('record ticks with their lag behind the due time, judgments, decisions, deferrals and the queue', async () => {
    const metrics = createAppMetrics(new Registry(), { defaultMetrics: false });
    metrics.recordTick('ok', 4);
    metrics.recordTick('ok', 120);
    metrics.recordTick('failed');
    metrics.countJudgment('fail');
    metrics.countDecision('wait');
    metrics.countDeferral('routine', 'reserve');
    metrics.setQueueDepth('delayed', 12);
    const all = await samples(metrics);
    expect(value(all, 'modelgate_ticks_total', { outcome: 'ok' })).toBe(2);
    expect(value(all, 'modelgate_ticks_total', { outcome: 'failed' })).toBe(1);
    expect(value(all, 'modelgate_tick_lag_seconds_bucket', { le: '5' })).toBe(1);
    expect(value(all, 'modelgate_tick_lag_seconds_bucket', { le: '120' })).toBe(2);
    expect(value(all, 'modelgate_tick_lag_seconds_sum', {})).toBe(124);
    expect(value(all, 'modelgate_judgments_total', { verdict: 'fail' })).toBe(1);
    expect(value(all, 'modelgate_decisions_total', { action: 'wait' })).toBe(1);
    expect(value(all, 'modelgate_work_deferred_total', { priority: 'routine', reason: 'reserve' })).toBe(1);
    expect(value(all, 'modelgate_queue_depth', { state: 'delayed' })).toBe(12);
  });

  it('time a webhook handler that throws as an error and let the error through', async () => {
    const metrics = createAppMetrics(new Registry(), { defaultMetrics: false, now: steppingClock() });
    await expect(
      metrics.timeWebhook('deployment_status', () => Promise.reject(new Error('GitHub is down'))),
    ).rejects.toThrow('GitHub is down');
    const all = await samples(metrics);
    expect(
      value(all, 'modelgate_webhook_duration_seconds_count', {
        event: 'deployment_status',
        outcome: 'error',
      }),
    ).toBe(1);
    expect(
      value(all, 'modelgate_webhook_duration_seconds_sum', { event: 'deployment_status', outcome: 'error' }),
    ).toBe(0.25);
  });
});

describe('GET /metrics', () => {
  async function serve(token?: string, refresh?: (metrics: AppMetrics) => Promise<void>) {
    const metrics = createAppMetrics();
    metrics.countJudgment('pass');
    const probot = new Probot({
      appId: 1,
      privateKey,
      baseUrl: github.url,
      logLevel: 'fatal',
      secret: 'webhook secret',
    });
    // The app's own server, with the route added the way the app adds its handlers.
    const server = await createAppServer({
      probot,
      secret: 'webhook secret',
      app: (_app, options) =>
        options.addHandler(
          metricsRoute(metrics.registry, {
            ...(token ? { token } : {}),
            ...(refresh ? { refresh: () => refresh(metrics) } : {}),
          }),
        ),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it("answers Prometheus' text format with the app's metrics and Node's", async () => {
    const { url, close } = await serve();
    try {
      const response = await fetch(`${url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const all = samplesOf(await response.text());
      expect(value(all, 'modelgate_judgments_total', { verdict: 'pass' })).toBe(1);
      expect(all.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
      expect(all.some((s) => s.name === 'nodejs_heap_size_used_bytes')).toBe(true);

      const head = await fetch(`${url}/metrics`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
      expect((await fetch(`${url}/metrics/other`)).status).toBe(404);
    } finally {
      await close();
    }
  });

  it('with a token, answers only a scrape that sends it', async () => {
    const { url, close } = await serve('scrape token of at least some length');
    try {
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
        401,
      );
      const ok = await fetch(`${url}/metrics`, {
        headers: { authorization: 'Bearer scrape token of at least some length' },
      });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('modelgate_judgments_total{verdict="pass"} 1');
    } finally {
      await close();
    }
  });
  it('sets the gauges read at scrape time first, and still answers when that fails', async () => {
    let depth = 3;
    const { url, close } = await serve(undefined, async (metrics) => {
      if (depth < 0) throw new Error('Redis is unreachable');
      metrics.setQueueDepth('waiting', depth);
    });
    try {
      const first = samplesOf(await (await fetch(`${url}/metrics`)).text());
      expect(value(first, 'modelgate_queue_depth', { state: 'waiting' })).toBe(3);
      depth = 8;
      const second = samplesOf(await (await fetch(`${url}/metrics`)).text());
      expect(value(second, 'modelgate_queue_depth', { state: 'waiting' })).toBe(8);
      depth = -1;
      const broken = await fetch(`${url}/metrics`);
      expect(broken.status).toBe(200);
      const third = samplesOf(await broken.text());
      expect(value(third, 'modelgate_queue_depth', { state: 'waiting' })).toBe(8);
      expect(value(third, 'modelgate_judgments_total', { verdict: 'pass' })).toBe(1);
    } finally {
      await close();
    }
  });
});
