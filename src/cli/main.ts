import { parseArgs } from 'node:util';
import { CommandError } from '../core/repository.js';
import type { CliCommand } from './command.js';
import { ab } from './commands/ab.js';
import { bluegreen } from './commands/bluegreen.js';
import { canary } from './commands/canary.js';
import { shadow } from './commands/shadow.js';
import { check, gate } from './commands/check.js';
import { deploy } from './commands/deploy.js';
import { deprecate } from './commands/deprecate.js';
import { guard } from './commands/guard.js';
import { history } from './commands/history.js';
import { promote } from './commands/promote.js';
import { release } from './commands/release.js';
import { rollback } from './commands/rollback.js';
import { show } from './commands/show.js';
import { validate } from './commands/validate.js';
import type { Output } from './output.js';
import { VERSION } from './version.js';

/**
 * Every command, in help order. Only their descriptions load here: each
 * command imports what it runs on when it runs (src/cli/run/), so `--help`,
 * `--version` and one command never pay for the others' dependencies.
 */
export const COMMANDS: readonly CliCommand[] = [
  validate,
  gate,
  check,
  release,
  rollback,
  show,
  history,
  promote,
  deploy,
  deprecate,
  canary,
  shadow,
  bluegreen,
  ab,
  guard,
];

const EXIT_CODES = 'Exit codes: 0 nothing blocking, 1 errors found, 2 the command could not run.';

function programHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: modelgate <command> [options]

Git-native release gate for large language models.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'modelgate <command> --help' for a command's options.

${EXIT_CODES}
`;
}

function commandHelp(command: CliCommand): string {
  return `Usage: ${command.usage}\n\n${command.help}\n\n${EXIT_CODES}\n`;
}

/** The CLI: parses argv, runs one command, and maps every failure to an exit code (never a stack trace for user error). */
export async function main(argv: readonly string[], out: Output): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      out.stdout(programHelp());
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-v') {
      out.stdout(`${VERSION}\n`);
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command)
      throw new CommandError(`unknown command "${name}"`, "Run 'modelgate --help' for the commands.");
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: command.positionals.max > 0,
    });
    if (values.help) {
      out.stdout(commandHelp(command));
      return 0;
    }
    if (positionals.length < command.positionals.min || positionals.length > command.positionals.max) {
      throw new CommandError(`wrong number of arguments`, `Usage: ${command.usage}`);
    }
    return await command.run({ values, positionals }, out);
  } catch (error) {
    out.stderr(describeFailure(error, name));
    return 2;
  }
}

function describeFailure(error: unknown, command: string | undefined): string {
  if (error instanceof CommandError)
    return `modelgate: ${error.message}\n${error.fix ? `  fix: ${error.fix}\n` : ''}`;
  const code = (error as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    return `modelgate: ${(error as Error).message}\n  fix: run 'modelgate ${command ?? ''} --help'\n`;
  }
  // Anything else is a bug in modelgate: say so, with the stack, so it can be reported.
  return `modelgate: internal error (please report it): ${(error as Error)?.stack ?? String(error)}\n`;
}
