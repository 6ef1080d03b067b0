import { inertQuote } from '../report/escape.js';
import { USAGE, type Command } from './command.js';
import { COMMAND_KEYS, requirementOf, type ChatOpsSettings, type CommandKey } from './permission.js';

/** Hidden first line of every reply: a reply never starts with `/`, so it is never read as a command. */
const REPLY_MARKER = '<!-- modelgate:reply -->';

/**
 * Text a commenter wrote, made inert for a reply: no HTML, no markdown
 * (links, images, emphasis, code), no mentions, one line, and cut short.
 * The escaping itself lives with every other medium's in report/escape.ts.
 */
export function inert(text: string, max = 80): string {
  return inertQuote(text, max);
}

/** A reply to a command: the command quoted (made inert), then the outcome addressed to who asked. */
export function replyBody(options: { login: string; commandLine: string; text: string }): string {
  const line = (options.commandLine.split(/\r?\n/, 1)[0] ?? '').trim();
  return [REPLY_MARKER, `> ${inert(line)}`, '', `@${options.login} ${options.text}`].join('\n');
}

const DOES: Record<CommandKey, string> = {
  rollback: `\`${USAGE.rollback}\`: open a pull request that restores an earlier release (the last good one by default); \`--plan\` only says what would change`,
  promote: `\`${USAGE.promote}\`: skip the remaining canary steps and promote now`,
  canary: '`/canary pause|resume|abort [model]`: hold, continue or stop the canary analysis',
  guard:
    "`/guard extend <duration> [model]`, `/guard stop|resume [model]`: lengthen the production guard's bake (e.g. `6h`), stop watching, or resume a guard the app restarted paused",
  ab: '`/ab conclude [model]`: apply the decision an A/B test proposes (promote B, or keep A)',
  status:
    '`/canary status [model]`, `/guard status [model]`, `/ab status [model]`: where the rollout, the production guard or the A/B test stands',
  help: '`/help`: this list',
};

/** Who may use a command, as /help says it. */
function whoMay(settings: ChatOpsSettings, key: CommandKey): string {
  const req = requirementOf(settings, key);
  const teams = req.teams.length ? `, in team ${req.teams.map((t) => `\`${t}\``).join(' or ')}` : '';
  return `${req.permission} access or more${teams}`;
}

/** The /help reply: every command and who may use it in this repository. */
export function helpText(settings: ChatOpsSettings): string {
  return [
    'modelgate answers these commands on the first line of a new comment (edits are not read). The model can be left out when the pull request touches exactly one model.',
    '',
    '| command | who may use it |',
    '|---|---|',
    // A pipe ends a table cell even inside a code span unless escaped (GitHub's tables).
    ...COMMAND_KEYS.map((key) => `| ${DOES[key].replaceAll('|', '\\|')} | ${whoMay(settings, key)} |`),
    '',
    'Who may act is set under `chatops` in `.github/modelgate.yml` on the default branch.',
  ].join('\n');
}

/** The reply to a `/word` modelgate does not know, or to one of its commands with arguments that do not fit. */
export function notUnderstood(command: Extract<Command, { name: 'unknown' | 'invalid' }>): string {
  const what =
    command.name === 'unknown'
      ? `\`/${command.word.slice(0, 40)}\` is not a modelgate command.`
      : `\`/${command.command}\` was understood, but ${inert(command.problem, 120)}: the usage is \`${USAGE[command.command]}\`.`;
  return `${what} The commands are \`${USAGE.rollback}\`, \`${USAGE.promote}\`, \`${USAGE.canary}\`, \`${USAGE.guard}\`, \`${USAGE.ab}\` and \`${USAGE.help}\`.`;
}
