import { describe, expect, it } from 'vitest';
import { kubernetesNameFindings, sharedRouteFindings } from '../../../src/core/deploy/shared-routes.js';
import type {
  DeploySettings,
  GatewayApiSettings,
  KServeSettings,
  NginxSettings,
} from '../../../src/core/deploy/targets.js';

const FILE = '.github/modelgate.yml';
const TWO = ['models/a/model.yaml', 'models/b/model.yaml'];

const nginx = (over: Partial<NginxSettings> = {}): DeploySettings => ({
  nginx: {
    path: 'deploy/nginx/{model}.conf',
    listen: '8080',
    serverName: '{model}.llm.internal',
    upstream: '{model}-{version}.internal:8000',
    ...over,
  },
});
const gateway = (over: Partial<GatewayApiSettings> = {}): DeploySettings => ({
  gatewayApi: {
    name: '{model}',
    namespace: 'llm',
    parents: [{ name: 'inference-gateway' }],
    hostnames: ['{model}.llm.example.com'],
    pathPrefix: '/',
    service: '{model}-{version}',
    port: 8000,
    gitops: { path: 'apps/{model}/httproute.yaml' },
    ...over,
  },
});
const kserve = (over: Partial<KServeSettings> = {}): DeploySettings => ({
  kserve: {
    name: '{model}',
    namespace: 'llm',
    storageUri: 's3://models/{model}/{version}/',
    modelFormat: 'huggingface',
    gitops: { path: 'apps/{model}/inferenceservice.yaml' },
    ...over,
  },
});

/** The settings each finding names. */
const named = (deploy: DeploySettings, manifests = TWO) =>
  sharedRouteFindings(deploy, manifests, FILE).map((f) => f.message.split(' ')[0]);

