import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  chooseTarget,
  planDeploy,
  readDeployment,
  type DeployFacts,
  type NewerDeployment,
} from '../../../src/core/deploy/plan.js';
import { planRouting } from '../../../src/core/deploy/routing.js';
import type { DeploySettings } from '../../../src/core/deploy/targets.js';
import { deploymentPayloadJsonSchema, parseDeploymentPayload } from '../../../src/core/release/plan.js';
import { crdValidator } from './crd.js';

const TRIGGER = 'c0ffee'.padEnd(40, '0');
const SHA = 'a1'.repeat(20);
/** The payload command: release writes for gpt2 1.1.0 (test/action/release.test.ts pins the same). */
const payload = {
  model: 'gpt2',
  version: '1.1.0',
  weight: 10,
  manifest: 'models/gpt2/model.yaml',
  trigger: TRIGGER,
};
const deployment = { id: 1000, sha: SHA, ref: 'gpt2@v1.1.0', environment: 'canary', payload };
const settings: DeploySettings = {
  gatewayApi: {
    name: '{model}',
    namespace: 'llm',
    parents: [{ name: 'inference-gateway', namespace: 'gateway-system' }],
    hostnames: ['llm.example.com'],
    pathPrefix: '/v1',
    service: '{model}-{version}',
    port: 8000,
    gitops: { repository: 'acme/gitops', branch: 'main', path: 'apps/{model}/httproute.yaml' },
  },
  kserve: {
    name: '{model}',
    namespace: 'llm',
    storageUri: 's3://models/{model}/{version}/',
    modelFormat: 'huggingface',
    gitops: { path: 'apps/{model}/inferenceservice.yaml' },
  },
  nginx: { path: 'deploy/nginx/{model}.conf', listen: '8080', upstream: '127.0.0.1:8000' },
};
/** gpt2 1.1.0's manifest at its release tag (what KServe's storageUri is tied to), its weights listed as `uris`. */
const releasedManifest = (
  uris: readonly string[] = ['s3://models/gpt2/1.1.0/model.safetensors'],
  over: Record<string, unknown> = {},
) => ({
  manifest: 'models/gpt2/model.yaml',
  text: stringify({
    apiVersion: 'modelgate.dev/v1',
    kind: 'Model',
    name: 'gpt2',
    version: '1.1.0',
    artifacts: {
      config: 'config.json',
      tokenizer: 'tokenizer.json',
      weights: uris.map((uri) => ({ uri, sha256: 'a'.repeat(64) })),
    },
    ...over,
  }),
});
const facts = (over: Partial<DeployFacts> = {}): DeployFacts => ({
  deployment,
  payload,
  tag: { exists: true, annotated: true, commit: SHA },
  newer: [],
  production: 'production',
  live: '1.0.0',
  target: 'gateway-api',
  settings,
  manifests: ['models/**/model.yaml'],
  weights: releasedManifest(),
  ...over,
});
const httpRoute = crdValidator('gateway.networking.k8s.io_httproutes.yaml.gz', 'v1');
const inferenceService = crdValidator('serving.kserve.io_inferenceservices.yaml.gz', 'v1beta1');

