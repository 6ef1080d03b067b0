import { z } from 'zod';
import { seal, sealVerifies, type SealKey } from '../integrity/seal.js';
import { inertCode, inertMarkdown } from '../report/escape.js';
import { LOGIN, stickyMarker, type CommentAuthor } from '../report/sticky.js';
import type { FileChange, SharedFile } from './plan.js';

/** Everything a rollback pull request says, planned before anything is written. */
export interface RevertPullRequest {
  branch: string;
  title: string;
  body: string;
  commitMessage: string;
}

export interface RevertContext {
  model: string;
  from: string;
  to: string;
  tag: string;
  reason: string;
  changes: readonly FileChange[];
  /** Files the release did not have that other models use: left in place, and said so. */
  kept?: readonly SharedFile[];
  /** Who asked (a user login, or the workflow actor). */
  requestedBy?: string;
  /** Where the request came from (a workflow run, a comment, a failed analysis). */
  link?: string;
  /** Seals the request line, so the release believes it (the app always; the Action with MODELGATE_STATE_KEY). */
  requestSeal?: RequestSeal;
}

/**
 * The pull request that restores a model's files from an earlier release. The
 * branch name is derived from model and version, so asking twice finds the
 * same pull request instead of opening a second one.
 */
export function planRevertPullRequest(context: RevertContext): RevertPullRequest {
  const { model, from, to, tag } = context;
  const branch = `modelgate/rollback-${model.replaceAll('/', '-')}-${to}`;
  const files = context.changes.map(
    (c) =>
      `| ${inertCode(c.path)} | ${c.action === 'restore' ? `restored from ${inertCode(tag)}` : `removed (not in ${inertCode(tag)})`} |`,
  );
  const kept = (context.kept ?? []).map(
    (k) => `| ${inertCode(k.path)} | kept: used by ${k.usedBy.map((m) => inertMarkdown(m)).join(', ')} |`,
  );
  const body = [
    stickyMarker('rollback', model),
    ...(context.requestedBy
      ? [
          requestLine(
            { by: context.requestedBy, ...(context.link ? { link: context.link } : {}) },
            branch,
            context.requestSeal,
          ),
        ]
      : []),
    `Rolls **${inertMarkdown(model)}** back from ${inertMarkdown(from)} to **${inertMarkdown(to)}** (${inertMarkdown(context.reason)}).`,
    '',
    `Every file below is restored exactly as the release tag ${inertCode(tag)} has it${kept.length ? ', except the files marked kept: the release did not have them, and another model uses them' : ''}. When this merges, modelgate's release assigns ${inertMarkdown(to)} to the first stage again and deploys it; no new version is tagged.`,
    '',
    '| file | change |',
    '|---|---|',
    ...files,
    ...kept,
    '',
    [
      context.requestedBy ? `Requested by @${inertMarkdown(context.requestedBy)}` : '',
      context.link ? `from ${context.link}` : '',
    ]
      .filter(Boolean)
      .join(' ') || '',
  ].join('\n');
  return {
    branch,
    title: `Roll back ${model} to ${to}`,
    body: body.trimEnd(),
    commitMessage: `Roll back ${model} from ${from} to ${to}\n\nRestores the files of ${tag}.${context.requestedBy ? `\nRequested-by: ${context.requestedBy}` : ''}`,
  };
}

/** Who asked for a rollback, carried by its pull request into the release that merges it. */
export interface RollbackRequester {
  by: string;
  link?: string;
}

/** The key and repository that seal a request line, when the writer has a key. */
export interface RequestSeal {
  key: SealKey;
  /** `owner/name` of the repository the pull request is opened in. */
  repository: string;
}

const REQUEST = /^<!-- modelgate-request:([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))? -->$/m;
/** A request line is a login and a link: anything longer is not one of ours. */
const MAX_REQUEST = 4096;

const requestScope = (repository: string, branch: string) => [
  'rollback-request',
  repository.toLowerCase(),
  branch,
];

