import { CommandError } from '../../core/repository.js';

/** What a workflow run says about itself: the parts of @actions/github's context a release reads. */
export interface WorkflowEvent {
  eventName: string;
  /** GITHUB_REF: the branch or tag the run is for (refs/heads/main). */
  ref: string;
  /** GITHUB_SHA: for a push the pushed commit, for a manual run the branch's head when it was dispatched. */
  sha: string;
  /** The event's payload as GitHub wrote it; the fields a release reads are named. */
  payload: {
    [field: string]: unknown;
    before?: string;
    after?: string;
    pusher?: { name?: string };
    /** GitHub's repository object; only `default_branch` is read. */
    repository?: { [field: string]: unknown };
  };
  actor: string;
  repo: { owner: string; repo: string };
}

/** The commit a release may tag and deploy, and the push it came from. */
export interface ReleaseTrigger {
  /** The commit to release: the pushed commit, or the default branch's head on a manual run. */
  commit: string;
  /** The commit before the push (absent on a manual run: then only versions with no tag yet are released). */
  before?: string;
  branch: string;
}

/** The events a release runs on; any other (pull_request, workflow_run, schedule, a tag push) is refused. */
const RELEASE_EVENTS = new Set(['push', 'workflow_dispatch']);

/**
 * The commit a workflow run may release, or a CommandError saying which rule
 * it broke and how to fix the workflow. A release tags and deploys, so only
 * reviewed history may reach it: a push to the default branch, or a manual
 * run (workflow_dispatch, to finish a release whose run cannot be re-run) on
 * the default branch. Anyone with write access can push an unreviewed branch
 * or dispatch a workflow on one, so the event and the ref are checked here, and
 * the commit's place on the default branch is asked of GitHub before any write
 * ({@link ReleaseApi.onBranch}).
 */
export function releaseTrigger(event: WorkflowEvent, defaultBranch: string): ReleaseTrigger {
  const fix = `Run command: release on push with branches: [${defaultBranch}] (or workflow_dispatch on ${defaultBranch} to finish a release).`;
  if (!RELEASE_EVENTS.has(event.eventName))
    throw new CommandError(
      `release refused: it runs on a push to the default branch ${defaultBranch} (or a manual run there), not on ${event.eventName || 'an unnamed'} events`,
      fix,
    );
  const expected = `refs/heads/${defaultBranch}`;
  if (event.ref !== expected)
    throw new CommandError(
      `release refused: the run is for ${event.ref || 'no ref'}, not for the default branch ${expected}; only reviewed commits on the default branch are tagged and deployed`,
      fix,
    );
  const pushed = event.eventName === 'push' ? event.payload.after : undefined;
  const commit = pushed ?? event.sha;
  if (!commit || /^0+$/.test(commit))
    throw new CommandError('release refused: the run names no commit (GITHUB_SHA is empty)', fix);
  const before = event.eventName === 'push' ? event.payload.before : undefined;
  return { commit, branch: defaultBranch, ...(before ? { before } : {}) };
}

/** The default branch as the event's payload names it, when it does (push and workflow_dispatch payloads do). */
export function payloadDefaultBranch(event: WorkflowEvent): string | undefined {
  const branch = event.payload.repository?.['default_branch'];
  return typeof branch === 'string' && branch ? branch : undefined;
}
