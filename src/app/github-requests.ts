import type { ProbotOctokit } from 'probot';
import type { AppMetrics } from './metrics.js';
import type { BudgetHolder, RateBudget, RateReading } from './rate-budget.js';

/** The route label of a request no known route template matches. */
export const UNKNOWN_ROUTE = 'other';

/** What the plugin records into, and its clocks. */
export interface GitHubRequestRecording {
  metrics?: AppMetrics;
  /** Takes the `core` rate-limit readings and secondary-limit pauses. */
  budget?: RateBudget;
  /** Wall clock, for `retry-after` (default: the system's). */
  clock?: () => Date;
  /** Monotonic milliseconds, for durations (default: performance.now). */
  now?: () => number;
}

/** An Octokit plugin, as Probot's Octokit class takes one (`ProbotOctokit.plugin(...)`). */
export type OctokitPlugin = Parameters<typeof ProbotOctokit.plugin>[number];
type PluggedOctokit = Parameters<OctokitPlugin>[0];

/** What the plugin reads of a request's options. */
interface RequestOptions {
  method?: string;
  url?: string;
  baseUrl?: string;
}

interface ResponseLike {
  status: number;
  headers: Record<string, string | number | undefined>;
}

/**
 * An Octokit plugin that records every request: its route template, status
 * and duration into the metrics, and GitHub's `x-ratelimit-*` headers per
 * installation into the metrics and the rate budget. For the app:
 * `new Probot({ Octokit: ProbotOctokit.plugin(githubRequests({ metrics, budget })) })`.
 *
 * The installation is the one Probot builds the client for: `app.auth(id)`
 * and the event client of a webhook both construct it with
 * `auth.installationId`; a client without one is the app's own (`app`).
 * The routes signed with the app's JWT (creating an installation's token,
 * which an installation client does itself, among them) spend the app's
 * budget and are recorded as `app` whichever client sent them.
 *
 * The plugin is applied after Probot's, so its hook wraps theirs: a request
 * counts once, with the status it finally ended with, and its duration
 * includes the retries and rate-limit waits of plugin-retry and
 * plugin-throttling (a secondary limit that throttling rides out is
 * therefore not seen; one it gives up on pauses the installation in the
 * budget). A 304 (a conditional request that matched, free of budget) is
 * counted as 304, not as an error. A request without a response
 * (connection refused, aborted) is `network_error`.
 */
export function githubRequests(recording: GitHubRequestRecording): OctokitPlugin {
  const clock = recording.clock ?? (() => new Date());
  const now = recording.now ?? (() => performance.now());
  return (octokit, options): void => {
    const holder = holderOf(options);
    // Learnt at the first request: by then every plugin, in whatever order, has added its methods.
    let routes: RouteTable | undefined;
    octokit.hook.wrap('request', async (request, requestOptions) => {
      const started = now();
      let response: ResponseLike | undefined;
      try {
        const result = await request(requestOptions);
        response = responseOf(result);
        return result;
      } catch (error) {
        response = responseOf((error as { response?: unknown } | null)?.response);
        throw error;
      } finally {
        const route = routeTemplate(
          requestOptions.method,
          requestOptions.url,
          requestOptions.baseUrl,
          (routes ??= routeTableOf(octokit)),
        );
        recording.metrics?.countGitHubRequest(
          route,
          response?.status ?? 'network_error',
          (now() - started) / 1000,
        );
        if (response) recordBudget(spentBy(route, holder), response, clock(), recording);
      }
    });
  };
}

function recordBudget(
  holder: BudgetHolder,
  response: ResponseLike,
  at: Date,
  recording: GitHubRequestRecording,
): void {
  const header = (name: string) => {
    const value = response.headers[name];
    return value === undefined ? undefined : String(value);
  };
  const reading = rateReadingOf(header);
  const resource = header('x-ratelimit-resource') ?? 'core';
  if (reading) {
    recording.metrics?.setRateLimit(holder, resource, reading);
    if (resource === 'core') recording.budget?.record(holder, reading);
  }
  // GitHub's secondary limits answer 403 or 429 with retry-after (seconds).
  const retryAfter = Number(header('retry-after'));
  if ((response.status === 403 || response.status === 429) && Number.isFinite(retryAfter) && retryAfter >= 0)
    recording.budget?.block(holder, new Date(at.getTime() + retryAfter * 1000));
}

