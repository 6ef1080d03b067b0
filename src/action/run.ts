import * as core from '@actions/core';
import { CommandError } from '../core/repository.js';
import { isFileSystemError } from '../core/user-file-error.js';
import { readInputs } from './inputs.js';

/**
 * The Action: read inputs, run the command, and turn any failure into one
 * clear failed step. Each command's module is loaded when it runs (a chunk of
 * its own in dist/action/), so a step pays only for its command's code.
 */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    if (inputs.command === 'release') await (await import('./release.js')).runRelease(inputs);
    else if (inputs.command === 'check') await (await import('./check.js')).runCheck(inputs);
    else if (inputs.command === 'rollback') await (await import('./rollback.js')).runRollback(inputs);
    else if (inputs.command === 'deploy') await (await import('./deploy.js')).runDeploy(inputs);
    else await (await import('./validate.js')).runValidate(inputs);
  } catch (error) {
    core.setFailed(describeFailure(error));
  }
}

/**
 * The failed step's message: what the user can fix (a CommandError, a
 * malformed file among them, a file that cannot be read, GitHub's answer) as
 * it is; anything else is a bug in modelgate and says so, with its stack,
 * instead of reading as a problem with the user's repository.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof CommandError) return `${error.message}${error.fix ? ` (${error.fix})` : ''}`;
  if (isFileSystemError(error)) return error.message;
  const status = (error as { status?: unknown } | null)?.status;
  const message = String((error as Error)?.message ?? error);
  if (typeof status === 'number') {
    const hint =
      status === 401 || status === 403
        ? ' (check that github-token has contents: write and deployments: write)'
        : status === 429
          ? ' (rate limited; re-run later: the release resumes where it stopped)'
          : status >= 500
            ? ' (re-run the workflow: the release resumes where it stopped)'
            : ' (GitHub refused the request as sent, and a re-run sends the same: fix what GitHub names, then re-run)';
    return `GitHub API answered ${status}: ${message}${hint}`;
  }
  return `modelgate: internal error (please report it): ${(error as Error | undefined)?.stack ?? message}`;
}