/**
 * The hidden line of a rollback pull request that records who asked:
 * base64url JSON (it cannot close the comment), then `.` and a MAC over the
 * repository and the pull request's branch when the writer holds a key.
 */
function requestLine(request: RollbackRequester, branch: string, sealWith?: RequestSeal): string {
  const encoded = Buffer.from(JSON.stringify(request)).toString('base64url');
  const tag = sealWith ? `.${seal(sealWith.key, requestScope(sealWith.repository, branch), encoded)}` : '';
  return `<!-- modelgate-request:${encoded}${tag} -->`;
}

/** What a request line holds: a login (nothing that breaks a line or a mention) and a link. */
const requestShape = z.object({ by: z.string().regex(LOGIN), link: z.unknown().optional() });

/** The request line of a pull-request body: what it claims and its MAC, not yet believed. */
function readRequestLine(
  body: string | null | undefined,
): { request: RollbackRequester; encoded: string; tag?: string } | undefined {
  const match = body ? REQUEST.exec(body) : null;
  if (!match) return undefined;
  const [, encoded = '', tag] = match;
  if (encoded.length > MAX_REQUEST) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = requestShape.safeParse(value);
  if (!parsed.success) return undefined;
  const { by, link } = parsed.data;
  return {
    request: { by, ...(typeof link === 'string' && link.startsWith('https://') ? { link } : {}) },
    encoded,
    ...(tag ? { tag } : {}),
  };
}

/**
 * Who a pull-request body says asked for the rollback; undefined for any
 * other body. This is only the claim: `trustedRequester` decides whether it
 * is believed.
 */
export function rollbackRequester(body: string | null | undefined): RollbackRequester | undefined {
  return readRequestLine(body)?.request;
}

/** What the reader of a merged pull request trusts: its own identity, and the seal key when it has one. */
export interface RequestTrust {
  /** Who the reader's token acts as: a pull request it opened may carry an unsealed line. */
  self: CommentAuthor;
  /** With a key, every request line must carry a MAC that verifies (MODELGATE_STATE_KEY). */
  key?: SealKey;
  /** `owner/name` of the repository. */
  repository: string;
}

/**
 * Who asked for the rollback that a merged pull request made, believed only
 * when modelgate opened it: the pull request's author is a bot, and its line
 * either carries a MAC that verifies for this repository and branch, or
 * (without a key) the author is the reader's own identity. Anything else is
 * ignored, with the reason, so a name nobody asked with never reaches the
 * audit trail.
 */
export function trustedRequester(
  pull: {
    body?: string | null;
    author?: CommentAuthor | null;
    branch: string;
    /** `owner/name` of the head branch's repository: modelgate opens its branches here, never in a fork. */
    headRepository?: string | null;
  },
  trust: RequestTrust,
): { requester?: RollbackRequester; ignored?: string } {
  const line = readRequestLine(pull.body);
  if (!line) return {};
  if (pull.headRepository?.toLowerCase() !== trust.repository.toLowerCase())
    return {
      ignored: `its branch comes from ${pull.headRepository ?? 'a deleted repository'}, and modelgate opens rollbacks from this repository`,
    };
  const author = pull.author ? `@${pull.author.login}` : 'a deleted account';
  if (pull.author?.type !== 'Bot')
    return { ignored: `its request line was written by ${author}, not by modelgate` };
  if (line.tag) {
    if (!trust.key)
      return {
        ignored:
          'its request line is sealed by the app, and MODELGATE_STATE_KEY (the same key as the app) is not set here to check it',
      };
    return sealVerifies(trust.key, requestScope(trust.repository, pull.branch), line.encoded, line.tag)
      ? { requester: line.request }
      : {
          ignored: 'its request line does not verify (changed by hand, or copied from another pull request)',
        };
  }
  if (trust.key) return { ignored: 'its request line carries no MAC, and MODELGATE_STATE_KEY is set' };
  if (pull.author.login !== trust.self.login)
    return { ignored: `its request line is unsealed and ${author} is not this workflow's own identity` };
  return { requester: line.request };
}
