import type { RollbackRequester } from '../rollback/revert-pr.js';
import semver from 'semver';
import { z } from 'zod';
import type { MetricSeries } from '../eval/results.js';
import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import type { ModelChange } from '../semver/version-check.js';
import type { ModelRegistry } from '../registry/state.js';
import { planStageAssignment, requestedByLine, triggerLine } from '../registry/stage-assignment.js';
import { GTO_FULLNAME_PATTERN, releaseTag } from '../registry/tag-names.js';
import { NAME_MAX_LENGTH } from '../registry/names.js';
import { releaseNotes } from './notes.js';
import type { TrainingSection } from '../tracking/training-check.js';

/** A model version that a merge releases (a new version) or restores (a rollback to a released one). */
export interface ReleaseCandidate {
  facts: ModelFacts;
  /** The training run as read from its tracker (MLflow, W&B), for the notes; the manifest's reference without it. */
  training?: TrainingSection;
  kind: 'new' | 'restore';
  /** The commit the version lives on: the merge commit for a new version, the original release commit for a restore. */
  commit: string;
  /** sha256 of the manifest file. */
  manifestDigest: string;
  change?: ModelChange;
  /** Compatibility findings of this version, for the notes. */
  findings: Finding[];
  /** sha256 of the model's files in the repository (the manifest without its version, artifacts), for the notes. */
  digests: ReadonlyMap<string, string>;
  /** Recorded evaluation results, for the notes. */
  metrics: MetricSeries[];
}

/** Who and what triggered the release. */
export interface ReleaseContext {
  /** The pushed (merge) commit: recorded in every tag and deployment, so a re-run finds its own work. */
  trigger: string;
  actor?: string;
  pullRequest?: {
    number: number;
    title: string;
    url: string;
    author?: string;
    /** Who asked for it with a ChatOps command (a rollback pull request says so). */
    requester?: RollbackRequester;
  };
  stages: readonly string[];
  environments: Readonly<Record<string, string>>;
  /** Several models in one repository: environments are `<model>/<stage>`. */
  sharedRepository: boolean;
}

/** What already exists, to make the plan idempotent. */
export interface RemoteState {
  registry: ReadonlyMap<string, ModelRegistry>;
  /** Tags that have a GitHub Release (empty locally). */
  releases: ReadonlySet<string>;
  deployments: readonly { environment: string; payload: unknown }[];
}

export interface DeploymentPayload {
  model: string;
  version: string;
  weight: number;
  manifest: string;
  trigger: string;
  /** Set when a person asked for the deployment with a ChatOps command: their login and the comment's URL. */
  requested_by?: string;
  request?: string;
  /** Shadow: the percent of requests copied to this version, whose answers are discarded. */
  mirror?: number;
}

/**
 * The Deployment payload as a contract (docs, schema/deployment-payload.schema.json):
 * what a deployer may rely on. Strict, so a field this deployer does not know
 * (a strategy added later) is refused rather than silently ignored.
 */
export const deploymentPayloadSchema = z
  .strictObject({
    model: z
      .string()
      .max(NAME_MAX_LENGTH)
      .regex(GTO_FULLNAME_PATTERN, 'a model name as GTO writes it ([dir:]name)')
      .describe('the model, as in its manifest and its tags'),
    version: z
      .string()
      .refine((v) => semver.valid(v) === v, 'a SemVer 2 version without a leading v')
      .describe('the released version: the deployment ref is its tag <model>@v<version>'),
    weight: z
      .number()
      .int()
      .min(0)
      .max(100)
      .describe('percent of requests this version answers; the version in production answers the rest'),
    manifest: z.string().min(1).max(1024).describe("the manifest's path in the repository at the release"),
    trigger: z
      .string()
      .regex(/^(modelgate-guard:)?[0-9a-f]{40}([0-9a-f]{24})?$/, 'a commit id')
      .describe(
        "the commit whose push or analysis created the deployment (idempotence key); a production guard's rollback names the release it rolled back, as modelgate-guard:<commit>",
      ),
    requested_by: z.string().min(1).max(100).optional().describe('who asked with a ChatOps command'),
    request: z.string().url().max(2048).optional().describe("the ChatOps comment's URL"),
    mirror: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('shadow: percent of requests copied to this version; its answers are discarded'),
  })
  .describe("modelgate's GitHub Deployment payload");

