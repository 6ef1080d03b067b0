import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mirrorMarkdown, mirrorWarnings } from '../../../src/core/tracking/mirror-report.js';
import type { RegistryMirrorSettings } from '../../../src/core/tracking/mirror.js';
import { mirrorStageAssignments } from '../../../src/io/tracking/apply-mirror.js';
import { startFakeMlflow, type FakeMlflow } from '../../helpers/fake-mlflow.js';

const RUN = '8c1e5d0f2a3b4c5d6e7f8091a2b3c4d5';
const OLD_RUN = '1a2b3c4d5e6f70819a0b1c2d3e4f5a6b';
const TOKEN = 'mlflow-token-123';
const ON: RegistryMirrorSettings = { mirror: true, models: {}, aliases: {} };
const canary = { model: 'support-bot', version: '1.3.0', stage: 'canary', trainingRun: `runs:/${RUN}` };

let mlflow: FakeMlflow;
beforeAll(async () => {
  mlflow = await startFakeMlflow({ token: TOKEN });
});
afterAll(() => mlflow.close());
beforeEach(() => {
  mlflow.requests.length = 0;
  mlflow.violations.length = 0;
  delete mlflow.failWith;
  // Version 2 (the run of 1.2.0) holds @canary; version 3 was registered from 1.3.0's run, with fields a real server writes.
  mlflow.versions.splice(0, mlflow.versions.length, {
    name: 'support-bot',
    version: '2',
    run_id: OLD_RUN,
    aliases: ['canary', 'production'],
    source: `mlflow-artifacts:/12/${OLD_RUN}/artifacts/model`,
    creation_timestamp: 1717000000000,
    current_stage: 'None',
  });
  mlflow.versions.push({
    name: 'support-bot',
    version: '3',
    run_id: RUN,
    source: `mlflow-artifacts:/12/${RUN}/artifacts/model`,
    creation_timestamp: 1718004000123,
    last_updated_timestamp: 1718004000123,
    current_stage: 'None',
    user_id: 'ml-team',
  });
});
const env = () => ({ MLFLOW_TRACKING_URI: mlflow.url, MLFLOW_TRACKING_TOKEN: TOKEN });
const writes = () => mlflow.requests.filter((r) => r.method === 'POST').map((r) => r.body);

describe('mirroring a stage assignment to the MLflow Model Registry', () => {
  it("tags the run's registered version and points the stage's alias at it", async () => {
    const outcomes = await mirrorStageAssignments([canary], ON, env());
    expect(mlflow.violations).toEqual([]);
    expect(mlflow.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      'GET /api/2.0/mlflow/model-versions/search',
      'POST /api/2.0/mlflow/model-versions/set-tag',
      'POST /api/2.0/mlflow/model-versions/set-tag',
      'POST /api/2.0/mlflow/model-versions/set-tag',
      'POST /api/2.0/mlflow/registered-models/alias',
    ]);
    expect(mlflow.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const [v2, v3] = mlflow.versions;
    expect(v3!.aliases).toEqual(['canary']);
    expect(v2!.aliases).toEqual(['production']);
    expect(v3!.tags).toEqual([
      { key: 'modelgate.version', value: '1.3.0' },
      { key: 'modelgate.release', value: 'support-bot@v1.3.0' },
      { key: 'modelgate.stage', value: 'canary' },
    ]);
    expect(outcomes).toEqual([
      {
        model: 'support-bot',
        version: '1.3.0',
        stage: 'canary',
        destination: 'MLflow model "support-bot" version 3',
        lines: [
          { status: 'set', text: 'tag modelgate.version=1.3.0 set' },
          { status: 'set', text: 'tag modelgate.release=support-bot@v1.3.0 set' },
          { status: 'set', text: 'tag modelgate.stage=canary set' },
          { status: 'set', text: 'alias @canary set' },
        ],
      },
    ]);
    expect(mirrorMarkdown(outcomes).split('\n')).toEqual([
      '### MLflow Model Registry',
      '',
      '- ✅ support-bot 1.3.0 → canary (MLflow model "support-bot" version 3): tag modelgate.version=1.3.0 set',
      // An @ in the summary never mentions anyone: inertMarkdown puts a zero-width space after it.
      '- ✅ support-bot 1.3.0 → canary (MLflow model "support-bot" version 3): tag modelgate.release=support-bot@\u200bv1.3.0 set',
      '- ✅ support-bot 1.3.0 → canary (MLflow model "support-bot" version 3): tag modelgate.stage=canary set',
      '- ✅ support-bot 1.3.0 → canary (MLflow model "support-bot" version 3): alias @\u200bcanary set',
      '',
    ]);
  });

  it('a second run changes nothing: one search, every step in place', async () => {
    await mirrorStageAssignments([canary], ON, env());
    mlflow.requests.length = 0;
    const again = await mirrorStageAssignments([canary], ON, env());
    expect(mlflow.requests.map((r) => r.method)).toEqual(['GET']);
    expect(again[0]!.lines.map((l) => l.status)).toEqual(['in-place', 'in-place', 'in-place', 'in-place']);
    expect(again[0]!.lines[3]!.text).toBe('alias @canary already in place');
    expect(mirrorWarnings(again)).toEqual([]);
  });

  it('a promotion moves the mapped alias and the stage tag, nothing else', async () => {
    await mirrorStageAssignments([canary], ON, env());
    mlflow.requests.length = 0;
    const settings = { ...ON, aliases: { production: 'champion' } };
    await mirrorStageAssignments([{ ...canary, stage: 'production' }], settings, env());
    expect(writes()).toEqual([
      { name: 'support-bot', version: '3', key: 'modelgate.stage', value: 'production' },
      { name: 'support-bot', version: '3', alias: 'champion' },
    ]);
    expect(mlflow.versions[1]!.aliases).toEqual(['canary', 'champion']);
    expect(mlflow.violations).toEqual([]);
  });

  it('writes nothing when the repository did not opt in', async () => {
    expect(await mirrorStageAssignments([canary], { ...ON, mirror: false }, env())).toEqual([]);
    expect(mlflow.requests).toEqual([]);
  });
});

