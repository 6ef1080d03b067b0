import { parseDeploymentPayload, readDeploymentPayload, type DeploymentPayload } from '../release/plan.js';
import { releasedManifestPathProblem } from '../release/manifest-line.js';
import { versionProblem } from '../registry/names.js';
import { registrationProblem } from '../registry/registration-tags.js';
import { readRegistry, type TagRecord } from '../registry/state.js';
import { releaseTag } from '../registry/tag-names.js';
import { renderHttpRoute } from './http-route.js';
import { renderInferenceService } from './inference-service.js';
import { expandTemplate } from './names.js';
import { storageBindingProblem, type ReleasedWeights } from './storage-binding.js';
import { renderNginx } from './nginx.js';
import type { RenderedRouting } from './rendered.js';
import { planRouting, type RoutingPlan } from './routing.js';
import { TARGETS, type DeploySettings, type TargetKind } from './targets.js';

/** A GitHub Deployment as the `deployment` event (or the API) gives it. */
export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload: unknown;
}

/** The deployer's answer to a deployment that is not modelgate's, or that it must not act on. */
export interface Refusal {
  reason: string;
  fix: string;
}

export type DeploymentReading =
  | { kind: 'foreign'; reason: string }
  | { kind: 'refused'; refusal: Refusal }
  | { kind: 'modelgate'; payload: DeploymentPayload };

/**
 * Reads a deployment's payload: someone else's deployment (no model and
 * version: not modelgate's to act on or report), one that claims to be
 * modelgate's but breaks the contract (refused with the field named), or
 * modelgate's.
 */
export function readDeployment(deployment: DeploymentRecord): DeploymentReading {
  if (!readDeploymentPayload(deployment.payload))
    return {
      kind: 'foreign',
      reason: `deployment ${deployment.id} has no modelgate payload ({model, version, weight, manifest, trigger})`,
    };
  const parsed = parseDeploymentPayload(deployment.payload);
  if (!parsed.ok)
    return {
      kind: 'refused',
      refusal: {
        reason: `deployment ${deployment.id}'s payload breaks modelgate's contract: ${parsed.problem}`,
        fix: 'Deployments are created by modelgate (command: release and the canary app); see schema/deployment-payload.schema.json.',
      },
    };
  return { kind: 'modelgate', payload: parsed.payload };
}

/** The production environment for a deployment's environment: settings first, else the naming of command: release. */
export function productionEnvironmentOf(
  environment: string,
  settings: { stages: readonly string[]; environments: Readonly<Record<string, string>> },
): string {
  const stage = settings.stages.at(-1)!;
  const configured = settings.environments[stage];
  if (configured) return configured;
  const slash = environment.lastIndexOf('/');
  return slash < 0 ? stage : `${environment.slice(0, slash)}/${stage}`;
}

/** Which configured target a deployment goes to: the one asked for, or the only one configured. */
export function chooseTarget(
  settings: DeploySettings,
  asked: string | undefined,
): { ok: true; target: TargetKind } | ({ ok: false } & Refusal) {
  const configured = TARGETS.filter((t) => settingsOf(settings, t) !== undefined);
  const fix = `Configure it under deploy: in .github/modelgate.yml on the default branch (gateway_api, kserve or nginx), and name it with the input "target" when there are several.`;
  if (asked) {
    if (!(TARGETS as readonly string[]).includes(asked))
      return { ok: false, reason: `target "${asked}" is not one of ${TARGETS.join(', ')}`, fix };
    if (!configured.includes(asked as TargetKind))
      return { ok: false, reason: `target "${asked}" is not configured`, fix };
    return { ok: true, target: asked as TargetKind };
  }
  if (configured.length === 1) return { ok: true, target: configured[0]! };
  return {
    ok: false,
    reason: configured.length
      ? `several targets are configured (${configured.join(', ')}) and none was named`
      : 'no deploy target is configured',
    fix,
  };
}

function settingsOf(settings: DeploySettings, target: TargetKind) {
  return target === 'gateway-api'
    ? settings.gatewayApi
    : target === 'kserve'
      ? settings.kserve
      : settings.nginx;
}

