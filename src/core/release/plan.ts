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
import { manifestLineOf } from './manifest-line.js';
import { deploymentDescription } from './deployment-description.js';

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

/** A rollout strategy other than the canary, as a deployment names it (absent: a canary step). */
export type DeploymentStrategy = 'blue_green' | 'shadow' | 'ab';

/** A blue-green deployment's part: the preview beside production, or the switch to it. */
export type DeploymentRole = 'preview' | 'active';

export interface DeploymentPayload {
  model: string;
  version: string;
  weight: number;
  manifest: string;
  trigger: string;
  /** Set when a person asked for the deployment with a ChatOps command: their login and the comment's URL. */
  requested_by?: string;
  request?: string;
  /** The strategy that planned this deployment; absent for a canary step or a promotion. */
  strategy?: DeploymentStrategy;
  /** Shadow: the percent of requests copied to this version, whose answers are discarded (weight 0). */
  mirror?: number;
  /** Blue-green: `preview` (weight 0, beside production, no user traffic) or `active` (the switch, weight 100). */
  role?: DeploymentRole;
  /** Blue-green `active`: seconds the previous version's backends stay in place after the switch is live. */
  scale_down_delay?: number;
}

/** The longest scale_down_delay a payload may ask for (30 days): a bound, so no payload keeps a version forever. */
const MAX_SCALE_DOWN_DELAY_SECONDS = 30 * 24 * 3600;

/**
 * The rules between the strategy fields, each with the field it is reported
 * on and its message: the zod schema and the JSON Schema enforce the same list.
 */
const CROSS_FIELD_RULES: readonly {
  field: keyof DeploymentPayload;
  message: string;
  broken: (p: DeploymentPayload) => boolean;
  /** The same rule in JSON Schema (draft 2020-12). */
  json: Record<string, unknown>;
}[] = [
  {
    field: 'role',
    message: 'role is for blue_green deployments only (strategy: blue_green)',
    broken: (p) => p.role !== undefined && p.strategy !== 'blue_green',
    json: {
      if: { required: ['role'] },
      then: { required: ['strategy'], properties: { strategy: { const: 'blue_green' } } },
    },
  },
  {
    field: 'weight',
    message: 'a preview takes no traffic: role preview needs weight 0',
    broken: (p) => p.role === 'preview' && p.weight !== 0,
    json: {
      if: { required: ['role'], properties: { role: { const: 'preview' } } },
      then: { properties: { weight: { const: 0 } } },
    },
  },
  {
    field: 'weight',
    message: 'the switch moves every request: role active needs weight 100',
    broken: (p) => p.role === 'active' && p.weight !== 100,
    json: {
      if: { required: ['role'], properties: { role: { const: 'active' } } },
      then: { properties: { weight: { const: 100 } } },
    },
  },
  {
    field: 'scale_down_delay',
    message: 'scale_down_delay keeps the previous version after a switch: it needs role active',
    broken: (p) => p.scale_down_delay !== undefined && p.role !== 'active',
    json: {
      if: { required: ['scale_down_delay'] },
      then: { required: ['role'], properties: { role: { const: 'active' } } },
    },
  },
  {
    field: 'mirror',
    message: 'mirror is for shadow deployments only (strategy: shadow)',
    broken: (p) => p.mirror !== undefined && p.strategy !== 'shadow',
    json: {
      if: { required: ['mirror'] },
      then: { required: ['strategy'], properties: { strategy: { const: 'shadow' } } },
    },
  },
  {
    // A version that answers requests and gets copies of others would see some twice, and its metrics count them twice.
    field: 'weight',
    message: 'a shadow answers no one: mirror needs weight 0',
    broken: (p) => p.mirror !== undefined && p.weight !== 0,
    json: {
      if: { required: ['mirror'] },
      then: { properties: { weight: { const: 0 } } },
    },
  },
];

/**
 * The Deployment payload as a contract (docs, schema/deployment-payload.schema.json):
 * what a deployer may rely on. Strict, so a field this deployer does not know
 * (a strategy added later) is refused rather than silently ignored.
 */
const deploymentPayloadSchema = z
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
    strategy: z
      .enum(['blue_green', 'shadow', 'ab'])
      .optional()
      .describe('the rollout strategy that planned this deployment; absent: a canary step or a promotion'),
    mirror: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('shadow (weight 0): percent of requests copied to this version; its answers are discarded'),
    role: z
      .enum(['preview', 'active'])
      .optional()
      .describe(
        'blue_green: preview = deployed beside production with no user traffic (weight 0, the preview environment); active = the switch (weight 100, production)',
      ),
    scale_down_delay: z
      .number()
      .int()
      .min(0)
      .max(MAX_SCALE_DOWN_DELAY_SECONDS)
      .optional()
      .describe(
        "role active: seconds the previous version's backends stay in place after the switch is live",
      ),
  })
  .superRefine((payload, context) => {
    for (const rule of CROSS_FIELD_RULES)
      if (rule.broken(payload))
        context.addIssue({ code: 'custom', path: [rule.field], message: rule.message });
  })
  .describe("modelgate's GitHub Deployment payload");

/** The JSON Schema of the Deployment payload (written to schema/deployment-payload.schema.json by the build). */
export function deploymentPayloadJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://modelgate.dev/schema/v1/deployment-payload.schema.json',
    ...z.toJSONSchema(deploymentPayloadSchema, { io: 'input', target: 'draft-2020-12' }),
    // zod's refinements do not reach JSON Schema: the same rules, written as if/then.
    allOf: CROSS_FIELD_RULES.map((rule) => ({ description: rule.message, ...rule.json })),
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
const DEFAULT_FIRST_WEIGHT = 5;

