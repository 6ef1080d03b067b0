import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CommandError } from '../core/repository.js';
import { runValidate, VALIDATE_HELP } from './commands/validate.js';
import type { Output } from './output.js';

export const VERSION = '0.1.0';

const HELP = `Usage: modelgate <command> [options]

Git-native release gate for large language models.

Commands:
  validate    check manifests, artifacts and tokenizer/config compatibility

Run 'modelgate <command> --help' for a command's options.

Exit codes: 0 nothing blocking, 1 errors found, 2 the command could not run.
`;

const FORMATS = ['text', 'json', 'markdown'] as const;

/** The CLI: parses argv, runs one command, and maps every failure to an exit code (never a stack trace for user error). */
export async function main(argv: readonly string[], out: Output): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      out.stdout(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      out.stdout(`${VERSION}\n`);
      return 0;
    }
    if (command !== 'validate')
      throw new CommandError(`unknown command "${command}"`, "Run 'modelgate --help' for the commands.");
    const { values } = parseArgs({
      args: [...rest],
      options: {
        root: { type: 'string' },
        base: { type: 'string' },
        format: { type: 'string', default: 'text' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      out.stdout(VALIDATE_HELP);
      return 0;
    }
    const format = values.format as (typeof FORMATS)[number];
    if (!FORMATS.includes(format))
      throw new CommandError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
    if (values.root !== undefined) await requireDirectory(values.root);
    if (values.base !== undefined && !values.base.trim()) throw new CommandError('--base needs a git ref');
    return await runValidate({ root: values.root, base: values.base, format }, out);
  } catch (error) {
    out.stderr(describeFailure(error));
    return 2;
  }
}

async function requireDirectory(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new CommandError(`--root ${path} is not a directory`);
}

function describeFailure(error: unknown): string {
  if (error instanceof CommandError)
    return `modelgate: ${error.message}\n${error.fix ? `  fix: ${error.fix}\n` : ''}`;
  const code = (error as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    return `modelgate: ${(error as Error).message}\n  fix: run 'modelgate validate --help'\n`;
  }
  // Anything else is a bug in modelgate: say so, with the stack, so it can be reported.
  return `modelgate: internal error (please report it): ${(error as Error)?.stack ?? String(error)}\n`;
}
