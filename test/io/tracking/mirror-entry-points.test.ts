import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { mirrorWarnings } from '../../../src/core/tracking/mirror-report.js';
import { FAST_FAKE_GITHUB, createOctokit } from '../../../src/io/github/octokit.js';
import { GitRepository } from '../../../src/io/git-repository.js';
import { mirrorAssignmentInCheckout } from '../../../src/io/tracking/mirror-in-checkout.js';
import { mirrorAssignmentOnGitHub } from '../../../src/io/tracking/mirror-on-github.js';
import { startFakeMlflow, type FakeMlflow } from '../../helpers/fake-mlflow.js';
import { FakeGitHub } from '../../helpers/fake-github.js';
import { manifestWith } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';

const RUN = '8c1e5d0f2a3b4c5d6e7f8091a2b3c4d5';
const MIRROR_ON = { tracking: { registry: { mirror: true, aliases: { production: 'champion' } } } };

let mlflow: FakeMlflow;
beforeAll(async () => {
  mlflow = await startFakeMlflow();
});
afterAll(() => mlflow.close());
beforeEach(() => {
  mlflow.requests.length = 0;
  mlflow.violations.length = 0;
  mlflow.versions.splice(0, mlflow.versions.length, {
    name: 'support-bot',
    version: '3',
    run_id: RUN,
    aliases: ['canary'],
    tags: [
      { key: 'modelgate.version', value: '1.3.0' },
      { key: 'modelgate.release', value: 'support-bot@v1.3.0' },
      { key: 'modelgate.stage', value: 'canary' },
    ],
  });
});

/** support-bot 1.3.0 released from run RUN; then a commit on main that changes the manifest's run (not the version's). */
function registry(settings: object | null = MIRROR_ON) {
  const repo = TempRegistry.create();
  if (settings) repo.write('.github/modelgate.yml', stringify(settings));
  const manifest = (version: string, run: string) =>
    stringify(
      manifestWith(
        'support-bot',
        { config: 'config.json', tokenizer: 'tokenizer.json' },
        { version, training: { run } },
      ),
    );
  repo.write('models/support-bot/model.yaml', manifest('1.3.0', `runs:/${RUN}`));
  const release = repo.commit('support-bot 1.3.0');
  repo.write('models/support-bot/model.yaml', manifest('1.4.0', 'runs:/ffff0000ffff0000'));
  repo.commit('support-bot 1.4.0');
  return { repo, release };
}

const promotion = (release: string) => ({
  model: 'support-bot',
  version: '1.3.0',
  stage: 'production',
  commit: release,
});

describe('modelgate promote in a clone mirrors the assignment', () => {
  it("with the run of the version's own manifest, not the one on the branch", async () => {
    const { repo, release } = registry();
    const outcomes = await mirrorAssignmentInCheckout(
      repo.root,
      new GitRepository(repo.root),
      ['models/**/model.yaml'],
      promotion(release),
      { MLFLOW_TRACKING_URI: mlflow.url },
    );
    expect(mlflow.violations).toEqual([]);
    expect(outcomes[0]!.lines.map((l) => `${l.status} ${l.text}`)).toEqual([
      'in-place tag modelgate.version=1.3.0 already in place',
      'in-place tag modelgate.release=support-bot@v1.3.0 already in place',
      'set tag modelgate.stage=production set',
      'set alias @champion set',
    ]);
    expect(mlflow.versions[0]!.aliases).toEqual(['canary', 'champion']);
  });

  it('a manifest of the model that cannot be read at the commit is said, not taken as "no training run"', async () => {
    const { repo, release } = registry();
    const outcomes = await mirrorAssignmentInCheckout(
      repo.root,
      new GitRepository(repo.root),
      ['models/**/model.yaml'],
      { ...promotion(release), model: 'embedder' },
      { MLFLOW_TRACKING_URI: mlflow.url },
    );
    expect(outcomes[0]!.lines[0]!.text).toBe(
      `not mirrored: no valid manifest of embedder at ${release.slice(0, 12)} (models/**/model.yaml), so its training run is unknown`,
    );
    expect(mlflow.requests).toEqual([]);
  });

  it('does nothing when the settings do not opt in', async () => {
    const { repo, release } = registry(null);
    expect(
      await mirrorAssignmentInCheckout(
        repo.root,
        new GitRepository(repo.root),
        ['models/**/model.yaml'],
        promotion(release),
        {
          MLFLOW_TRACKING_URI: mlflow.url,
        },
      ),
    ).toEqual([]);
    expect(mlflow.requests).toEqual([]);
  });
});

describe("the app's promotion mirrors the assignment through the GitHub API", () => {
  const fakes: FakeGitHub[] = [];
  afterEach(async () => {
    for (const fake of fakes.splice(0)) await fake.close();
  });
  async function github(settings: object | null = MIRROR_ON) {
    const { repo, release } = registry(settings);
    const fake = await FakeGitHub.start();
    fakes.push(fake);
    fake.localRepo = repo.root;
    const octokit = createOctokit('ghs_test', () => {}, {
      GITHUB_API_URL: fake.url,
      [FAST_FAKE_GITHUB]: '1',
    });
    const assignment = { ...promotion(release), sha: release, manifest: 'models/support-bot/model.yaml' };
    return { fake, octokit, assignment };
  }

  it('reads tracking: on the default branch and training.run at the release commit', async () => {
    const { fake, octokit, assignment } = await github();
    const outcomes = await mirrorAssignmentOnGitHub(octokit, { owner: 'acme', repo: 'models' }, assignment, {
      MLFLOW_TRACKING_URI: mlflow.url,
    });
    expect(fake.violations).toEqual([]);
    expect(mlflow.violations).toEqual([]);
    expect(outcomes[0]!.destination).toBe('MLflow model "support-bot" version 3');
    expect(mlflow.versions[0]!.aliases).toEqual(['canary', 'champion']);
  });

  it('a broken tracking section is a failed line with the fix, not an exception', async () => {
    const { octokit, assignment } = await github({ tracking: { registry: { mirror: 'yes' } } });
    const outcomes = await mirrorAssignmentOnGitHub(octokit, { owner: 'acme', repo: 'models' }, assignment, {
      MLFLOW_TRACKING_URI: mlflow.url,
    });
    expect(mirrorWarnings(outcomes)[0]).toContain(
      'not mirrored: .github/modelgate.yml: tracking.registry.mirror: Invalid input: expected boolean, received string. tracking.registry sets mirror (true|false)',
    );
    expect(mlflow.requests).toEqual([]);
  });

  it('a manifest that cannot be read at the release commit is said, not taken as "no training run"', async () => {
    const { octokit, assignment } = await github();
    const outcomes = await mirrorAssignmentOnGitHub(
      octokit,
      { owner: 'acme', repo: 'models' },
      { ...assignment, manifest: 'models/elsewhere/model.yaml' },
      { MLFLOW_TRACKING_URI: mlflow.url },
    );
    expect(outcomes[0]!.lines[0]!.text).toBe(
      `not mirrored: the manifest models/elsewhere/model.yaml cannot be read at ${assignment.sha.slice(0, 12)}, so its training run is unknown`,
    );
  });
});
