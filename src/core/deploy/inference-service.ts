import { stringify } from 'yaml';
import { checkRepoPath } from '../repo-path.js';
import { expandTemplate, kubernetesName } from './names.js';
import {
  badName,
  badPath,
  fileHeader,
  gitopsOf,
  provenance,
  type DeploymentRef,
  type RenderDecision,
} from './rendered.js';
import type { RoutingPlan } from './routing.js';
import type { KServeSettings } from './targets.js';

/**
 * Renders a routing plan as a KServe InferenceService (serving.kserve.io/v1beta1).
 * KServe splits by revision, not by name: the predictor points at the
 * deployed version's storage URI and `canaryTrafficPercent` sends that share
 * to the new revision, the rest to the previous ready one (the version live
 * before). At 100% the field is left out, which promotes the revision.
 * A blue-green preview is `canaryTrafficPercent: 0` with tag routing on, so
 * the new revision answers only at its `latest-` URL; the switch is the
 * promotion. KServe routes nothing to the previous revision at 100%, so it is
 * not kept warm after a switch (scale_down_delay has no effect here). KServe
 * has no request mirror: a shadow is refused.
 */
export function renderInferenceService(
  plan: RoutingPlan,
  settings: KServeSettings,
  deployment: DeploymentRef,
): RenderDecision {
  if (plan.mirror)
    return {
      ok: false,
      reason: `KServe cannot mirror requests: ${plan.summary}`,
      fix: 'Deploy shadows with the gateway-api or nginx target.',
    };
  const values = { model: plan.model, version: plan.version };
  const name = kubernetesName(expandTemplate(settings.name, values));
  if (!name) return badName('deploy.kserve.name', settings.name, plan.model);
  const path = checkRepoPath(expandTemplate(settings.gitops.path, values));
  if (!path.ok || !path.path) return badPath('deploy.kserve.gitops.path', settings.gitops.path, path);
  const share = plan.backends.find((b) => b.version === plan.version)?.weight ?? 0;
  // KServe's tag routing gives the new revision its own URL (latest-<name>-predictor…): the preview's endpoint.
  const tagRouting = plan.preview ? { 'serving.kserve.io/enable-tag-routing': 'true' } : {};
  const service = {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name,
      namespace: settings.namespace,
      annotations: {
        ...provenance({ ...deployment, model: plan.model, version: plan.version }),
        ...tagRouting,
      },
    },
    spec: {
      predictor: {
        ...(share < 100 ? { canaryTrafficPercent: share } : {}),
        model: {
          modelFormat: { name: settings.modelFormat },
          ...(settings.runtime ? { runtime: settings.runtime } : {}),
          storageUri: expandTemplate(settings.storageUri, values),
        },
      },
    },
  };
  return {
    ok: true,
    rendered: {
      content: `# ${fileHeader(plan.summary, deployment.id)}\n${stringify(service)}`,
      path: path.path,
      gitops: gitopsOf(settings.gitops),
      objects: [service],
    },
  };
}
