import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CANARY_STATUSES,
  createAppMetrics,
  QUEUE_STATES,
  TICK_OUTCOMES,
  VERDICTS,
  WEBHOOK_OUTCOMES,
} from '../../src/app/metrics.js';

const DIR = join(import.meta.dirname, '..', '..', 'deploy', 'prometheus');
const RULES = join(DIR, 'modelgate-alerts.yml');
const UNIT_TESTS = join(DIR, 'modelgate-alerts.test.yml');

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface UnitTests {
  rule_files: string[];
  tests: {
    input_series: { series: string; values: string }[];
    alert_rule_test: { alertname: string; exp_alerts: unknown[] }[];
  }[];
}

const rules = (parse(readFileSync(RULES, 'utf8')) as { groups: { rules: AlertRule[] }[] }).groups.flatMap(
  (g) => g.rules,
);
const unitTests = parse(readFileSync(UNIT_TESTS, 'utf8')) as UnitTests;

/** Runs Debian's promtool; a missing binary fails the test (the test setup installs it, CI must not skip). */
function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { encoding: 'utf8', timeout: 30_000 });
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The labels Prometheus adds to every scraped series, and the bucket bound of a histogram. */
const SCRAPE_LABELS = new Set(['job', 'instance']);

/** Each series name the app exposes, with its label names (a histogram's three series included). */
async function exposedSeries(): Promise<Map<string, Set<string>>> {
  const metrics = createAppMetrics(new Registry(), { defaultMetrics: false });
  const exposed = new Map<string, Set<string>>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    const labels = new Set<string>(
      (metrics.registry.getSingleMetric(metric.name) as unknown as { labelNames: string[] }).labelNames,
    );
    if (String(metric.type) === 'histogram') {
      exposed.set(`${metric.name}_bucket`, new Set([...labels, 'le']));
      exposed.set(`${metric.name}_sum`, labels);
      exposed.set(`${metric.name}_count`, labels);
    } else exposed.set(metric.name, labels);
  }
  return exposed;
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);

interface Selector {
  metric: string;
  matchers: { label: string; op: string; value: string }[];
}

/**
 * The metric selectors of a PromQL expression and the labels it groups or
 * joins by. Enough PromQL for these rules: identifiers not followed by `(`
 * (a function) and not keywords are metric names; range durations and
 * numbers are skipped.
 */
function readExpression(expr: string): { selectors: Selector[]; grouping: string[] } {
  const grouping: string[] = [];
  let rest = expr.replace(/\b(by|without|on|ignoring)\s*\(([^)]*)\)/g, (_, _kw, labels: string) => {
    grouping.push(
      ...labels
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    );
    return ' ';
  });
  rest = rest.replace(/\[[^\]]*\]/g, ' ');
  const selectors: Selector[] = [];
  for (const match of rest.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?(\s*\()?/g)) {
    const [, name, braces, call] = match;
    if (call || KEYWORDS.has(name!)) continue;
    const matchers = [...(braces ?? '').matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)].map(
      ([, label, op, value]) => ({
        label: label!,
        op: op!,
        value: value!,
      }),
    );
    selectors.push({ metric: name!, matchers });
  }
  return { selectors, grouping };
}

/** Label values the app can write, where the label's values are a closed list. */
const CLOSED_VALUES: Record<string, Record<string, readonly string[]>> = {
  modelgate_canaries: { status: CANARY_STATUSES },
  modelgate_canary_status_oldest_since_timestamp_seconds: { status: CANARY_STATUSES },
  modelgate_ticks_total: { outcome: TICK_OUTCOMES },
  modelgate_judgments_total: { verdict: VERDICTS },
  modelgate_queue_depth: { state: QUEUE_STATES },
  modelgate_webhook_duration_seconds_count: { outcome: WEBHOOK_OUTCOMES },
};

