import { z } from 'zod';
import type { ReleasePlan } from '../release/plan.js';
import { releaseTag } from '../registry/tag-names.js';
import type { TrackerRequest } from './mlflow.js';
import { parseRunRef, TRACKER_NAME } from './run-ref.js';

/**
 * Registry mirroring: after modelgate assigns a version to a stage, the MLflow
 * Model Registry says so too (`models:/<name>@production` loads what
 * modelgate released). Planned here as values; src/io/tracking/apply-mirror.ts
 * sends them.
 */

/** The version tags modelgate writes on the registered model version. */
const MIRROR_TAGS = {
  version: 'modelgate.version',
  stage: 'modelgate.stage',
  release: 'modelgate.release',
} as const;

/** `tracking.registry` of `.github/modelgate.yml`, with its defaults. */
export interface RegistryMirrorSettings {
  /** Opt-in: nothing is written to a registry unless this is true. */
  mirror: boolean;
  /** MLflow registered model per modelgate model; a model not listed: its own name. */
  models: Readonly<Record<string, string>>;
  /** MLflow alias per stage; a stage not listed: its own name. */
  aliases: Readonly<Record<string, string>>;
}

/** Mirroring off: the default when the settings say nothing. */
export const NO_MIRROR: RegistryMirrorSettings = { mirror: false, models: {}, aliases: {} };

/** A stage assignment modelgate made, to be mirrored. */
export interface StageMirror {
  model: string;
  version: string;
  stage: string;
  /** The manifest's `training.run` at the version's release commit. */
  trainingRun?: string;
}

/** Where an assignment goes in the registry, or why it cannot go anywhere. */
export type MirrorTarget =
  | {
      ok: true;
      model: string;
      version: string;
      stage: string;
      registeredModel: string;
      alias: string;
      runId: string;
      /** The server the run reference names, when it names one (credentials go only to the configured one). */
      server?: string;
      release: string;
    }
  | { ok: false; model: string; version: string; stage: string; problem: string; fix: string };

/** A registered model version as model-versions/search answers (fields of mlflow.ModelVersion). */
export interface RegistryVersion {
  name: string;
  version: string;
  runId?: string;
  /** READY, PENDING_REGISTRATION or FAILED_REGISTRATION; proto2's default for an absent enum is the first value. */
  status: string;
  aliases: string[];
  tags: Record<string, string>;
}

/** One write the mirror needs, and whether the registry holds it already. */
export interface MirrorStep {
  kind: 'tag' | 'alias';
  /** What the step sets, in words (`alias @canary`, `tag modelgate.stage=canary`). */
  what: string;
  request: TrackerRequest;
  done: boolean;
}

/** The writes that make the registry agree with an assignment, or why no version can carry it. */
export type RegistryMirrorPlan =
  | { ok: true; target: Extract<MirrorTarget, { ok: true }>; version: string; steps: MirrorStep[] }
  | { ok: false; target: Extract<MirrorTarget, { ok: true }>; problem: string; fix: string };

/** What happened to one assignment, one line per step (the job summary prints them). */
export interface MirrorOutcome {
  model: string;
  version: string;
  stage: string;
  /** `MLflow model "<name>" version <n>`, once the version is known. */
  destination?: string;
  lines: MirrorLine[];
}

/** One step's result: set now, already in place, or failed (with the fix). */
export interface MirrorLine {
  status: 'set' | 'in-place' | 'failed';
  text: string;
  fix?: string;
}

const API = '/api/2.0/mlflow';
/** MLflow's own rule for alias names (mlflow/utils/validation.py). */
const ALIAS = /^[\w-]{1,255}$/;

/** Why a text cannot be an MLflow registered model alias, or undefined. */
export function aliasProblem(alias: string): string | undefined {
  if (!ALIAS.test(alias))
    return `"${alias}" is not an MLflow alias: letters, digits, "_" and "-", at most 255 characters`;
  if (alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias))
    return `"${alias}" is reserved by MLflow (latest and v<number> name versions)`;
  return undefined;
}

