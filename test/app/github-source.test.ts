import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubContentsSource } from '../../src/app/github-source.js';
import { createOctokit } from '../../src/io/github/octokit.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { TempRegistry } from '../helpers/registry.js';
import { fixturePath } from '../setup/fixture-packages.js';

const env = (url: string) => ({ GITHUB_API_URL: url, MODELGATE_TEST_FAST_GITHUB: '1' });

describe('GitHubContentsSource: the repository at a ref through the contents API', () => {
  let github: FakeGitHub;
  let registry: TempRegistry;
  let source: GitHubContentsSource;

  beforeAll(async () => {
    registry = TempRegistry.create('file');
    registry.write('models/support-bot/model.yaml', 'name: support-bot\nversion: 1.3.0\n');
    registry.write('models/support-bot/evals/smoke.jsonl', '{"id":"1","prompt":"2+2?","expected":"4"}\n');
    registry.write('models/support-bot/empty.txt', '');
    registry.commit('support-bot 1.3.0');
    registry.tag('support-bot@v1.3.0');
    github = await FakeGitHub.start();
    github.localRepo = registry.root;
    source = new GitHubContentsSource(
      createOctokit('ghs_installation', () => {}, env(github.url)),
      { owner: 'acme', repo: 'models' },
      'support-bot@v1.3.0',
    );
  });
  afterAll(() => github.close());

  it('reads a file at the ref, byte for byte, and says what it is without reading twice', async () => {
    const read = await source.read('models/support-bot/evals/smoke.jsonl', 1024);
    expect(read.ok && Buffer.from(read.value).toString()).toBe('{"id":"1","prompt":"2+2?","expected":"4"}\n');
    expect(await source.stat('models/support-bot/evals/smoke.jsonl')).toEqual({ kind: 'file', size: 42 });
    expect(await source.resolve('models/support-bot/evals/../evals/smoke.jsonl')).toBe(
      'models/support-bot/evals/smoke.jsonl',
    );
    const asked = github.requests.filter((r) => r.path.endsWith('smoke.jsonl')).length;
    await source.read('models/support-bot/evals/smoke.jsonl', 1024);
    expect(github.requests.filter((r) => r.path.endsWith('smoke.jsonl')).length).toBe(asked);
    const empty = await source.read('models/support-bot/empty.txt', 1024);
    expect(empty.ok && empty.value.length).toBe(0);
    const sha = await source.sha256('models/support-bot/model.yaml');
    const expected = createHash('sha256').update('name: support-bot\nversion: 1.3.0\n').digest('hex');
    expect(sha).toEqual({ ok: true, value: { sha256: expected, size: 33 } });
  });

  it('caps every read: a file larger than its kind allows is refused before its content is used', async () => {
    expect(await source.read('models/support-bot/evals/smoke.jsonl', 10)).toEqual({
      ok: false,
      problem: {
        kind: 'too-large',
        detail: 'it is 42 bytes at support-bot@v1.3.0, more than the 10 read for this kind of file',
      },
    });
  });

  it('never asks GitHub for a path that leaves the root or names .git', async () => {
    const before = github.requests.length;
    for (const path of [
      '../other/secrets.txt',
      '/etc/passwd',
      '.git/config',
      'models/.GIT/config',
      'models/..\\..\\x',
    ])
      expect((await source.read(path, 1024)).ok).toBe(false);
    expect(await source.stat('.git/config')).toEqual({
      kind: 'outside',
      detail: "is inside .git/, git's own metadata, which modelgate never reads or writes",
    });
    expect(github.requests.length).toBe(before);
  });

  it('says a file is missing at the ref when GitHub answers 404', async () => {
    expect(await source.read('models/support-bot/evals/missing.jsonl', 1024)).toEqual({
      ok: false,
      problem: { kind: 'missing', detail: 'it does not exist at support-bot@v1.3.0' },
    });
  });
});

describe("GitHubContentsSource refuses what is not a regular file (GitHub's documented answers)", () => {
  // The response examples of GET /repos/{owner}/{repo}/contents/{path} in GitHub's REST description (@octokit/openapi).
  const examples = (
    JSON.parse(readFileSync(fixturePath.githubOpenApi, 'utf8')) as {
      components: { examples: Record<string, { value: unknown }> };
    }
  ).components.examples;
  const answers: Record<string, unknown> = {
    'bin/some-symlink': examples['content-file-response-if-content-is-a-symlink']!.value,
    'test/qunit': examples['content-file-response-if-content-is-a-submodule']!.value,
    lib: examples['content-file-response-if-content-is-a-directory']!.value,
  };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(
      new URL(req.url ?? '', 'http://x').pathname.replace('/repos/acme/models/contents/', ''),
    );
    const answer = answers[path];
    res
      .writeHead(answer ? 200 : 404, { 'content-type': 'application/json' })
      .end(JSON.stringify(answer ?? { message: 'Not Found' }));
  });
  let source: GitHubContentsSource;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    source = new GitHubContentsSource(
      createOctokit('ghs_x', () => {}, env(url)),
      { owner: 'acme', repo: 'models' },
      'main',
    );
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a symlink GitHub describes instead of following (it leads out of the repository)', async () => {
    expect(await source.stat('bin/some-symlink')).toEqual({
      kind: 'outside',
      detail: 'is a symlink at main that does not lead to a file in the repository',
    });
  });

  it('a submodule and a directory', async () => {
    expect(await source.stat('test/qunit')).toEqual({
      kind: 'not-a-file',
      detail: 'is a git submodule at main',
    });
    expect((await source.read('lib', 1 << 20)).ok).toBe(false);
    expect(await source.stat('lib')).toEqual({ kind: 'not-a-file', detail: 'is a directory at main' });
  });
});