/** What GitHub says about the deployment's release tag. */
export type ReleaseTagFacts =
  | { exists: false }
  | { exists: true; annotated: false; commit: string }
  | {
      exists: true;
      annotated: true;
      commit: string;
      /** The path the tag message's `Manifest:` line records (manifestLine), if it has one. */
      manifest?: string;
    };

/** Everything the deployer read before deciding: all of it from GitHub or the workflow, none from a pull request. */
export interface DeployFacts {
  deployment: DeploymentRecord;
  payload: DeploymentPayload;
  tag: ReleaseTagFacts;
  /**
   * The model's modelgate deployments newer than this one, in any environment, or undefined
   * when the deployer's listing did not reach this one (it is then too old to know what
   * replaced it).
   */
  newer: readonly NewerDeployment[] | undefined;
  /** The production environment of the deployment's environment (productionEnvironmentOf). */
  production: string;
  /** The deployment's own newest status, if any (`success`: it is live already). */
  reported?: string;
  /**
   * The tags that register and deregister the version (versionTagRecords), so that what GTO holds
   * withdrawn is never put in traffic; undefined when the caller checked the registry itself (the CLI).
   */
  registration?: readonly TagRecord[];
  /** The version live in production: the newest production deployment of the model reported `success`. */
  live: string | undefined;
  target: TargetKind;
  settings: DeploySettings;
  /** The registry's manifest globs on the default branch: where a release tag without a `Manifest:` line may have its manifest. */
  manifests: readonly string[];
  /** KServe: the deployed version's manifest at its release tag, whose weights its storageUri must hold. */
  weights?: ReleasedWeights;
}

/** A deployment of the same model made after the one being deployed. */
export interface NewerDeployment {
  id: number;
  environment: string;
  /** It carries all the traffic: weight 100 without a mirror, or a blue-green `active` (or breaks the contract). */
  whole: boolean;
}

export type DeployPlan =
  | { kind: 'refused'; refusal: Refusal }
  /**
   * A newer deployment replaced this one: applying it would move traffic back. `inactive` when
   * the newer one is of the same environment (as GitHub marks replaced deployments) and this one
   * is not live: a live one stays `success` until the newer one is (the live version is the
   * newest reported `success`: marked `inactive` first, an older release would read as live). One
   * of another environment may leave this one live in its own, so it gets no status.
   */
  | { kind: 'superseded'; by: number; description: string; inactive: boolean }
  | { kind: 'apply'; target: TargetKind; routing: RoutingPlan; rendered: RenderedRouting };

/**
 * Plans one deployment: refuses a version that is not released exactly as
 * the deployment names it (the ref is the release tag, the tag is annotated
 * and points at the deployment's commit), stands down when a newer
 * deployment replaced it, and otherwise renders the routing for the target.
 */