describe('the Deployment payload contract', () => {
  it('accepts what command: release writes, and says which field breaks it otherwise', () => {
    expect(parseDeploymentPayload(payload)).toEqual({ ok: true, payload });
    expect(parseDeploymentPayload(JSON.stringify(payload))).toEqual({ ok: true, payload });
    expect(parseDeploymentPayload({ ...payload, weight: 101 })).toEqual({
      ok: false,
      problem: 'weight: Too big: expected number to be <=100',
    });
    expect(parseDeploymentPayload({ ...payload, preview: true })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^unknown field "preview" \(this deployer knows model, version/),
    });
    expect(parseDeploymentPayload({ ...payload, version: 'v1.1.0' })).toEqual({
      ok: false,
      problem: 'version: a SemVer 2 version without a leading v',
    });
  });

  it('publishes a JSON Schema that requires the fields a deployer relies on', () => {
    const schema = deploymentPayloadJsonSchema() as { required: string[]; additionalProperties: boolean };
    expect(schema.required.sort()).toEqual(['manifest', 'model', 'trigger', 'version', 'weight']);
    expect(schema.additionalProperties).toBe(false);
  });

  it("leaves other deployers' deployments alone and refuses a broken modelgate one", () => {
    expect(readDeployment({ ...deployment, payload: { app: 'web' } })).toEqual({
      kind: 'foreign',
      reason: 'deployment 1000 has no modelgate payload ({model, version, weight, manifest, trigger})',
    });
    expect(readDeployment({ ...deployment, payload: { ...payload, trigger: 'main' } })).toMatchObject({
      kind: 'refused',
      refusal: { reason: "deployment 1000's payload breaks modelgate's contract: trigger: a commit id" },
    });
  });
});

describe('the routing plan', () => {
  it('splits between the deployed version and the one live in production', () => {
    expect(planRouting(payload, '1.0.0')).toEqual({
      ok: true,
      plan: {
        model: 'gpt2',
        version: '1.1.0',
        backends: [
          { version: '1.0.0', weight: 90 },
          { version: '1.1.0', weight: 10 },
        ],
        summary: 'gpt2 1.1.0 answers 10%, 1.0.0 90%',
      },
    });
  });

  it('sends everything to the version when nothing else is live, and says so', () => {
    const plan = planRouting(payload, undefined);
    expect(plan).toMatchObject({ ok: true, plan: { backends: [{ version: '1.1.0', weight: 100 }] } });
    expect(plan.ok && plan.plan.summary).toBe(
      'gpt2 1.1.0 answers 100% of requests (asked 10%: no other version is live in production, so it answers every request)',
    );
    // A rollback redeploys the production version: it takes all traffic back.
    expect(planRouting({ ...payload, version: '1.0.0' }, '1.0.0')).toMatchObject({
      ok: true,
      plan: { backends: [{ version: '1.0.0', weight: 100 }] },
    });
  });

  it('mirrors a shadow next to the live version, and refuses a shadow of nothing', () => {
    expect(planRouting({ ...payload, weight: 0, mirror: 20 }, '1.0.0')).toEqual({
      ok: true,
      plan: {
        model: 'gpt2',
        version: '1.1.0',
        backends: [{ version: '1.0.0', weight: 100 }],
        mirror: { version: '1.1.0', percent: 20 },
        summary: 'gpt2 1.0.0 answers 100%; 20% of requests are copied to 1.1.0',
      },
    });
    expect(planRouting({ ...payload, weight: 10, mirror: 20 }, '1.0.0')).toMatchObject({
      ok: false,
      reason:
        'gpt2 1.1.0 asks for 10% of traffic and a mirror of 20% at once: it would answer some requests and get copies of others, some twice, and its metrics would count them twice',
    });
    expect(planRouting({ ...payload, weight: 0, mirror: 20 }, undefined)).toMatchObject({
      ok: false,
      reason:
        'gpt2 1.1.0 asks for a mirror of 20% but no other version is live in production to copy requests from',
    });
  });
});