/** The JSON Schema of the Deployment payload (written to schema/deployment-payload.schema.json by the build). */
export function deploymentPayloadJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://modelgate.dev/schema/v1/deployment-payload.schema.json',
    ...z.toJSONSchema(deploymentPayloadSchema, { io: 'input', target: 'draft-2020-12' }),
  };
}

/**
 * Checks a payload against the contract (GitHub gives an object, or a JSON
 * string for older deployments): the payload, or the first problem in words.
 */
export function parseDeploymentPayload(
  payload: unknown,
): { ok: true; payload: DeploymentPayload } | { ok: false; problem: string } {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: false, problem: 'the payload is a string that is not JSON' };
    }
  }
  const parsed = deploymentPayloadSchema.safeParse(value);
  if (parsed.success) return { ok: true, payload: parsed.data };
  const issue = parsed.error.issues[0]!;
  const problem =
    issue.code === 'unrecognized_keys'
      ? `unknown field "${issue.keys[0]}" (this deployer knows ${Object.keys(deploymentPayloadSchema.shape).join(', ')})`
      : `${issue.path.join('.') || 'the payload'}: ${issue.message}`;
  return { ok: false, problem };
}

export type ReleaseStep =
  | { kind: 'version-tag'; model: string; tag: string; commit: string; message: string; done: boolean }
  | {
      kind: 'github-release';
      model: string;
      tag: string;
      title: string;
      body: string;
      prerelease: boolean;
      done: boolean;
    }
  | {
      kind: 'stage-tag';
      model: string;
      tag: string;
      stage: string;
      version: string;
      commit: string;
      message: string;
      done: boolean;
    }
  | {
      kind: 'deployment';
      model: string;
      ref: string;
      stage: string;
      environment: string;
      payload: DeploymentPayload;
      production: boolean;
      description: string;
      done: boolean;
    };

export interface ReleasePlan {
  steps: ReleaseStep[];
}

/** Traffic weight of the first canary step when a manifest sets none (DESIGN.md's example). */
export const DEFAULT_FIRST_WEIGHT = 5;

/** The GitHub environment of a stage. */
export function environmentFor(
  model: string,
  stage: string,
  context: Pick<ReleaseContext, 'environments' | 'sharedRepository'>,
): string {
  return context.environments[stage] ?? (context.sharedRepository ? `${model}/${stage}` : stage);
}

/**
 * Plans a release: for each new version a version tag, a GitHub Release, a
 * first-stage assignment and its deployment; for a restored version only the
 * assignment and the deployment. Steps that already exist are marked done, so
 * applying the same plan twice does nothing the second time.
 */