describe('a mirror that cannot happen is said, with its fix, and never throws', () => {
  const failure = async (
    assignment: typeof canary,
    environment: Record<string, string>,
    settings = ON,
  ): Promise<string> => {
    const outcomes = await mirrorStageAssignments([assignment], settings, environment);
    expect(outcomes[0]!.lines.at(-1)!.status).toBe('failed');
    return mirrorWarnings(outcomes).join('\n');
  };

  it('no MLFLOW_TRACKING_URI', async () => {
    expect(await failure(canary, {})).toBe(
      'the MLflow Model Registry does not show support-bot 1.3.0 in canary: not mirrored: no credentials: MLFLOW_TRACKING_URI is not set. Set MLFLOW_TRACKING_URI (and MLFLOW_TRACKING_TOKEN) in the step that releases, or turn tracking.registry.mirror off. The stage assignment itself is done: its git tag is the record.',
    );
  });

  it('the server is down', async () => {
    mlflow.failWith = 503;
    expect(await failure(canary, env())).toContain(
      `not mirrored: 127.0.0.1:${new URL(mlflow.url).port} answered HTTP 503. Re-run the workflow when the tracking server answers; nothing is set twice.`,
    );
  });

  it('the token is refused', async () => {
    const message = await failure(canary, { ...env(), MLFLOW_TRACKING_TOKEN: 'wrong' });
    expect(message).toContain('refused the credentials (HTTP 401) for model-versions/search');
    expect(message).toContain('permission to edit the registered model');
    expect(message).not.toContain('wrong');
  });

  it('a run reference naming another server: no request, no credential sent there', async () => {
    const elsewhere = `mlflow://mlflow.attacker.example/#/experiments/1/runs/${RUN}`;
    expect(await failure({ ...canary, trainingRun: elsewhere }, env())).toContain(
      'the run is on mlflow.attacker.example, but MLFLOW_TRACKING_URI is 127.0.0.1:',
    );
    expect(mlflow.requests).toEqual([]);
  });

  it('the run registered no version of the model', async () => {
    mlflow.versions.pop();
    expect(await failure(canary, env())).toContain(
      `not mirrored: MLflow model "support-bot" has no version from run ${RUN}. Register the run's model`,
    );
    expect(writes()).toEqual([]);
  });

  it('MLflow refuses the alias: the tags set are said, the alias line fails with the fix', async () => {
    mlflow.refuse = {
      rpc: 'setRegisteredModelAlias',
      status: 403,
      error_code: 'PERMISSION_DENIED',
      message: "User 'ci' does not have permission to 'EDIT' on registered model 'support-bot'",
    };
    try {
      const outcomes = await mirrorStageAssignments([canary], ON, env());
      expect(outcomes[0]!.lines.map((l) => l.status)).toEqual(['set', 'set', 'set', 'failed']);
      expect(mirrorWarnings(outcomes)).toEqual([
        `the MLflow Model Registry does not show support-bot 1.3.0 in canary: alias @canary not set: 127.0.0.1:${new URL(mlflow.url).port} refused the credentials (HTTP 403) for registered-models/alias. Give the MLFLOW_TRACKING_TOKEN user permission to edit the registered model (MLflow's EDIT or MANAGE), then re-run the workflow. The stage assignment itself is done: its git tag is the record.`,
      ]);
      expect(mlflow.versions[0]!.aliases).toEqual(['canary', 'production']);
    } finally {
      delete mlflow.refuse;
    }
  });

  it('a tag MLflow refuses stops the steps after it: no alias moved onto a half-tagged version', async () => {
    mlflow.refuse = {
      rpc: 'setModelVersionTag',
      status: 400,
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'Tag value too long',
    };
    try {
      const outcomes = await mirrorStageAssignments([canary], ON, env());
      expect(outcomes[0]!.lines).toEqual([
        {
          status: 'failed',
          text: 'tag modelgate.version=1.3.0 not set: model-versions/set-tag answered HTTP 400: Tag value too long',
          fix: 'Re-run the workflow once the cause is fixed; steps already in place are not repeated.',
        },
      ]);
      expect(mlflow.requests.filter((r) => r.path.includes('alias'))).toEqual([]);
    } finally {
      delete mlflow.refuse;
    }
  });
});
