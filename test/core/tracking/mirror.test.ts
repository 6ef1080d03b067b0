import { describe, expect, it } from 'vitest';
import type { ReleasePlan } from '../../../src/core/release/plan.js';
import {
  aliasProblem,
  mirrorTarget,
  modelVersionSearchRequest,
  planRegistryMirror,
  readModelVersionPage,
  releaseMirrors,
  type MirrorTarget,
  type RegistryMirrorSettings,
} from '../../../src/core/tracking/mirror.js';
import { messageProblems } from '../../helpers/fake-mlflow.js';

const RUN = '8c1e5d0f2a3b4c5d6e7f8091a2b3c4d5';
const ON: RegistryMirrorSettings = { mirror: true, models: {}, aliases: {} };
const assignment = { model: 'support-bot', version: '1.3.0', stage: 'canary', trainingRun: `runs:/${RUN}` };

/**
 * A model-versions/search answer as an MLflow 2.x server writes it
 * (ModelVersion.to_proto through the REST handler's JSON: int64 timestamps
 * as numbers, enums by name, empty fields left out).
 */
function searchAnswer(
  versions: { version: string; run_id?: string; status?: string; aliases?: string[]; tags?: object[] }[],
) {
  return {
    model_versions: versions.map((v) => ({
      name: 'support-bot',
      version: v.version,
      creation_timestamp: 1718004000123,
      last_updated_timestamp: 1718004000123,
      current_stage: 'None',
      source: `mlflow-artifacts:/12/${v.run_id ?? RUN}/artifacts/model`,
      run_id: v.run_id ?? RUN,
      ...(v.status !== null ? { status: v.status ?? 'READY' } : {}),
      ...(v.tags ? { tags: v.tags } : {}),
      ...(v.aliases ? { aliases: v.aliases } : {}),
    })),
  };
}

const target = (settings = ON, a: typeof assignment | Omit<typeof assignment, 'trainingRun'> = assignment) =>
  mirrorTarget(a, settings) as Extract<MirrorTarget, { ok: true }>;

describe('where an assignment is mirrored', () => {
  it('nowhere unless the repository opted in', () => {
    expect(mirrorTarget(assignment, { ...ON, mirror: false })).toBeUndefined();
  });

  it('by default to the registered model of the same name, the alias named like the stage', () => {
    expect(mirrorTarget(assignment, ON)).toEqual({
      ok: true,
      model: 'support-bot',
      version: '1.3.0',
      stage: 'canary',
      registeredModel: 'support-bot',
      alias: 'canary',
      runId: RUN,
      release: 'support-bot@v1.3.0',
    });
  });

  it('to the registered name and the alias the settings map', () => {
    const mapped = target(
      { mirror: true, models: { 'support-bot': 'main.ml.support_bot' }, aliases: { production: 'champion' } },
      { ...assignment, stage: 'production' },
    );
    expect(mapped).toMatchObject({ registeredModel: 'main.ml.support_bot', alias: 'champion' });
  });

  it('keeps the server a full reference names, so credentials go only to the configured one', () => {
    const ref = `mlflow://mlflow.acme.internal:5000/#/experiments/12/runs/${RUN}`;
    expect(target(ON, { ...assignment, trainingRun: ref })).toMatchObject({
      runId: RUN,
      server: 'mlflow.acme.internal:5000',
    });
  });

  it.each([
    [
      'no training run',
      { model: 'support-bot', version: '1.3.0', stage: 'canary' },
      'the manifest of 1.3.0 names no training.run',
      'Set training.run',
    ],
    [
      'a W&B run',
      { ...assignment, trainingRun: 'wandb://acme/support/runs/3k9x2' },
      "training.run is a W&B run; the registry modelgate mirrors to is MLflow's",
      'turn tracking.registry.mirror off',
    ],
    [
      'free text',
      { ...assignment, trainingRun: 'the run from June' },
      'training.run "the run from June" is not a run reference',
      'runs:/<run-id>',
    ],
    [
      'a stage no alias can spell',
      { ...assignment, stage: 'prod/eu' },
      'the stage prod/eu has no MLflow alias',
      'tracking.registry.aliases in .github/modelgate.yml (e.g. prod-eu)',
    ],
  ])('not for %s: a problem with its fix', (_, a, problem, fix) => {
    const found = mirrorTarget(a, ON);
    expect(found).toMatchObject({ ok: false });
    const failed = found as Extract<MirrorTarget, { ok: false }>;
    expect(failed.problem).toContain(problem);
    expect(failed.fix).toContain(fix);
  });
});

