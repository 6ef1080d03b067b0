import { z } from 'zod';
import type { RunRef } from './run-ref.js';
import { MODEL_TAG, trackerRecord, type RunState, type TrainingRun } from './run.js';
import type { TrackerRequest } from './mlflow.js';

/**
 * The W&B public GraphQL API, planned as values. The query selects only
 * fields W&B's own public client (wandb/apis/public/runs.py, RunFragment)
 * selects on `project(name, entityName) { run(name) }`.
 */
const WANDB_RUN_QUERY = `query Run($project: String!, $entity: String!, $name: String!) {
  project(name: $project, entityName: $entity) {
    run(name: $name) {
      id
      name
      displayName
      state
      config
      summaryMetrics
      tags
      commit
    }
  }
}`;

/** The one request that reads a run. */
export function wandbRunRequest(ref: Extract<RunRef, { tracker: 'wandb' }>): TrackerRequest {
  return {
    method: 'POST',
    path: '/graphql',
    body: {
      query: WANDB_RUN_QUERY,
      variables: { project: ref.project, entity: ref.entity, name: ref.runId },
    },
  };
}

// config and summaryMetrics are JSONString scalars: JSON text inside the JSON answer.
const jsonString = z.union([z.string(), z.record(z.string(), z.unknown()), z.null()]).optional();
const answer = z.object({
  data: z
    .object({
      project: z
        .object({
          run: z
            .object({
              name: z.string(),
              displayName: z.string().nullable().optional(),
              state: z.string().nullable().optional(),
              config: jsonString,
              summaryMetrics: jsonString,
              tags: z.array(z.string()).nullable().optional(),
              commit: z.string().nullable().optional(),
            })
            .nullable(),
        })
        .nullable(),
    })
    .nullable()
    .optional(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});

const STATES: Record<string, RunState> = {
  running: 'running',
  pending: 'scheduled',
  finished: 'finished',
  failed: 'failed',
  crashed: 'crashed',
  killed: 'killed',
  preempted: 'killed',
};

/** Reads the answer to WANDB_RUN_QUERY; undefined when the run does not exist. Throws a message when it is not an answer. */
export function readWandbRun(
  ref: Extract<RunRef, { tracker: 'wandb' }>,
  appUrl: string,
  body: unknown,
): TrainingRun | undefined {
  const parsed = answer.safeParse(body);
  if (!parsed.success) throw new Error('the GraphQL API answered something that is not a run');
  if (parsed.data.errors?.length)
    throw new Error(`the GraphQL API answered: ${parsed.data.errors[0]!.message}`);
  const run = parsed.data.data?.project?.run;
  if (!run) return undefined;
  const config = objectOf(run.config, 'config');
  const summary = objectOf(run.summaryMetrics, 'summaryMetrics');
  const params = trackerRecord<string>();
  for (const [key, entry] of Object.entries(config)) {
    if (key === '_wandb' || key === 'wandb_version') continue;
    // The client writes each config value as {value, desc}.
    const value = entry && typeof entry === 'object' && 'value' in entry ? entry.value : entry;
    params[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  const metrics = trackerRecord<number>();
  for (const [key, value] of Object.entries(summary))
    if (typeof value === 'number' && Number.isFinite(value) && !key.startsWith('_')) metrics[key] = value;
  const tags = run.tags ?? [];
  const model = tags.find((t) => t.startsWith(`${MODEL_TAG}:`))?.slice(MODEL_TAG.length + 1);
  const state = run.state ?? 'unknown';
  return {
    tracker: 'wandb',
    id: run.name,
    // Built from the reference's checked names only, not from the answer.
    link: `${appUrl.replace(/\/+$/, '')}/${ref.entity}/${ref.project}/runs/${ref.runId}`,
    ...(run.displayName ? { name: run.displayName } : {}),
    state: STATES[state] ?? 'unknown',
    stateText: state,
    params,
    metrics,
    datasets: [],
    ...(run.commit ? { sourceCommit: run.commit } : {}),
    ...(model ? { model } : {}),
    tags: Object.fromEntries(tags.map((t) => [t, ''])),
  };
}

function objectOf(value: unknown, field: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value === 'object') return value as Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(value as string);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through to the message below
  }
  throw new Error(`the run's ${field} is not a JSON object`);
}
