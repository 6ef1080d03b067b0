import { stringify } from 'yaml';
import { checkRepoPath } from '../repo-path.js';
import { expandTemplate, hostNameOf, kubernetesName } from './names.js';
import {
  badName,
  badPath,
  fileHeader,
  gitopsOf,
  provenance,
  sameName,
  type RenderDecision,
} from './rendered.js';
import type { RoutingPlan } from './routing.js';
import type { GatewayApiSettings } from './targets.js';
import type { DeploymentRef } from './rendered.js';

/**
 * Renders a routing plan as a Gateway API HTTPRoute (gateway.networking.k8s.io/v1):
 * one rule whose weighted backendRefs are the versions' Services, and a
 * RequestMirror filter with its percent for a shadow. A blue-green preview
 * is a weight-0 backendRef beside the live version, plus, with
 * `preview_header` set, a first rule sending requests that carry the header
 * with the preview's version to it; after the switch the version it replaced
 * stays a weight-0 backendRef (scale_down_delay). Envoy Gateway, Istio, GKE
 * and other implementations split traffic by these weights.
 */
export function renderHttpRoute(
  plan: RoutingPlan,
  settings: GatewayApiSettings,
  deployment: DeploymentRef,
): RenderDecision {
  const values = { model: plan.model, version: plan.version };
  const name = kubernetesName(expandTemplate(settings.name, values));
  if (!name) return badName('deploy.gateway_api.name', settings.name, values.model);
  const services = new Map<string, string>();
  for (const version of [
    ...plan.backends.map((b) => b.version),
    ...(plan.mirror ? [plan.mirror.version] : []),
    ...(plan.preview ? [plan.preview.version] : []),
    ...(plan.standby ? [plan.standby.version] : []),
  ]) {
    const service = kubernetesName(expandTemplate(settings.service, { model: plan.model, version }));
    if (!service) return badName('deploy.gateway_api.service', settings.service, `${plan.model} ${version}`);
    services.set(version, service);
  }
  const clash = sameName(plan.model, services, 'Service');
  if (clash) return clash;
  const path = checkRepoPath(expandTemplate(settings.gitops.path, values));
  if (!path.ok || !path.path) return badPath('deploy.gateway_api.gitops.path', settings.gitops.path, path);
  const hostnames: string[] = [];
  for (const template of settings.hostnames) {
    const host = hostNameOf(template, plan.model, 'deploy.gateway_api.hostnames');
    if (!host.ok) return host;
    hostnames.push(host.host);
  }
  const backendRef = (version: string) => ({ name: services.get(version)!, port: settings.port });
  const route = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name,
      namespace: settings.namespace,
      annotations: {
        ...provenance({ ...deployment, model: plan.model, version: plan.version }),
        // For a clean-up job: which version may go, and when (seconds after the switch was reported live).
        ...(plan.standby
          ? {
              'modelgate.dev/standby-version': plan.standby.version,
              'modelgate.dev/scale-down-delay-seconds': String(plan.standby.seconds),
            }
          : {}),
      },
    },
    spec: {
      parentRefs: settings.parents.map((p) => ({
        name: p.name,
        ...(p.namespace ? { namespace: p.namespace } : {}),
        ...(p.section ? { sectionName: p.section } : {}),
      })),
      ...(hostnames.length ? { hostnames } : {}),
      rules: [
        // More header matches win over fewer (Gateway API's precedence): this rule takes only preview requests.
        ...(plan.preview && settings.previewHeader
          ? [
              {
                matches: [
                  {
                    path: { type: 'PathPrefix', value: settings.pathPrefix },
                    headers: [{ type: 'Exact', name: settings.previewHeader, value: plan.preview.version }],
                  },
                ],
                backendRefs: [{ ...backendRef(plan.preview.version), weight: 1 }],
              },
            ]
          : []),
        {
          matches: [{ path: { type: 'PathPrefix', value: settings.pathPrefix } }],
          ...(plan.mirror
            ? {
                filters: [
                  {
                    type: 'RequestMirror',
                    requestMirror: {
                      backendRef: backendRef(plan.mirror.version),
                      percent: plan.mirror.percent,
                    },
                  },
                ],
              }
            : {}),
          // A preview or a kept version is named at weight 0: the Gateway resolves it, no request reaches it.
          backendRefs: [
            ...plan.backends.map((b) => ({ ...backendRef(b.version), weight: b.weight })),
            ...[plan.preview?.version, plan.standby?.version]
              .filter((v): v is string => v !== undefined)
              .map((v) => ({ ...backendRef(v), weight: 0 })),
          ],
        },
      ],
    },
  };
  return {
    ok: true,
    rendered: {
      content: `# ${fileHeader(plan.summary, deployment.id)}\n${stringify(route)}`,
      path: path.path,
      gitops: gitopsOf(settings.gitops),
      objects: [route],
    },
  };
}
