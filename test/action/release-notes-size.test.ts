// A release's GitHub Release body fits what GitHub accepts, whatever the manifest lists, and a plan
// with a step GitHub would refuse writes nothing. GitHub answers a body over 125,000 characters with
// 422 "body is too long"; a manifest may list 4,096 weights, and the notes wrote one row per weight, so
// a 1,000-shard release pushed its version tag, was refused at the GitHub Release on every run and
// never reached its stage tag or deployment (security review, finding F3). Run in process through
// src/action/release.ts (the bundle is rebuilt by the lead), with real git repositories and the fake
// GitHub, which refuses long bodies as GitHub does and checks every request against its OpenAPI.
import * as core from '@actions/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { OUTPUTS } from '../../src/action/inputs.js';
import { runRelease } from '../../src/action/release.js';
import { describeFailure } from '../../src/action/run.js';
import { findReleaseCandidates } from '../../src/core/release/candidates.js';
import { characterCount, releaseNotes, RELEASE_NOTES_MAX } from '../../src/core/release/notes.js';
import type { ReleaseCandidate, ReleaseContext } from '../../src/core/release/plan.js';
import { GitRepository } from '../../src/io/git-repository.js';
import { FAST_FAKE_GITHUB } from '../../src/io/github/octokit.js';
import { GITHUB_RELEASE_BODY_MAX } from '../../src/io/github/release-limits.js';
import { DEFAULT_MANIFESTS } from '../../src/io/settings.js';
import { inProcessStep, releaseInputs } from '../helpers/action-step.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { addRealModel, manifestWith } from '../helpers/models.js';
import { registryTemplate, type TempRegistry } from '../helpers/registry.js';
import { seededRandom } from '../helpers/seeded-random.js';

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

/** `count` shards as Hugging Face names them (model-00001-of-01000.safetensors), each 4 GiB. */
function shards(version: string, count: number, prefix = `s3://models/gpt2/${version}`) {
  const of = String(count).padStart(5, '0');
  return Array.from({ length: count }, (_, i) => ({
    uri: `${prefix}/model-${String(i + 1).padStart(5, '0')}-of-${of}.safetensors`,
    sha256: (i + 1).toString(16).padStart(64, '0'),
    size: 4_294_967_296,
  }));
}

function setManifest(registry: TempRegistry, edit: (m: Record<string, any>) => void) {
  const manifest = parse(registry.read('models/gpt2/model.yaml')) as Record<string, any>;
  edit(manifest);
  registry.write('models/gpt2/model.yaml', stringify(manifest));
}

/** The review's reproduction: gpt2 1.0.0 with 1,000 shards released, then 1.1.0 with 1,000 new shards merged. */
const thousandShards = registryTemplate((registry) => {
  addRealModel(registry, 'gpt2');
  setManifest(registry, (m) => (m.artifacts.weights = shards('1.0.0', 1000)));
  const before = registry.commit('gpt2 1.0.0');
  registry.tag('gpt2@v1.0.0', { commit: before });
  setManifest(registry, (m) => {
    m.version = '1.1.0';
    m.artifacts.weights = shards('1.1.0', 1000);
  });
  const after = registry.commit('Merge pull request #42: gpt2 1.1.0, 1,000 shards');
  return { before, after };
});

/** gpt2 1.0.0 released, then 1.1.0 with one shard merged: a release of ordinary size. */
const oneRelease = registryTemplate((registry) => {
  addRealModel(registry, 'gpt2');
  const before = registry.commit('gpt2 1.0.0');
  registry.tag('gpt2@v1.0.0', { commit: before });
  setManifest(registry, (m) => {
    m.version = '1.1.0';
    m.artifacts.weights = shards('1.1.0', 1);
  });
  const after = registry.commit('gpt2 1.1.0');
  return { before, after };
});

async function origin(template = thousandShards) {
  const { registry, built } = template();
  const github = await FakeGitHub.start({
    onTag: (name, commit, message) => registry.tag(name, { commit, message }),
  });
  github.localRepo = registry.root;
  fakes.push(github);
  return { registry, github, ...built };
}

/** One `command: release` step on a push to main: exit code, workflow commands, outputs; as run() ends a step. */
async function releaseStep(
  registry: TempRegistry,
  github: FakeGitHub,
  push: { before: string; after: string },
  dryRun = false,
) {
  return inProcessStep({ GITHUB_API_URL: github.url, [FAST_FAKE_GITHUB]: '1' }, () =>
    runRelease(releaseInputs(registry.root, { dryRun }), {
      eventName: 'push',
      ref: 'refs/heads/main',
      sha: push.after,
      payload: {
        ...push,
        ref: 'refs/heads/main',
        pusher: { name: 'bob' },
        repository: { full_name: 'acme/models', default_branch: 'main' },
      },
      actor: 'bob',
      repo: { owner: 'acme', repo: 'models' },
    }).catch((error: unknown) => core.setFailed(describeFailure(error))),
  );
}