export function planDeploy(facts: DeployFacts): DeployPlan {
  const { deployment, payload, tag } = facts;
  const wanted = releaseTag(payload.model, payload.version);
  const fix = `Deploy released versions only: command: release creates ${wanted} and the deployment together.`;
  const refuse = (reason: string, why = fix): DeployPlan => ({
    kind: 'refused',
    refusal: { reason, fix: why },
  });
  if (deployment.ref !== wanted)
    return refuse(
      `deployment ${deployment.id} deploys the ref "${deployment.ref}", not the release tag ${wanted}`,
    );
  if (!tag.exists)
    return refuse(`${payload.model} ${payload.version} is not released: the tag ${wanted} does not exist`);
  if (!tag.annotated)
    return refuse(
      `${wanted} is a lightweight tag: releases are annotated tags (who and when), so it is not a release`,
    );
  if (tag.commit !== deployment.sha)
    return refuse(
      `${wanted} points at ${tag.commit.slice(0, 12)} but deployment ${deployment.id} deploys ${deployment.sha.slice(0, 12)}`,
    );
  const withdrawn =
    facts.registration &&
    registrationProblem(readRegistry(facts.registration).get(payload.model), payload.model, payload.version);
  if (withdrawn)
    return refuse(
      withdrawn.reason,
      `Deploy a released version${withdrawn.withdrawn ? `, or register ${payload.version} again if its withdrawal was a mistake` : ''}.`,
    );
  if (facts.newer === undefined)
    return refuse(
      `deployment ${deployment.id} of ${payload.model} is not among the repository's newest deployments, so whether a newer one replaced it cannot be told`,
      `Deploy ${payload.model} ${payload.version} again: a new deployment (command: release, or the app's rollout) is the newest.`,
    );
  const replacing = replacedBy(
    { environment: deployment.environment, whole: takesAllTraffic(payload) },
    facts.newer,
    facts.production,
    facts.reported === 'success',
  );
  if (replacing)
    return {
      kind: 'superseded',
      by: replacing.by.id,
      description: `superseded by deployment ${replacing.by.id} of ${payload.model}: traffic not changed`,
      inactive: replacing.inactive && facts.reported !== 'success',
    };
  // The live version names a Service and goes into the rendered file: only a plain version, never text.
  if (facts.live !== undefined && versionProblem(facts.live))
    return refuse(
      `the version live in production is given as ${JSON.stringify(facts.live.slice(0, 80))}, which is not a version`,
      'Deploy the version that should serve production again, so its deployment names it.',
    );
  const routing = planRouting(payload, facts.live);
  if (!routing.ok) return refuse(routing.reason, routing.fix);
  if (facts.target === 'kserve') {
    // The weights come from the manifest the payload names: only the release's own may tie them.
    const decoy = releasedManifestPathProblem(payload.manifest, {
      tag: wanted,
      recorded: tag.manifest,
      globs: facts.manifests,
    });
    if (decoy)
      return refuse(
        decoy,
        `Deploy with the payload command: release wrote: it names the release's manifest.`,
      );
    const storageUri = expandTemplate(facts.settings.kserve!.storageUri, payload);
    const unbound = storageBindingProblem(storageUri, facts.weights, { ...payload, tag: wanted });
    if (unbound) return refuse(unbound.reason, unbound.fix);
  }
  const ref = { id: deployment.id, trigger: payload.trigger };
  const rendered =
    facts.target === 'gateway-api'
      ? renderHttpRoute(routing.plan, facts.settings.gatewayApi!, ref)
      : facts.target === 'kserve'
        ? renderInferenceService(routing.plan, facts.settings.kserve!, ref)
        : renderNginx(routing.plan, facts.settings.nginx!, ref);
  if (!rendered.ok) return refuse(rendered.reason, rendered.fix);
  return { kind: 'apply', target: facts.target, routing: routing.plan, rendered: rendered.rendered };
}

/** A deployment status description: GitHub keeps 140 characters. */
export function statusDescription(text: string): string {
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}

/** Whether a payload sets all of the model's traffic: weight 100 without a mirror, or a blue-green `active`. */
export const takesAllTraffic = (payload: Pick<DeploymentPayload, 'role' | 'weight' | 'mirror'>) =>
  payload.role === 'active' || (payload.weight === 100 && payload.mirror === undefined);

/**
 * The newer deployment that replaced `deployment`, if one did, and whether
 * to report it `inactive`. Decided by what each one does, since a repository
 * whose only stage is production rolls out in production itself:
 *
 * - a deployment of all of production's traffic (a promotion, a switch
 *   back, the guard's rollback) is replaced by a newer one of all
 *   production's traffic (`inactive`, unless it is live); by a newer rollout step only once it
 *   is live, and then with no status (a re-run would take the step's share
 *   back, but it still serves production). One not applied yet, the guard's
 *   rollback whose job ran late, still applies;
 * - a rollout step (a share, a mirror, a preview) is replaced by a newer
 *   deployment of its own environment (`inactive`), or by a newer one of all
 *   production's traffic, anywhere (the step is stale: re-running a failed
 *   canary's job after the switch back moves nothing).
 */
function replacedBy(
  deployment: { environment: string; whole: boolean },
  newer: readonly NewerDeployment[],
  production: string,
  live: boolean,
): { by: NewerDeployment; inactive: boolean } | undefined {
  const sets = (n: NewerDeployment) => n.environment === production && n.whole;
  if (deployment.environment === production && deployment.whole) {
    const by = newer.find(sets);
    if (by) return { by, inactive: true };
    return live && newer[0] ? { by: newer[0], inactive: false } : undefined;
  }
  const by = newer.find((n) => n.environment === deployment.environment || sets(n));
  return by && { by, inactive: by.environment === deployment.environment };
}