describe('DEPLOY-ROUTE: several models, and deploy settings that cannot tell them apart', () => {
  it('says nothing with one manifest, without a deploy section, or when every setting has {model}', () => {
    expect(sharedRouteFindings(nginx({ serverName: undefined }), ['models/a/model.yaml'], FILE)).toEqual([]);
    expect(sharedRouteFindings(undefined, TWO, FILE)).toEqual([]);
    expect(sharedRouteFindings({}, TWO, FILE)).toEqual([]);
    expect(sharedRouteFindings({ ...nginx(), ...gateway(), ...kserve() }, TWO, FILE)).toEqual([]);
  });

  it('nginx without server_name: every model on one listen, an error on the settings file that says what nginx does', () => {
    expect(sharedRouteFindings(nginx({ serverName: undefined }), TWO, FILE)).toEqual([
      {
        rule: 'DEPLOY-ROUTE',
        severity: 'error',
        model: FILE,
        file: FILE,
        message:
          'deploy.nginx.server_name is not set, without {model}, and this registry holds 2 manifests ' +
          '(models/a/model.yaml, models/b/model.yaml): every model gets a server on 8080 with the same host name, ' +
          'and nginx answers every request with the first one it reads.',
        fix: `Put {model} in deploy.nginx.server_name (for example {model}.llm.internal) in ${FILE}, in this change or in one merged before it.`,
      },
    ]);
  });

  it('nginx: a literal host name, file or upstream, and an upstream per version, are each an error', () => {
    expect(named(nginx({ serverName: 'llm.internal' }))).toEqual(['deploy.nginx.server_name']);
    expect(named(nginx({ path: 'deploy/nginx/models.conf' }))).toEqual(['deploy.nginx.path']);
    expect(named(nginx({ upstream: 'llm-{version}.internal:8000' }))).toEqual(['deploy.nginx.upstream']);
    const perVersion = sharedRouteFindings(nginx({ upstream: { '1.0.0': '127.0.0.1:8000' } }), TWO, FILE);
    expect(perVersion.map((f) => f.message)).toEqual([
      expect.stringMatching(/^deploy\.nginx\.upstream lists one address per version, without \{model\}/),
    ]);
  });

  it('Gateway API: no host names, or one host name without {model}, matches every model on the same path', () => {
    const [unset] = sharedRouteFindings(gateway({ hostnames: [] }), TWO, FILE);
    expect(unset!.message).toContain(
      'deploy.gateway_api.hostnames names no host, without {model}, and this registry holds 2 manifests',
    );
    expect(unset!.message).toContain('gets a route that matches the same requests (any host, path /)');
    const [mixed, ...rest] = sharedRouteFindings(
      gateway({ hostnames: ['{model}.llm.example.com', 'api.example.com'], pathPrefix: '/v1' }),
      TWO,
      FILE,
    );
    expect(rest).toEqual([]);
    expect(mixed!.message).toMatch(
      /^deploy\.gateway_api\.hostnames has "api\.example\.com", without \{model\}.*\(that host, path \/v1\)/,
    );
  });

  it('Gateway API and KServe: a literal object name, GitOps file, Service or storage URI is each an error', () => {
    expect(
      named(gateway({ name: 'router', service: 'llm-{version}', gitops: { path: 'apps/route.yaml' } })),
    ).toEqual(['deploy.gateway_api.name', 'deploy.gateway_api.gitops.path', 'deploy.gateway_api.service']);
    expect(
      named(kserve({ name: 'llm', storageUri: 's3://models/{version}', gitops: { path: 'apps/isvc.yaml' } })),
    ).toEqual(['deploy.kserve.name', 'deploy.kserve.gitops.path', 'deploy.kserve.storage_uri']);
  });

  it('lists at most three manifests, then how many more', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((m) => `models/${m}/model.yaml`);
    const [finding] = sharedRouteFindings(nginx({ serverName: undefined }), five, FILE);
    expect(finding!.message).toContain(
      '5 manifests (models/a/model.yaml, models/b/model.yaml, models/c/model.yaml and 2 more)',
    );
  });

  it('an nginx upstream listed per version gets a fix that can be made: a template, not {model} in a list', () => {
    const [finding] = sharedRouteFindings(nginx({ upstream: { '1.0.0': '127.0.0.1:8000' } }), TWO, FILE);
    expect(finding!.fix).toBe(
      `Make deploy.nginx.upstream a template with {model} and {version} instead of a list of versions, such as {model}-{version}.internal:8000 or unix:/run/llm/{model}-{version}.sock in ${FILE}, in this change or in one merged before it.`,
    );
  });

  it('with several targets configured (a workflow may send each model to another), the findings are warnings', () => {
    const findings = sharedRouteFindings({ ...nginx({ serverName: undefined }), ...kserve() }, TWO, FILE);
    expect(findings.map((f) => [f.severity, f.message.split(' ')[0]])).toEqual([
      ['warning', 'deploy.nginx.server_name'],
    ]);
    expect(findings[0]!.message).toMatch(
      /\(if more than one model deploys to nginx: 2 targets are configured\)\.$/,
    );
  });

  it('two model names that make one Kubernetes name (team/bot, team-bot) get one InferenceService: an error', () => {
    const findings = kubernetesNameFindings(kserve(), ['team/bot', 'team-bot', 'other'], FILE);
    expect(findings).toEqual([
      {
        rule: 'DEPLOY-ROUTE',
        severity: 'error',
        model: FILE,
        file: FILE,
        message:
          'deploy.kserve.name "{model}" gives the models team/bot, team-bot one InferenceService (team-bot, for version 1.0.0): ' +
          'Kubernetes names are lower case with every other character made "-", so each deployment of one replaces the other\'s.',
        fix: `Rename one of the models, or make deploy.kserve.name tell them apart, in ${FILE}.`,
      },
    ]);
    // The Gateway API's route and Service names too; distinct names, or one model, say nothing.
    expect(
      kubernetesNameFindings(gateway(), ['Team_Bot', 'team-bot'], FILE).map((f) => f.message.split(' ')[0]),
    ).toEqual(['deploy.gateway_api.name', 'deploy.gateway_api.service']);
    expect(kubernetesNameFindings(kserve(), ['team/bot', 'teambot'], FILE)).toEqual([]);
    expect(kubernetesNameFindings(kserve(), ['team/bot', 'team/bot'], FILE)).toEqual([]);
  });
});
