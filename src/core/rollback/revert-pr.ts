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
