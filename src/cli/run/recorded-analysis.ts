import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodeUtf8 } from '../../core/bytes.js';
import { MANIFEST_MAX_BYTES, parseManifest } from '../../core/manifest/parse.js';
import type { Manifest } from '../../core/manifest/schema.js';
import { CommandError } from '../../core/repository.js';
import { GitRepository } from '../../io/git-repository.js';
import { readSettings } from '../../io/settings.js';
import { stringOf, type CommandArgs } from '../command.js';

/** What `canary analyze` and `guard analyze` start from: the recorded file, the model, its manifest. */
export interface RecordedAnalysis<T> {
  file: string;
  recorded: T;
  name: string;
  root: string;
  /** The model's manifest in the working tree, when one is there (its policy judges the records). */
  manifest: Manifest | undefined;
}

/** `analyze` is the one subcommand of `canary` and `guard`. */
export function requireAnalyze(args: CommandArgs, command: 'canary' | 'guard'): void {
  if (args.positionals[0] !== 'analyze')
    throw new CommandError(
      `unknown ${command} command "${args.positionals[0]}"`,
      `Use: modelgate ${command} analyze --metrics FILE`,
    );
}

/**
 * Reads `--metrics FILE` with `read` and finds the named model's manifest
 * (`--model`, else the file's `model`). A manifest of that model that does
 * not parse stops the command: its policy cannot be trusted to judge anything.
 */
export async function readRecordedAnalysis<T extends { model?: string }>(
  args: CommandArgs,
  command: { name: 'canary' | 'guard'; records: string },
  read: (json: unknown, file: string) => T,
): Promise<RecordedAnalysis<T>> {
  const file = stringOf(args, 'metrics');
  if (!file)
    throw new CommandError(
      '--metrics FILE is required',
      `Record the ${command.records} as described in modelgate ${command.name} --help.`,
    );
  let recorded: T;
  try {
    recorded = read(JSON.parse(await readFile(file, 'utf8')), file);
  } catch (error) {
    throw new CommandError(`${file} cannot be used: ${(error as Error).message}`);
  }
  const name = stringOf(args, 'model') ?? recorded.model;
  if (!name) throw new CommandError('which model? Pass --model NAME or put "model" in the file');
  const root = resolve(stringOf(args, 'root') ?? '.');
  const settings = await readSettings(root);
  const repo = new GitRepository(root);
  let manifest: Manifest | undefined;
  for (const path of await repo.findManifests(settings.manifests)) {
    const text = await repo.worktree.read(path, MANIFEST_MAX_BYTES);
    const parsed = text.ok ? parseManifest(decodeUtf8(text.value), path) : undefined;
    if (parsed?.manifest?.name === name) manifest = parsed.manifest;
    else if (parsed && !parsed.manifest && parsed.rawName === name)
      throw new CommandError(
        `the manifest of ${name} is not valid: ${parsed.findings[0]?.message ?? 'schema errors'}`,
        `Run modelgate validate --root ${stringOf(args, 'root') ?? '.'} for every problem.`,
      );
  }
  return { file, recorded, name, root, manifest };
}
