import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CanaryDecision } from '../core/canary/decide.js';
import type { Verdict } from '../core/canary/judge.js';
import { sameSecret } from '../core/integrity/seal.js';
import type { BudgetHolder, DeferralCode, RateReading, WorkPriority } from './rate-budget.js';

/** What a live canary is doing, as the `modelgate_canaries` gauge counts it. */
export const CANARY_STATUSES = ['running', 'paused', 'awaiting_deployer'] as const;
export type CanaryStatus = (typeof CANARY_STATUSES)[number];

/** How a scheduled judgment (one canary's tick) ended: `failed` is an exception, not a failing canary. */
export const TICK_OUTCOMES = ['ok', 'failed'] as const;
export type TickOutcome = (typeof TICK_OUTCOMES)[number];

/** How a webhook delivery's handling ended. */
export const WEBHOOK_OUTCOMES = ['ok', 'error'] as const;

/** The states of the work queue the `modelgate_queue_depth` gauge reports. */
export const QUEUE_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export const VERDICTS = ['pass', 'fail', 'inconclusive', 'error'] as const satisfies readonly Verdict[];
/** The core's decisions (`wait` is a hold: the step keeps running). */
const DECISION_ACTIONS = [
  'wait',
  'advance',
  'promote',
  'rollback',
  'switch',
] as const satisfies readonly CanaryDecision['action'][];
/** What a judged guard window decided (the guard's own decisions, apart from the canary's). */
const GUARD_DECISIONS = ['watch', 'alert', 'rollback', 'end'] as const;
export type GuardDecisionAction = (typeof GUARD_DECISIONS)[number];
const WORK_PRIORITIES = ['urgent', 'routine'] as const satisfies readonly WorkPriority[];
const DEFERRAL_CODES = ['reserve', 'exhausted', 'secondary_limit'] as const satisfies readonly DeferralCode[];

/** The label value that stands for everything past a label's bound. */
const OTHER = 'other';

/** The count of live canaries in each status, and since when the longest-waiting one has been in it. */
export type CanarySummary = Record<CanaryStatus, { count: number; oldestSince?: Date }>;

/** The app's own metrics, each recorded through a method that keeps its labels bounded. */
export interface AppMetrics {
  readonly registry: Registry;
  /** Replaces the canary gauges with this summary (statuses absent from it count 0). */
  setCanaries(summary: Partial<CanarySummary>): void;
  /** The earliest due time of a pending judgment (absent when none is pending): overdue means the schedule is stuck. */
  setOldestDue(due: Date | undefined): void;
  countJudgment(verdict: Verdict): void;
  countDecision(action: CanaryDecision['action']): void;
  /** Production guards watching with a judgment scheduled (paused and ended ones have none). */
  setGuards(count: number): void;
  countGuardDecision(action: GuardDecisionAction): void;
  /** One scheduled judgment ran: its outcome, and (when it judged) how many seconds after its due time it finished. */
  recordTick(outcome: TickOutcome, lagSeconds?: number): void;
  /** Runs a webhook handler and records its duration under the event name; rethrows its error. */
  timeWebhook<T>(event: string, handle: () => Promise<T>): Promise<T>;
  /** One GitHub request: its route template, its status (`network_error` without a response), its duration. */
  countGitHubRequest(route: string, status: number | 'network_error', seconds: number): void;
  /** What GitHub last said about a holder's rate-limit window of one resource (`core`, `graphql`, `search`…). */
  setRateLimit(holder: BudgetHolder, resource: string, reading: RateReading): void;
  /** Work the rate budget deferred. */
  countDeferral(priority: WorkPriority, code: DeferralCode): void;
  setQueueDepth(state: QueueState, depth: number): void;
}

/** Bounds and clocks of the metrics. */
export interface AppMetricsOptions {
  /** Node's default process metrics (`process_*`, `nodejs_*`): on by default. */
  defaultMetrics?: boolean;
  /** Installation × resource pairs whose rate limit is shown (default 2,000); past it the least recently updated pair's series are dropped. */
  maxRateLimitSeries?: number;
  /** Distinct webhook event names (default 64) and GitHub routes (default 256) before new ones count as `other`. */
  maxEvents?: number;
  maxRoutes?: number;
  /** A monotonic clock in milliseconds, for handler durations. */
  now?: () => number;
}

const RESOURCE = /^[a-z_]{1,32}$/;
const EVENT = /^[a-z_]{1,64}$/;
const ROUTE = /^(GET|HEAD|POST|PUT|PATCH|DELETE) \/[A-Za-z0-9_.\-/{}]{0,200}$/;