describe('deploying only released versions', () => {
  it.each([
    [
      { deployment: { ...deployment, ref: 'main' } },
      'deployment 1000 deploys the ref "main", not the release tag gpt2@v1.1.0',
    ],
    [{ tag: { exists: false } as const }, 'gpt2 1.1.0 is not released: the tag gpt2@v1.1.0 does not exist'],
    [
      { tag: { exists: true, annotated: false, commit: SHA } as const },
      'gpt2@v1.1.0 is a lightweight tag: releases are annotated tags (who and when), so it is not a release',
    ],
    [
      { tag: { exists: true, annotated: true, commit: 'b2'.repeat(20) } as const },
      'gpt2@v1.1.0 points at b2b2b2b2b2b2 but deployment 1000 deploys a1a1a1a1a1a1',
    ],
  ])('refuses %#', (over, reason) => {
    expect(planDeploy(facts(over))).toMatchObject({ kind: 'refused', refusal: { reason } });
  });

  it('stands down when a newer deployment of its environment replaced it (a re-run must not move traffic back)', () => {
    expect(planDeploy(facts({ newer: [{ id: 1003, environment: 'canary', whole: false }] }))).toEqual({
      kind: 'superseded',
      by: 1003,
      description: 'superseded by deployment 1003 of gpt2: traffic not changed',
      inactive: true,
    });
  });

  it("a newer deployment of all production's traffic makes an older step anywhere stale; it is no status of the step's environment", () => {
    // The app switched production back after the canary failed: re-running the canary's job moves nothing.
    const switchedBack = [{ id: 1004, environment: 'production', whole: true }];
    expect(planDeploy(facts({ newer: switchedBack }))).toMatchObject({
      kind: 'superseded',
      by: 1004,
      inactive: false,
    });
  });

  it('a re-run of the live promotion stands down while a newer step splits against it, and says nothing', () => {
    const promotion = {
      ...deployment,
      id: 900,
      environment: 'production',
      payload: { ...payload, version: '1.0.0', weight: 100 },
      ref: 'gpt2@v1.0.0',
    };
    const rerun = {
      deployment: promotion,
      payload: promotion.payload,
      newer: [{ id: 1000, environment: 'canary', whole: false }],
    };
    expect(planDeploy(facts({ ...rerun, reported: 'success' }))).toMatchObject({
      kind: 'superseded',
      by: 1000,
      inactive: false,
    });
    // Not live yet (the guard's rollback, whose job runs late): it applies.
    expect(planDeploy(facts({ ...rerun, reported: 'in_progress' }))).toMatchObject({ kind: 'apply' });
  });

  it('with production as the only stage, steps and deployments of all traffic share it: each is judged by what it does', () => {
    const at = (id: number, weight: number, version = '1.0.0') => ({
      ...deployment,
      id,
      environment: 'production',
      ref: `gpt2@v${version}`,
      payload: { ...payload, version, weight },
    });
    const plan = (d: ReturnType<typeof at>, newer: NewerDeployment[], reported?: string) =>
      planDeploy(facts({ deployment: d, payload: d.payload, newer, reported }));
    const step = { id: 1002, environment: 'production', whole: false };
    const promotion = { id: 1003, environment: 'production', whole: true };
    // The guard's rollback (or a promotion) whose job runs after the next release's first step: it applies.
    expect(plan(at(1001, 100), [step], 'in_progress')).toMatchObject({ kind: 'apply' });
    // A re-run of the live promotion while a step splits against it: stands down, still live (no status).
    expect(plan(at(900, 100), [step], 'success')).toMatchObject({
      kind: 'superseded',
      by: 1002,
      inactive: false,
    });
    // A newer deployment of all traffic replaces one (reported inactive), and an older step too. A live
    // one keeps its success until the newer one is live: marked inactive, an older release would read as live.
    expect(plan(at(901, 100), [promotion, step])).toMatchObject({ by: 1003, inactive: true });
    expect(plan(at(900, 100), [promotion, step], 'success')).toMatchObject({ by: 1003, inactive: false });
    expect(plan(at(1000, 10, '1.1.0'), [step])).toMatchObject({
      kind: 'superseded',
      by: 1002,
      inactive: true,
    });
  });

  it('a newer rollout step in another environment replaces nothing: a production deployment made before it still applies', () => {
    // The guard's rollback, whose job runs after the next canary step was created.
    const rollback = {
      ...deployment,
      id: 1001,
      environment: 'production',
      payload: { ...payload, version: '1.0.0', weight: 100 },
      ref: 'gpt2@v1.0.0',
    };
    const plan = planDeploy(
      facts({
        deployment: rollback,
        payload: rollback.payload,
        newer: [{ id: 1002, environment: 'canary', whole: false }],
      }),
    );
    expect(plan).toMatchObject({ kind: 'apply' });
  });

  it('refuses a deployment the deployer could not find among the newest: it may have been replaced', () => {
    expect(planDeploy(facts({ newer: undefined }))).toMatchObject({
      kind: 'refused',
      refusal: {
        reason:
          "deployment 1000 of gpt2 is not among the repository's newest deployments, so whether a newer one replaced it cannot be told",
      },
    });
  });

  it('refuses two versions that become one Service or upstream name: the traffic of one would reach the other', () => {
    const rc = { ...payload, version: '1.2.0-rc.1' };
    const clash = (target: 'gateway-api' | 'nginx') =>
      planDeploy(
        facts({
          deployment: { ...deployment, ref: 'gpt2@v1.2.0-rc.1' },
          payload: rc,
          live: '1.2.0-rc-1',
          target,
        }),
      );
    expect(clash('gateway-api')).toMatchObject({
      kind: 'refused',
      refusal: {
        reason:
          'gpt2 1.2.0-rc-1 and 1.2.0-rc.1 both become the Service gpt2-1-2-0-rc-1: the traffic of one would reach the other',
      },
    });
    expect(clash('nginx')).toMatchObject({
      kind: 'refused',
      refusal: {
        reason: expect.stringContaining('both become the nginx upstream modelgate_gpt2__1_2_0_rc_1'),
      },
    });
  });

  it('chooses the only configured target, or the one named, and refuses guesses', () => {
    expect(chooseTarget({ nginx: settings.nginx! }, undefined)).toEqual({ ok: true, target: 'nginx' });
    expect(chooseTarget(settings, 'kserve')).toEqual({ ok: true, target: 'kserve' });
    expect(chooseTarget(settings, undefined)).toMatchObject({
      ok: false,
      reason: 'several targets are configured (gateway-api, kserve, nginx) and none was named',
    });
    expect(chooseTarget({}, undefined)).toMatchObject({
      ok: false,
      reason: 'no deploy target is configured',
    });
    expect(chooseTarget({ nginx: settings.nginx! }, 'istio')).toMatchObject({
      ok: false,
      reason: 'target "istio" is not one of gateway-api, kserve, nginx',
    });
  });
});