describe('a release of a 1,000-shard model (within the 4,096 weights a manifest may list)', () => {
  it('publishes notes GitHub accepts, then assigns the stage and deploys: nothing is left half-done', async () => {
    const { registry, github, before, after } = await origin();
    const run = await releaseStep(registry, github, { before, after });
    expect(run.status).toBe(0);
    expect(github.violations).toEqual([]);
    const body = github.releases.get('gpt2@v1.1.0')!.body;
    expect(characterCount(body)).toBeLessThanOrEqual(RELEASE_NOTES_MAX);
    // The first shards as rows, then how many more and where they are.
    expect(body).toContain(
      `| \`s3://models/gpt2/1.1.0/model-00001-of-01000.safetensors\` | \`${'1'.padStart(64, '0')}\` | 4294967296 |`,
    );
    const shown = body.split('\n').filter((line) => line.includes('-of-01000.safetensors')).length;
    expect(body).toContain(`… and ${1000 - shown} more weights (see the manifest at the tag).`);
    expect(shown).toBeGreaterThan(100);
    // The manifest's own row is always there: its digest pins the rest.
    expect(body).toMatch(/\| `models\/gpt2\/model\.yaml` \| `[0-9a-f]{64}` \| \|/);
    expect([...github.tagObjects.values()].map((t) => t.tag)).toEqual(['gpt2@v1.1.0', 'gpt2#canary#1']);
    expect(JSON.parse(run.outputs[OUTPUTS.releasedJson]!)).toEqual([
      { model: 'gpt2', version: '1.1.0', tag: 'gpt2@v1.1.0', environment: 'canary', deployment: 1000 },
    ]);
  });
});

describe('a GitHub Release that GitHub refuses anyway (a limit it lowers, a rule of its own)', () => {
  it('a GitHub Release GitHub still refuses stops before the stage tag and deployment, and says a re-run will not get past it', async () => {
    const { registry, github, before, after } = await origin(oneRelease);
    github.fail(
      'POST',
      '/repos/{owner}/{repo}/releases',
      422,
      1,
      undefined,
      'Validation Failed: body is too long (maximum is 125000 characters)',
    );
    const run = await releaseStep(registry, github, { before, after });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error::GitHub refused the GitHub Release of gpt2@v1.1.0 (422: Validation Failed: body is too long (maximum is 125000 characters)',
    );
    expect(run.stdout).toContain(
      'the tag gpt2@v1.1.0 exists, its stage tag and deployment were not created (A re-run sends the same release and is refused the same way: fix what GitHub names, then re-run, and the release resumes at the GitHub Release.)',
    );
    expect(run.stdout).not.toContain('the release resumes where it stopped');
    expect(github.deployments).toEqual([]);
    expect([...github.tagObjects.values()].map((t) => t.tag)).toEqual(['gpt2@v1.1.0']);
    // Once GitHub accepts, a re-run of the same run finishes the job.
    expect((await releaseStep(registry, github, { before, after })).status).toBe(0);
    expect(github.deployments).toHaveLength(1);
    expect([...github.tagObjects.values()].map((t) => t.tag)).toEqual(['gpt2@v1.1.0', 'gpt2#canary#1']);
  });
});

/** gpt2 1.0.0 released, then 1.1.0 with a prerelease so long that "Deploy gpt2 <version> to canary at 5%" passes 140 characters. */
const longVersion = registryTemplate((registry) => {
  addRealModel(registry, 'gpt2');
  const before = registry.commit('gpt2 1.0.0');
  registry.tag('gpt2@v1.0.0', { commit: before });
  setManifest(registry, (m) => {
    m.version = `1.1.0-${'candidate.'.repeat(12)}1`;
    m.artifacts.weights = shards('1.1.0', 1);
  });
  const after = registry.commit('gpt2 1.1.0 candidate');
  return { before, after };
});

/** A model whose manifest path is longer than the deployment payload's 1,024 characters (six folders of 180). */
const DEEP = `models/${Array.from({ length: 6 }, (_, i) => String(i).repeat(180)).join('/')}`;
const deepManifest = registryTemplate((registry) => {
  const before = registry.commit('an empty registry');
  registry.write(`${DEEP}/config.json`, { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
  registry.write(`${DEEP}/tokenizer.json`, { model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 } } });
  registry.writeManifest(
    `${DEEP}/model.yaml`,
    manifestWith('deep', { config: 'config.json', tokenizer: 'tokenizer.json' }),
  );
  const after = registry.commit('deep 1.0.0');
  return { before, after };
});

