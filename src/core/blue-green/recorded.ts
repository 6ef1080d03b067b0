import type { CanaryPolicy, MetricData, Series } from '../canary/judge.js';
import type { CanaryState } from '../canary/state.js';
import { recordedSeries } from '../canary/recorded.js';
import type { CanaryDecision } from '../canary/decide.js';
import { MalformedFileError } from '../user-file-error.js';
import type { BlueGreenPolicy } from './policy.js';
import { startBlueGreenRecord } from './state.js';
import { nextBlueGreenJudgment, planBlueGreenStep } from './step.js';
import type { PreviewSuiteEvidence } from './suites.js';

/** A recorded blue-green rollout (`modelgate bluegreen analyze --metrics FILE`): what the app would have read. */
export interface RecordedBlueGreen {
  model?: string;
  green: string;
  blue?: string;
  /** When the deployer reported the preview live. */
  previewLiveAt: string;
  /** The preview's health window: each metric's series for green (no baseline: the preview has no users). */
  preview: MetricData[];
  /** When the deployer reported the switch live (default: when it was asked for). */
  switchLiveAt?: string;
  /** Post-switch windows in order: green's series and blue's before the switch. */
  postSwitch: MetricData[][];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_WINDOWS = 10_000;

/**
 * Reads a recording:
 * `{ model?, green, blue?, previewLiveAt, preview: { metric: [..] | {error} }, switchLiveAt?,
 *    postSwitch: [ { metric: { green: [..] | {error}, blue?: [..] | {error} } } ] }`.
 * Values may be numbers or Prometheus' strings ("NaN", "+Inf"). Throws MalformedFileError naming the field.
 */
export function readRecordedBlueGreen(json: unknown, file: string): RecordedBlueGreen {
  if (!isObject(json)) throw bad(file, 'it must be a JSON object');
  if (typeof json.green !== 'string' || !json.green)
    throw bad(file, `"green" must be the version under test`);
  const time = (value: unknown, field: string) => {
    if (typeof value !== 'string' || !Number.isFinite(Date.parse(value)))
      throw bad(file, `"${field}" must be a time such as 2026-11-22T10:00:00Z`);
    return value;
  };
  if (!isObject(json.preview)) throw bad(file, `"preview" must map each metric to its series on the preview`);
  const preview = Object.entries(json.preview).map(([metric, values]) => ({
    metric,
    canary: series(values, file, `preview.${metric}`),
  }));
  const windows = json.postSwitch ?? [];
  if (!Array.isArray(windows) || windows.length > MAX_WINDOWS)
    throw bad(file, `"postSwitch" must be a list of at most ${MAX_WINDOWS} windows`);
  const postSwitch = windows.map((window: unknown, index) => {
    if (!isObject(window))
      throw bad(file, `postSwitch[${index}] must map each metric to { "green": [..], "blue": [..] }`);
    return Object.entries(window).map(([metric, sides]): MetricData => {
      const where = `postSwitch[${index}].${metric}`;
      if (!isObject(sides)) throw bad(file, `${where} must be { "green": [..], "blue": [..] }`);
      return {
        metric,
        canary: series(sides.green, file, `${where}.green`),
        ...(sides.blue !== undefined ? { baseline: series(sides.blue, file, `${where}.blue`) } : {}),
      };
    });
  });
  return {
    ...(typeof json.model === 'string' ? { model: json.model } : {}),
    green: json.green,
    ...(typeof json.blue === 'string' ? { blue: json.blue } : {}),
    previewLiveAt: time(json.previewLiveAt, 'previewLiveAt'),
    preview,
    ...(json.switchLiveAt !== undefined ? { switchLiveAt: time(json.switchLiveAt, 'switchLiveAt') } : {}),
    postSwitch,
  };
}

const bad = (file: string, problem: string) =>
  new MalformedFileError(file, problem, 'Record the rollout as described in modelgate bluegreen --help.');

const series = (value: unknown, file: string, where: string): Series =>
  recordedSeries(value, file, where, 'Record the rollout as described in modelgate bluegreen --help.');

/** Where a replayed rollout ended, and the decisions on the way. */
export interface BlueGreenReplay {
  state: CanaryState;
  decisions: CanaryDecision[];
  /** Why the replay stopped before the rollout ended (the recording ran out, or it waits for a person). */
  stopped?: string;
}

/**
 * Replays a recording through the app's planner, judgment by judgment, with
 * the deployer reporting each deployment live as recorded: the same
 * decisions the app would take. Pure.
 */
export function replayBlueGreen(
  recorded: RecordedBlueGreen,
  model: string,
  policy: BlueGreenPolicy,
  canary: CanaryPolicy | undefined,
  suites: PreviewSuiteEvidence | undefined,
): BlueGreenReplay {
  let state: CanaryState = {
    v: 1,
    model,
    version: recorded.green,
    ref: `${model}@v${recorded.green}`,
    sha: '0'.repeat(40),
    manifest: '',
    trigger: 'recorded',
    pr: 1,
    environment: `${model}/preview`,
    productionEnvironment: `${model}/production`,
    ...(recorded.blue ? { baselineVersion: recorded.blue } : {}),
    deploymentId: 1,
    weight: 0,
    stepStartedAt: recorded.previewLiveAt,
    intervals: [],
    status: 'running',
    strategy: 'blue_green',
    blueGreen: startBlueGreenRecord(1),
  };
  const decisions: CanaryDecision[] = [];
  let post = 0;
  // Each judgment consumes a window or ends the rollout: bounded by the recording.
  for (let guard = 0; guard < recorded.postSwitch.length + 4; guard++) {
    const window = nextBlueGreenJudgment(state, policy);
    if (!window)
      return {
        state,
        decisions,
        ...(state.status === 'running'
          ? {
              stopped:
                state.blueGreen?.phase === 'ready'
                  ? 'the pre-switch analysis passed; with auto_switch: false the switch waits for /promote'
                  : 'nothing more to judge',
            }
          : {}),
      };
    let metrics: readonly MetricData[] = [];
    if (window.analysis === 'post-switch') {
      const recordedWindow = recorded.postSwitch[post++];
      if (!recordedWindow)
        return {
          state,
          decisions,
          stopped: `the recording ends after ${post - 1} post-switch window(s), before the analysis decided`,
        };
      metrics = recordedWindow;
    } else if (!window.suites) metrics = recorded.preview;
    const step = planBlueGreenStep(
      state,
      policy,
      canary,
      { ...(window.suites && suites ? { suites } : {}), metrics },
      window.due,
      { autoMerge: false },
    );
    if (step.kind !== 'judged') return { state, decisions, stopped: 'nothing more to judge' };
    decisions.push(step.decision);
    state = step.state;
    if (step.effects.some((e) => e.kind === 'switch'))
      // The deployer reports the switch live (as recorded, else at once): green is production's deployment now.
      state = {
        ...state,
        deploymentId: state.deploymentId + 1,
        weight: 100,
        environment: state.productionEnvironment,
        stepStartedAt: recorded.switchLiveAt ?? state.blueGreen!.switchRequestedAt!,
      };
  }
  return { state, decisions, stopped: 'the recording ends before the analysis decided' };
}
