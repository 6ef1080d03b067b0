import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalClone } from './local-clone.js';
import { GitHubOpenApi } from './openapi.js';
import { runOk } from './small-fork.js';

interface TagObject {
  sha: string;
  tag: string;
  message: string;
  object: { sha: string; type: string };
  tagger: { name: string; email: string; date: string };
}
interface Ref {
  ref: string;
  object: { sha: string; type: 'commit' | 'tag' };
}
export interface FakeRequest {
  method: string;
  /** The operation's path template, e.g. POST /repos/{owner}/{repo}/git/refs. */
  operation: string;
  path: string;
  body: any;
}
export interface FakeDeployment {
  id: number;
  ref: string;
  sha?: string;
  environment: string;
  payload: unknown;
  description: string;
  production_environment: boolean;
  /** When it was made: the fake's clock when it made it; when a test pushed it itself, the clock when listed. */
  created_at?: string;
}

interface Failure {
  method: string;
  template: string;
  status: number;
  remaining: number;
  headers?: Record<string, string>;
  message?: string;
}

/** An account as GitHub shows it on what it wrote: login and type, and the app behind a bot. */
export interface FakeAccount {
  login: string;
  type: 'User' | 'Bot' | 'Organization';
  /** For a bot: the GitHub App whose installation token acts as it. */
  app?: { id: number; slug: string; name: string };
}

/** The app the tests' Probot authenticates as (app id 1): its installation token acts as `modelgate[bot]`. */
export const APP_BOT: FakeAccount = {
  login: 'modelgate[bot]',
  type: 'Bot',
  app: { id: 1, slug: 'modelgate', name: 'modelgate' },
};
/** What a workflow's GITHUB_TOKEN acts as (the Action's tests pass `ghs_test`). */
const ACTIONS_BOT: FakeAccount = {
  login: 'github-actions[bot]',
  type: 'Bot',
  app: { id: 15368, slug: 'github-actions', name: 'GitHub Actions' },
};
/** A person's account (a read-only contributor, an attacker): `type: 'User'`. */
export const person = (login: string): FakeAccount => ({ login, type: 'User' });

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: FakeAccount;
}

let openapi: GitHubOpenApi | undefined;
/**
 * GitHub refuses a release body longer than this many characters (code points) with 422 "body is
 * too long (maximum is 125000 characters)": undocumented, but GitHub's answer since August 2021.
 */
const RELEASE_BODY_MAX = 125_000;
const sha = () => randomBytes(20).toString('hex');
let accountIds = 100;
const idOf = new Map<string, number>();

/**
 * A small in-process GitHub on 127.0.0.1: the endpoints modelgate uses, with
 * state, and every request checked against GitHub's OpenAPI description.
 * Tags it creates are mirrored into a local clone through `onTag`, as a push
 * to origin and a fetch would.
 */
export class FakeGitHub {
  readonly requests: FakeRequest[] = [];
  readonly violations: string[] = [];
  readonly refs = new Map<string, Ref>();
  readonly tagObjects = new Map<string, TagObject>();
  readonly releases = new Map<
    string,
    { id: number; tag_name: string; name: string; body: string; prerelease: boolean }
  >();
  readonly deployments: FakeDeployment[] = [];
  readonly comments: FakeComment[] = [];
  /** Who each token acts as (the Authorization header's `token …`); the app's JWT is the app itself. */
  readonly tokens = new Map<string, FakeAccount>([
    ['ghs_installation', APP_BOT],
    ['ghs_test', ACTIONS_BOT],
  ]);
  readonly graphqlCalls: { query: string; variables: Record<string, unknown> }[] = [];
  readonly checkRuns: {
    id: number;
    name: string;
    head_sha: string;
    status: string;
    conclusion?: string;
    title?: string;
    external_id?: string;
  }[] = [];
  /** Statuses modelgate posted through the API. */
  readonly deploymentStatuses: {
    deployment: number;
    state: string;
    description?: string;
    log_url?: string;
    /** Posted without auto_inactive: false, so GitHub would mark earlier deployments of the environment inactive. */
    autoInactive?: true;
    at?: number;
  }[] = [];
  /** Statuses the deployer reported (`reportDeployed`): GitHub lists them with the others. */
  readonly deployerStatuses: { deployment: number; state: string; at: number }[] = [];
  private statusCount = 0;
  /** A local clone this GitHub is the origin of: refs, trees and contents not made through the API come from it. */
  localRepo?: string;
  /** The reader of {@link localRepo}, made again when a test points the fake at another clone. */
  private clone?: LocalClone;
  readonly trees = new Map<
    string,
    {
      base_tree?: string;
      tree: { path: string; mode: string; type: string; sha?: string | null; content?: string }[];
    }
  >();
  readonly commits = new Map<string, { message: string; tree: string; parents: string[] }>();
  readonly pullRequests: {
    number: number;
    title: string;
    head: string;
    base: string;
    body: string;
    state: 'open' | 'closed';
    user: FakeAccount;
  }[] = [];
  defaultBranch = 'main';
  /** Pull requests associated with a commit; `user` defaults to a person, `head` to `feature`. */
  readonly pulls = new Map<
    string,
    {
      number: number;
      title: string;
      merged_at: string | null;
      user: { login: string; type?: FakeAccount['type'] };
      body?: string;
      head?: string;
      /** `owner/name` the head branch lives in (default: this repository; another one is a fork). */
      headRepository?: string;
    }[]
  >();
  /** Role of each user on the repository (GET .../collaborators/{username}/permission); absent users get 404. */
  readonly roles = new Map<string, 'none' | 'read' | 'triage' | 'write' | 'maintain' | 'admin' | string>();
  /** Members of each team, `org/slug` -> logins. */
  readonly teams = new Map<string, Set<string>>();
  /** Reactions the app added, per comment id. */
  readonly reactions = new Map<number, Set<string>>();
  /** Files each pull request changes (GET .../pulls/{pull_number}/files). */
  readonly pullFiles = new Map<number, string[]>();
  private readonly failures: Failure[] = [];
  /** The app's webhook deliveries, oldest first, as GitHub's delivery log keeps them (GET /app/hook/deliveries). */
  readonly deliveries: {
    id: number;
    guid: string;
    delivered_at: string;
    redelivery: boolean;
    duration: number;
    status: string;
    status_code: number;
    event: string;
    action: string | null;
    installation_id: number | null;
    repository_id: number | null;
  }[] = [];
  /** Delivery attempts the app asked GitHub to redeliver. */
  readonly redeliveries: number[] = [];
  /** This repository's id (GET /installation/repositories). */
  repositoryId = 1;
  /** How many repositories the installation holds: this one, then idle ones (`idle-N`, no content). */
  installedRepositories = 1;
  /** The time GitHub stamps on what it makes (deployments): the wall clock, or a test's own. */
  clock: () => Date = () => new Date();
  /** `clock` as GitHub writes a time (seconds, Z). */
  private stamp(): string {
    return this.clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }
  /** Other repositories on this GitHub, by `owner/name` ({@link addRepository}). */
  private readonly repositories = new Map<string, FakeGitHub>();
  private server!: Server;
  url = '';

