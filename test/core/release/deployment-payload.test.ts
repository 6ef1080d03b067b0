import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { manifestSchema, type Manifest } from '../../../src/core/manifest/schema.js';
import {
  deploymentPayloadJsonSchema,
  parseDeploymentPayload,
  planFirstDeployment,
  planRelease,
  readDeploymentPayload,
  type ReleaseCandidate,
  type ReleaseContext,
} from '../../../src/core/release/plan.js';

const TRIGGER = 'c0ffee'.padEnd(40, '0');
/** A canary step as command: release wrote it before strategies existed. */
const canary = {
  model: 'gpt2',
  version: '1.1.0',
  weight: 10,
  manifest: 'models/gpt2/model.yaml',
  trigger: TRIGGER,
};

// The published JSON Schema, compiled as a deployer in another language would use it.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const jsonSchemaAccepts = ajv.compile(deploymentPayloadJsonSchema());

describe('the Deployment payload: strategy fields (schema/deployment-payload.schema.json)', () => {
  // Each row: a payload, and the field and message the contract refuses it with (undefined: accepted).
  const cases: [string, Record<string, unknown>, string | undefined][] = [
    ['a canary step, as before strategies', canary, undefined],
    ['a shadow: weight 0 and a mirror', { ...canary, weight: 0, strategy: 'shadow', mirror: 10 }, undefined],
    ['an A/B split', { ...canary, weight: 50, strategy: 'ab' }, undefined],
    ['a blue-green preview', { ...canary, weight: 0, strategy: 'blue_green', role: 'preview' }, undefined],
    [
      'a blue-green switch keeping blue 30 minutes',
      { ...canary, weight: 100, strategy: 'blue_green', role: 'active', scale_down_delay: 1800 },
      undefined,
    ],
    [
      'a role without blue_green',
      { ...canary, weight: 0, role: 'preview' },
      'role: role is for blue_green deployments only (strategy: blue_green)',
    ],
    [
      'a role under another strategy',
      { ...canary, weight: 0, strategy: 'shadow', mirror: 5, role: 'preview' },
      'role: role is for blue_green deployments only (strategy: blue_green)',
    ],
    [
      'a preview that takes traffic',
      { ...canary, weight: 5, strategy: 'blue_green', role: 'preview' },
      'weight: a preview takes no traffic: role preview needs weight 0',
    ],
    [
      'a switch that is not whole',
      { ...canary, weight: 90, strategy: 'blue_green', role: 'active' },
      'weight: the switch moves every request: role active needs weight 100',
    ],
    [
      'a scale-down delay on a preview',
      { ...canary, weight: 0, strategy: 'blue_green', role: 'preview', scale_down_delay: 60 },
      'scale_down_delay: scale_down_delay keeps the previous version after a switch: it needs role active',
    ],
    [
      'a scale-down delay on a canary step',
      { ...canary, weight: 100, scale_down_delay: 60 },
      'scale_down_delay: scale_down_delay keeps the previous version after a switch: it needs role active',
    ],
    [
      'a mirror with no strategy',
      { ...canary, weight: 0, mirror: 10 },
      'mirror: mirror is for shadow deployments only (strategy: shadow)',
    ],
    [
      'a mirror on an A/B split',
      { ...canary, weight: 50, strategy: 'ab', mirror: 10 },
      'mirror: mirror is for shadow deployments only (strategy: shadow)',
    ],
    [
      'a shadow that also answers requests',
      { ...canary, weight: 10, strategy: 'shadow', mirror: 10 },
      'weight: a shadow answers no one: mirror needs weight 0',
    ],
    [
      'an unknown strategy',
      { ...canary, strategy: 'rainbow' },
      'strategy: Invalid option: expected one of "blue_green"|"shadow"|"ab"',
    ],
    [
      'a negative delay',
      { ...canary, weight: 100, strategy: 'blue_green', role: 'active', scale_down_delay: -1 },
      'scale_down_delay: Too small: expected number to be >=0',
    ],
  ];

  it.each(cases)('%s', (_, payload, refusal) => {
    const parsed = parseDeploymentPayload(payload);
    expect(parsed).toEqual(refusal === undefined ? { ok: true, payload } : { ok: false, problem: refusal });
    // The JSON Schema a deployer validates with holds the same rules as modelgate's own check.
    expect(jsonSchemaAccepts(payload), JSON.stringify(jsonSchemaAccepts.errors)).toBe(refusal === undefined);
  });

  it('publishes the new fields, with their bounds, in the JSON Schema', () => {
    const schema = deploymentPayloadJsonSchema() as {
      properties: Record<string, { enum?: string[]; minimum?: number; maximum?: number }>;
      allOf: unknown[];
    };
    expect(schema.properties.strategy!.enum).toEqual(['blue_green', 'shadow', 'ab']);
    expect(schema.properties.role!.enum).toEqual(['preview', 'active']);
    expect(schema.properties.scale_down_delay).toMatchObject({ minimum: 0, maximum: 2_592_000 });
    expect(schema.properties.mirror).toMatchObject({ minimum: 1, maximum: 100 });
    expect(schema.allOf).toHaveLength(6);
  });

  it('still reads the payloads written before strategies (an object, or a JSON string without trigger)', () => {
    const { trigger: _, ...beforeTriggers } = canary;
    expect(readDeploymentPayload(JSON.stringify(beforeTriggers))).toEqual(beforeTriggers);
    expect(readDeploymentPayload(canary)).toEqual(canary);
    const preview = { ...canary, weight: 0, strategy: 'blue_green', role: 'preview' };
    expect(readDeploymentPayload(preview)).toEqual(preview);
    expect(readDeploymentPayload({ app: 'web' })).toBeUndefined();
  });
});