export function planRelease(
  candidates: readonly ReleaseCandidate[],
  context: ReleaseContext,
  remote: RemoteState,
): ReleasePlan {
  const steps: ReleaseStep[] = [];
  const firstStage = context.stages[0]!;
  const numbers = new Map<string, number>();
  for (const candidate of candidates) {
    const { name, manifest, manifestFile } = candidate.facts;
    const version = manifest.version;
    const tag = releaseTag(name, version);
    const registry = remote.registry.get(name);
    const trailers = provenance(candidate, context);
    const requester = context.pullRequest?.requester;
    const trailer = [
      ...trailers,
      ...(requester ? [requestedByLine(requester)] : []),
      triggerLine(context.trigger),
    ].join('\n');

    if (candidate.kind === 'new') {
      steps.push({
        kind: 'version-tag',
        model: name,
        tag,
        commit: candidate.commit,
        message: `Release ${name} ${version}\n\n${trailer}`,
        done: registry?.versions.some((v) => v.version === version) ?? false,
      });
      steps.push({
        kind: 'github-release',
        model: name,
        tag,
        title: `${name} ${version}`,
        body: releaseNotes(candidate, context, candidate.training),
        prerelease: semver.prerelease(version) !== null,
        done: remote.releases.has(tag),
      });
    }

    const existing = registry?.events.find(
      (e) =>
        e.action === 'assign' &&
        e.stage === firstStage &&
        e.commit === candidate.commit &&
        e.message?.includes(triggerLine(context.trigger)),
    );
    const assignment = planStageAssignment({
      action: 'assign',
      model: name,
      version,
      stage: firstStage,
      commit: candidate.commit,
      lastNumber: numbers.get(name) ?? registry?.lastNumber ?? 0,
      trailers,
      requestedBy: requester,
      trigger: context.trigger,
    });
    if (!existing) numbers.set(name, assignment.number);
    steps.push({
      kind: 'stage-tag',
      model: name,
      tag: existing?.tag ?? assignment.tag,
      stage: firstStage,
      version,
      commit: candidate.commit,
      message: assignment.message,
      done: existing !== undefined,
    });

    const environment = environmentFor(name, firstStage, context);
    const payload: DeploymentPayload = {
      model: name,
      version,
      weight: manifest.canary?.steps?.[0] ?? DEFAULT_FIRST_WEIGHT,
      manifest: manifestFile,
      trigger: context.trigger,
      ...(context.pullRequest?.requester
        ? {
            requested_by: context.pullRequest.requester.by,
            ...(context.pullRequest.requester.link ? { request: context.pullRequest.requester.link } : {}),
          }
        : {}),
    };
    steps.push({
      kind: 'deployment',
      model: name,
      ref: tag,
      stage: firstStage,
      environment,
      payload,
      production: context.stages.length === 1,
      description: `${candidate.kind === 'restore' ? 'Restore' : 'Deploy'} ${name} ${version} to ${firstStage} at ${payload.weight}%`,
      done: remote.deployments.some((d) => d.environment === environment && samePayload(d.payload, payload)),
    });
  }
  return { steps };
}

/** The provenance lines of a release's tags, before Requested-by and Trigger. */
function provenance(candidate: ReleaseCandidate, context: ReleaseContext): string[] {
  const lines = [`Manifest: ${candidate.facts.manifestFile} sha256:${candidate.manifestDigest}`];
  if (candidate.kind === 'restore')
    lines.push(`Restores: ${releaseTag(candidate.facts.name, candidate.facts.manifest.version)}`);
  if (context.actor) lines.push(`Merged-by: ${context.actor}`);
  if (context.pullRequest)
    lines.push(`Pull-request: #${context.pullRequest.number} ${context.pullRequest.url}`);
  return lines;
}

function samePayload(found: unknown, wanted: DeploymentPayload): boolean {
  const payload = readDeploymentPayload(found);
  return (
    payload?.model === wanted.model &&
    payload.version === wanted.version &&
    payload.trigger === wanted.trigger
  );
}

/**
 * A deployment payload written by modelgate (GitHub returns it as an object,
 * or as a JSON string for older deployments), or undefined for anyone else's.
 */
export function readDeploymentPayload(
  payload: unknown,
): (Omit<DeploymentPayload, 'trigger'> & { trigger?: string }) | undefined {
  let p = payload;
  if (typeof p === 'string') {
    try {
      p = JSON.parse(p);
    } catch {
      return undefined;
    }
  }
  const candidate = p as Partial<DeploymentPayload> | null | undefined;
  if (
    !candidate ||
    typeof candidate.model !== 'string' ||
    typeof candidate.version !== 'string' ||
    typeof candidate.weight !== 'number' ||
    typeof candidate.manifest !== 'string'
  ) {
    return undefined;
  }
  return candidate as DeploymentPayload;
}
