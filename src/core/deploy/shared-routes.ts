import type { Finding } from '../findings.js';
import { expandTemplate, kubernetesName } from './names.js';
import type { DeploySettings } from './targets.js';

/** A `deploy:` setting that names one thing per model, and what goes wrong when two models share it. */
interface PerModelSetting {
  setting: string;
  /** The setting's template; undefined when it is not set or is no template (then it names no model). */
  template: string | undefined;
  /** What the setting holds, for the message ("is not set", `is "x"`). */
  holds: string;
  /** What every model does when they share it, after "every model". */
  shared: string;
  /** A value with {model}, for the fix. */
  example: string;
  /** The fix, when "put {model} in it" is not one. */
  fix?: string;
}

const is = (value: string | undefined) => (value === undefined ? 'is not set' : `is "${value}"`);

/**
 * Rule DEPLOY-ROUTE: with more than one manifest in the registry, every
 * `deploy:` setting that must name one thing per model (a file, a Kubernetes
 * object, a host name, a server, the weights) has `{model}` in it. Without it
 * the models' deployments write over one another, or one model's route takes
 * another's requests, and nothing fails: nginx ignores all but the first
 * server on a listen and host name, a gateway gives two routes that match the
 * same requests to one of them, and a file or object written twice holds the
 * last model's routing. Judged with the settings the merge deploys with;
 * `file` (the settings file) is where the findings go. With more than one
 * target configured a workflow may send each model to another, so the
 * findings are warnings.
 */
export function sharedRouteFindings(
  deploy: DeploySettings | undefined,
  manifests: readonly string[],
  file: string,
): Finding[] {
  if (!deploy || manifests.length < 2) return [];
  const settings: PerModelSetting[] = [];
  const { gatewayApi: gateway, kserve, nginx } = deploy;
  if (gateway) {
    // Every host name needs {model}: one without it is matched by every model's route.
    const shared = gateway.hostnames.filter((h) => !h.includes('{model}'));
    if (shared.length || !gateway.hostnames.length)
      settings.push({
        setting: 'deploy.gateway_api.hostnames',
        template: undefined,
        holds: shared.length ? `has ${shared.map((h) => `"${h}"`).join(', ')}` : 'names no host',
        shared: `gets a route that matches the same requests (${shared.length > 1 ? 'those hosts' : shared.length ? 'that host' : 'any host'}, path ${gateway.pathPrefix}), and the gateway gives them all to one model`,
        example: '[{model}.llm.example.com]',
      });
    settings.push(
      {
        setting: 'deploy.gateway_api.name',
        template: gateway.name,
        holds: is(gateway.name),
        shared: 'writes one HTTPRoute, each deployment replacing the last model’s routing',
        example: '{model}',
      },
      {
        setting: 'deploy.gateway_api.gitops.path',
        template: gateway.gitops.path,
        holds: is(gateway.gitops.path),
        shared: 'commits one file, each deployment replacing the last model’s routing',
        example: 'apps/{model}/httproute.yaml',
      },
      {
        setting: 'deploy.gateway_api.service',
        template: gateway.service,
        holds: is(gateway.service),
        shared: 'sends a version’s requests to one Service, whichever model’s version it is',
        example: '{model}-{version}',
      },
    );
  }
  if (kserve)
    settings.push(
      {
        setting: 'deploy.kserve.name',
        template: kserve.name,
        holds: is(kserve.name),
        shared: 'writes one InferenceService, each deployment replacing the last model',
        example: '{model}',
      },
      {
        setting: 'deploy.kserve.gitops.path',
        template: kserve.gitops.path,
        holds: is(kserve.gitops.path),
        shared: 'commits one file, each deployment replacing the last model',
        example: 'apps/{model}/inferenceservice.yaml',
      },
      {
        setting: 'deploy.kserve.storage_uri',
        template: kserve.storageUri,
        holds: is(kserve.storageUri),
        shared: 'serves the same weights for a version, whichever model’s version it is',
        example: 's3://models/{model}/{version}',
      },
    );
  if (nginx) {
    const upstream = typeof nginx.upstream === 'string' ? nginx.upstream : undefined;
    settings.push(
      {
        setting: 'deploy.nginx.path',
        template: nginx.path,
        holds: is(nginx.path),
        shared: 'writes one file, each deployment replacing the last model’s servers',
        example: 'deploy/nginx/{model}.conf',
      },
      {
        setting: 'deploy.nginx.server_name',
        template: nginx.serverName,
        holds: is(nginx.serverName),
        shared: `gets a server on ${nginx.listen} with the same host name, and nginx answers every request with the first one it reads`,
        example: '{model}.llm.internal',
      },
      {
        setting: 'deploy.nginx.upstream',
        template: upstream,
        holds: upstream === undefined ? 'lists one address per version' : is(upstream),
        shared: 'sends a version’s requests to one address, whichever model’s version it is',
        example: '{model}-{version}.internal:8000',
        ...(upstream === undefined
          ? {
              fix: 'Make deploy.nginx.upstream a template with {model} and {version} instead of a list of versions, such as {model}-{version}.internal:8000 or unix:/run/llm/{model}-{version}.sock',
            }
          : {}),
      },
    );
  }
  const holding = `${manifests.length} manifests (${listed(manifests)})`;
  // With several targets, a workflow may send each model to another (the Action's `target`): that
  // every model shares each one is then not known, only possible.
  const targets = [gateway, kserve, nginx].filter(Boolean).length;
  const when = (target: string) =>
    targets > 1 ? ` (if more than one model deploys to ${target}: ${targets} targets are configured)` : '';
  return settings
    .filter(({ template }) => !template?.includes('{model}'))
    .map(({ setting, holds, shared, example, fix }) => ({
      rule: 'DEPLOY-ROUTE',
      severity: targets > 1 ? 'warning' : 'error',
      model: file,
      file,
      message: `${setting} ${holds}, without {model}, and this registry holds ${holding}: every model ${shared}${when(setting.split('.')[1]!)}.`,
      fix: `${fix ?? `Put {model} in ${setting} (for example ${example})`} in ${file}, in this change or in one merged before it.`,
    }));
}