/**
 * Registered model names go into a search filter between single quotes:
 * no quote, backslash or control character can reshape the filter.
 */
export function isRegisteredModelName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= 256 &&
    ![...name].some((c) => c === "'" || c === '"' || c === '\\' || c.charCodeAt(0) < 0x20 || c === '\u007f')
  );
}

/** Where an assignment goes (undefined: mirroring is off), or why it cannot be mirrored. */
export function mirrorTarget(
  assignment: StageMirror,
  settings: RegistryMirrorSettings,
): MirrorTarget | undefined {
  if (!settings.mirror) return undefined;
  const { model, version, stage, trainingRun } = assignment;
  const fail = (problem: string, fix: string): MirrorTarget => ({
    ok: false,
    model,
    version,
    stage,
    problem,
    fix,
  });
  const alias = settings.aliases[stage] ?? stage;
  const badAlias = aliasProblem(alias);
  if (badAlias)
    return fail(
      `the stage ${stage} has no MLflow alias: ${badAlias}`,
      `Map it under tracking.registry.aliases in .github/modelgate.yml (e.g. ${stage.replace(/[^\w-]/g, '-')}).`,
    );
  const registeredModel = settings.models[model] ?? model;
  if (!isRegisteredModelName(registeredModel))
    return fail(
      `"${registeredModel}" cannot be searched for in the registry (quotes, backslashes and control characters are not allowed)`,
      'Map the model to its registered name under tracking.registry.models in .github/modelgate.yml.',
    );
  if (trainingRun === undefined)
    return fail(
      `the manifest of ${version} names no training.run, so no registered model version can be matched to it`,
      'Set training.run to the MLflow run that logged the model (runs:/<run-id>).',
    );
  const ref = parseRunRef(trainingRun);
  if (ref === undefined || typeof ref === 'string')
    return fail(
      `training.run "${trainingRun}" is not a run reference`,
      'Write training.run as runs:/<run-id> or mlflow://<server>/#/experiments/<e>/runs/<run-id>.',
    );
  if (ref.tracker !== 'mlflow')
    return fail(
      `training.run is a ${TRACKER_NAME[ref.tracker]} run; the registry modelgate mirrors to is MLflow's`,
      'Register the model from an MLflow run, or turn tracking.registry.mirror off for this repository.',
    );
  return {
    ok: true,
    model,
    version,
    stage,
    registeredModel,
    alias,
    runId: ref.runId,
    ...(ref.server !== undefined ? { server: ref.server } : {}),
    release: releaseTag(model, version),
  };
}

/** The stage assignments a release plan makes, with each version's training run: what a release mirrors. */
export function releaseMirrors(
  plan: ReleasePlan,
  candidates: readonly {
    facts: { name: string; manifest: { version: string; training?: { run?: string } } };
  }[],
): StageMirror[] {
  return plan.steps.flatMap((step) => {
    if (step.kind !== 'stage-tag') return [];
    const facts = candidates.find(
      (c) => c.facts.name === step.model && c.facts.manifest.version === step.version,
    )?.facts;
    const run = facts?.manifest.training?.run;
    return [
      { model: step.model, version: step.version, stage: step.stage, ...(run ? { trainingRun: run } : {}) },
    ];
  });
}

/** model-versions/search for the versions of `registeredModel` logged by `runId`. */
export function modelVersionSearchRequest(
  registeredModel: string,
  runId: string,
  pageToken?: string,
): TrackerRequest {
  const filter = `name='${registeredModel}' and run_id='${runId}'`;
  const query = new URLSearchParams({ filter, ...(pageToken ? { page_token: pageToken } : {}) });
  return { method: 'GET', path: `${API}/model-versions/search?${query.toString()}` };
}

