import { r as readInputs, s as setFailed, C as CommandError } from './action/inputs-DSZox23F.js';
import { i as isFileSystemError } from './action/user-file-error-Ce2abkG1.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'string_decoder';
import 'events';
import 'child_process';
import 'assert';
import 'timers';
import 'node:fs';

/**
 * The Action: read inputs, run the command, and turn any failure into one
 * clear failed step. Each command's module is loaded when it runs (a chunk of
 * its own in dist/action/), so a step pays only for its command's code.
 */
async function run() {
    try {
        const inputs = readInputs();
        if (inputs.command === 'release')
            await (await import('./action/release-BqS78_UQ.js').then(function (n) { return n.r; })).runRelease(inputs);
        else if (inputs.command === 'check')
            await (await import('./action/check-BYdPF2qC.js')).runCheck(inputs);
        else if (inputs.command === 'rollback')
            await (await import('./action/rollback-CCCF_yQZ.js')).runRollback(inputs);
        else if (inputs.command === 'deploy')
            await (await import('./action/deploy-CC2zXnyE.js')).runDeploy(inputs);
        else
            await (await import('./action/validate-CX8KZiNv.js')).runValidate(inputs);
    }
    catch (error) {
        setFailed(describeFailure(error));
    }
}
/**
 * The failed step's message: what the user can fix (a CommandError, a
 * malformed file among them, a file that cannot be read, GitHub's answer) as
 * it is; anything else is a bug in modelgate and says so, with its stack,
 * instead of reading as a problem with the user's repository.
 */
function describeFailure(error) {
    if (error instanceof CommandError)
        return `${error.message}${error.fix ? ` (${error.fix})` : ''}`;
    if (isFileSystemError(error))
        return error.message;
    const status = error?.status;
    const message = String(error?.message ?? error);
    if (typeof status === 'number') {
        const hint = status === 401 || status === 403
            ? ' (check that github-token has contents: write and deployments: write)'
            : status === 429
                ? ' (rate limited; re-run later: the release resumes where it stopped)'
                : status >= 500
                    ? ' (re-run the workflow: the release resumes where it stopped)'
                    : ' (GitHub refused the request as sent, and a re-run sends the same: fix what GitHub names, then re-run)';
        return `GitHub API answered ${status}: ${message}${hint}`;
    }
    return `modelgate: internal error (please report it): ${error?.stack ?? message}`;
}

await run();
