import {
  mirrorTarget,
  modelVersionSearchRequest,
  planRegistryMirror,
  readModelVersionPage,
  type MirrorLine,
  type MirrorOutcome,
  type MirrorTarget,
  type RegistryMirrorSettings,
  type RegistryVersion,
  type StageMirror,
} from '../../core/tracking/mirror.js';
import { mlflowEndpoint } from './mlflow-endpoint.js';
import type { TrackingEnvironment } from './run-reader.js';
import {
  hostOf,
  sendTrackerRequest,
  trackerErrorMessage,
  TrackerUnreachable,
  type TrackerEndpoint,
} from './tracker-http.js';

/** Search pages read at most: a run registers a model a handful of times, not thousands. */
const MAX_SEARCH_PAGES = 10;

/** How the mirror reaches MLflow: the test's or the default fetch, a timeout. */
export interface MirrorOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Mirrors stage assignments to the MLflow Model Registry, one after the
 * other. Never throws: whatever fails becomes a `failed` line with its fix
 * (the assignments are git tags already; the registry only mirrors them).
 * An empty list when mirroring is off.
 */
export async function mirrorStageAssignments(
  assignments: readonly StageMirror[],
  settings: RegistryMirrorSettings,
  env: TrackingEnvironment,
  options: MirrorOptions = {},
): Promise<MirrorOutcome[]> {
  const outcomes: MirrorOutcome[] = [];
  for (const assignment of assignments) {
    const target = mirrorTarget(assignment, settings);
    if (target) outcomes.push(await applyRegistryMirror(target, env, options));
  }
  return outcomes;
}

/** Finds the run's registered version, plans what it lacks, and sets it: one line per step. */
async function applyRegistryMirror(
  target: MirrorTarget,
  env: TrackingEnvironment,
  options: MirrorOptions = {},
): Promise<MirrorOutcome> {
  const outcome: MirrorOutcome = {
    model: target.model,
    version: target.version,
    stage: target.stage,
    lines: [],
  };
  const fail = (text: string, fix: string): MirrorOutcome => {
    outcome.lines.push({ status: 'failed', text: `not mirrored: ${text}`, fix });
    return outcome;
  };
  if (!target.ok) return fail(target.problem, target.fix);
  const configured = mlflowEndpoint(env, target.server, options);
  if (!configured.ok)
    return fail(
      configured.reason,
      'Set MLFLOW_TRACKING_URI (and MLFLOW_TRACKING_TOKEN) in the step that releases, or turn tracking.registry.mirror off.',
    );
  const endpoint = configured.endpoint;
  try {
    const found: RegistryVersion[] = [];
    let page: string | undefined;
    for (let n = 0; n < MAX_SEARCH_PAGES; n += 1) {
      const answer = await sendTrackerRequest(
        endpoint,
        modelVersionSearchRequest(target.registeredModel, target.runId, page),
      );
      if (answer.status !== 200)
        return fail(refusal('model-versions/search', answer, endpoint), fixFor(answer));
      const read = readModelVersionPage(answer.body);
      found.push(...read.versions);
      page = read.next;
      if (!page) break;
    }
    const plan = planRegistryMirror(target, found);
    if (!plan.ok) return fail(plan.problem, plan.fix);
    outcome.destination = `MLflow model "${target.registeredModel}" version ${plan.version}`;
    for (const step of plan.steps) {
      if (step.done) {
        outcome.lines.push({ status: 'in-place', text: `${step.what} already in place` });
        continue;
      }
      const answer = await sendTrackerRequest(endpoint, step.request);
      const line: MirrorLine =
        answer.status === 200
          ? { status: 'set', text: `${step.what} set` }
          : {
              status: 'failed',
              text: `${step.what} not set: ${refusal(step.request.path.split('?')[0]!.replace(/^\/api\/2\.0\/mlflow\//, ''), answer, endpoint)}`,
              fix: fixFor(answer),
            };
      outcome.lines.push(line);
      // An alias moved without its tags, or tags without the alias, is reported; the rest is not attempted blind.
      if (line.status === 'failed') break;
    }
    return outcome;
  } catch (error) {
    const reason = error instanceof TrackerUnreachable ? error.message : (error as Error).message;
    return fail(reason, 'Re-run the workflow when the tracking server answers; nothing is set twice.');
  }
}

function refusal(rpc: string, answer: { status: number; body: unknown }, endpoint: TrackerEndpoint): string {
  if (answer.status === 401 || answer.status === 403)
    return `${hostOf(endpoint.base)} refused the credentials (HTTP ${answer.status}) for ${rpc}`;
  return `${rpc} answered HTTP ${answer.status}: ${trackerErrorMessage(answer.body)}`;
}

function fixFor(answer: { status: number }): string {
  return answer.status === 401 || answer.status === 403
    ? "Give the MLFLOW_TRACKING_TOKEN user permission to edit the registered model (MLflow's EDIT or MANAGE), then re-run the workflow."
    : 'Re-run the workflow once the cause is fixed; steps already in place are not repeated.';
}
