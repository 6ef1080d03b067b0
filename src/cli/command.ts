import type { ParseArgsConfig } from 'node:util';
import { CommandError } from '../core/repository.js';
import type { Output } from './output.js';

/** Parsed arguments of one command. */
export interface CommandArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * One `modelgate <command>`: its help, its options, and what it does. Add a
 * command by adding a file here (src/cli/commands/) and its implementation in
 * src/cli/run/, which `run` imports when the command runs: a command file
 * itself imports nothing heavier than this file, so listing commands stays cheap.
 */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  positionals: { min: number; max: number };
  run(args: CommandArgs, out: Output): Promise<number>;
}

export const ROOT_OPTION = { root: { type: 'string' } } as const;
export const FORMAT_OPTION = { format: { type: 'string', default: 'text' } } as const;
/** `analyze` commands: judge with other policy blocks than the manifest's (a what-if, nothing is written). */
export const POLICY_OPTION = { policy: { type: 'string' } } as const;
export const POLICY_HELP = `--policy FILE judges with the canary, rollout and/or guard blocks of a YAML
file in place of the manifest's (checked by the same schema, nothing is
written): try a policy on a recording before you commit it.`;
/** The opt-out for a registry that really has no model yet: otherwise nothing matched is exit 2. */
export const ALLOW_EMPTY_OPTION = { 'allow-empty': { type: 'boolean' } } as const;
export const ALLOW_EMPTY_HELP = `No manifest matched is exit 2 (a wrong --root or glob must not pass as a
clean check); --allow-empty makes it exit 0 for a registry with no model yet.
With --base, no changed manifest is a clean 0, but manifests must exist.`;

/** Reads --format, refusing anything but the formats the command knows. */
export function formatOf<T extends string>(args: CommandArgs, formats: readonly T[]): T {
  const format = String(args.values.format ?? formats[0]) as T;
  if (!formats.includes(format))
    throw new CommandError(`--format must be one of ${formats.join(', ')}, not "${format}"`);
  return format;
}

/** A repeatable string option's values. */
export function listOf(args: CommandArgs, name: string): string[] {
  const value = args.values[name];
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? [value]
      : [];
}

/** A string option, or undefined. */
export function stringOf(args: CommandArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}