describe("MLflow's alias rule", () => {
  it.each(['canary', 'production', 'champion', 'canary-eu', 'stage_2'])('%s is an alias', (alias) =>
    expect(aliasProblem(alias)).toBeUndefined(),
  );
  it.each([
    ['prod/eu', 'not an MLflow alias'],
    ['latest', 'reserved'],
    ['Latest', 'reserved'],
    ['v3', 'reserved'],
    ['V12', 'reserved'],
    ['', 'not an MLflow alias'],
  ])('%j is refused (%s)', (alias, why) => expect(aliasProblem(alias)).toContain(why));
});

describe('finding the version a run registered', () => {
  it('searches by registered name and run id, a request MLflow accepts', () => {
    const request = modelVersionSearchRequest('support-bot', RUN);
    const url = new URL(request.path, 'http://mlflow');
    expect(request.method).toBe('GET');
    expect(url.pathname).toBe('/api/2.0/mlflow/model-versions/search');
    expect(url.searchParams.get('filter')).toBe(`name='support-bot' and run_id='${RUN}'`);
    expect(messageProblems('SearchModelVersions', Object.fromEntries(url.searchParams))).toEqual([]);
  });

  it("reads a real answer's shape, and an absent status as proto2's default (not READY)", () => {
    const page = readModelVersionPage(searchAnswer([{ version: '3', status: null as unknown as string }]));
    expect(page.versions).toEqual([
      {
        name: 'support-bot',
        version: '3',
        runId: RUN,
        status: 'PENDING_REGISTRATION',
        aliases: [],
        tags: {},
      },
    ]);
    expect(() => readModelVersionPage({ model_versions: 'no' })).toThrow(
      'model-versions/search answered something that is not a list of model versions',
    );
  });
});

