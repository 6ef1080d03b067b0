import semver from 'semver';
import {
  BAKE_MAX_MS,
  BAKE_MIN_MS,
  formatDuration,
  guardDurationProblem,
  parseGuardDuration,
} from '../guard/duration.js';
import { MODEL_NAME } from '../manifest/schema.js';

export const CANARY_ACTIONS = ['status', 'pause', 'resume', 'abort'] as const;
export type CanaryAction = (typeof CANARY_ACTIONS)[number];

/**
 * What `/guard` does to a production guard. `resume` continues a guard the
 * app restarted paused (its saved state could not be believed); a guard is
 * never paused by hand: production is live, so it is watched or stopped.
 */
export const GUARD_ACTIONS = ['status', 'extend', 'stop', 'resume'] as const;
export type GuardAction = (typeof GUARD_ACTIONS)[number];

/** What `/ab` does: say where the A/B test stands, or apply the decision it proposes. */
export const AB_ACTIONS = ['status', 'conclude'] as const;
export type AbAction = (typeof AB_ACTIONS)[number];

/** A ChatOps command, as the first line of a comment says it. */
export type Command =
  | { name: 'rollback'; model?: string; to?: string; plan: boolean }
  | { name: 'promote'; model?: string }
  | { name: 'canary'; action: CanaryAction; model?: string }
  /** `/guard extend <duration>` carries the duration, in milliseconds and as written. */
  | { name: 'guard'; action: GuardAction; model?: string; extend?: { ms: number; text: string } }
  | { name: 'ab'; action: AbAction; model?: string }
  | { name: 'help' }
  /** A slash word that is not one of ours (a typo, or another bot's command). */
  | { name: 'unknown'; word: string }
  /** One of ours with arguments that do not fit: what went wrong, and the usage. */
  | { name: 'invalid'; command: CommandName; problem: string };

type CommandName = 'rollback' | 'promote' | 'canary' | 'guard' | 'ab' | 'help';

export const USAGE = {
  rollback: '/rollback [model] [to <version>] [--plan]',
  promote: '/promote [model]',
  canary: '/canary status|pause|resume|abort [model]',
  guard: '/guard status|extend <duration>|stop|resume [model]',
  ab: '/ab status|conclude [model]',
  help: '/help',
} as const;

/** Longer first lines are not read: a command is a handful of words. */
const MAX_COMMAND_LENGTH = 200;

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
    case 'guard':
      return guard(args);
    case 'ab': {
      const [action = 'status', ...rest] = args;
      const known = AB_ACTIONS.find((a) => a === action.toLowerCase());
      if (!known) return invalid(name, `"${action}" is not an A/B action`);
      if (rest.length > 1) return invalid(name, 'too many arguments');
      return modelArgument(name, rest[0], { name, action: known });
    }
    case 'rollback':
      return rollback(args);
  }
}

/** `/guard [status|stop|resume] [model]`, `/guard extend <duration> [model]`. */
function guard(args: string[]): Command {
  const [action = 'status', ...rest] = args;
  const known = GUARD_ACTIONS.find((a) => a === action.toLowerCase());
  if (!known) return invalid('guard', `"${action}" is not a guard action`);
  if (known !== 'extend') {
    if (rest.length > 1) return invalid('guard', 'too many arguments');
    return modelArgument('guard', rest[0], { name: 'guard', action: known });
  }
  const [duration, model, ...more] = rest;
  if (duration === undefined) return invalid('guard', '"extend" needs a duration such as 6h');
  const text = duration.toLowerCase();
  const ms = parseGuardDuration(text);
  if (ms === undefined) return invalid('guard', `"${duration}" is not a duration (such as 30m, 6h or 2d)`);
  // The same bounds as a manifest's bake: an extension is a bake of its own.
  if (guardDurationProblem(text, BAKE_MIN_MS, BAKE_MAX_MS))
    return invalid(
      'guard',
      `an extension is between ${formatDuration(BAKE_MIN_MS)} and ${formatDuration(BAKE_MAX_MS)}, not ${text}`,
    );
  if (more.length) return invalid('guard', 'too many arguments');
  return modelArgument('guard', model, { name: 'guard', action: 'extend', extend: { ms, text } });
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
  command: Exclude<CommandName, 'help'>,
  model: string | undefined,
  parsed: Targeted,
): Command {
  if (model === undefined) return parsed;
  if (!MODEL_NAME.test(model)) return invalid(command, `"${model}" is not a model name`);
  return { ...parsed, model };
}

function invalid(command: CommandName, problem: string): Command {
  return { name: 'invalid', command, problem };
}