/** The example registry's support-bot manifest (examples/registry), with a rollout block of spec §1 added. */
function manifestWith(rollout: Record<string, unknown> | undefined): Manifest {
  const file = join(import.meta.dirname, '../../../examples/registry/models/support-bot/model.yaml');
  const manifest = manifestSchema.parse(parse(readFileSync(file, 'utf8')));
  // The manifest schema's rollout block lands with the manifest helper; until then it is added here.
  return (rollout ? { ...manifest, rollout } : manifest) as Manifest;
}

const context: ReleaseContext = {
  trigger: TRIGGER,
  stages: ['canary', 'production'],
  environments: {},
  sharedRepository: false,
};

function candidate(manifest: Manifest): ReleaseCandidate {
  return {
    facts: {
      name: manifest.name,
      manifest,
      manifestFile: 'models/support-bot/model.yaml',
    } as ReleaseCandidate['facts'],
    kind: 'new',
    commit: 'ab'.repeat(20),
    manifestDigest: '0'.repeat(64),
    findings: [],
    digests: new Map(),
    metrics: [],
  };
}

describe("a release's first deployment, by strategy", () => {
  const first = (rollout?: Record<string, unknown>, over: Partial<ReleaseContext> = {}) => {
    const manifest = manifestWith(rollout);
    return planFirstDeployment({ name: manifest.name, manifest }, 'new', { ...context, ...over });
  };

  it('canary (no rollout block): the first stage at the first step, as before', () => {
    const manifest = manifestWith(undefined);
    expect(first()).toEqual({
      stage: 'canary',
      environment: 'canary',
      weight: manifest.canary!.steps![0],
      production: false,
      description: `Deploy support-bot ${manifest.version} to canary at ${manifest.canary!.steps![0]}%`,
    });
    expect(first({ strategy: 'canary' })).toEqual(first());
  });

  it('shadow: the first stage at weight 0, mirroring rollout.shadow.mirror percent (default 10)', () => {
    expect(first({ strategy: 'shadow', shadow: { mirror: 25 } })).toMatchObject({
      environment: 'canary',
      weight: 0,
      strategy: 'shadow',
      mirror: 25,
      description: expect.stringMatching(
        /^Shadow support-bot \S+ in canary, mirroring 25% of requests \(answers none\)$/,
      ),
    });
    expect(first({ strategy: 'shadow' })).toMatchObject({ weight: 0, mirror: 10 });
  });

  it('ab: the first stage at rollout.ab.split (default 50)', () => {
    expect(first({ strategy: 'ab', ab: { split: 20 } })).toMatchObject({
      environment: 'canary',
      weight: 20,
      strategy: 'ab',
      description: expect.stringMatching(/^A\/B test support-bot \S+ in canary at 20% \(B\)$/),
    });
    expect(first({ strategy: 'ab' })).toMatchObject({ weight: 50 });
  });

  it('blue_green: the preview environment at weight 0, never flagged production', () => {
    const preview = first({ strategy: 'blue_green' });
    expect(preview).toMatchObject({
      stage: 'preview',
      environment: 'preview',
      weight: 0,
      strategy: 'blue_green',
      role: 'preview',
      production: false,
      description: expect.stringMatching(/^Preview support-bot \S+ beside production \(no traffic\)$/),
    });
    expect(first({ strategy: 'blue_green' }, { sharedRepository: true }).environment).toBe(
      'support-bot/preview',
    );
    expect(first({ strategy: 'blue_green' }, { environments: { preview: 'llm-preview' } }).environment).toBe(
      'llm-preview',
    );
    // Even when production is the only stage, a preview is not a production deployment.
    expect(first({ strategy: 'blue_green' }, { stages: ['production'] }).production).toBe(false);
  });

  it('planRelease writes the strategy fields into the payload, which keeps the contract, and is idempotent', () => {
    const manifest = manifestWith({ strategy: 'blue_green' });
    const plan = planRelease([candidate(manifest)], context, {
      registry: new Map(),
      releases: new Set(),
      deployments: [],
    });
    const deployment = plan.steps.find((s) => s.kind === 'deployment')!;
    expect(deployment).toMatchObject({
      stage: 'preview',
      environment: 'preview',
      production: false,
      payload: { weight: 0, strategy: 'blue_green', role: 'preview', trigger: TRIGGER },
    });
    if (deployment.kind !== 'deployment') throw new Error('no deployment');
    expect(parseDeploymentPayload(deployment.payload)).toEqual({ ok: true, payload: deployment.payload });
    // The same push again: the preview deployment exists, so nothing is created twice.
    const again = planRelease([candidate(manifest)], context, {
      registry: new Map(),
      releases: new Set(),
      deployments: [{ environment: 'preview', payload: deployment.payload }],
    });
    expect(again.steps.find((s) => s.kind === 'deployment')!.done).toBe(true);
    // A deployment of the version in the first stage's environment is not the preview.
    const elsewhere = planRelease([candidate(manifest)], context, {
      registry: new Map(),
      releases: new Set(),
      deployments: [{ environment: 'canary', payload: deployment.payload }],
    });
    expect(elsewhere.steps.find((s) => s.kind === 'deployment')!.done).toBe(false);
  });

  it('a shadow release payload keeps the contract too', () => {
    const plan = planRelease([candidate(manifestWith({ strategy: 'shadow' }))], context, {
      registry: new Map(),
      releases: new Set(),
      deployments: [],
    });
    const deployment = plan.steps.find((s) => s.kind === 'deployment');
    if (deployment?.kind !== 'deployment') throw new Error('no deployment');
    expect(deployment.payload).toMatchObject({ weight: 0, strategy: 'shadow', mirror: 10 });
    expect(parseDeploymentPayload(deployment.payload).ok).toBe(true);
  });
});