// The routes @octokit/auth-app sends with the app's JWT whichever client asks (an installation
// client creates its own token through POST /app/installations/{installation_id}/access_tokens):
// they spend the app's budget, not the installation's.
const APP_JWT_PATHS = new Set([
  '/app',
  '/app/hook/config',
  '/app/hook/deliveries',
  '/app/hook/deliveries/{delivery_id}',
  '/app/hook/deliveries/{delivery_id}/attempts',
  '/app/installations',
  '/app/installations/{installation_id}',
  '/app/installations/{installation_id}/access_tokens',
  '/app/installations/{installation_id}/suspended',
  '/app/installation-requests',
  '/orgs/{org}/installation',
  '/repos/{owner}/{repo}/installation',
  '/users/{username}/installation',
  '/enterprises/{enterprise}/installation',
]);

/** Whose budget a request spent: the app's for the JWT routes, else the client's. */
function spentBy(route: string, holder: BudgetHolder): BudgetHolder {
  const path = route.slice(route.indexOf(' ') + 1);
  return APP_JWT_PATHS.has(path) || path.startsWith('/marketplace_listing/') ? 'app' : holder;
}

/** The rate-limit window the `x-ratelimit-*` headers describe, if they are all there and numeric. */
function rateReadingOf(header: (name: string) => string | undefined): RateReading | undefined {
  const remaining = Number(header('x-ratelimit-remaining') ?? Number.NaN);
  const limit = Number(header('x-ratelimit-limit') ?? Number.NaN);
  const reset = Number(header('x-ratelimit-reset') ?? Number.NaN);
  if (![remaining, limit, reset].every((n) => Number.isFinite(n) && n >= 0)) return undefined;
  return { remaining, limit, resetAt: new Date(reset * 1000) };
}

/** The installation a client was built for (`auth.installationId`), or `app` for the app's own client. */
function holderOf(options: { auth?: unknown }): BudgetHolder {
  const id = (options.auth as { installationId?: unknown } | undefined)?.installationId;
  const number = typeof id === 'string' ? Number(id) : id;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : 'app';
}

function responseOf(value: unknown): ResponseLike | undefined {
  const candidate = value as Partial<ResponseLike> | null | undefined;
  if (typeof candidate?.status !== 'number' || typeof candidate.headers !== 'object' || !candidate.headers)
    return undefined;
  return { status: candidate.status, headers: candidate.headers };
}

interface RouteTemplate {
  template: string;
  segments: (string | RegExp)[];
  literals: number;
  /** The last segment is a parameter that may hold slashes (`{path}`, `{ref}`). */
  openEnded: boolean;
}
/** Route templates by method. */
export type RouteTable = Map<string, RouteTemplate[]>;

// GraphQL is one route; it has no REST method to learn it from.
const EXTRA_ROUTES = ['POST /graphql'];
const tables = new WeakMap<object, RouteTable>();

/**
 * Every route template the client's REST methods know (about a thousand),
 * learnt once per Octokit class from `octokit.rest`: the label set can only
 * hold these and `other`.
 */
export function routeTableOf(octokit: PluggedOctokit): RouteTable {
  const key = (octokit as { constructor: object }).constructor;
  const cached = tables.get(key);
  if (cached) return cached;
  const routes = new Set(EXTRA_ROUTES);
  const rest = ((octokit as { rest?: unknown }).rest ?? {}) as Record<
    string,
    Record<string, { endpoint?: { DEFAULTS?: RequestOptions } }>
  >;
  for (const scope of Object.values(rest))
    for (const name of Object.keys(scope)) {
      const defaults = scope[name]?.endpoint?.DEFAULTS;
      if (defaults?.method && defaults.url) routes.add(`${defaults.method} ${defaults.url}`);
    }
  const table = routeTableFrom(routes);
  tables.set(key, table);
  return table;
}