describe('a release plan with a step GitHub would refuse', () => {
  it('a description past 140 characters is cut ("…"), not a reason to stop the release', async () => {
    const { registry, github, before, after } = await origin(longVersion);
    const run = await releaseStep(registry, github, { before, after });
    // Before: "nothing was released: gpt2: the description of the deployment to canary is 1xx characters".
    expect(run.status).toBe(0);
    const [deployment] = github.deployments;
    expect([...deployment!.description!]).toHaveLength(140);
    expect(deployment!.description).toMatch(/^Deploy gpt2 1\.1\.0-candidate\..*…$/);
  });

  it('writes nothing: no version tag is pushed ahead of a step that cannot succeed', async () => {
    const { registry, github, before, after } = await origin(deepManifest);
    const run = await releaseStep(registry, github, { before, after });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /::error::nothing was released: deep: the deployment payload to canary breaks its contract \(schema\/deployment-payload\.schema\.json\): .*manifest.*\(Nothing was written to GitHub; fix the plan and push again\.\)/,
    );
    expect(github.writes()).toEqual([]);
    expect(registry.git('tag', '--list')).toBe('');
  });

  it('fails the dry run the same way, so the plan is known bad before the merge', async () => {
    const { registry, github, before, after } = await origin(deepManifest);
    const run = await releaseStep(registry, github, { before, after }, true);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('the deployment payload to canary breaks its contract');
    expect(github.writes()).toEqual([]);
  });
});

describe('releaseNotes never exceeds RELEASE_NOTES_MAX characters', () => {
  it('is well under what GitHub accepts', () => {
    expect(RELEASE_NOTES_MAX).toBeLessThanOrEqual(GITHUB_RELEASE_BODY_MAX - 20_000);
  });

  it('for 4,096 weights, files, metrics and warnings with long names, whatever they hold (seeded, 8 cases)', async () => {
    const { registry, built } = oneRelease();
    const found = await findReleaseCandidates(new GitRepository(registry.root), {
      manifests: DEFAULT_MANIFESTS,
      ...built,
    });
    const real = found.candidates[0]!;
    const context: ReleaseContext = {
      trigger: built.after,
      actor: 'bob',
      pullRequest: { number: 42, title: 'gpt2 1.1.0', url: 'https://github.com/acme/models/pull/42' },
      stages: ['canary', 'production'],
      environments: {},
      sharedRepository: false,
    };
    // Characters that escaping lengthens (control characters become \u001b, < becomes &lt;), astral
    // ones that count 1 for GitHub and 2 in UTF-16, backticks that lengthen a code fence.
    const alphabet = ['a', 'Z', '0', '/', '-', '_', '\u001b', '<', '&', '|', '`', '𝔾', '😀', 'é', '@', '\n'];
    const random = seededRandom(9);
    // Values are random slices of one random text: cheap to make, as varied as needed.
    const pool = Array.from({ length: 1_100_000 }, () => random.pick(alphabet)).join('');
    const text = (max: number) => {
      const start = random.int(pool.length - max);
      return pool.slice(start, start + 1 + random.int(max));
    };
    for (let round = 0; round < 8; round++) {
      const count = (max: number) => (round % 4 === 0 ? max : random.int(max + 1));
      const weights = Array.from({ length: count(4096) }, (_, i) => ({
        uri: `s3://${text(round % 2 ? 1_000 : 200)}/${i}`,
        sha256: i.toString(16).padStart(64, '0'),
        size: random.int(2 ** 40),
      }));
      const candidate: ReleaseCandidate = {
        ...real,
        facts: {
          ...real.facts,
          manifest: {
            ...real.facts.manifest,
            description: text(round % 3 ? 100 : 1_000_000),
            artifacts: { ...real.facts.manifest.artifacts, weights },
          },
        },
        digests: new Map(
          Array.from({ length: count(4096) }, (_, i) => [`${text(300)}/${i}.json`, 'f'.repeat(64)]),
        ),
        metrics: Array.from({ length: count(4096) }, (_, i) => ({
          name: `${text(200)}/${i}`,
          value: random.next(),
          stderr: random.next() / 10,
          source: 'evals/results.json',
        })),
        findings: Array.from({ length: count(1000) }, (_, i) => ({
          rule: 'PAD',
          severity: 'warning' as const,
          model: 'gpt2',
          file: 'models/gpt2/model.yaml',
          message: `${text(round % 2 ? 3_000 : 100)} ${i}`,
        })),
      };
      const body = releaseNotes(candidate, context);
      expect(characterCount(body), `round ${round}`).toBeLessThanOrEqual(RELEASE_NOTES_MAX);
      // What is left out is counted, never silently dropped: the rows shown and the "… and K more" add up.
      const shown = body.split('\n').filter((line) => /\| `[0-9a-f]{64}` \| \d+ \|$/.test(line)).length;
      const more = /… and (\d+) more weights \(see the manifest at the tag\)\./.exec(body);
      expect(shown + Number(more?.[1] ?? 0), `round ${round}`).toBe(weights.length);
    }
  });

  it('leaves notes that fit exactly as they were: every row, no note about more', async () => {
    const { registry, built } = oneRelease();
    const found = await findReleaseCandidates(new GitRepository(registry.root), {
      manifests: DEFAULT_MANIFESTS,
      ...built,
    });
    const body = releaseNotes(found.candidates[0]!, {
      trigger: built.after,
      stages: ['canary'],
      environments: {},
      sharedRepository: false,
    });
    expect(body).toContain(
      `| \`s3://models/gpt2/1.1.0/model-00001-of-00001.safetensors\` | \`${'1'.padStart(64, '0')}\` | 4294967296 |`,
    );
    expect(body).not.toContain('… and');
  });
});
