import { readFile } from 'node:fs/promises';
import { RequestError } from '@octokit/request-error';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../src/action/run.js';
import { CommandError } from '../../src/core/repository.js';
import { MalformedFileError } from '../../src/core/user-file-error.js';

/** The error `run` throws (a real one). */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe("the Action's failed-step message", () => {
  it('is the message and fix of what the user can fix', () => {
    expect(
      describeFailure(new CommandError('no manifest matched models/*/model.yaml', 'Set manifests.')),
    ).toBe('no manifest matched models/*/model.yaml (Set manifests.)');
    expect(
      describeFailure(
        new MalformedFileError('evals/r.json', 'must be a JSON object, not a list', 'Pass one.'),
      ),
    ).toBe('evals/r.json: must be a JSON object, not a list (Pass one.)');
  });

  it("is the file system's own message for a file that cannot be read", async () => {
    const missing = await thrown(() => readFile('/nonexistent/modelgate.yml', 'utf8'));
    expect(describeFailure(missing)).toBe(
      "ENOENT: no such file or directory, open '/nonexistent/modelgate.yml'",
    );
  });

  it("is GitHub's answer with what to do about it", () => {
    const forbidden = new RequestError('Resource not accessible by integration', 403, {
      request: { method: 'POST', url: 'https://api.github.com/repos/acme/models/git/refs', headers: {} },
    });
    expect(describeFailure(forbidden)).toBe(
      'GitHub API answered 403: Resource not accessible by integration (check that github-token has contents: write and deployments: write)',
    );
  });

  it('says a re-run resumes only when GitHub failed (5xx), not when it refused what was sent (4xx)', () => {
    const request = {
      method: 'POST' as const,
      url: 'https://api.github.com/repos/acme/models/releases',
      headers: {},
    };
    expect(describeFailure(new RequestError('Server Error', 502, { request }))).toBe(
      'GitHub API answered 502: Server Error (re-run the workflow: the release resumes where it stopped)',
    );
    expect(describeFailure(new RequestError('Validation Failed', 422, { request }))).toBe(
      'GitHub API answered 422: Validation Failed (GitHub refused the request as sent, and a re-run sends the same: fix what GitHub names, then re-run)',
    );
  });

  it('is "internal error (please report it)" with the stack for a bug, never dressed as a problem with the repository', async () => {
    const bug = await thrown(() => (undefined as unknown as { findings: unknown[] }).findings.length);
    const message = describeFailure(bug);
    expect(message).toMatch(
      /^modelgate: internal error \(please report it\): TypeError: Cannot read properties of undefined/,
    );
    expect(message).toMatch(/\n\s+at /);
  });
});