  constructor(
    readonly owner: string,
    readonly repo: string,
    private readonly onTag?: (name: string, commit: string, message: string) => void,
  ) {}

  static async start(
    options: {
      owner?: string;
      repo?: string;
      onTag?: (name: string, commit: string, message: string) => void;
    } = {},
  ): Promise<FakeGitHub> {
    openapi ??= new GitHubOpenApi();
    const fake = new FakeGitHub(options.owner ?? 'acme', options.repo ?? 'models', options.onTag);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /**
   * Another repository on the same GitHub (e.g. the GitOps repository a
   * deployer commits to): requests to `/repos/<owner>/<name>/…` are answered
   * from its own state, checked and recorded here like the others.
   */
  addRepository(owner: string, name: string): FakeGitHub {
    const other = new FakeGitHub(owner, name);
    other.url = this.url;
    this.repositories.set(`${owner}/${name}`, other);
    return other;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The next `times` requests to this operation answer `status`. */
  fail(
    method: string,
    template: string,
    status: number,
    times = 1,
    headers?: Record<string, string>,
    message?: string,
  ): void {
    this.failures.push({ method, template, status, remaining: times, headers, message });
  }

  /** GitHub answers again: the failures {@link fail} set up and not yet spent are dropped. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  /** Records a webhook delivery in the app's delivery log, as GitHub does for every attempt. */
  logDelivery(delivery: {
    guid: string;
    event: string;
    at: Date;
    status_code?: number;
    action?: string;
  }): void {
    const status = delivery.status_code ?? 200;
    this.deliveries.push({
      id: 90_000 + this.deliveries.length,
      guid: delivery.guid,
      delivered_at: delivery.at.toISOString(),
      redelivery: this.deliveries.some((d) => d.guid === delivery.guid),
      duration: 0.1,
      status:
        status === 0 ? 'failed to connect to host' : status < 300 ? 'OK' : 'Invalid HTTP Response: ' + status,
      status_code: status,
      event: delivery.event,
      action: delivery.action ?? 'created',
      installation_id: 1,
      repository_id: this.repositoryId,
    });
  }

  /** Requests that changed something. */
  writes(): string[] {
    return this.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.operation}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const text = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString()));
      req.on('end', () => resolve(data));
    });
    const body = text ? JSON.parse(text) : undefined;
    const method = req.method ?? 'GET';
    if (url.pathname === '/graphql') {
      // GraphQL is outside the REST description: record the call, answer as GitHub does.
      this.graphqlCalls.push({ query: body.query, variables: body.variables });
      const viewer = this.actorOf(req.headers.authorization);
      const data = /\bviewer\b/.test(body.query)
        ? { viewer: viewer ? { login: viewer.login, __typename: viewer.type } : null }
        : { enablePullRequestAutoMerge: { clientMutationId: null } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
      return;
    }
    const actor = this.actorOf(req.headers.authorization);
    const { template, problems } = openapi!.check(method, url, body);
    this.violations.push(...problems);
    if (!req.headers.authorization)
      this.violations.push(`${method} ${url.pathname} sent no Authorization header`);
    this.requests.push({ method, operation: template ?? url.pathname, path: url.pathname, body });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const failure = this.failures.find(
      (f) => f.method === method && f.template === template && f.remaining > 0,
    );
    if (failure) {
      failure.remaining -= 1;
      return send(
        failure.status,
        {
          message: failure.message ?? `fake failure ${failure.status}`,
          documentation_url: 'https://docs.github.com/rest',
        },
        failure.headers,
      );
    }
    if (!template) return send(404, { message: 'Not Found' });
    if (template === '/app' && method === 'GET') {
      // Only the app's own JWT may ask who the app is.
      if (!/^bearer ey/i.test(req.headers.authorization ?? ''))
        return send(401, { message: 'A JSON web token could not be decoded' });
      return send(200, this.appJson(APP_BOT.app!));
    }
    if (template === '/app/installations' && method === 'GET') {
      return send(200, [
        {
          id: 1,
          account: { login: this.owner },
          app_id: 1,
          target_type: 'Organization',
          permissions: {},
          events: [],
          created_at: '2026-01-01T00:00:00Z',
          updated_at: '2026-01-01T00:00:00Z',
          repository_selection: 'all',
          access_tokens_url: '',
          repositories_url: '',
          html_url: '',
          target_id: 1,
          single_file_name: null,
          app_slug: 'modelgate',
          suspended_by: null,
          suspended_at: null,
        },
      ]);
    }
    if (template === '/app/hook/deliveries' && method === 'GET') {
      if (!/^bearer ey/i.test(req.headers.authorization ?? ''))
        return send(401, { message: 'A JSON web token could not be decoded' });
      // Newest first, pages of per_page, the next page by cursor (Link header), as GitHub does.
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const newest = [...this.deliveries].reverse();
      const page = newest.slice(start, start + perPage);
      const next = start + perPage < newest.length ? start + perPage : undefined;
      return send(
        200,
        page,
        next === undefined
          ? {}
          : { link: `<${this.url}/app/hook/deliveries?per_page=${perPage}&cursor=${next}>; rel="next"` },
      );
    }
    if (template === '/app/hook/deliveries/{delivery_id}/attempts' && method === 'POST') {
      if (!/^bearer ey/i.test(req.headers.authorization ?? ''))
        return send(401, { message: 'A JSON web token could not be decoded' });
      const id = Number(url.pathname.split('/')[4]);
      const original = this.deliveries.find((d) => d.id === id);
      if (!original) return send(404, { message: 'Not Found' });
      this.redeliveries.push(id);
      return send(202, {});
    }
    if (template === '/installation/repositories' && method === 'GET') {
      const all = [
        { id: this.repositoryId, name: this.repo },
        ...Array.from({ length: this.installedRepositories - 1 }, (_, i) => ({
          id: 100_000 + i,
          name: `idle-${i}`,
        })),
      ].map((r) => ({ ...r, full_name: `${this.owner}/${r.name}`, owner: { login: this.owner } }));
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      return send(
        200,
        { total_count: all.length, repositories: all.slice((page - 1) * perPage, page * perPage) },
        page < last
          ? {
              link: `<${this.url}/installation/repositories?per_page=${perPage}&page=${page + 1}>; rel="next"`,
            }
          : {},
      );
    }
    if (template === '/app/installations/{installation_id}/access_tokens' && method === 'POST') {
      return send(201, {
        token: 'ghs_installation',
        expires_at: '2099-01-01T00:00:00Z',
        permissions: {},
        repository_selection: 'all',
      });
    }
    const params = decodeURIComponent(url.pathname).split('/');
    if (template === '/orgs/{org}/teams/{team_slug}/memberships/{username}' && method === 'GET') {
      const members = this.teams.get(`${params[2]}/${params[4]}`);
      return members?.has(params[6]!)
        ? send(200, { url: '', role: 'member', state: 'active' })
        : send(404, { message: 'Not Found' });
    }
    const route = `${method} ${template.replace('/repos/{owner}/{repo}', '')}`;
    // Another repository on the same GitHub (a GitOps repository): its own refs, trees and commits.
    const other = template.startsWith('/repos/{owner}/{repo}')
      ? this.repositories.get(`${params[2]}/${params[3]}`)
      : undefined;
    return (other ?? this).answer(route, template, params, url, body, actor, send);
  }

  /** Answers a request to this repository's REST routes (`route`: method and template after /repos/{owner}/{repo}). */
  private answer(
    route: string,
    template: string,
    params: string[],
    url: URL,
    body: any,
    actor: FakeAccount | undefined,
    send: (status: number, payload: unknown, headers?: Record<string, string>) => void,
  ): void {
    const base = `${this.url}/repos/${this.owner}/${this.repo}`;
    switch (route) {
      case 'GET /git/ref/{ref}': {
        const name = `refs/${params.slice(6).join('/')}`;
        const ref = this.refs.get(name) ?? this.localRef(name);
        return ref
          ? send(200, { ...ref, node_id: 'REF', url: `${base}/git/${ref.ref}` })
          : send(404, { message: 'Not Found' });
      }
      case 'GET /git/matching-refs/{ref}': {
        const prefix = `refs/${params.slice(6).join('/')}`;
        const names = new Set(
          [...this.refs.keys(), ...this.localRefNames()].filter((r) => r.startsWith(prefix)),
        );
        return send(
          200,
          [...names]
            .sort()
            .map((name) => ({ ...(this.refs.get(name) ?? this.localRef(name))!, node_id: 'REF', url: '' })),
        );
      }
      case 'GET /git/trees/{tree_sha}': {
        const clone = this.localClone();
        if (!clone) return send(404, { message: 'Not Found' });
        const out = clone.treeListing(params[6]!);
        const tree = out
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const [meta = '', path = ''] = line.split('\t');
            const [mode, type, sha] = meta.split(' ');
            return { path, mode, type, sha, url: '' };
          });
        return send(200, { sha: params[6], url: '', truncated: false, tree });
      }
      case 'GET /git/blobs/{file_sha}': {
        const content = this.localClone()?.blob(params[6]!);
        if (!content) return send(404, { message: 'Not Found' });
        return send(200, {
          sha: params[6],
          node_id: 'BLOB',
          url: '',
          size: content.length,
          content: content.toString('base64'),
          encoding: 'base64',
        });
      }
      case 'GET /contents/{path}': {
        const path = params.slice(5).join('/');
        // No ref: the repository's default branch, as GitHub answers (its seeded head, else the clone's HEAD).
        const ref =
          url.searchParams.get('ref') ??
          (this.refs.has(`refs/heads/${this.defaultBranch}`) ? this.defaultBranch : 'HEAD');
        const commit = this.refs.get(`refs/heads/${ref}`)?.object.sha ?? ref;
        const written = this.fileOfApiCommit(commit, path);
        if (written === null) return send(404, { message: 'Not Found' });
        if (written !== undefined) return send(200, this.contentJson(path, Buffer.from(written)));
        const clone = this.localClone();
        if (!clone) return send(404, { message: 'Not Found' });
        try {
          const content = clone.show(ref, path);
          return send(200, {
            type: 'file',
            encoding: 'base64',
            size: content.length,
            name: path.split('/').pop(),
            path,
            content: content.toString('base64'),
            sha: '0'.repeat(40),
            url: '',
            git_url: null,
            html_url: null,
            download_url: null,
            _links: { self: '', git: null, html: null },
          });
        } catch {
          return send(404, { message: 'Not Found' });
        }
      }
      case 'POST /check-runs': {
        const run = {
          id: 7000 + this.checkRuns.length,
          name: body.name,
          head_sha: body.head_sha,
          status: body.status ?? 'queued',
          title: body.output?.title,
        };
        this.checkRuns.push(run);
        return send(201, this.checkRunJson(run));
      }
      case 'GET /commits/{ref}/check-runs': {
        // GitHub lists the newest first; check_name filters by name.
        const name = url.searchParams.get('check_name');
        const runs = this.checkRuns
          .filter((r) => r.head_sha === params[5] && (name === null || r.name === name))
          .sort((a, b) => b.id - a.id);
        return send(200, { total_count: runs.length, check_runs: runs.map((r) => this.checkRunJson(r)) });
      }
      case 'GET /check-runs/{check_run_id}': {
        const run = this.checkRuns.find((r) => r.id === Number(params[5]));
        return run ? send(200, this.checkRunJson(run)) : send(404, { message: 'Not Found' });
      }
      case 'PATCH /check-runs/{check_run_id}': {
        const run = this.checkRuns.find((r) => r.id === Number(params[5]));
        if (!run) return send(404, { message: 'Not Found' });
        Object.assign(run, {
          status: body.status ?? run.status,
          conclusion: body.conclusion ?? run.conclusion,
          title: body.output?.title ?? run.title,
          external_id: body.external_id ?? run.external_id,
        });
        return send(200, this.checkRunJson(run));
      }
      case 'GET /deployments/{deployment_id}': {
        const deployment = this.deployments.find((d) => d.id === Number(params[5]));
        return deployment ? send(200, this.deploymentJson(deployment)) : send(404, { message: 'Not Found' });
      }
      case 'GET /deployments/{deployment_id}/statuses': {
        const id = Number(params[5]);
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const all = [...this.deploymentStatuses, ...this.deployerStatuses]
          .filter((s) => s.deployment === id)
          .sort((a, b) => (b.at ?? 0) - (a.at ?? 0)); // newest first, as GitHub lists them
        return send(
          200,
          all.slice(0, perPage).map((s, i) => ({
            id: 9500 + i,
            node_id: 'DS',
            state: s.state,
            description: ('description' in s && s.description) || '',
            environment: '',
            url: '',
            creator: null,
            created_at: '2026-11-22T00:00:00Z',
            updated_at: '2026-11-22T00:00:00Z',
            deployment_url: '',
            repository_url: '',
            target_url: '',
            ...('log_url' in s && s.log_url ? { log_url: s.log_url } : {}),
          })),
        );
      }
      case 'POST /deployments/{deployment_id}/statuses': {
        this.deploymentStatuses.push({
          deployment: Number(params[5]),
          state: body.state,
          description: body.description,
          ...(body.log_url ? { log_url: body.log_url } : {}),
          // GitHub's default is true: earlier deployments of the environment, any model's, turn inactive.
          ...(body.auto_inactive === false ? {} : { autoInactive: true }),
          at: ++this.statusCount,
        });
        return send(201, {
          id: 9000 + this.deploymentStatuses.length,
          node_id: 'DS',
          state: body.state,
          description: body.description ?? '',
          environment: '',
          url: '',
          creator: null,
          created_at: '2026-11-22T00:00:00Z',
          updated_at: '2026-11-22T00:00:00Z',
          deployment_url: '',
          repository_url: '',
          target_url: '',
        });
      }
      case 'GET /git/tags/{tag_sha}': {
        const tag = this.tagObjects.get(params[6]!) ?? this.localTagObject(params[6]!);
        return tag ? send(200, this.tagJson(tag)) : send(404, { message: 'Not Found' });
      }
      case 'POST /git/tags': {
        const tag: TagObject = {
          sha: sha(),
          tag: body.tag,
          message: body.message,
          object: { sha: body.object, type: body.type },
          // Without a tagger in the request GitHub records the token's account and the time of the request.
          tagger: body.tagger ?? {
            name: 'modelgate',
            email: 'bot@example.com',
            date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          },
        };
        this.tagObjects.set(tag.sha, tag);
        return send(201, this.tagJson(tag));
      }
      case 'POST /git/refs': {
        if (this.refs.has(body.ref)) return send(422, { message: 'Reference already exists' });
        const tagObject = this.tagObjects.get(body.sha);
        const ref: Ref = { ref: body.ref, object: { sha: body.sha, type: tagObject ? 'tag' : 'commit' } };
        this.refs.set(body.ref, ref);
        if (tagObject && body.ref.startsWith('refs/tags/'))
          this.onTag?.(body.ref.slice('refs/tags/'.length), tagObject.object.sha, tagObject.message);
        return send(201, { ...ref, node_id: 'REF', url: `${base}/git/${body.ref}` });
      }
      case 'GET /releases/tags/{tag}': {
        const release = this.releases.get(params.slice(6).join('/'));
        return release ? send(200, this.releaseJson(release)) : send(404, { message: 'Not Found' });
      }
      case 'POST /releases': {
        if (typeof body.body === 'string' && [...body.body].length > RELEASE_BODY_MAX)
          return send(422, {
            message: 'Validation Failed',
            errors: [
              {
                resource: 'Release',
                code: 'custom',
                field: 'body',
                message: `body is too long (maximum is ${RELEASE_BODY_MAX} characters)`,
              },
            ],
            documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release',
          });
        if (this.releases.has(body.tag_name))
          return send(422, {
            message: 'Validation Failed',
            errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
          });
        const release = {
          id: this.releases.size + 1,
          tag_name: body.tag_name,
          name: body.name,
          body: body.body,
          prerelease: body.prerelease ?? false,
        };
        this.releases.set(body.tag_name, release);
        return send(201, this.releaseJson(release));
      }
      case 'GET /deployments': {
        const environment = url.searchParams.get('environment');
        const ref = url.searchParams.get('ref');
        // Newest first, in pages of per_page (GitHub's default 30), the next page named by the Link header.
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const number = Number(url.searchParams.get('page') ?? 1);
        const listed = [...this.deployments]
          .reverse()
          .filter((d) => (!environment || d.environment === environment) && (!ref || d.ref === ref));
        const next = new URL(url);
        next.searchParams.set('page', String(number + 1));
        return send(
          200,
          listed.slice((number - 1) * perPage, number * perPage).map((d) => this.deploymentJson(d)),
          number * perPage < listed.length ? { link: `<${next.href}>; rel="next"` } : {},
        );
      }
      case 'POST /deployments': {
        const deployment = {
          id: 1000 + this.deployments.length,
          ref: body.ref,
          sha: this.commitOf(`refs/tags/${body.ref}`), // GitHub deploys the commit a tag points at
          environment: body.environment,
          payload: body.payload ?? {},
          description: body.description ?? '',
          production_environment: body.production_environment ?? false,
          created_at: this.stamp(),
        };
        this.deployments.push(deployment);
        return send(201, this.deploymentJson(deployment));
      }
      case 'GET ': {
        return send(200, {
          id: 1,
          node_id: 'R',
          name: this.repo,
          full_name: `${this.owner}/${this.repo}`,
          default_branch: this.defaultBranch,
          private: true,
          owner: { login: this.owner },
        });
      }
      // The description names the operation both ways; the longer literal wins the match.
      case 'GET /compare/{basehead}':
      case 'GET /compare/{base}...{head}': {
        const compared = this.compare(params.slice(5).join('/'));
        if (!compared) return send(404, { message: 'Not Found' });
        const perPage = Number(url.searchParams.get('per_page') ?? 250);
        return send(200, {
          url: `${base}/compare/${compared.base}...${compared.head}`,
          html_url: '',
          permalink_url: '',
          diff_url: '',
          patch_url: '',
          base_commit: { sha: compared.base },
          merge_base_commit: { sha: compared.mergeBase },
          status: compared.status,
          ahead_by: compared.ahead.length,
          behind_by: compared.behindBy,
          total_commits: compared.ahead.length,
          // Oldest first, as GitHub lists them; the changed files are not faked.
          commits: compared.ahead.slice(0, perPage).map((sha) => ({ sha })),
          files: [],
        });
      }
      case 'GET /git/commits/{commit_sha}': {
        const commit = this.commits.get(params[6]!);
        return commit
          ? send(200, {
              sha: params[6],
              node_id: 'C',
              url: '',
              html_url: '',
              message: commit.message,
              tree: { sha: commit.tree, url: '' },
              parents: commit.parents.map((p) => ({ sha: p, url: '', html_url: '' })),
              author: null,
              committer: null,
              verification: null,
            })
          : send(404, { message: 'Not Found' });
      }
      case 'POST /git/trees': {
        const treeSha = sha();
        this.trees.set(treeSha, { base_tree: body.base_tree, tree: body.tree });
        return send(201, { sha: treeSha, url: '', truncated: false, tree: [] });
      }
      case 'POST /git/commits': {
        const commitSha = sha();
        this.commits.set(commitSha, { message: body.message, tree: body.tree, parents: body.parents });
        return send(201, {
          sha: commitSha,
          node_id: 'C',
          url: '',
          html_url: '',
          message: body.message,
          tree: { sha: body.tree, url: '' },
          parents: body.parents.map((p: string) => ({ sha: p, url: '', html_url: '' })),
          author: { name: 'x', email: 'x', date: '2026-11-22T00:00:00Z' },
          committer: { name: 'x', email: 'x', date: '2026-11-22T00:00:00Z' },
          verification: {
            verified: false,
            reason: 'unsigned',
            signature: null,
            payload: null,
            verified_at: null,
          },
        });
      }
      case 'PATCH /git/refs/{ref}': {
        const name = `refs/${params.slice(6).join('/')}`;
        const ref = this.refs.get(name);
        if (!ref) return send(422, { message: 'Reference does not exist' });
        // As GitHub: without force, only a fast-forward (the new commit descends from the ref's).
        if (body.force !== true && !this.descends(body.sha, ref.object.sha))
          return send(422, { message: 'Update is not a fast forward' });
        ref.object = { sha: body.sha, type: 'commit' };
        return send(200, { ...ref, node_id: 'REF', url: '' });
      }
      case 'GET /pulls': {
        const head = url.searchParams.get('head')?.split(':')[1];
        const state = url.searchParams.get('state') ?? 'open';
        return send(
          200,
          this.pullRequests
            .filter((p) => (!head || p.head === head) && (state === 'all' || p.state === state))
            .map((p) => this.pullJson(p)),
        );
      }
      case 'POST /pulls': {
        if (this.pullRequests.some((p) => p.head === body.head && p.state === 'open')) {
          return send(422, {
            message: 'Validation Failed',
            errors: [
              {
                resource: 'PullRequest',
                code: 'custom',
                message: `A pull request already exists for ${this.owner}:${body.head}.`,
              },
            ],
          });
        }
        const pull = {
          number: 100 + this.pullRequests.length,
          title: body.title,
          head: body.head,
          base: body.base,
          body: body.body,
          state: 'open' as const,
          user: actor ?? person('ghost'),
        };
        this.pullRequests.push(pull);
        return send(201, this.pullJson(pull));
      }
      case 'GET /issues/{issue_number}/comments': {
        const issue = Number(params[5]);
        const page = Number(url.searchParams.get('page') ?? 1);
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const all = this.comments.filter((c) => c.issue === issue);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> =
          all.length > page * perPage
            ? { link: `<${base}/issues/${issue}/comments?per_page=${perPage}&page=${page + 1}>; rel="next"` }
            : {};
        return send(
          200,
          slice.map((c) => this.commentJson(c)),
          headers,
        );
      }
      case 'POST /issues/{issue_number}/comments': {
        const comment = this.postComment(Number(params[5]), body.body, actor ?? person('ghost'));
        return send(201, this.commentJson(comment));
      }
      case 'PATCH /issues/comments/{comment_id}': {
        const comment = this.comments.find((c) => c.id === Number(params[6]));
        if (!comment) return send(404, { message: 'Not Found' });
        // The author may edit it, and so may anyone with write access (an installation token included).
        comment.body = body.body;
        return send(200, this.commentJson(comment));
      }
      case 'GET /collaborators/{username}/permission': {
        const role = this.roles.get(params[5]!);
        if (role === undefined) return send(404, { message: 'Not Found' });
        // The legacy base role: maintain counts as write, triage as read, custom roles as read here.
        const legacy: Record<string, string> = {
          admin: 'admin',
          maintain: 'write',
          write: 'write',
          none: 'none',
        };
        return send(200, {
          permission: legacy[role] ?? 'read',
          role_name: role,
          user: { login: params[5], id: 1, type: 'User' },
        });
      }
      case 'POST /issues/comments/{comment_id}/reactions': {
        const id = Number(params[6]);
        const existing = this.reactions.get(id) ?? new Set<string>();
        this.reactions.set(id, existing);
        const created = !existing.has(body.content);
        existing.add(body.content);
        return send(created ? 201 : 200, {
          id: 1,
          node_id: 'RE',
          user: { login: 'modelgate[bot]', id: 2, type: 'Bot' },
          content: body.content,
          created_at: '2026-11-22T00:00:00Z',
        });
      }
      case 'GET /pulls/{pull_number}/files': {
        const files = this.pullFiles.get(Number(params[5])) ?? [];
        return send(
          200,
          files.map((filename) => ({
            sha: '0'.repeat(40),
            filename,
            status: 'modified',
            additions: 1,
            deletions: 1,
            changes: 2,
            blob_url: '',
            raw_url: '',
            contents_url: '',
          })),
        );
      }
      case 'GET /commits/{commit_sha}/pulls':
        return send(
          200,
          (this.pulls.get(params[5]!) ?? []).map(({ head, user, headRepository, ...p }) => ({
            ...p,
            user: this.userJson({ login: user.login, type: user.type ?? 'User' }),
            head: {
              ref: head ?? 'feature',
              sha: '0'.repeat(40),
              label: `${(headRepository ?? this.owner).split('/')[0]}:${head ?? 'feature'}`,
              repo: { full_name: headRepository ?? `${this.owner}/${this.repo}` },
            },
            html_url: `https://github.com/${this.owner}/${this.repo}/pull/${p.number}`,
          })),
        );
      default:
        this.violations.push(`the fake does not implement ${route.split(' ')[0]} ${template}`);
        return send(501, { message: 'not implemented in the fake' });
    }
  }

  private pullJson(p: {
    number: number;
    title: string;
    head: string;
    base: string;
    body: string;
    state: string;
    user: FakeAccount;
  }) {
    return {
      id: p.number,
      number: p.number,
      node_id: 'PR',
      title: p.title,
      body: p.body,
      state: p.state,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${p.number}`,
      head: { ref: p.head, sha: '0'.repeat(40), label: `${this.owner}:${p.head}` },
      base: { ref: p.base, sha: '0'.repeat(40), label: `${this.owner}:${p.base}` },
      user: this.userJson(p.user),
      merged_at: null,
    };
  }

  /** The reader of the local clone, if the fake has one. */
  private localClone(): LocalClone | undefined {
    if (!this.localRepo) return undefined;
    if (this.clone?.root !== this.localRepo) this.clone = new LocalClone(this.localRepo);
    return this.clone;
  }

  private localRefNames(): string[] {
    return this.localClone()?.refNames() ?? [];
  }

  /** A ref of the clone: an annotated tag's ref points at its tag object, as GitHub shows it; anything else at its commit. */
  private localRef(name: string): Ref | undefined {
    return this.localClone()?.ref(name);
  }

  /** The commit a ref of the clone points at (through an annotated tag). */
  private commitOf(name: string): string | undefined {
    const ref = this.localRef(name);
    if (ref?.object.type !== 'tag') return ref?.object.sha;
    return this.localTagObject(ref.object.sha)?.object.sha;
  }

  /** An annotated tag of the clone, as GET /git/tags/{tag_sha} answers it (the tagger date in UTC, as GitHub gives it). */
  private localTagObject(sha: string): TagObject | undefined {
    if (!/^[0-9a-f]{40}$/.test(sha)) return undefined;
    const text = this.localClone()?.tagText(sha);
    if (text === undefined) return undefined;
    const split = text.indexOf('\n\n');
    const headers = new Map(
      text
        .slice(0, split)
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)] as const),
    );
    const tagger = /^(.*) <(.*)> (\d+) [+-]\d{4}$/.exec(headers.get('tagger') ?? '');
    return {
      sha,
      tag: headers.get('tag') ?? '',
      message: text.slice(split + 2),
      object: { sha: headers.get('object') ?? '', type: headers.get('type') ?? 'commit' },
      tagger: {
        name: tagger?.[1] ?? '',
        email: tagger?.[2] ?? '',
        date: new Date(Number(tagger?.[3] ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    };
  }

  /**
   * A file as commits made through the API have it: its text, null when that
   * commit's tree removed or lacks it, undefined when the commit or its base
   * is not the API's (the clone answers then).
   */
  fileOfApiCommit(commit: string, path: string): string | null | undefined {
    const tree = this.commits.get(commit)?.tree;
    return tree === undefined ? undefined : this.fileOfApiTree(tree, path);
  }

  private fileOfApiTree(sha: string, path: string): string | null | undefined {
    const tree = this.trees.get(sha);
    if (!tree) return undefined;
    const entry = tree.tree.find((e) => e.path === path);
    if (entry) return entry.content ?? null;
    return tree.base_tree === undefined ? null : this.fileOfApiTree(tree.base_tree, path);
  }

  private contentJson(path: string, content: Buffer) {
    return {
      type: 'file',
      encoding: 'base64',
      size: content.length,
      name: path.split('/').pop(),
      path,
      content: content.toString('base64'),
      sha: '0'.repeat(40),
      url: '',
      git_url: null,
      html_url: null,
      download_url: null,
      _links: { self: '', git: null, html: null },
    };
  }

  /**
   * GitHub's compare of `BASE...HEAD` (branch names or commit ids), from the
   * local clone's history: `ahead` when the head holds commits the base has
   * not and none the other way, `behind` the reverse, `diverged` both,
   * `identical` neither. Undefined (GitHub's 404) when a side is unknown or
   * the two share no history.
   */
  private compare(
    basehead: string,
  ):
    | { base: string; head: string; mergeBase: string; status: string; ahead: string[]; behindBy: number }
    | undefined {
    const [baseName = '', headName = '', ...rest] = basehead.split('...');
    if (!this.localRepo || rest.length) return undefined;
    const commitOf = (name: string) =>
      /^[0-9a-f]{40}$/.test(name)
        ? name
        : (this.refs.get(`refs/heads/${name}`) ?? this.localRef(`refs/heads/${name}`))?.object.sha;
    const base = commitOf(baseName);
    const head = commitOf(headName);
    if (!base || !head) return undefined;
    const git = (...args: string[]) => runOk('git', args, { cwd: this.localRepo }).toString('utf8').trim();
    try {
      const mergeBase = git('merge-base', base, head);
      const ahead = git('rev-list', '--reverse', `${base}..${head}`).split('\n').filter(Boolean);
      const behindBy = Number(git('rev-list', '--count', `${head}..${base}`));
      const status =
        ahead.length && behindBy ? 'diverged' : ahead.length ? 'ahead' : behindBy ? 'behind' : 'identical';
      return { base, head, mergeBase, status, ahead, behindBy };
    } catch {
      return undefined; // an unknown commit, or no common ancestor
    }
  }

  /** Whether `commit` is `ancestor` or descends from it, through the commits made on this fake. */
  private descends(commit: string, ancestor: string): boolean {
    const seen = new Set<string>();
    const queue = [commit];
    for (let sha = queue.pop(); sha !== undefined; sha = queue.pop()) {
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return false;
  }

  /** Makes `branch` point at `commit`, whose tree is `tree` (as a push of the clone would). */
  seedBranch(branch: string, commit: string, tree: string): void {
    this.refs.set(`refs/heads/${branch}`, {
      ref: `refs/heads/${branch}`,
      object: { sha: commit, type: 'commit' },
    });
    this.commits.set(commit, { message: 'seed', tree, parents: [] });
  }

  private checkRunJson(run: FakeGitHub['checkRuns'][number]) {
    return {
      conclusion: null,
      ...run,
      node_id: 'CR',
      external_id: run.external_id ?? '',
      url: '',
      html_url: '',
      details_url: '',
      started_at: null,
      completed_at: null,
      output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: '' },
      check_suite: null,
      app: this.appJson(APP_BOT.app!),
      pull_requests: [],
    };
  }

  /** A comment as someone wrote it (a test posting as a person, or the API on behalf of a token). */
  postComment(issue: number, body: string, user: FakeAccount): FakeComment {
    const comment = { id: 5000 + this.comments.length, issue, body, user };
    this.comments.push(comment);
    return comment;
  }

  /** The deployer reports a deployment's state (GitHub lists it with the statuses modelgate posted). */
  reportDeployed(deployment: number, state = 'success'): void {
    this.deployerStatuses.push({ deployment, state, at: ++this.statusCount });
  }

  private actorOf(authorization: string | undefined): FakeAccount | undefined {
    const [scheme, token = ''] = (authorization ?? '').split(' ');
    if (scheme?.toLowerCase() === 'bearer' && token.startsWith('ey')) return undefined; // the app's JWT: no account
    return this.tokens.get(token) ?? (token ? person('token-owner') : undefined);
  }

  private userJson(account: { login: string; type: string }) {
    if (!idOf.has(account.login)) idOf.set(account.login, ++accountIds);
    const api = `https://api.github.com/users/${encodeURIComponent(account.login)}`;
    return {
      login: account.login,
      id: idOf.get(account.login)!,
      node_id: 'U',
      avatar_url: '',
      gravatar_id: '',
      url: api,
      html_url: `https://github.com/${account.type === 'Bot' ? `apps/${account.login.replace(/\[bot\]$/, '')}` : account.login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: account.type,
      site_admin: false,
    };
  }

  private appJson(app: NonNullable<FakeAccount['app']>) {
    return {
      id: app.id,
      slug: app.slug,
      client_id: 'Iv1.0',
      node_id: 'A',
      owner: this.userJson({ login: this.owner, type: 'Organization' }),
      name: app.name,
      description: '',
      external_url: '',
      html_url: `https://github.com/apps/${app.slug}`,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      permissions: {},
      events: [],
    };
  }

  private commentJson(c: FakeComment) {
    return {
      id: c.id,
      node_id: 'C',
      body: c.body,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${c.issue}#issuecomment-${c.id}`,
      url: '',
      issue_url: '',
      user: this.userJson(c.user),
      created_at: '2026-11-22T00:00:00Z',
      updated_at: '2026-11-22T00:00:00Z',
      author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
      // GitHub names the app whose installation token wrote the comment; null for a person.
      performed_via_github_app: c.user.app ? this.appJson(c.user.app) : null,
    };
  }

  private tagJson(tag: TagObject) {
    const { tagger } = tag;
    return {
      node_id: 'TAG',
      sha: tag.sha,
      tag: tag.tag,
      message: tag.message,
      tagger,
      object: { ...tag.object, url: '' },
      url: '',
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    };
  }

  private releaseJson(release: {
    id: number;
    tag_name: string;
    name: string;
    body: string;
    prerelease: boolean;
  }) {
    return {
      ...release,
      html_url: `https://github.com/${this.owner}/${this.repo}/releases/tag/${encodeURIComponent(release.tag_name)}`,
      draft: false,
    };
  }

  private deploymentJson(d: FakeDeployment) {
    return {
      ...d,
      url: `${this.url}/repos/${this.owner}/${this.repo}/deployments/${d.id}`,
      sha: d.sha ?? '0'.repeat(40),
      task: 'deploy',
      creator: null,
      created_at: d.created_at ?? this.stamp(),
      updated_at: d.created_at ?? this.stamp(),
      statuses_url: '',
      repository_url: '',
      node_id: 'DEP',
    };
  }
}
