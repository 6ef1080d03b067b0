import semver from 'semver';
import { MODEL_NAME } from '../manifest/schema.js';

export const CANARY_ACTIONS = ['status', 'pause', 'resume', 'abort'] as const;
export type CanaryAction = (typeof CANARY_ACTIONS)[number];

/** A ChatOps command, as the first line of a comment says it. */
export type Command =
  | { name: 'rollback'; model?: string; to?: string; plan: boolean }
  | { name: 'promote'; model?: string }
  | { name: 'canary'; action: CanaryAction; model?: string }
  | { name: 'help' }
  /** A slash word that is not one of ours (a typo, or another bot's command). */
  | { name: 'unknown'; word: string }
  /** One of ours with arguments that do not fit: what went wrong, and the usage. */
  | { name: 'invalid'; command: 'rollback' | 'promote' | 'canary' | 'help'; problem: string };

export const USAGE = {
  rollback: '/rollback [model] [to <version>] [--plan]',
  promote: '/promote [model]',
  canary: '/canary status|pause|resume|abort [model]',
  help: '/help',
} as const;

/** Longer first lines are not read: a command is a handful of words. */
export const MAX_COMMAND_LENGTH = 200;

const COMMAND = /^\/([A-Za-z][\w-]*)(?:\s+(.*))?$/;

/**
 * Reads the command on the first line of a comment body; undefined when the
 * comment is not a command (its first line does not start with `/word`).
 */
export function parseCommand(body: string): Command | undefined {
  const line = (body.split(/\r?\n/, 1)[0] ?? '').trim();
  const match = COMMAND.exec(line.slice(0, MAX_COMMAND_LENGTH + 1));
  if (!match) return undefined;
  const word = match[1]!.toLowerCase();
  if (!(word in USAGE)) return { name: 'unknown', word: match[1]! };
  const name = word as keyof typeof USAGE;
  if (line.length > MAX_COMMAND_LENGTH)
    return {
      name: 'invalid',
      command: name,
      problem: `the command is longer than ${MAX_COMMAND_LENGTH} characters`,
    };
  const args = (match[2] ?? '').split(/\s+/).filter(Boolean);
  switch (name) {
    case 'help':
      return args.length ? invalid(name, `/help takes no arguments`) : { name };
    case 'promote':
      return args.length > 1 ? invalid(name, 'too many arguments') : modelArgument(name, args[0], { name });
    case 'canary': {
      const [action = 'status', ...rest] = args;
      const known = CANARY_ACTIONS.find((a) => a === action.toLowerCase());
      if (!known) return invalid(name, `"${action}" is not a canary action`);
      if (rest.length > 1) return invalid(name, 'too many arguments');
      return modelArgument(name, rest[0], { name, action: known });
    }
    case 'rollback':
      return rollback(args);
  }
}

function rollback(args: string[]): Command {
  let plan = false;
  let to: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--plan') plan = true;
    else if (arg.toLowerCase() === 'to') {
      const version = args[++i];
      if (version === undefined) return invalid('rollback', '"to" needs a version');
      const clean = version.replace(/^v/, '');
      if (!semver.valid(clean)) return invalid('rollback', `"${version}" is not a version (like 1.2.0)`);
      to = clean;
    } else rest.push(arg);
  }
  if (rest.length > 1) return invalid('rollback', 'too many arguments');
  return modelArgument('rollback', rest[0], { name: 'rollback', plan, ...(to ? { to } : {}) });
}

type Targeted = Extract<Command, { model?: string }>;

function modelArgument(
  command: 'rollback' | 'promote' | 'canary',
  model: string | undefined,
  parsed: Targeted,
): Command {
  if (model === undefined) return parsed;
  if (!MODEL_NAME.test(model)) return invalid(command, `"${model}" is not a model name`);
  return { ...parsed, model };
}

function invalid(command: 'rollback' | 'promote' | 'canary' | 'help', problem: string): Command {
  return { name: 'invalid', command, problem };
}