/** At most three paths, then how many more. */
function listed(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

/**
 * Rule DEPLOY-ROUTE, for names a template gives each model: a Kubernetes
 * name is lower case with every other character run made `-`, so two models
 * (`team/bot`, `team-bot`) can get one object (an InferenceService, an
 * HTTPRoute, a Service) from a template that has `{model}`, and each
 * deployment of one replaces the other's. `models` are the names known
 * (validated, and released ones when the tags were read).
 */
export function kubernetesNameFindings(
  deploy: DeploySettings | undefined,
  models: readonly string[],
  file: string,
): Finding[] {
  if (!deploy) return [];
  const { gatewayApi: gateway, kserve } = deploy;
  const named = [
    ...(gateway
      ? [
          { setting: 'deploy.gateway_api.name', template: gateway.name, object: 'HTTPRoute' },
          { setting: 'deploy.gateway_api.service', template: gateway.service, object: 'Service' },
        ]
      : []),
    ...(kserve ? [{ setting: 'deploy.kserve.name', template: kserve.name, object: 'InferenceService' }] : []),
  ];
  const findings: Finding[] = [];
  for (const { setting, template, object } of named) {
    if (!template.includes('{model}')) continue; // sharedRouteFindings says it
    const byName = new Map<string, string[]>();
    for (const model of new Set(models)) {
      const name = kubernetesName(expandTemplate(template, { model, version: '1.0.0' }));
      if (name) byName.set(name, [...(byName.get(name) ?? []), model]);
    }
    for (const [name, same] of byName)
      if (same.length > 1)
        findings.push({
          rule: 'DEPLOY-ROUTE',
          severity: 'error',
          model: file,
          file,
          message: `${setting} "${template}" gives the models ${same.join(', ')} one ${object} (${name}, for version 1.0.0): Kubernetes names are lower case with every other character made "-", so each deployment of one replaces the other's.`,
          fix: `Rename one of the models, or make ${setting} tell them apart, in ${file}.`,
        });
  }
  return findings;
}