/** The GitHub environment of a stage. */
function environmentFor(
  model: string,
  stage: string,
  context: Pick<ReleaseContext, 'environments' | 'sharedRepository'>,
): string {
  return context.environments[stage] ?? (context.sharedRepository ? `${model}/${stage}` : stage);
}

/** The stage name of a blue-green preview: its environment is `preview`, `<model>/preview`, or as `environments:` maps it. */
const PREVIEW_STAGE = 'preview';
/** `rollout.shadow.mirror` when the manifest sets none (docs/shadow.md). */
const DEFAULT_SHADOW_MIRROR = 10;
/** `rollout.ab.split` when the manifest sets none (docs/ab.md). */
const DEFAULT_AB_SPLIT = 50;

/**
 * The part of the manifest's `rollout` block the first deployment needs
 * (docs/strategies.md). Read through rolloutOf until the manifest schema
 * declares the block; then this is `Manifest['rollout']`.
 */
interface RolloutBlock {
  strategy?: 'canary' | DeploymentStrategy;
  shadow?: { mirror?: number };
  ab?: { split?: number };
}

function rolloutOf(manifest: ModelFacts['manifest']): RolloutBlock | undefined {
  return (manifest as { rollout?: RolloutBlock }).rollout;
}

/** The deployment a release starts a version's rollout with. */
export interface FirstDeployment {
  /** The stage whose environment it goes to: the first stage, or `preview` for a blue-green. */
  stage: string;
  environment: string;
  weight: number;
  strategy?: DeploymentStrategy;
  mirror?: number;
  role?: DeploymentRole;
  /** GitHub's production_environment flag. */
  production: boolean;
  /** What happens, in words (GitHub keeps 140 characters). */
  description: string;
}

/**
 * The first deployment of a released (or restored) version, by the
 * manifest's strategy: a canary at its first step; a shadow at weight 0
 * mirroring `rollout.shadow.mirror` percent; an A/B test at its split; a
 * blue-green preview at weight 0 in the preview environment.
 */
export function planFirstDeployment(
  facts: Pick<ModelFacts, 'name' | 'manifest'>,
  kind: ReleaseCandidate['kind'],
  context: Pick<ReleaseContext, 'stages' | 'environments' | 'sharedRepository'>,
): FirstDeployment {
  const { name, manifest } = facts;
  const rollout = rolloutOf(manifest);
  const firstStage = context.stages[0]!;
  const where = environmentFor(name, firstStage, context);
  const production = context.stages.length === 1;
  const what = `${kind === 'restore' ? 'Restore: ' : ''}`;
  switch (rollout?.strategy) {
    case 'shadow': {
      const mirror = rollout.shadow?.mirror ?? DEFAULT_SHADOW_MIRROR;
      return {
        stage: firstStage,
        environment: where,
        weight: 0,
        strategy: 'shadow',
        mirror,
        production,
        description: deploymentDescription(
          `${what}Shadow ${name} ${manifest.version} in ${firstStage}, mirroring ${mirror}% of requests (answers none)`,
        ),
      };
    }
    case 'ab': {
      const split = rollout.ab?.split ?? DEFAULT_AB_SPLIT;
      return {
        stage: firstStage,
        environment: where,
        weight: split,
        strategy: 'ab',
        production,
        description: deploymentDescription(
          `${what}A/B test ${name} ${manifest.version} in ${firstStage} at ${split}% (B)`,
        ),
      };
    }
    case 'blue_green':
      return {
        stage: PREVIEW_STAGE,
        environment: environmentFor(name, PREVIEW_STAGE, context),
        weight: 0,
        strategy: 'blue_green',
        role: 'preview',
        // A preview answers no user: never the production environment, whatever the stages.
        production: false,
        description: deploymentDescription(
          `${what}Preview ${name} ${manifest.version} beside production (no traffic)`,
        ),
      };
    default: {
      const weight = manifest.canary?.steps?.[0] ?? DEFAULT_FIRST_WEIGHT;
      return {
        stage: firstStage,
        environment: where,
        weight,
        production,
        description: deploymentDescription(
          `${kind === 'restore' ? 'Restore' : 'Deploy'} ${name} ${manifest.version} to ${firstStage} at ${weight}%`,
        ),
      };
    }
  }
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
        // Done only when this very tag registers it: a version GTO registered as `name@v1.2.3#N` on
        // this commit still needs its simple tag, which the release and its Deployment name.
        done: registry?.events.some((e) => e.action === 'register' && e.tag === tag) ?? false,
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

    const first = planFirstDeployment(candidate.facts, candidate.kind, context);
    const payload: DeploymentPayload = {
      model: name,
      version,
      weight: first.weight,
      manifest: manifestFile,
      trigger: context.trigger,
      ...(context.pullRequest?.requester
        ? {
            requested_by: context.pullRequest.requester.by,
            ...(context.pullRequest.requester.link ? { request: context.pullRequest.requester.link } : {}),
          }
        : {}),
      ...(first.strategy ? { strategy: first.strategy } : {}),
      ...(first.mirror !== undefined ? { mirror: first.mirror } : {}),
      ...(first.role ? { role: first.role } : {}),
    };
    steps.push({
      kind: 'deployment',
      model: name,
      ref: tag,
      stage: first.stage,
      environment: first.environment,
      payload,
      production: first.production,
      description: first.description,
      done: remote.deployments.some(
        (d) => d.environment === first.environment && samePayload(d.payload, payload),
      ),
    });
  }
  return { steps };
}

/** The provenance lines of a release's tags, before Requested-by and Trigger. */
function provenance(candidate: ReleaseCandidate, context: ReleaseContext): string[] {
  const lines = [manifestLineOf(candidate.facts.manifestFile, candidate.manifestDigest)];
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

/** A git commit id: SHA-1 (40 hex digits) or SHA-256 (64). */
export const COMMIT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

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