/**
 * Creates modelgate's metrics (prefix `modelgate_`) in `registry`, plus
 * Node's default metrics. Every label has a bounded set of values: closed
 * lists (statuses, verdicts, actions, outcomes), route templates (never a
 * concrete URL, see github-requests.ts) and event names capped at a number of
 * distinct values past which `other` stands in, and installation ids capped
 * by evicting the least recently updated. No label holds a repository, a
 * model or a user.
 */
export function createAppMetrics(registry = new Registry(), options: AppMetricsOptions = {}): AppMetrics {
  const now = options.now ?? (() => performance.now());
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const canaries = new Gauge({
    name: 'modelgate_canaries',
    help: 'Live canaries by status.',
    labelNames: ['status'] as const,
    registers,
  });
  const canaryOldestSince = new Gauge({
    name: 'modelgate_canary_status_oldest_since_timestamp_seconds',
    help: 'Unix time since which the canary that has been longest in a status has been in it (absent when none is).',
    labelNames: ['status'] as const,
    registers,
  });
  const oldestDue = new Gauge({
    name: 'modelgate_judgment_oldest_due_timestamp_seconds',
    help: 'Unix time the earliest pending judgment of a running canary is due (absent when none is pending).',
    registers,
  });
  const judgments = new Counter({
    name: 'modelgate_judgments_total',
    help: 'Canary intervals and production-guard windows judged, by verdict (error: a metric query failed).',
    labelNames: ['verdict'] as const,
    registers,
  });
  const decisions = new Counter({
    name: 'modelgate_decisions_total',
    help: 'Canary decisions after a judgment, by action (wait holds the step).',
    labelNames: ['action'] as const,
    registers,
  });
  const guards = new Gauge({
    name: 'modelgate_guards',
    help: 'Production guards with a judgment (or a look at their rollback) scheduled.',
    registers,
  });
  const guardDecisions = new Counter({
    name: 'modelgate_guard_decisions_total',
    help: 'Production-guard decisions after a judged window, by action (rollback and alert follow a breach).',
    labelNames: ['action'] as const,
    registers,
  });
  const ticks = new Counter({
    name: 'modelgate_ticks_total',
    help: "Scheduled judgments run, by outcome (failed: the run threw; the canary's own verdict is in modelgate_judgments_total).",
    labelNames: ['outcome'] as const,
    registers,
  });
  const tickLag = new Histogram({
    name: 'modelgate_tick_lag_seconds',
    help: 'How long after its due time a scheduled judgment finished.',
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers,
  });
  const webhookDuration = new Histogram({
    name: 'modelgate_webhook_duration_seconds',
    help: 'Time to handle a webhook delivery, by event and outcome.',
    labelNames: ['event', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const githubRequests = new Counter({
    name: 'modelgate_github_requests_total',
    help: 'GitHub API requests by route template and status (304: answered from a conditional request, free of budget).',
    labelNames: ['route', 'status'] as const,
    registers,
  });
  const githubDuration = new Histogram({
    name: 'modelgate_github_request_duration_seconds',
    help: "GitHub API request time by route template, including the client's retries and rate-limit waits.",
    labelNames: ['route'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const rateLabels = ['installation', 'resource'] as const;
  const rateRemaining = new Gauge({
    name: 'modelgate_github_rate_limit_remaining',
    help: 'Requests left in the rate-limit window, as GitHub last reported (installation "app": the app\'s own JWT).',
    labelNames: rateLabels,
    registers,
  });
  const rateLimit = new Gauge({
    name: 'modelgate_github_rate_limit_limit',
    help: 'Size of the rate-limit window, as GitHub last reported.',
    labelNames: rateLabels,
    registers,
  });
  const rateReset = new Gauge({
    name: 'modelgate_github_rate_limit_reset_timestamp_seconds',
    help: 'Unix time at which the rate-limit window resets, as GitHub last reported.',
    labelNames: rateLabels,
    registers,
  });
  const deferrals = new Counter({
    name: 'modelgate_work_deferred_total',
    help: 'Work the rate budget deferred, by priority and reason.',
    labelNames: ['priority', 'reason'] as const,
    registers,
  });
  const queueDepth = new Gauge({
    name: 'modelgate_queue_depth',
    help: 'Jobs in the work queue, by state.',
    labelNames: ['state'] as const,
    registers,
  });

  const events = new CappedValues(options.maxEvents ?? 64);
  const routes = new CappedValues(options.maxRoutes ?? 256);
  const rateSeries = new RecentSeries<{ installation: string; resource: string }>(
    options.maxRateLimitSeries ?? 2000,
    (labels) => {
      for (const gauge of [rateRemaining, rateLimit, rateReset]) gauge.remove(labels);
    },
  );

  return {
    registry,
    setCanaries(summary) {
      for (const status of CANARY_STATUSES) {
        const entry = summary[status];
        canaries.set({ status }, entry?.count ?? 0);
        const since = entry?.oldestSince?.getTime();
        if (entry?.count && since !== undefined && Number.isFinite(since))
          canaryOldestSince.set({ status }, since / 1000);
        else canaryOldestSince.remove({ status });
      }
    },
    setOldestDue(due) {
      const at = due?.getTime();
      if (at !== undefined && Number.isFinite(at)) oldestDue.set(at / 1000);
      else oldestDue.reset();
    },
    countJudgment: (verdict) => judgments.inc({ verdict: closed(verdict, VERDICTS) }),
    countDecision: (action) => decisions.inc({ action: closed(action, DECISION_ACTIONS) }),
    setGuards: (count) => guards.set(Number.isFinite(count) ? count : 0),
    countGuardDecision: (action) => guardDecisions.inc({ action: closed(action, GUARD_DECISIONS) }),
    recordTick(outcome, lagSeconds) {
      ticks.inc({ outcome: closed(outcome, TICK_OUTCOMES) });
      if (lagSeconds !== undefined && Number.isFinite(lagSeconds)) tickLag.observe(Math.max(0, lagSeconds));
    },
    async timeWebhook(event, handle) {
      const labelled = EVENT.test(event) ? events.admit(event) : OTHER;
      const started = now();
      let outcome: (typeof WEBHOOK_OUTCOMES)[number] = 'error';
      try {
        const result = await handle();
        outcome = 'ok';
        return result;
      } finally {
        webhookDuration.observe({ event: labelled, outcome }, Math.max(0, (now() - started) / 1000));
      }
    },
    countGitHubRequest(route, status, seconds) {
      const labelled = ROUTE.test(route) ? routes.admit(route) : OTHER;
      const code =
        status === 'network_error' || (Number.isInteger(status) && status >= 100 && status <= 599)
          ? String(status)
          : OTHER;
      githubRequests.inc({ route: labelled, status: code });
      if (Number.isFinite(seconds)) githubDuration.observe({ route: labelled }, Math.max(0, seconds));
    },
    setRateLimit(holder, resource, reading) {
      const labels = { installation: String(holder), resource: RESOURCE.test(resource) ? resource : OTHER };
      rateSeries.touch(`${labels.installation} ${labels.resource}`, labels);
      rateRemaining.set(labels, reading.remaining);
      rateLimit.set(labels, reading.limit);
      rateReset.set(labels, reading.resetAt.getTime() / 1000);
    },
    countDeferral: (priority, code) =>
      deferrals.inc({ priority: closed(priority, WORK_PRIORITIES), reason: closed(code, DEFERRAL_CODES) }),
    setQueueDepth: (state, depth) => queueDepth.set({ state: closed(state, QUEUE_STATES) }, depth),
  };
}

/** Options of the `/metrics` route. */
export interface MetricsRouteOptions {
  path?: string;
  /** When set, a scrape must send `Authorization: Bearer <token>` (compared in constant time). */
  token?: string;
  /**
   * Runs before each scrape, to set gauges read from elsewhere (the queue's
   * depth, the canaries' summary). If it throws, the scrape still answers,
   * with the values as they were: a broken queue must not hide the rest.
   */
  refresh?: () => Promise<void>;
}

/**
 * The `GET /metrics` route for Probot's `addHandler`: the registry in
 * Prometheus' text format. Answers false for any other path so the next
 * handler runs.
 */
export function metricsRoute(
  registry: Registry,
  options: MetricsRouteOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const path = options.path ?? '/metrics';
  return async (req, res) => {
    if (pathOf(req.url) !== path) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    if (options.token !== undefined) {
      const header = req.headers.authorization;
      const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
      if (given === undefined || !sameSecret(given, options.token)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
        return true;
      }
    }
    await options.refresh?.().catch(() => undefined);
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

function closed<T extends string>(value: string, allowed: readonly T[]): T | typeof OTHER {
  return (allowed as readonly string[]).includes(value) ? (value as T) : OTHER;
}

/** The first `max` distinct values keep their name; later ones become `other`. */
class CappedValues {
  readonly #seen = new Set<string>();
  constructor(readonly max: number) {}
  admit(value: string): string {
    if (this.#seen.has(value)) return value;
    if (this.#seen.size >= this.max) return OTHER;
    this.#seen.add(value);
    return value;
  }
}

/** At most `max` label sets, the least recently touched dropped first (with `onDrop`). */
class RecentSeries<L> {
  readonly #series = new Map<string, L>();
  constructor(
    readonly max: number,
    readonly onDrop: (labels: L) => void,
  ) {}
  touch(key: string, labels: L): void {
    this.#series.delete(key);
    this.#series.set(key, labels);
    if (this.#series.size <= this.max) return;
    const [oldest, dropped] = this.#series.entries().next().value as [string, L];
    this.#series.delete(oldest);
    this.onDrop(dropped);
  }
}