describe('the shipped alerting rules (deploy/prometheus/modelgate-alerts.yml)', () => {
  it('pass `promtool check rules`', () => {
    const { status, output } = promtool('check', 'rules', RULES);
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(status).toBe(0);
  });

  it('pass their unit tests (`promtool test rules`): each alert fires on its trouble and not on healthy series', () => {
    const { status, output } = promtool('test', 'rules', UNIT_TESTS);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('are all tested both ways: a case where each fires and one where it does not', () => {
    expect(rules.map((r) => r.alert)).toEqual([
      'ModelgateTicksFailing',
      'ModelgateJudgmentsOverdue',
      'ModelgateJudgmentsErroring',
      'ModelgateTickLagHigh',
      'ModelgateQueueBacklogGrowing',
      'ModelgateRateLimitLow',
      'ModelgateRateLimitExhausted',
      'ModelgateCanaryStuckAwaitingDeployer',
      'ModelgateWebhookErrors',
      'ModelgateGitHubErrors',
    ]);
    const cases = unitTests.tests.flatMap((t) => t.alert_rule_test);
    for (const rule of rules) {
      const mine = cases.filter((c) => c.alertname === rule.alert);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${rule.alert} fires somewhere`,
      ).toBe(true);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${rule.alert} stays quiet somewhere`,
      ).toBe(true);
    }
  });

  it('carry a severity, a summary, a description and a runbook', () => {
    for (const rule of rules) {
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels?.severity);
      expect(Object.keys(rule.annotations ?? {}).sort(), rule.alert).toEqual([
        'description',
        'runbook',
        'summary',
      ]);
    }
  });

  it('use only metrics and labels the app exposes (so they cannot drift from src/app/metrics.ts)', async () => {
    const exposed = await exposedSeries();
    const used = new Set<string>();
    for (const rule of rules) {
      const { selectors, grouping } = readExpression(rule.expr);
      expect(selectors.length, `${rule.alert} reads a metric`).toBeGreaterThan(0);
      const labelsInRule = new Set<string>(SCRAPE_LABELS);
      for (const { metric, matchers } of selectors) {
        used.add(metric);
        const labels = exposed.get(metric);
        expect(labels, `${rule.alert}: ${metric} is not a metric of createAppMetrics()`).toBeDefined();
        for (const label of labels!) labelsInRule.add(label);
        for (const { label, op, value } of matchers) {
          expect(
            SCRAPE_LABELS.has(label) || labels!.has(label),
            `${rule.alert}: ${metric} has no label ${label}`,
          ).toBe(true);
          const closed = CLOSED_VALUES[metric]?.[label];
          if (closed && op === '=')
            expect(closed, `${rule.alert}: ${metric}{${label}="${value}"}`).toContain(value);
        }
      }
      for (const label of grouping) expect(labelsInRule, `${rule.alert} groups by ${label}`).toContain(label);
    }
    // The rules watch every part of the app the issue asks for.
    for (const metric of [
      'modelgate_ticks_total',
      'modelgate_judgments_total',
      'modelgate_tick_lag_seconds_bucket',
      'modelgate_github_rate_limit_remaining',
      'modelgate_canary_status_oldest_since_timestamp_seconds',
      'modelgate_webhook_duration_seconds_count',
    ])
      expect(used).toContain(metric);
  });

  it("feed their unit tests only series the app exposes, with the app's labels", async () => {
    const exposed = await exposedSeries();
    for (const test of unitTests.tests)
      for (const { series } of test.input_series) {
        const [, metric, labels] = /^([a-zA-Z_:][\w:]*)\{(.*)\}$/.exec(series)!;
        expect(exposed.has(metric!), `${metric} is not a metric of createAppMetrics()`).toBe(true);
        for (const [, label] of labels!.matchAll(/(\w+)="/g))
          expect(
            SCRAPE_LABELS.has(label!) || exposed.get(metric!)!.has(label!),
            `${metric} has no label ${label}`,
          ).toBe(true);
      }
  });

  describe('the unit tests can fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelgate-alerts-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a rule whose threshold drifted no longer fires where its test says it must', () => {
      cpSync(UNIT_TESTS, join(dir, 'modelgate-alerts.test.yml'));
      const drifted = readFileSync(RULES, 'utf8').replace(
        /(ModelgateTicksFailing[\s\S]*?)> 0\.2\n/,
        '$1> 0.6\n',
      );
      expect(drifted).not.toBe(readFileSync(RULES, 'utf8'));
      writeFileSync(join(dir, 'modelgate-alerts.yml'), drifted);
      const { status, output } = promtool('test', 'rules', join(dir, 'modelgate-alerts.test.yml'));
      expect(status).toBe(1);
      expect(output).toContain('alertname: ModelgateTicksFailing, time: 30m');
      expect(output).not.toContain('alertname: ModelgateWebhookErrors');
    });
  });
});
