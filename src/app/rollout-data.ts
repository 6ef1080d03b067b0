import type { MetricData } from '../core/canary/judge.js';
import type { CanaryState } from '../core/canary/state.js';
import type { JudgmentWindow } from '../core/canary/step.js';
import type { RolloutData, RolloutPlanner } from '../core/rollout/planner.js';
import type { Octokit } from '../io/github/octokit.js';
import { readAbCounts } from '../io/metrics/ab-counts.js';
import { collectMetrics, type PrometheusConfig } from '../io/metrics/prometheus.js';
import type { AppConfig } from './config.js';
import { GitHubContentsSource } from './github-source.js';
import { findReleaseManifest } from './manifest.js';
import { settingsOrDefaults } from './settings.js';
import { nextBlueGreenJudgment, type BlueGreenData } from '../core/blue-green/step.js';
import type { PreviewSuiteEvidence } from '../core/blue-green/suites.js';
import { releaseTag } from '../core/registry/tag-names.js';
import { versionEndpoint } from '../io/endpoint-settings.js';
import { runPreviewSuites, type ManifestAt } from '../io/eval/preview-suites.js';
import { resolveShadowPolicy } from '../core/shadow/policy.js';
import type { OutputPair } from '../core/shadow/compare.js';
import type { ShadowData } from '../core/shadow/step.js';
import { SETTINGS_FILE } from '../io/settings.js';
import { readPostgresPairs } from '../io/shadow/postgres.js';
import { promptsForInterval, readReplayPrompts, replayPairs } from '../io/shadow/replay.js';
import { judgePairs } from '../io/shadow/pairwise-judge.js';

type Repo = { owner: string; repo: string };

/** What a judgment may read from: Prometheus, GitHub (files at the release), and the app's environment. */
export interface RolloutSources {
  config: RolloutConfig;
  octokit: Octokit;
  repo: Repo;
}

/** What of the app's configuration judgments use: Prometheus, and the strategies' secrets. */
export type RolloutConfig = Pick<
  AppConfig,
  'prometheusUrl' | 'prometheusAuthorization' | 'shadowDatabaseUrl' | 'evalApiKey' | 'judge'
>;

const NO_PROMETHEUS = 'PROMETHEUS_URL is not set for the app';

/**
 * Reads what the rollout's planner judges for its window: the canary
 * metrics, an A/B test's counts, a shadow's metrics and answers, a
 * blue-green preview's suites or metrics. Every failure to read is data (an
 * error the planner records), never an exception that skips the judgment.
 */
export async function readRolloutData(
  state: CanaryState,
  planner: RolloutPlanner,
  window: JudgmentWindow,
  sources: RolloutSources,
): Promise<RolloutData> {
  const prometheus: PrometheusConfig | undefined = sources.config.prometheusUrl
    ? { url: sources.config.prometheusUrl, authorization: sources.config.prometheusAuthorization }
    : undefined;
  switch (planner.kind) {
    case 'canary':
      return {
        kind: 'canary',
        metrics: await servingMetrics(prometheus, planner.policy.metrics ?? [], state, window),
      };
    case 'ab': {
      // B's serving health (canary.metrics, B against A), read only when the manifest has them.
      const healthMetrics = planner.canary?.metrics ?? [];
      const unreadable = (error: string) => ({ a: { error }, b: { error } });
      const [counts, health] = await Promise.all([
        !prometheus
          ? unreadable(NO_PROMETHEUS)
          : state.ab?.proposal
            ? unreadable('not read while a decision waits: only health is looked at') // the proposal stands
            : !state.baselineVersion
              ? unreadable('no version is live in production to compare with')
              : readAbCounts(
                  prometheus,
                  planner.policy.metric,
                  state.model,
                  { a: state.baselineVersion, b: state.version },
                  window,
                ),
        healthMetrics.length ? servingMetrics(prometheus, healthMetrics, state, window) : undefined,
      ]);
      return { kind: 'ab', data: { ...counts, ...(health ? { health } : {}) } };
    }
    case 'blue_green':
      return { kind: 'blue_green', data: await blueGreenData(state, planner, window, prometheus, sources) };
    case 'shadow': {
      const metrics = await servingMetrics(prometheus, planner.canary.metrics ?? [], state, window);
      const outputs = await shadowOutputs(state, planner, window, sources);
      return { kind: 'shadow', data: { metrics, ...(outputs ? { outputs } : {}) } };
    }
  }
}

