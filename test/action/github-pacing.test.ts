import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOctokit, FAST_FAKE_GITHUB, githubPacing } from '../../src/io/github/octokit.js';
import { FakeGitHub } from '../helpers/fake-github.js';

const GITHUB = { msPerSecond: 1000, spacedWrites: true };
const FAKE = { msPerSecond: 1, spacedWrites: false };

describe("the Action's pace against GitHub", () => {
  it("is GitHub's unless the test harness asks for a fake's pace", () => {
    expect(githubPacing('https://api.github.com', {})).toEqual(GITHUB);
    expect(githubPacing('http://127.0.0.1:4000', {})).toEqual(GITHUB);
    expect(githubPacing('http://127.0.0.1:4000', { [FAST_FAKE_GITHUB]: '' })).toEqual(GITHUB);
    for (const local of [
      'http://127.0.0.1:4000',
      'http://127.8.0.1',
      'http://localhost:9',
      'http://[::1]:80',
    ])
      expect(githubPacing(local, { [FAST_FAKE_GITHUB]: '1' }), local).toEqual(FAKE);
  });

  it('a set variable cannot change the pace against a GitHub that is not on this machine, and says so', () => {
    for (const [real, origin] of [
      ['https://api.github.com', 'https://api.github.com'],
      ['https://github.example.com/api/v3', 'https://github.example.com'],
      ['https://x-access-token:ghs_secret@github.example.com/api/v3', 'https://github.example.com'],
      ['http://127.0.0.1.nip.io', 'http://127.0.0.1.nip.io'],
      ['http://localhost.example.com', 'http://localhost.example.com'],
      ['http://10.0.0.1', 'http://10.0.0.1'],
      ['not a url', 'GITHUB_API_URL (not a URL)'],
    ])
      expect(githubPacing(real!, { [FAST_FAKE_GITHUB]: '1' }), real).toEqual({
        ...GITHUB,
        ignored: `${FAST_FAKE_GITHUB} is ignored: ${origin} is not a GitHub on this machine`,
      });
    expect(githubPacing('http://127.0.0.1:4000', { [FAST_FAKE_GITHUB]: 'true' })).toEqual({
      ...GITHUB,
      ignored: `${FAST_FAKE_GITHUB}="true" is ignored: only 1 turns it on`,
    });

    const log: string[] = [];
    createOctokit('ghs_test', (line) => log.push(line), { [FAST_FAKE_GITHUB]: '1' });
    expect(log).toEqual([
      `${FAST_FAKE_GITHUB} is ignored: https://api.github.com is not a GitHub on this machine`,
    ]);
  });
});

describe('writes against a GitHub that rate-limits one of them (real time)', () => {
  let github: FakeGitHub;
  beforeAll(async () => (github = await FakeGitHub.start()));
  afterAll(() => github.close());

  /** Two deployments, the first answered once with a secondary rate limit (retry-after: 1 s); returns the ms it took. */
  async function twoWrites(env: Record<string, string>) {
    const log: string[] = [];
    const octokit = createOctokit('ghs_test', (line) => log.push(line), {
      GITHUB_API_URL: github.url,
      ...env,
    });
    github.fail(
      'POST',
      '/repos/{owner}/{repo}/deployments',
      403,
      1,
      { 'retry-after': '1' },
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    );
    const before = github.deployments.length;
    const started = performance.now();
    for (const environment of ['canary', 'production'])
      await octokit.rest.repos.createDeployment({ owner: 'acme', repo: 'models', ref: 'main', environment });
    const elapsed = performance.now() - started;
    expect(github.deployments.slice(before).map((d) => d.environment)).toEqual(['canary', 'production']);
    expect(log).toEqual([
      'GitHub secondary rate limit on POST /repos/{owner}/{repo}/deployments; retrying in 1 s',
    ]);
    return elapsed;
  }

  it("at GitHub's pace: waits the second GitHub asked for, and spaces writes 1 s apart", async () => {
    // The retry after 1 s, then the second write at least 1 s after it.
    expect(await twoWrites({})).toBeGreaterThanOrEqual(1900);
    expect(github.violations).toEqual([]);
  });

  it("at a fake's pace (the test harness's switch, on loopback): the same requests and lines, in milliseconds", async () => {
    expect(await twoWrites({ [FAST_FAKE_GITHUB]: '1' })).toBeLessThan(900);
    expect(github.violations).toEqual([]);
  });
});