describe('Gateway API HTTPRoute', () => {
  it('weights one backendRef per version and validates against the published CRD', () => {
    const plan = planDeploy(facts());
    if (plan.kind !== 'apply') throw new Error(JSON.stringify(plan));
    expect(plan.rendered.path).toBe('apps/gpt2/httproute.yaml');
    expect(plan.rendered.gitops).toEqual({ repository: 'acme/gitops', branch: 'main' });
    const route = parse(plan.rendered.content);
    expect(route).toEqual(plan.rendered.objects[0]);
    expect(route.spec.rules[0].backendRefs).toEqual([
      { name: 'gpt2-1-0-0', port: 8000, weight: 90 },
      { name: 'gpt2-1-1-0', port: 8000, weight: 10 },
    ]);
    expect(route.metadata.annotations['modelgate.dev/deployment']).toBe('1000');
    expect(httpRoute(route)).toEqual([]);
  });

  it('adds a RequestMirror filter with its percent for a shadow, still valid', () => {
    const plan = planDeploy(facts({ payload: { ...payload, weight: 0, mirror: 25 } }));
    if (plan.kind !== 'apply') throw new Error(JSON.stringify(plan));
    const route = plan.rendered.objects[0] as any;
    expect(route.spec.rules[0].filters).toEqual([
      {
        type: 'RequestMirror',
        requestMirror: { backendRef: { name: 'gpt2-1-1-0', port: 8000 }, percent: 25 },
      },
    ]);
    expect(httpRoute(route)).toEqual([]);
  });

  it('the CRD check catches what a cluster would silently drop or refuse', () => {
    const plan = planDeploy(facts());
    if (plan.kind !== 'apply') throw new Error('not applied');
    const route = structuredClone(plan.rendered.objects[0]) as any;
    route.spec.rules[0].backendRefs[0].wieght = 90;
    route.spec.rules[0].backendRefs[1].weight = 2_000_000;
    expect(httpRoute(route).join('\n')).toMatch(
      /must NOT have additional properties.*wieght[\s\S]*must be <= 1000000/,
    );
  });

  it("answers each model's own host name with {model} in hostnames; a model name no host can carry is refused", () => {
    const own = {
      ...settings,
      gatewayApi: { ...settings.gatewayApi!, hostnames: ['{model}.llm.example.com'] },
    };
    const plan = planDeploy(facts({ settings: own }));
    if (plan.kind !== 'apply') throw new Error(JSON.stringify(plan));
    const route = plan.rendered.objects[0] as any;
    expect(route.spec.hostnames).toEqual(['gpt2.llm.example.com']);
    expect(httpRoute(route)).toEqual([]);
    // A model in a folder (GTO's dir:name) holds a ":": rewritten, two models could share one host.
    const inFolder = { ...payload, model: 'team:gpt2' };
    expect(
      planDeploy(
        facts({
          settings: own,
          deployment: { ...deployment, ref: 'team=gpt2@v1.1.0', payload: inFolder },
          payload: inFolder,
        }),
      ),
    ).toMatchObject({
      kind: 'refused',
      refusal: {
        reason:
          'deploy.gateway_api.hostnames "{model}.llm.example.com" puts the model\'s name in a host name, and team:gpt2 is not one (a-z, 0-9 and - only)',
      },
    });
  });

  it('refuses a Service template that gives no Kubernetes name', () => {
    const bad = { ...settings, gatewayApi: { ...settings.gatewayApi!, service: '{version}' } };
    expect(planDeploy(facts({ settings: bad }))).toMatchObject({
      kind: 'refused',
      refusal: {
        reason: expect.stringMatching(
          /^deploy\.gateway_api\.service "\{version\}" gives no Kubernetes name for gpt2 1\.0\.0/,
        ),
      },
    });
  });
});