/**
 * One shadow interval's answers, production's and the shadow's to the same
 * requests: from the request log in PostgreSQL (the query from the default
 * branch's settings, the URL from MODELGATE_SHADOW_DATABASE_URL), or replayed
 * from recorded prompts to both versions' endpoints; then, when the policy
 * lists the judge, judged pair by pair. Undefined when the policy compares no
 * outputs; an error (never an exception) when the answers cannot be read.
 */
async function shadowOutputs(
  state: CanaryState,
  planner: Extract<RolloutPlanner, { kind: 'shadow' }>,
  window: JudgmentWindow,
  sources: RolloutSources,
): Promise<ShadowData['outputs']> {
  const outputs = resolveShadowPolicy(planner.policy).outputs;
  if (!outputs) return undefined;
  const { octokit, repo, config } = sources;
  if (!state.baselineVersion)
    return { error: 'no version is live in production to compare the answers with' };
  const settings = await settingsOrDefaults(octokit, repo);
  let pairs: OutputPair[];
  if (outputs.source === 'postgres') {
    const databaseUrl = config.shadowDatabaseUrl;
    if (!databaseUrl) return { error: 'MODELGATE_SHADOW_DATABASE_URL is not set for the app' };
    const query = settings.shadow.outputs;
    if (!query)
      return { error: `${SETTINGS_FILE} on the default branch has no shadow.outputs query or preset` };
    const read = await readPostgresPairs(databaseUrl, query, {
      model: state.model,
      productionVersion: state.baselineVersion,
      shadowVersion: state.version,
      start: window.start,
      end: window.end,
      limit: outputs.sample,
    });
    if ('error' in read) return read;
    pairs = read.pairs;
  } else {
    const apiKey = config.evalApiKey;
    const endpoint = (version: string) => {
      const found = versionEndpoint(settings.endpoints, { model: state.model, version });
      return found && { baseURL: found.baseUrl, model: found.model, ...(apiKey ? { apiKey } : {}) };
    };
    const production = endpoint(state.baselineVersion);
    const shadow = endpoint(state.version);
    if (!production || !shadow)
      return { error: `${SETTINGS_FILE} on the default branch names no endpoints.url to replay prompts to` };
    const prompts = await readReplayPrompts(
      new GitHubContentsSource(octokit, repo, state.ref),
      state.manifest,
      outputs.replay ?? '',
    );
    if ('error' in prompts) return prompts;
    const replayed = await replayPairs(
      promptsForInterval(prompts.prompts, state.shadow?.judged ?? 0, outputs.sample),
      { production, shadow },
    );
    if ('error' in replayed) return replayed;
    pairs = replayed.pairs;
  }
  if (!outputs.checks.judge) return { pairs };
  const judge = settings.shadow.judge;
  if (!judge)
    return {
      error: `rollout.shadow.outputs.checks lists judge, but ${SETTINGS_FILE} names no shadow.judge endpoint`,
    };
  return {
    pairs: await judgePairs(
      pairs,
      {
        baseURL: judge.url,
        model: judge.model,
        ...(config.judge?.apiKey ? { apiKey: config.judge.apiKey } : {}),
      },
      { maxPairs: judge.maxPairs },
    ),
  };
}

/**
 * A blue-green judgment's data: the eval suites run against the preview
 * (its first judgment), green's health alone on the preview, or green
 * against blue's series from just before the switch.
 */
