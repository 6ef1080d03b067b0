import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runAction } from '../helpers/action.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { startFakeMlflow, type FakeMlflow } from '../helpers/fake-mlflow.js';
import { addRealModel } from '../helpers/models.js';
import { registryTemplate, type TempRegistry } from '../helpers/registry.js';

const RUN = '8c1e5d0f2a3b4c5d6e7f8091a2b3c4d5';
const TOKEN = 'mlflow-secret-token-7f3a';
const MIRROR_ON = { tracking: { registry: { mirror: true } } };

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

/** What a push to main carries besides before/after: a release runs only there (release-branch.test.ts). */
const PUSH_TO_MAIN = {
  ref: 'refs/heads/main',
  repository: { full_name: 'acme/models', default_branch: 'main' },
};
let mlflow: FakeMlflow;
beforeAll(async () => {
  mlflow = await startFakeMlflow({ token: TOKEN });
});
afterAll(() => mlflow.close());
beforeEach(() => {
  mlflow.requests.length = 0;
  mlflow.violations.length = 0;
  delete mlflow.failWith;
  // The run that trained gpt2 1.1.0, finished, as runs/get answers it; its model registered as version 7.
  mlflow.runs.set(RUN, {
    info: {
      run_id: RUN,
      run_name: 'gpt2-sft',
      experiment_id: '12',
      status: 'FINISHED',
      lifecycle_stage: 'active',
    },
    data: {
      metrics: [{ key: 'val_loss', value: 0.41, timestamp: 1718003500000, step: 3000 }],
      params: [{ key: 'learning_rate', value: '2e-05' }],
      tags: [{ key: 'mlflow.source.git.commit', value: '4be1d2a9c0ffee1234567890abcdef1234567890' }],
    },
  });
  mlflow.versions.splice(0, mlflow.versions.length, {
    name: 'gpt2',
    version: '7',
    run_id: RUN,
    source: `mlflow-artifacts:/12/${RUN}/artifacts/model`,
    creation_timestamp: 1718004000123,
    current_stage: 'None',
  });
});

/** gpt2 1.0.0 on main; a merge that releases 1.1.0, trained in MLflow run RUN; with or without mirroring. */
const template = (settings: object) =>
  registryTemplate((registry: TempRegistry) => {
    registry.write('.github/modelgate.yml', stringify(settings));
    addRealModel(registry, 'gpt2', { manifest: { canary: { steps: [10, 50, 100] } } });
    const before = registry.commit('gpt2 1.0.0');
    const manifest = parse(registry.read('models/gpt2/model.yaml')) as Record<string, any>;
    manifest.version = '1.1.0';
    manifest.training = { run: `runs:/${RUN}`, commit: '4be1d2a' };
    manifest.artifacts.weights = [
      { uri: 's3://models/gpt2/1.1.0.safetensors', sha256: 'b'.repeat(64), size: 10 },
    ];
    registry.write('models/gpt2/model.yaml', stringify(manifest));
    const after = registry.commit('Merge pull request #42 from acme/gpt2-1.1');
    return { before, after };
  });
const mirrored = template(MIRROR_ON);
const notMirrored = template({});
const broken = template({ tracking: { registry: { mirror: true, alias: { production: 'champion' } } } });

async function releaseOf(copy: ReturnType<typeof mirrored>) {
  const {
    registry,
    built: { before, after },
  } = copy;
  const github = await FakeGitHub.start({
    onTag: (name, commit, message) => registry.tag(name, { commit, message }),
  });
  github.localRepo = registry.root; // GitHub is the clone's origin: it knows main's history (the release checks it)
  fakes.push(github);
  const release = (
    env: Record<string, string> = { MLFLOW_TRACKING_URI: mlflow.url, MLFLOW_TRACKING_TOKEN: TOKEN },
    inputs: Record<string, string> = {},
  ) =>
    runAction(
      registry.root,
      { command: 'release', 'github-token': 'ghs_test', ...inputs },
      {
        eventName: 'push',
        event: { ...PUSH_TO_MAIN, before, after, pusher: { name: 'bob' } },
        env: { GITHUB_API_URL: github.url, GITHUB_SHA: after, GITHUB_REF: PUSH_TO_MAIN.ref, ...env },
      },
    );
  return { github, release };
}

const runDry = (release: Awaited<ReturnType<typeof releaseOf>>['release']) =>
  release({ MLFLOW_TRACKING_URI: mlflow.url, MLFLOW_TRACKING_TOKEN: TOKEN }, { 'dry-run': 'true' });

const registryCalls = () =>
  mlflow.requests.filter((r) => r.path.includes('model-versions') || r.path.includes('registered-models'));

