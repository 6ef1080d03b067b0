import type { DeploymentPayload } from '../release/plan.js';

/** One version serving a share of the requests. */
export interface Backend {
  version: string;
  /** Percent of requests, 1 to 100; the backends of a plan add up to 100. */
  weight: number;
}

/** Who answers a model's requests after a deployment: the same plan for every target. */
export interface RoutingPlan {
  model: string;
  /** The deployed version: the one the deployment is about. */
  version: string;
  backends: Backend[];
  /** Shadow: a version that receives a copy of `percent` of the requests and answers none. */
  mirror?: { version: string; percent: number };
  /** Blue-green preview: a version deployed beside production that answers no user request. */
  preview?: { version: string };
  /**
   * Blue-green after the switch: the previous version, kept in place with no
   * traffic for `seconds` (scale_down_delay) so a switch back is instant.
   */
  standby?: { version: string; seconds: number };
  /** One line for the deployment status and the log. */
  summary: string;
}

export type RoutingDecision = { ok: true; plan: RoutingPlan } | { ok: false; reason: string; fix: string };

/**
 * Plans the traffic of a deployment: the payload's version answers `weight`
 * percent and the version live in production the rest. With no other
 * version live (the first release, a rollback to the production version, or
 * the promotion at 100) the deployed version answers everything, and the
 * summary says so. A mirror copies requests to the deployed version; it
 * needs another version live to answer them, and a weight of 0 (a shadow
 * answers no one). A blue-green preview (weight 0) is deployed beside the
 * live version and answers no user; the switch (`active`, weight 100) keeps
 * the version it replaced in place with no traffic (`standby`).
 */
export function planRouting(
  payload: Pick<DeploymentPayload, 'model' | 'version' | 'weight' | 'mirror' | 'role' | 'scale_down_delay'>,
  live: string | undefined,
): RoutingDecision {
  const { model, version, weight, mirror, role } = payload;
  const other = live !== undefined && live !== version ? live : undefined;
  if (mirror !== undefined && other === undefined)
    return {
      ok: false,
      reason: `${model} ${version} asks for a mirror of ${mirror}% but no other version is live in production to copy requests from`,
      fix: 'Deploy a version to production first; a shadow only copies requests another version answers.',
    };
  if (mirror !== undefined && weight > 0)
    return {
      ok: false,
      reason: `${model} ${version} asks for ${weight}% of traffic and a mirror of ${mirror}% at once: it would answer some requests and get copies of others, some twice, and its metrics would count them twice`,
      fix: 'A shadow answers no one: deploy it with weight 0 and a mirror, or as a canary with a weight and no mirror.',
    };
  // The payload schema holds these already; the routing must not depend on every caller having checked it.
  if ((role === 'preview' && weight !== 0) || (role === 'active' && weight !== 100))
    return {
      ok: false,
      reason: `${model} ${version} is a blue-green ${role} at ${weight}%: a preview takes 0%, the switch 100%`,
      fix: 'Deployments are created by modelgate; see schema/deployment-payload.schema.json.',
    };
  if (other === undefined || weight === 100) {
    const alone =
      other === undefined && weight < 100
        ? ` (asked ${weight}%${role === 'preview' ? ' as a preview' : ''}: no other version is live in production, so it answers every request)`
        : '';
    // After a switch the version it replaced stays in place, with no traffic, so a switch back is instant.
    const standby =
      role === 'active' && other !== undefined
        ? { version: other, seconds: payload.scale_down_delay ?? 0 }
        : undefined;
    return {
      ok: true,
      plan: {
        model,
        version,
        backends: [{ version, weight: 100 }],
        ...(standby ? { standby } : {}),
        summary: standby
          ? `${model} ${version} answers 100% of requests; ${standby.version} stays in place with no traffic for ${standby.seconds} s`
          : `${model} ${version} answers 100% of requests${alone}`,
      },
    };
  }
  const backends = [
    { version: other, weight: 100 - weight },
    { version, weight },
  ].filter((b) => b.weight > 0);
  const share =
    weight > 0
      ? `${model} ${version} answers ${weight}%, ${other} ${100 - weight}%`
      : `${model} ${other} answers 100%`;
  const extra =
    mirror !== undefined
      ? `; ${mirror}% of requests are copied to ${version}`
      : role === 'preview'
        ? `; ${version} is deployed beside it as a preview (no user traffic)`
        : '';
  return {
    ok: true,
    plan: {
      model,
      version,
      backends,
      ...(mirror !== undefined ? { mirror: { version, percent: mirror } } : {}),
      ...(role === 'preview' ? { preview: { version } } : {}),
      summary: `${share}${extra}`,
    },
  };
}
