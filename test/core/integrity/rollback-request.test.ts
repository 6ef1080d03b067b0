import { describe, expect, it } from 'vitest';
import { explicitSealKey, sealKeyFrom } from '../../../src/core/integrity/seal.js';
import {
  planRevertPullRequest,
  rollbackRequester,
  trustedRequester,
  type RequestTrust,
} from '../../../src/core/rollback/revert-pr.js';

const KEY = sealKeyFrom('the app and the workflow share this state key');
const BRANCH = 'modelgate/rollback-gpt2-1.0.0';
const LINK = 'https://github.com/acme/models/pull/42#issuecomment-7';
const APP = { login: 'modelgate[bot]', type: 'Bot' };
const WORKFLOW = { login: 'github-actions[bot]', type: 'Bot' };

/** A rollback pull request's body as the app (sealed) or the workflow (unsealed) writes it. */
const body = (requestedBy: string, sealed: boolean, repository = 'acme/models') =>
  planRevertPullRequest({
    model: 'gpt2',
    from: '1.1.0',
    to: '1.0.0',
    tag: 'gpt2@v1.0.0',
    reason: 'asked for 1.0.0',
    changes: [],
    requestedBy,
    link: LINK,
    ...(sealed ? { requestSeal: { key: KEY, repository } } : {}),
  }).body;

/** What the release's workflow trusts: its own token's identity, and the key when it is given one. */
const workflow = (key?: boolean): RequestTrust => ({
  self: WORKFLOW,
  ...(key ? { key: KEY } : {}),
  repository: 'acme/models',
});

describe('who asked for a rollback, as the release reads it from the merged pull request', () => {
  it("the app's sealed line is believed when the workflow has the same key, and verifies only for its repository and branch", () => {
    const sealed = body('carol', true);
    expect(
      trustedRequester(
        { body: sealed, author: APP, branch: BRANCH, headRepository: 'acme/models' },
        workflow(true),
      ),
    ).toEqual({
      requester: { by: 'carol', link: LINK },
    });
    expect(
      trustedRequester(
        { body: sealed, author: APP, branch: 'feature', headRepository: 'acme/models' },
        workflow(true),
      ),
    ).toEqual({
      ignored: 'its request line does not verify (changed by hand, or copied from another pull request)',
    });
    const otherRepository = body('carol', true, 'acme/other');
    expect(
      trustedRequester(
        { body: otherRepository, author: APP, branch: BRANCH, headRepository: 'acme/models' },
        workflow(true),
      ).ignored,
    ).toMatch(/does not verify/);
  });

  it('a hand edit of the name in a sealed line breaks the seal', () => {
    const sealed = body('carol', true);
    const [, encoded] = /modelgate-request:([A-Za-z0-9_-]+)\./.exec(sealed)!;
    const edited = sealed.replace(
      encoded!,
      Buffer.from(JSON.stringify({ by: 'ceo', link: LINK })).toString('base64url'),
    );
    expect(rollbackRequester(edited)).toEqual({ by: 'ceo', link: LINK }); // what the line claims
    expect(
      trustedRequester(
        { body: edited, author: APP, branch: BRANCH, headRepository: 'acme/models' },
        workflow(true),
      ).ignored,
    ).toMatch(/does not verify/);
  });

  it('without the key, a sealed line cannot be checked and is not believed; the fix is named', () => {
    expect(
      trustedRequester(
        { body: body('carol', true), author: APP, branch: BRANCH, headRepository: 'acme/models' },
        workflow(),
      ),
    ).toEqual({
      ignored:
        'its request line is sealed by the app, and MODELGATE_STATE_KEY (the same key as the app) is not set here to check it',
    });
  });

  it("the workflow's own pull request may carry an unsealed line (no key anywhere); any other author's may not", () => {
    const unsealed = body('octocat', false);
    expect(
      trustedRequester(
        { body: unsealed, author: WORKFLOW, branch: BRANCH, headRepository: 'acme/models' },
        workflow(),
      ),
    ).toEqual({
      requester: { by: 'octocat', link: LINK },
    });
    expect(
      trustedRequester(
        { body: unsealed, author: APP, branch: BRANCH, headRepository: 'acme/models' },
        workflow(),
      ),
    ).toEqual({
      ignored: "its request line is unsealed and @modelgate[bot] is not this workflow's own identity",
    });
    expect(
      trustedRequester(
        {
          body: unsealed,
          author: { login: 'mallory', type: 'User' },
          branch: BRANCH,
          headRepository: 'acme/models',
        },
        workflow(),
      ),
    ).toEqual({ ignored: 'its request line was written by @mallory, not by modelgate' });
    expect(
      trustedRequester(
        { body: unsealed, author: null, branch: BRANCH, headRepository: 'acme/models' },
        workflow(),
      ),
    ).toEqual({
      ignored: 'its request line was written by a deleted account, not by modelgate',
    });
    // With a key, every line must be sealed: removing the seal does not fall back to trusting the author.
    expect(
      trustedRequester(
        { body: unsealed, author: WORKFLOW, branch: BRANCH, headRepository: 'acme/models' },
        workflow(true),
      ),
    ).toEqual({
      ignored: 'its request line carries no MAC, and MODELGATE_STATE_KEY is set',
    });
  });

  it('a body without a request line asks nothing', () => {
    expect(
      trustedRequester(
        { body: 'Fixes the tokenizer.', author: APP, branch: BRANCH, headRepository: 'acme/models' },
        workflow(true),
      ),
    ).toEqual({});
  });

  it('MODELGATE_STATE_KEY must be long enough to be a secret', () => {
    expect(explicitSealKey(undefined)).toBeUndefined();
    expect(explicitSealKey('')).toBeUndefined();
    expect(explicitSealKey('short')).toEqual({
      problem:
        'MODELGATE_STATE_KEY has 5 characters; it needs at least 32 (e.g. the output of `openssl rand -hex 32`)',
    });
    expect(explicitSealKey('x'.repeat(32))).toEqual(sealKeyFrom('x'.repeat(32)));
  });

  it('a sealed line in a pull request from a fork is not believed, even from a branch of the same name', () => {
    const sealed = body('carol', true);
    expect(
      trustedRequester(
        { body: sealed, author: APP, branch: BRANCH, headRepository: 'mallory/models' },
        workflow(true),
      ),
    ).toEqual({
      ignored: 'its branch comes from mallory/models, and modelgate opens rollbacks from this repository',
    });
  });
});