const keyValue = z.object({ key: z.string(), value: z.string().optional() });
const searchAnswer = z.object({
  model_versions: z
    .array(
      z.object({
        name: z.string(),
        version: z.string(),
        run_id: z.string().optional(),
        status: z.string().optional(),
        aliases: z.array(z.string()).optional(),
        tags: z.array(keyValue).optional(),
      }),
    )
    .optional(),
  next_page_token: z.string().optional(),
});

/** Reads one page of a model-versions/search answer. Throws a message when it is not one. */
export function readModelVersionPage(body: unknown): { versions: RegistryVersion[]; next?: string } {
  const parsed = searchAnswer.safeParse(body);
  if (!parsed.success)
    throw new Error('model-versions/search answered something that is not a list of model versions');
  return {
    versions: (parsed.data.model_versions ?? []).map((v) => ({
      name: v.name,
      version: v.version,
      ...(v.run_id !== undefined ? { runId: v.run_id } : {}),
      status: v.status ?? 'PENDING_REGISTRATION',
      aliases: v.aliases ?? [],
      tags: Object.fromEntries((v.tags ?? []).map((t) => [t.key, t.value ?? ''])),
    })),
    ...(parsed.data.next_page_token ? { next: parsed.data.next_page_token } : {}),
  };
}

/**
 * The writes that mirror one assignment onto the one READY version the run
 * registered: the three version tags, then the alias (last, so the version
 * it points at already says what it is). Steps the registry holds already
 * are done: a second run changes nothing. No version, or several, is a
 * problem with its fix; modelgate never guesses which artifact an alias loads.
 */
export function planRegistryMirror(
  target: Extract<MirrorTarget, { ok: true }>,
  found: readonly RegistryVersion[],
): RegistryMirrorPlan {
  const { registeredModel, runId, alias } = target;
  // The filter is the server's to apply; the answer is checked again here.
  const fromRun = found.filter((v) => v.name === registeredModel && v.runId === runId);
  const ready = fromRun.filter((v) => v.status === 'READY');
  const problem = (text: string, fix: string): RegistryMirrorPlan => ({
    ok: false,
    target,
    problem: text,
    fix,
  });
  if (ready.length > 1)
    return problem(
      `versions ${ready.map((v) => v.version).join(', ')} of MLflow model "${registeredModel}" all come from run ${runId}; modelgate does not guess which one @${alias} should load`,
      `Delete the extra versions of "${registeredModel}" (or register the model once per run), then re-run the workflow.`,
    );
  const version = ready[0];
  if (!version) {
    if (fromRun.length)
      return problem(
        `version ${fromRun.map((v) => `${v.version} (${v.status})`).join(', ')} of MLflow model "${registeredModel}" from run ${runId} is not READY`,
        'Wait until the registration finishes (or register the model again if it failed), then re-run the workflow.',
      );
    return problem(
      `MLflow model "${registeredModel}" has no version from run ${runId}`,
      `Register the run's model (mlflow.register_model("runs:/${runId}/<artifact-path>", "${registeredModel}")), or map the model to its registered name under tracking.registry.models in .github/modelgate.yml; then re-run the workflow.`,
    );
  }
  const tags: [string, string][] = [
    [MIRROR_TAGS.version, target.version],
    [MIRROR_TAGS.release, target.release],
    [MIRROR_TAGS.stage, target.stage],
  ];
  const steps: MirrorStep[] = tags.map(([key, value]) => ({
    kind: 'tag',
    what: `tag ${key}=${value}`,
    request: {
      method: 'POST',
      path: `${API}/model-versions/set-tag`,
      body: { name: registeredModel, version: version.version, key, value },
    },
    done: version.tags[key] === value,
  }));
  steps.push({
    kind: 'alias',
    what: `alias @${alias}`,
    request: {
      method: 'POST',
      path: `${API}/registered-models/alias`,
      body: { name: registeredModel, alias, version: version.version },
    },
    done: version.aliases.includes(alias),
  });
  return { ok: true, target, version: version.version, steps };
}
