import { seal, sealVerifies, type SealKey } from '../core/integrity/seal.js';
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
        created_at: comment.created_at,
        body: typeof comment.body === 'string' ? comment.body.slice(0, MAX_QUEUED_BODY) : comment.body,
        html_url: comment.html_url,
        user: comment.user ? { login: user.login, type: user.type } : null,
      },
      issue: { number: issue.number, ...(issue.pull_request ? { pull_request: {} } : {}) },
    },
  };
}

/** A queued event as the queue stores it: the event as JSON text and its MAC under the app's state key. */
export interface SealedEvent {
  event: string;
  mac: string;
}

const scopeOf = (id: string) => ['queued-event', id];

/**
 * Seals a queued event: whoever can write to Redis can add jobs, but only
 * the app (which holds the state key) can make one that a replica will run,
 * so a forged ChatOps command in the queue never runs as a maintainer.
 */
export function sealEvent(event: QueuedEvent, key: SealKey): SealedEvent {
  const text = JSON.stringify(event);
  return { event: text, mac: seal(key, scopeOf(event.id), text) };
}

/**
 * The event a queued job carries, when its MAC verifies and it belongs to the
 * installation the job runs as; otherwise why it is refused. The job's
 * installation id sits outside the seal (the scheduler keeps it), so it must
 * match the one sealed in the event: a sealed event moved to another
 * installation's job would run with that installation's token.
 */
export function openEvent(
  data: Record<string, unknown>,
  key: SealKey,
  installationId: number,
): QueuedEvent | { refused: string } {
  if (typeof data.event !== 'string' || typeof data.mac !== 'string')
    return { refused: 'it carries no sealed event' };
  let event: unknown;
  try {
    event = JSON.parse(data.event);
  } catch {
    return { refused: 'its event is not JSON' };
  }
  const { id, name, payload } = object(event);
  if (typeof id !== 'string' || (name !== 'deployment_status' && name !== 'issue_comment'))
    return { refused: 'its event names no delivery the app handles' };
  if (!sealVerifies(key, scopeOf(id), data.event, data.mac))
    return { refused: 'its MAC does not verify (not queued by modelgate)' };
  const sealedFor = object(object(payload).installation).id;
  if (sealedFor !== installationId)
    return {
      refused: `it was queued for installation ${String(sealedFor)}, but the job runs as installation ${installationId}`,
    };
  return { id, name, payload: object(payload) };
}