describe('KServe InferenceService', () => {
  it('points the predictor at the version and sends canaryTrafficPercent to it; valid against the CRD', () => {
    const plan = planDeploy(facts({ target: 'kserve' }));
    if (plan.kind !== 'apply') throw new Error(JSON.stringify(plan));
    const service = parse(plan.rendered.content);
    expect(service.spec.predictor).toEqual({
      canaryTrafficPercent: 10,
      model: { modelFormat: { name: 'huggingface' }, storageUri: 's3://models/gpt2/1.1.0/' },
    });
    expect(plan.rendered.gitops).toEqual({});
    expect(inferenceService(service)).toEqual([]);
  });

  // Before: the storageUri came from the template alone, so a release whose manifest listed its weights
  // elsewhere (or none) was served from whatever the URI held: weights nobody checked.
  it("is tied to the weights the release's manifest lists: anything else is refused", () => {
    const refused = (weights: DeployFacts['weights']) => {
      const plan = planDeploy(facts({ target: 'kserve', weights }));
      return plan.kind === 'refused' ? plan.refusal.reason : `not refused: ${plan.kind}`;
    };
    expect(refused(releasedManifest(['s3://other-bucket/gpt2/model.safetensors']))).toBe(
      'KServe would load gpt2 1.1.0 from s3://models/gpt2/1.1.0/, but its manifest lists a weights file elsewhere (s3://other-bucket/gpt2/model.safetensors)',
    );
    // A sibling folder whose name merely starts the same is elsewhere too.
    expect(refused(releasedManifest(['s3://models/gpt2/1.1.0-rc/model.safetensors']))).toMatch(
      /^KServe would load/,
    );
    expect(refused(releasedManifest([]))).toBe(
      'the manifest of gpt2 1.1.0 lists no weights, so what s3://models/gpt2/1.1.0/ holds is nothing the release checked',
    );
    expect(refused(releasedManifest(undefined, { version: '1.0.0' }))).toBe(
      'models/gpt2/model.yaml at gpt2@v1.1.0 is the manifest of gpt2 1.0.0, not of gpt2 1.1.0',
    );
    expect(refused({ manifest: 'models/gpt2/model.yaml', unreadable: 'no such file at the tag' })).toBe(
      'the manifest models/gpt2/model.yaml at gpt2@v1.1.0 cannot be read (no such file at the tag), so what s3://models/gpt2/1.1.0/ holds cannot be tied to the release',
    );
    expect(refused({ manifest: 'models/gpt2/model.yaml', text: 'name: [' })).toMatch(
      /^the manifest models\/gpt2\/model\.yaml at gpt2@v1\.1\.0 is not valid \(/,
    );
    expect(refused(undefined)).toMatch(/^the manifest of gpt2 1\.1\.0 was not read/);
    // Compared as parsed URIs: a .. that climbs out of the folder is refused, never resolved by prefix.
    expect(refused(releasedManifest(['s3://models/gpt2/1.1.0/../../other/model.safetensors']))).toBe(
      'the manifest of gpt2 1.1.0 lists the weights file s3://models/gpt2/1.1.0/../../other/model.safetensors, which has an empty, . or .. path segment, so where it points depends on who resolves it, so whether KServe loads it cannot be told',
    );
    // ...and the same place spelled another way is the release's (storage.googleapis.com is gs://).
    const gcs = facts({
      target: 'kserve',
      settings: { ...settings, kserve: { ...settings.kserve!, storageUri: 'gs://models/{model}/{version}' } },
      weights: releasedManifest(['HTTPS://storage.googleapis.com/models/gpt2/1.1.0/model.safetensors']),
    });
    expect(planDeploy(gcs).kind).toBe('apply');
    // An https storageUri is one URL KServe downloads: it must be a listed file, not their folder.
    const https = (storageUri: string) =>
      planDeploy(
        facts({
          target: 'kserve',
          settings: { ...settings, kserve: { ...settings.kserve!, storageUri } },
          weights: releasedManifest(['https://models.example/gpt2/1.1.0/model.tar.gz']),
        }),
      );
    expect(https('https://models.example/{model}/{version}/model.tar.gz').kind).toBe('apply');
    expect(https('https://models.example/{model}/{version}')).toMatchObject({
      refusal: {
        reason:
          'KServe would download https://models.example/gpt2/1.1.0 itself for gpt2 1.1.0, and it is none of the weights files its manifest lists',
      },
    });
    // The folder itself, with or without a trailing slash, and every file in it, are the release's.
    const exact = facts({
      target: 'kserve',
      settings: {
        ...settings,
        kserve: { ...settings.kserve!, storageUri: 's3://models/{model}/{version}/' },
      },
      weights: releasedManifest([
        's3://models/gpt2/1.1.0/a.safetensors',
        's3://models/gpt2/1.1.0/b/c.safetensors',
      ]),
    });
    expect(planDeploy(exact).kind).toBe('apply');
    // The other targets never read it.
    expect(planDeploy(facts({ weights: undefined })).kind).toBe('apply');
  });

  // Before: the manifest came from the payload's path, so a deployment naming a decoy at the release
  // (an example declaring gpt2 1.1.0 with weights under the storageUri) tied KServe to the decoy's weights.
  it("reads the weights only from the release's manifest: the tag's Manifest: line, else the globs", () => {
    const decoy = 'docs/example.yaml';
    const kserve = (over: Partial<DeployFacts>) => {
      const plan = planDeploy(
        facts({
          target: 'kserve',
          payload: { ...payload, manifest: decoy },
          weights: { ...releasedManifest(), manifest: decoy },
          ...over,
        }),
      );
      return plan.kind === 'refused' ? plan.refusal.reason : `not refused: ${plan.kind}`;
    };
    const recorded = {
      exists: true,
      annotated: true,
      commit: SHA,
      manifest: 'models/gpt2/model.yaml',
    } as const;
    expect(kserve({ tag: recorded })).toBe(
      'the deployment names the manifest "docs/example.yaml", but gpt2@v1.1.0 records "models/gpt2/model.yaml" as the release\'s manifest',
    );
    expect(kserve({})).toBe(
      'gpt2@v1.1.0 records no manifest (no Manifest: line), and "docs/example.yaml", the manifest the deployment names, is not one the registry\'s manifest globs [models/**/model.yaml] find',
    );
    // A recorded path outside the globs is the release's all the same; the globs matter only without one.
    expect(kserve({ tag: { ...recorded, manifest: decoy } })).toBe('not refused: apply');
    expect(planDeploy(facts({ target: 'kserve', tag: recorded })).kind).toBe('apply');
    expect(planDeploy(facts({ target: 'kserve' })).kind).toBe('apply');
    // Spelled another way, the same file is refused: the payload keeps the path's normal form.
    expect(kserve({ tag: recorded, payload: { ...payload, manifest: 'models/./gpt2/model.yaml' } })).toMatch(
      /is not in its normal form "models\/gpt2\/model\.yaml"$/,
    );
    // The other targets never read the manifest: their routing is by model and version.
    expect(planDeploy(facts({ tag: recorded, payload: { ...payload, manifest: decoy } })).kind).toBe('apply');
  });

  it('promotes at 100 by leaving canaryTrafficPercent out', () => {
    const plan = planDeploy(facts({ target: 'kserve', payload: { ...payload, weight: 100 } }));
    if (plan.kind !== 'apply') throw new Error('not applied');
    const service = plan.rendered.objects[0] as any;
    expect(service.spec.predictor.canaryTrafficPercent).toBeUndefined();
    expect(inferenceService(service)).toEqual([]);
  });

  it('refuses a shadow: KServe has no request mirror', () => {
    expect(
      planDeploy(facts({ target: 'kserve', payload: { ...payload, weight: 0, mirror: 10 } })),
    ).toMatchObject({
      kind: 'refused',
      refusal: {
        reason: 'KServe cannot mirror requests: gpt2 1.0.0 answers 100%; 10% of requests are copied to 1.1.0',
      },
    });
  });
});

describe('blue-green: the preview beside production, then the switch', () => {
  const preview = { ...payload, weight: 0, strategy: 'blue_green' as const, role: 'preview' as const };
  const active = {
    ...payload,
    weight: 100,
    strategy: 'blue_green' as const,
    role: 'active' as const,
    scale_down_delay: 1800,
  };
  const withHeader = {
    ...settings,
    gatewayApi: { ...settings.gatewayApi!, previewHeader: 'x-modelgate-preview' },
  };

  it('plans the preview with no user traffic, and the switch keeping the version it replaced', () => {
    expect(planRouting(preview, '1.0.0')).toEqual({
      ok: true,
      plan: {
        model: 'gpt2',
        version: '1.1.0',
        backends: [{ version: '1.0.0', weight: 100 }],
        preview: { version: '1.1.0' },
        summary: 'gpt2 1.0.0 answers 100%; 1.1.0 is deployed beside it as a preview (no user traffic)',
      },
    });
    expect(planRouting(active, '1.0.0')).toEqual({
      ok: true,
      plan: {
        model: 'gpt2',
        version: '1.1.0',
        backends: [{ version: '1.1.0', weight: 100 }],
        standby: { version: '1.0.0', seconds: 1800 },
        summary: 'gpt2 1.1.0 answers 100% of requests; 1.0.0 stays in place with no traffic for 1800 s',
      },
    });
    // The switch back is blue's own switch: green is kept in turn.
    expect(planRouting({ ...active, version: '1.0.0', scale_down_delay: 0 }, '1.1.0')).toMatchObject({
      ok: true,
      plan: { backends: [{ version: '1.0.0', weight: 100 }], standby: { version: '1.1.0', seconds: 0 } },
    });
    // The first version ever: nothing to protect, it answers (as Argo Rollouts promotes a first blue-green at once).
    expect(planRouting(preview, undefined)).toMatchObject({
      ok: true,
      plan: {
        backends: [{ version: '1.1.0', weight: 100 }],
        summary:
          'gpt2 1.1.0 answers 100% of requests (asked 0% as a preview: no other version is live in production, so it answers every request)',
      },
    });
    // A payload that slipped past the contract is still not routed.
    expect(planRouting({ ...preview, weight: 10 }, '1.0.0')).toMatchObject({
      ok: false,
      reason: 'gpt2 1.1.0 is a blue-green preview at 10%: a preview takes 0%, the switch 100%',
    });
  });

  it('Gateway API: the preview is a weight-0 backendRef, reachable by header when configured; valid against the CRD', () => {
    const plain = planDeploy(
      facts({ payload: preview, deployment: { ...deployment, environment: 'preview' } }),
    );
    if (plain.kind !== 'apply') throw new Error(JSON.stringify(plain));
    const route = plain.rendered.objects[0] as any;
    expect(route.spec.rules).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/v1' } }],
        backendRefs: [
          { name: 'gpt2-1-0-0', port: 8000, weight: 100 },
          { name: 'gpt2-1-1-0', port: 8000, weight: 0 },
        ],
      },
    ]);
    expect(httpRoute(route)).toEqual([]);

    const header = planDeploy(facts({ payload: preview, settings: withHeader }));
    if (header.kind !== 'apply') throw new Error(JSON.stringify(header));
    const routed = parse(header.rendered.content);
    expect(routed.spec.rules[0]).toEqual({
      matches: [
        {
          path: { type: 'PathPrefix', value: '/v1' },
          headers: [{ type: 'Exact', name: 'x-modelgate-preview', value: '1.1.0' }],
        },
      ],
      backendRefs: [{ name: 'gpt2-1-1-0', port: 8000, weight: 1 }],
    });
    expect(routed.spec.rules[1]).toEqual(route.spec.rules[0]);
    expect(httpRoute(routed)).toEqual([]);
  });

  it('Gateway API: the switch sends everything to green and keeps blue at weight 0, annotated for clean-up', () => {
    const plan = planDeploy(
      facts({
        payload: active,
        settings: withHeader,
        deployment: { ...deployment, environment: 'production' },
      }),
    );
    if (plan.kind !== 'apply') throw new Error(JSON.stringify(plan));
    const route = parse(plan.rendered.content);
    expect(route.spec.rules).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/v1' } }],
        backendRefs: [
          { name: 'gpt2-1-1-0', port: 8000, weight: 100 },
          { name: 'gpt2-1-0-0', port: 8000, weight: 0 },
        ],
      },
    ]);
    expect(route.metadata.annotations).toMatchObject({
      'modelgate.dev/standby-version': '1.0.0',
      'modelgate.dev/scale-down-delay-seconds': '1800',
    });
    expect(httpRoute(route)).toEqual([]);
  });

  it('KServe: the preview is canaryTrafficPercent 0 with tag routing (its latest- URL); the switch promotes', () => {
    const shown = planDeploy(facts({ target: 'kserve', payload: preview }));
    if (shown.kind !== 'apply') throw new Error(JSON.stringify(shown));
    const service = parse(shown.rendered.content);
    expect(service.metadata.annotations['serving.kserve.io/enable-tag-routing']).toBe('true');
    expect(service.spec.predictor).toEqual({
      canaryTrafficPercent: 0,
      model: { modelFormat: { name: 'huggingface' }, storageUri: 's3://models/gpt2/1.1.0/' },
    });
    expect(inferenceService(service)).toEqual([]);

    const switched = planDeploy(facts({ target: 'kserve', payload: active }));
    if (switched.kind !== 'apply') throw new Error(JSON.stringify(switched));
    const promoted = switched.rendered.objects[0] as any;
    expect(promoted.spec.predictor.canaryTrafficPercent).toBeUndefined();
    expect(promoted.metadata.annotations['serving.kserve.io/enable-tag-routing']).toBeUndefined();
    expect(inferenceService(promoted)).toEqual([]);
  });
});
