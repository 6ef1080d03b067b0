import { cell } from '../report/escape.js';
import { stickyMarker } from '../report/sticky.js';
import type { FileChange } from './plan.js';

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
  /** Who asked (a user login, or the workflow actor). */
  requestedBy?: string;
  /** Where the request came from (a workflow run, a comment, a failed analysis). */
  link?: string;
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
      `| \`${cell(c.path)}\` | ${c.action === 'restore' ? `restored from \`${cell(tag)}\`` : `removed (not in \`${cell(tag)}\`)`} |`,
  );
  const body = [
    stickyMarker('rollback', model),
    ...(context.requestedBy
      ? [requestLine({ by: context.requestedBy, ...(context.link ? { link: context.link } : {}) })]
      : []),
    `Rolls **${cell(model)}** back from ${cell(from)} to **${cell(to)}** (${cell(context.reason)}).`,
    '',
    `Every file below is restored exactly as the release tag \`${cell(tag)}\` has it. When this merges, modelgate's release assigns ${cell(to)} to the first stage again and deploys it; no new version is tagged.`,
    '',
    '| file | change |',
    '|---|---|',
    ...files,
    '',
    [
      context.requestedBy ? `Requested by @${cell(context.requestedBy)}` : '',
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

const REQUEST = /^<!-- modelgate-request:([A-Za-z0-9_-]+) -->$/m;

/** The hidden line of a rollback pull request that records who asked (base64url JSON: it cannot close the comment). */
function requestLine(request: RollbackRequester): string {
  return `<!-- modelgate-request:${Buffer.from(JSON.stringify(request)).toString('base64url')} -->`;
}

/** Who asked for the rollback a pull request body describes; undefined for any other body. */
export function rollbackRequester(body: string | null | undefined): RollbackRequester | undefined {
  const match = body ? REQUEST.exec(body) : null;
  if (!match) return undefined;
  try {
    const value = JSON.parse(
      Buffer.from(match[1]!, 'base64url').toString('utf8'),
    ) as Partial<RollbackRequester>;
    const login = /^[A-Za-z0-9-]+(\[bot\])?$/;
    if (typeof value.by !== 'string' || !login.test(value.by)) return undefined;
    return {
      by: value.by,
      ...(typeof value.link === 'string' && value.link.startsWith('https://') ? { link: value.link } : {}),
    };
  } catch {
    return undefined;
  }
}