/** A route table from `METHOD /path/{param}` strings. */
function routeTableFrom(routes: Iterable<string>): RouteTable {
  const table: RouteTable = new Map();
  for (const route of routes) {
    const [method, url] = route.split(' ');
    if (!method || !url?.startsWith('/')) continue;
    const path = url.replace(/\{\?[^}]*\}/g, '');
    const parts = path.split('/').slice(1);
    const segments = parts.map((part) =>
      part.includes('{')
        ? new RegExp(
            `^${part
              .split(/\{[^}]*\}/)
              .map(escapeRegExp)
              .join('[^/]+')}$`,
          )
        : part,
    );
    const template = `${method} ${path}`;
    const entry = {
      template,
      segments,
      literals: segments.filter((s) => typeof s === 'string').length,
      openEnded: /^\{[^}]+\}$/.test(parts.at(-1) ?? ''),
    };
    table.set(method, [...(table.get(method) ?? []), entry]);
  }
  return table;
}

/**
 * The route template of a request (`GET /repos/{owner}/{repo}/deployments`),
 * whether Octokit was given the template or a concrete URL (pagination
 * follows `link` headers with concrete URLs, some of them
 * `/repositories/<id>/…`): the path is matched against the table, the
 * template with the most literal segments winning. A path nothing matches
 * is `other`, so no owner, repository or id becomes a label value.
 */
export function routeTemplate(
  method: string | undefined,
  url: string | undefined,
  baseUrl: string | undefined,
  table: RouteTable,
): string {
  const verb = (method ?? 'GET').toUpperCase();
  const candidates = table.get(verb);
  const path = pathOf(url, baseUrl);
  if (!candidates || path === undefined) return UNKNOWN_ROUTE;
  const found = bestMatch(path, candidates);
  if (found) return found;
  // GitHub's pagination links name a repository by id: /repositories/<id>/... is /repos/{owner}/{repo}/...
  const byId = /^\/repositories\/\d+(\/.*)?$/.exec(path);
  if (byId) return bestMatch(`/repos/{owner}/{repo}${byId[1] ?? ''}`, candidates) ?? UNKNOWN_ROUTE;
  return UNKNOWN_ROUTE;
}

function bestMatch(path: string, candidates: RouteTemplate[]): string | undefined {
  const parts = path.split('/').slice(1);
  let best: { template: string; rank: number } | undefined;
  for (const candidate of candidates) {
    const { segments } = candidate;
    const exact = segments.length === parts.length;
    if (!exact && !(candidate.openEnded && parts.length > segments.length)) continue;
    if (!segments.every((segment, i) => matches(segment, parts[i]))) continue;
    // An exact length beats an open end; then the most literal segments.
    const rank = (exact ? 1000 : 0) + candidate.literals;
    if (!best || rank > best.rank || (rank === best.rank && candidate.template < best.template))
      best = { template: candidate.template, rank };
  }
  return best?.template;
}

function matches(segment: string | RegExp, part: string | undefined): boolean {
  if (!part) return false;
  return typeof segment === 'string' ? segment === part : segment.test(part);
}

/** The request's path without the API's base path (GitHub Enterprise's /api/v3) and query. */
function pathOf(url: string | undefined, baseUrl: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const base = new URL(baseUrl ?? 'https://api.github.com');
    const bare = url.replace(/\{\?[^}]*\}/g, '');
    // A relative URL is relative to the base, and may be a template: URL() would percent-encode its braces.
    if (bare.startsWith('/')) return bare.replace(/[?#].*$/, '');
    const path = new URL(bare, base).pathname;
    const prefix = base.pathname.replace(/\/+$/, '');
    return prefix && path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
