import { describe, expect, it } from 'vitest';
import { GitHubOpenApi } from '../helpers/openapi.js';

// The fake GitHub is only as good as this check: prove it refuses what GitHub would.
describe("requests are checked against GitHub's OpenAPI description", () => {
  const api = new GitHubOpenApi();
  const url = (path: string) => new URL(path, 'http://127.0.0.1');

  it('accepts a documented request', () => {
    const body = {
      ref: 'gpt2@v1.1.0',
      environment: 'canary',
      payload: { model: 'gpt2' },
      auto_merge: false,
      required_contexts: [],
    };
    expect(api.check('POST', url('/repos/acme/models/deployments'), body)).toEqual({
      template: '/repos/{owner}/{repo}/deployments',
      problems: [],
    });
  });

  it('refuses a path that is not an operation', () => {
    expect(api.check('POST', url('/repos/acme/models/git/tag'), {}).problems).toEqual([
      'POST /repos/acme/models/git/tag is not an operation of the GitHub REST API',
    ]);
  });

  it('refuses a missing required field and a wrongly typed one', () => {
    const { problems } = api.check('POST', url('/repos/acme/models/git/refs'), {
      ref: 'refs/tags/x',
      sha: 42,
    });
    expect(problems).toEqual(['POST /repos/{owner}/{repo}/git/refs: body/sha must be string']);
    expect(api.check('POST', url('/repos/acme/models/releases'), { name: 'no tag' }).problems).toEqual([
      "POST /repos/{owner}/{repo}/releases: body must have required property 'tag_name'",
    ]);
  });

  it('refuses an undeclared query parameter and a body where none is taken', () => {
    expect(api.check('GET', url('/repos/acme/models/deployments?stage=canary'), undefined).problems).toEqual([
      'GET /repos/{owner}/{repo}/deployments: query parameter "stage" is not declared',
    ]);
    expect(api.check('GET', url('/repos/acme/models/releases/tags/x'), { a: 1 }).problems).toEqual([
      'GET /repos/{owner}/{repo}/releases/tags/{tag} takes no request body',
    ]);
  });
});
