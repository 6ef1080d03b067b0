import type { Context } from 'probot';
import type { Steer } from '../../core/canary/state.js';
import { parseCommand, type Command } from '../../core/chatops/command.js';
import { commandKey, requirementOf } from '../../core/chatops/permission.js';
import { helpText, inert, notUnderstood, replyBody } from '../../core/chatops/reply.js';
import type { Octokit } from '../../io/github/octokit.js';
import { SETTINGS_FILE, type Settings } from '../../io/settings.js';
import { asOctokit } from '../octokit.js';
import { loadSettingsAt } from '../settings.js';
import { refusal } from './authorize.js';
import { canaryCommand, promoteCommand } from './canary.js';
import { guardCommand } from './guard.js';
import { abCommand } from './ab.js';
import {
  branchView,
  registeredModels,
  tagRefs,
  touchedModels,
  type BranchView,
  type TagRef,
} from './registry.js';
import { rollbackCommand } from './rollback.js';
import type { AppTrust } from '../trust.js';

type Repo = { owner: string; repo: string };

/** Commands older than this when they reach the app are not acted on (see REDELIVERABLE in core/delivery). */
const MAX_COMMAND_AGE_MS = 3_600_000;
type Targeted = Extract<Command, { name: 'rollback' | 'promote' | 'canary' | 'guard' | 'ab' }>;
/** The settings on the default branch: read, invalid, or not readable right now (GitHub failed). */
type Loaded = { settings: Settings } | { problem: string } | { unreadable: string };

/**
 * issue_comment.created: a command on the first line of a new comment. The
 * 👀 reaction is the claim: GitHub answers 201 to the first delivery that
 * adds it and 200 to any other, so a comment is acted on at most once even
 * when its webhook arrives twice. Settings come from the default branch, never
 * from the pull request.
 */
export async function handleComment(
  context: Context<'issue_comment.created'>,
  now: () => Date,
  appTrust: () => Promise<AppTrust>,
): Promise<void> {
  const { comment, issue, repository } = context.payload;
  const command = parseCommand(comment.body);
  const user = comment.user;
  if (!command || !user) return; // not a command, or a deleted account's

  const octokit = asOctokit(context.octokit);
  const repo = context.repo();
  const loaded: Loaded = await loadSettingsAt(octokit, repo, repository.default_branch).catch(
    (error: unknown) => ({ unreadable: error instanceof Error ? error.message : String(error) }),
  );
  if (
    command.name === 'unknown' &&
    'settings' in loaded &&
    loaded.settings.chatops.unknownCommands === 'ignore'
  )
    return;
  const claim = await octokit.rest.reactions.createForIssueComment({
    ...repo,
    comment_id: comment.id,
    content: 'eyes',
  });
  if (claim.status !== 201) {
    context.log.info(`comment ${comment.id} was claimed by an earlier delivery`);
    return;
  }
  const reply = (text: string) =>
    octokit.rest.issues.createComment({
      ...repo,
      issue_number: issue.number,
      body: replyBody({ login: user.login, commandLine: comment.body, text }),
    });

  // A command that reaches the app late (held back by the rate limit, redelivered by hand) may no longer
  // be what its author wants: it is not acted on, and they are told.
  const age = now().getTime() - Date.parse(comment.created_at);
  if (age > MAX_COMMAND_AGE_MS) {
    await reply(
      `this command was written ${Math.round(age / 60_000)} minutes ago and reached modelgate only now, so nothing was done: a command older than an hour may no longer stand. Comment it again if it does.`,
    );
    return;
  }

  let text: string;
  try {
    text = await answer(octokit, repo, command, {
      settings: loaded,
      bot: user.type === 'Bot',
      login: user.login,
      pullRequest: issue.pull_request ? issue.number : undefined,
      defaultBranch: repository.default_branch,
      repositoryUrl: repository.html_url,
      steer: { by: user.login, at: now().toISOString(), link: comment.html_url },
      trust: appTrust,
    });
  } catch (error) {
    context.log.error({ err: error, comment: comment.html_url }, 'ChatOps command failed');
    text = `the command failed: ${inert(error instanceof Error ? error.message : String(error), 300)}. Every step of a command is safe to repeat: comment it again to finish it.`;
  }
  await reply(text);
}