describe('command: release mirrors the first stage to the MLflow Model Registry', () => {
  it('after the tags are pushed: version tags and @canary on the version the run registered, one summary line each', async () => {
    const { github, release } = await releaseOf(mirrored());
    const result = await release();
    expect(result.status).toBe(0);
    expect(github.violations).toEqual([]);
    expect(mlflow.violations).toEqual([]);
    expect([...github.tagObjects.values()].map((t) => t.tag)).toEqual(['gpt2@v1.1.0', 'gpt2#canary#1']);
    expect(mlflow.versions[0]).toMatchObject({
      aliases: ['canary'],
      tags: [
        { key: 'modelgate.version', value: '1.1.0' },
        { key: 'modelgate.release', value: 'gpt2@v1.1.0' },
        { key: 'modelgate.stage', value: 'canary' },
      ],
    });
    expect(result.summary).toContain('### MLflow Model Registry');
    expect(result.summary).toContain(
      '- ✅ gpt2 1.1.0 → canary (MLflow model "gpt2" version 7): tag modelgate.version=1.1.0 set',
    );
    expect(result.summary).toContain(
      '- ✅ gpt2 1.1.0 → canary (MLflow model "gpt2" version 7): alias @\u200bcanary set',
    );
    expect(result.stdout).toContain(
      'registry: gpt2 1.1.0 -> canary (MLflow model "gpt2" version 7): alias @canary set',
    );
    expect(result.stdout + result.summary).not.toContain(TOKEN);
  });

  it('a re-run changes nothing: no GitHub write, one registry search, every line in place', async () => {
    const { github, release } = await releaseOf(mirrored());
    expect((await release()).status).toBe(0);
    const writes = github.writes().length;
    mlflow.requests.length = 0;
    const again = await release();
    expect(again.status).toBe(0);
    expect(github.writes()).toHaveLength(writes);
    expect(registryCalls().map((r) => r.method)).toEqual(['GET']);
    expect(again.summary).toContain(
      '- ☑️ gpt2 1.1.0 → canary (MLflow model "gpt2" version 7): alias @\u200bcanary already in place',
    );
  });

  it('MLflow down: the release stands (exit 0, tags and deployment made) and the warning says how to finish', async () => {
    const { github, release } = await releaseOf(mirrored());
    mlflow.failWith = 503;
    const result = await release();
    expect(result.status).toBe(0);
    expect(github.deployments).toHaveLength(1);
    expect(result.stdout).toContain(
      `::warning title=modelgate registry mirror::the MLflow Model Registry does not show gpt2 1.1.0 in canary: not mirrored: 127.0.0.1:${new URL(mlflow.url).port} answered HTTP 503. Re-run the workflow when the tracking server answers; nothing is set twice. The stage assignment itself is done: its git tag is the record.`,
    );
    expect(result.summary).toContain('- ⚠️ gpt2 1.1.0 → canary: not mirrored:');

    // The re-run the warning asks for finishes the mirror and creates nothing on GitHub again.
    delete mlflow.failWith;
    const writes = github.writes().length;
    expect((await release()).status).toBe(0);
    expect(github.writes()).toHaveLength(writes);
    expect(mlflow.versions[0]!.aliases).toEqual(['canary']);
  });

  it('no MLFLOW_TRACKING_URI in the step: a warning, never a silent skip', async () => {
    const { release } = await releaseOf(mirrored());
    const result = await release({});
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      '::warning title=modelgate registry mirror::the MLflow Model Registry does not show gpt2 1.1.0 in canary: not mirrored: no credentials: MLFLOW_TRACKING_URI is not set.',
    );
  });

  it('dry-run says what it would mirror and asks MLflow for nothing', async () => {
    const { github, release } = await releaseOf(mirrored());
    const result = await runDry(release);
    expect(result.status).toBe(0);
    expect(github.writes()).toEqual([]);
    expect(registryCalls()).toEqual([]);
    expect(result.stdout).toContain(
      `would mirror gpt2 1.1.0 -> canary to MLflow model "gpt2" (@canary, the version from run ${RUN})`,
    );
  });

  it('writes nothing to the registry without tracking.registry.mirror', async () => {
    const { release } = await releaseOf(notMirrored());
    const result = await release();
    expect(result.status).toBe(0);
    expect(registryCalls()).toEqual([]);
    expect(result.summary).not.toContain('MLflow Model Registry');
  });

  it('a misspelt tracking key stops the release before anything is pushed, naming the file and the key', async () => {
    const { github, release } = await releaseOf(broken());
    const result = await release();
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      '::error::.github/modelgate.yml: tracking.registry.alias: unknown setting (tracking.registry sets mirror (true|false), models (modelgate model -> MLflow registered model) and aliases (stage -> MLflow alias).)',
    );
    expect(github.writes()).toEqual([]);
    expect(mlflow.requests).toEqual([]);
  });

  it("the release notes carry the run read from MLflow, not only the manifest's reference", async () => {
    const { github, release } = await releaseOf(notMirrored());
    expect((await release()).status).toBe(0);
    const notes = github.releases.get('gpt2@v1.1.0')!.body;
    expect(notes).toContain('### Training');
    expect(notes).toContain(`MLflow run [${RUN}](${mlflow.url}/#/experiments/12/runs/${RUN}); ✅ FINISHED`);
    expect(notes).toContain('| `val_loss` | 0.41 |');
  });
});