async function blueGreenData(
  state: CanaryState,
  planner: Extract<RolloutPlanner, { kind: 'blue_green' }>,
  window: JudgmentWindow,
  prometheus: PrometheusConfig | undefined,
  sources: RolloutSources,
): Promise<BlueGreenData> {
  const metrics = planner.canary.metrics ?? [];
  const bg = nextBlueGreenJudgment(state, planner.policy);
  if (bg?.suites) return { suites: await previewSuites(state, planner, sources), metrics: [] };
  if (bg?.baseline)
    return {
      metrics: await servingMetrics(prometheus, metrics, state, window, {
        ...bg.baseline,
        step: window.step,
      }),
    };
  // The preview has no users: its health is judged alone, on thresholds.
  return {
    metrics: await servingMetrics(prometheus, metrics, { ...state, baselineVersion: undefined }, window),
  };
}

/** The canary metrics of the version against the baseline's (over `baselineWindow`, the same window by default). */
async function servingMetrics(
  prometheus: PrometheusConfig | undefined,
  metrics: NonNullable<Extract<RolloutPlanner, { kind: 'canary' }>['policy']['metrics']>,
  state: CanaryState,
  window: JudgmentWindow,
  baselineWindow?: { start: Date; end: Date; step: number },
): Promise<MetricData[]> {
  if (!prometheus) return metrics.map((m) => ({ metric: m.name, canary: { error: NO_PROMETHEUS } }));
  return collectMetrics(
    prometheus,
    metrics,
    state.model,
    { canary: state.version, baseline: state.baselineVersion },
    window,
    baselineWindow ?? window,
  );
}

/**
 * The pre-switch eval suites, run against the preview's endpoint (from the
 * default branch's settings) on datasets read from GitHub at the release,
 * judged by production's gates. No endpoint for suites that must run is a
 * suite not run (fails closed); no suite selected runs nothing.
 */
async function previewSuites(
  state: CanaryState,
  planner: Extract<RolloutPlanner, { kind: 'blue_green' }>,
  sources: RolloutSources,
): Promise<PreviewSuiteEvidence> {
  const none = { suites: [], gates: [], gatesFrom: "the release's manifest" };
  if (!planner.suites.length) return none;
  const { octokit, repo, config } = sources;
  const settings = await settingsOrDefaults(octokit, repo);
  const endpoint = versionEndpoint(settings.endpoints, state, 'preview');
  if (!endpoint)
    return {
      ...none,
      suites: planner.suites.map((name) => ({
        name,
        notRun:
          'not run: .github/modelgate.yml on the default branch names no endpoints.url or endpoints.preview_url',
      })),
    };
  const apiKey = config.evalApiKey;
  const judge = config.judge?.baseUrl
    ? {
        baseURL: config.judge.baseUrl,
        ...(config.judge.apiKey ? { apiKey: config.judge.apiKey } : {}),
        ...(config.judge.model ? { model: config.judge.model } : {}),
      }
    : undefined;
  // Production's manifest wherever the model was when production was released: the release's path may
  // hold nothing at production's tag (the model moved since), or another model's gates.
  let production: ManifestAt | undefined;
  if (state.baselineVersion) {
    const found = await findReleaseManifest(octokit, repo, {
      model: state.model,
      tag: releaseTag(state.model, state.baselineVersion),
      version: state.baselineVersion,
      likely: [state.manifest],
    });
    if ('problem' in found)
      return {
        ...none,
        suites: [
          {
            name: '(production)',
            notRun: `not run: production's manifest cannot be found: ${found.problem}. production's gates judge the preview, so nothing passes without them (a release tag made by modelgate release names its manifest in a Manifest: line)`,
          },
        ],
        gatesFrom: `production ${state.baselineVersion}'s manifest`,
      };
    production = { source: found.source, manifestFile: found.path };
  }
  return runPreviewSuites({
    release: { source: new GitHubContentsSource(octokit, repo, state.ref), manifestFile: state.manifest },
    ...(production && state.baselineVersion
      ? { production: { ...production, label: `production ${state.baselineVersion}` } }
      : {}),
    policy: planner.policy,
    endpoint: { baseURL: endpoint.baseUrl, model: endpoint.model, ...(apiKey ? { apiKey } : {}) },
    ...(judge ? { judge } : {}),
  });
}