describe('planning the mirror', () => {
  it('sets the three version tags, then the alias, each a request the protos accept', () => {
    const plan = planRegistryMirror(
      target(),
      readModelVersionPage(searchAnswer([{ version: '3' }])).versions,
    );
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.version).toBe('3');
    expect(plan.steps.map((s) => [s.what, s.done])).toEqual([
      ['tag modelgate.version=1.3.0', false],
      ['tag modelgate.release=support-bot@v1.3.0', false],
      ['tag modelgate.stage=canary', false],
      ['alias @canary', false],
    ]);
    expect(plan.steps.map((s) => s.request.path)).toEqual([
      '/api/2.0/mlflow/model-versions/set-tag',
      '/api/2.0/mlflow/model-versions/set-tag',
      '/api/2.0/mlflow/model-versions/set-tag',
      '/api/2.0/mlflow/registered-models/alias',
    ]);
    expect(plan.steps.at(-1)!.request.body).toEqual({ name: 'support-bot', alias: 'canary', version: '3' });
    for (const step of plan.steps)
      expect(
        messageProblems(
          step.kind === 'tag' ? 'SetModelVersionTag' : 'SetRegisteredModelAlias',
          step.request.body,
        ),
      ).toEqual([]);
  });

  it('is idempotent: what the version holds already is done', () => {
    const mirrored = searchAnswer([
      {
        version: '3',
        aliases: ['canary'],
        tags: [
          { key: 'modelgate.version', value: '1.3.0' },
          { key: 'modelgate.release', value: 'support-bot@v1.3.0' },
          { key: 'modelgate.stage', value: 'canary' },
        ],
      },
    ]);
    const plan = planRegistryMirror(target(), readModelVersionPage(mirrored).versions);
    expect(plan.ok && plan.steps.every((s) => s.done)).toBe(true);
  });

  it('moves a stage: a version promoted to production keeps its tags and gains the alias', () => {
    const canary = searchAnswer([
      {
        version: '3',
        aliases: ['canary'],
        tags: [
          { key: 'modelgate.version', value: '1.3.0' },
          { key: 'modelgate.release', value: 'support-bot@v1.3.0' },
          { key: 'modelgate.stage', value: 'canary' },
        ],
      },
    ]);
    const plan = planRegistryMirror(
      target(ON, { ...assignment, stage: 'production' }),
      readModelVersionPage(canary).versions,
    );
    expect(plan.ok && plan.steps.filter((s) => !s.done).map((s) => s.what)).toEqual([
      'tag modelgate.stage=production',
      'alias @production',
    ]);
  });

  it('checks the answer again: a version of another run the server returned is not used', () => {
    const plan = planRegistryMirror(
      target(),
      readModelVersionPage(searchAnswer([{ version: '2', run_id: 'ffff0000' }])).versions,
    );
    expect(plan).toMatchObject({
      ok: false,
      problem: `MLflow model "support-bot" has no version from run ${RUN}`,
    });
    expect(!plan.ok && plan.fix).toContain(
      `mlflow.register_model("runs:/${RUN}/<artifact-path>", "support-bot")`,
    );
  });

  it('never guesses between two versions of one run', () => {
    const plan = planRegistryMirror(
      target(),
      readModelVersionPage(searchAnswer([{ version: '3' }, { version: '4' }])).versions,
    );
    expect(plan).toMatchObject({ ok: false });
    expect(!plan.ok && plan.problem).toBe(
      `versions 3, 4 of MLflow model "support-bot" all come from run ${RUN}; modelgate does not guess which one @canary should load`,
    );
  });

  it('waits for a registration that is not READY', () => {
    const plan = planRegistryMirror(
      target(),
      readModelVersionPage(searchAnswer([{ version: '3', status: 'PENDING_REGISTRATION' }])).versions,
    );
    expect(!plan.ok && plan.problem).toBe(
      `version 3 (PENDING_REGISTRATION) of MLflow model "support-bot" from run ${RUN} is not READY`,
    );
  });
});

describe('what a release mirrors', () => {
  it("each stage assignment of the plan, with the version's training run", () => {
    const plan: ReleasePlan = {
      steps: [
        {
          kind: 'version-tag',
          model: 'support-bot',
          tag: 'support-bot@v1.3.0',
          commit: 'c',
          message: '',
          done: true,
        },
        {
          kind: 'stage-tag',
          model: 'support-bot',
          tag: 'support-bot#canary#4',
          stage: 'canary',
          version: '1.3.0',
          commit: 'c',
          message: '',
          done: false,
        },
        {
          kind: 'stage-tag',
          model: 'embedder',
          tag: 'embedder#canary#2',
          stage: 'canary',
          version: '0.2.0',
          commit: 'c',
          message: '',
          done: false,
        },
      ],
    };
    const facts = (name: string, version: string, run?: string) => ({
      facts: { name, manifest: { version, ...(run ? { training: { run } } : {}) } },
    });
    expect(
      releaseMirrors(plan, [facts('support-bot', '1.3.0', `runs:/${RUN}`), facts('embedder', '0.2.0')]),
    ).toEqual([
      { model: 'support-bot', version: '1.3.0', stage: 'canary', trainingRun: `runs:/${RUN}` },
      { model: 'embedder', version: '0.2.0', stage: 'canary' },
    ]);
  });
});