async function answer(
  octokit: Octokit,
  repo: Repo,
  command: Command,
  asked: {
    settings: Loaded;
    bot: boolean;
    login: string;
    pullRequest?: number;
    defaultBranch: string;
    repositoryUrl: string;
    steer: Steer;
    trust: () => Promise<AppTrust>;
  },
): Promise<string> {
  if (asked.bot)
    return 'comments by bots (modelgate included) are not acted on: a person has to ask. Nothing was done.';
  if ('unreadable' in asked.settings)
    return `nothing was done: ${SETTINGS_FILE} could not be read from GitHub (${inert(asked.settings.unreadable, 200)}), so who may act cannot be known. Comment the command again.`;
  if ('problem' in asked.settings)
    return `nothing was done: ${SETTINGS_FILE} on ${inert(asked.defaultBranch)} is invalid (${inert(asked.settings.problem, 300)}), so who may act cannot be known. Fix the file first.`;
  const { settings } = asked.settings;
  if (command.name === 'unknown' || command.name === 'invalid') return notUnderstood(command);
  const key = commandKey(command)!;
  const label =
    command.name === 'canary' || command.name === 'guard' || command.name === 'ab'
      ? `/${command.name} ${command.action}`
      : `/${command.name}`;
  const refused = await refusal(octokit, repo, asked.login, label, requirementOf(settings.chatops, key));
  if (refused) return refused;
  if (command.name === 'help') return helpText(settings.chatops);

  const refs = await tagRefs(octokit, repo);
  let view: Promise<BranchView> | undefined;
  const branch = () => (view ??= branchView(octokit, repo, asked.defaultBranch, settings.manifests));
  const model = await chooseModel(octokit, repo, command, refs, branch, asked);
  if ('reply' in model) return model.reply;
  const trust = await asked.trust();
  switch (command.name) {
    case 'rollback':
      return rollbackCommand(
        octokit,
        repo,
        {
          model: model.name,
          to: command.to,
          plan: command.plan,
          settings,
          branch,
          refs,
          steer: asked.steer,
        },
        trust,
      );
    case 'promote':
      return promoteCommand(octokit, repo, model.name, asked.steer, trust, asked.repositoryUrl);
    case 'canary':
      return canaryCommand(octokit, repo, model.name, command.action, asked.steer, trust);
    case 'guard':
      return guardCommand(octokit, repo, model.name, command, asked.steer, trust);
    case 'ab':
      return abCommand(octokit, repo, model.name, command.action, asked.steer, trust);
  }
}

/** The model a command is about: the one named, else the only registered model the pull request touches. */
async function chooseModel(
  octokit: Octokit,
  repo: Repo,
  command: Targeted,
  refs: readonly TagRef[],
  branch: () => Promise<BranchView>,
  asked: { pullRequest?: number },
): Promise<{ name: string } | { reply: string }> {
  const registered = registeredModels(refs);
  const list = (names: string[]) => names.map((n) => `\`${n}\``).join(', ');
  if (command.model !== undefined) {
    if (registered.includes(command.model)) return { name: command.model };
    return {
      reply: `no model named **${inert(command.model)}** is registered in this repository${registered.length ? ` (registered: ${list(registered)})` : ''}. Nothing was done.`,
    };
  }
  let candidates = registered;
  let where = 'this repository has';
  if (asked.pullRequest !== undefined) {
    const touched = await touchedModels(octokit, repo, asked.pullRequest, await branch());
    const touchedRegistered = touched.filter((m) => registered.includes(m));
    if (touchedRegistered.length) {
      candidates = touchedRegistered;
      where = 'this pull request touches';
    }
  }
  if (candidates.length === 1) return { name: candidates[0]! };
  return {
    reply: candidates.length
      ? `which model? ${where} ${candidates.length} registered models: ${list(candidates)}. Name one, e.g. \`/${command.name}${command.name === 'canary' || command.name === 'guard' || command.name === 'ab' ? ` ${command.action}${command.name === 'guard' && command.extend ? ` ${command.extend.text}` : ''}` : ''} ${candidates[0]}\`.`
      : 'no model is registered in this repository yet, so there is nothing to act on.',
  };
}
