import type { QueuedEvent } from './work.js';

/** The longest comment body a queued ChatOps event carries: a command is its first line. */
const MAX_QUEUED_BODY = 4096;

type Json = Record<string, unknown>;
const object = (value: unknown): Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};

/** The parts of a repository the handlers read. */
function repositoryOf(payload: Json): Json {
  const repository = object(payload.repository);
  return {
    name: repository.name,
    full_name: repository.full_name,
    html_url: repository.html_url,
    default_branch: repository.default_branch,
    owner: { login: object(repository.owner).login },
  };
}

/**
 * A webhook event as the queue carries it to whichever replica runs it: only
 * the fields the handlers read (a whole payload can be hundreds of
 * kilobytes), so a queued job stays small. A command is on a comment's first
 * line; a longer body is cut, which the handler cannot tell from the real one.
 */
export function queuedEvent(id: string, name: QueuedEvent['name'], raw: unknown): QueuedEvent {
  const payload = object(raw);
  const common = {
    action: payload.action,
    installation: { id: object(payload.installation).id },
    repository: repositoryOf(payload),
  };
  if (name === 'deployment_status') {
    const deployment = object(payload.deployment);
    return {
      id,
      name,
      payload: {
        ...common,
        deployment: {
          id: deployment.id,
          sha: deployment.sha,
          ref: deployment.ref,
          environment: deployment.environment,
          payload: deployment.payload,
        },
        deployment_status: { state: object(payload.deployment_status).state },
      },
    };
  }
  const comment = object(payload.comment);
  const user = object(comment.user);
  const issue = object(payload.issue);
  return {
    id,
    name,
    payload: {
      ...common,
      comment: {
        id: comment.id,
        body: typeof comment.body === 'string' ? comment.body.slice(0, MAX_QUEUED_BODY) : comment.body,
        html_url: comment.html_url,
        user: comment.user ? { login: user.login, type: user.type } : null,
      },
      issue: { number: issue.number, ...(issue.pull_request ? { pull_request: {} } : {}) },
    },
  };
}
