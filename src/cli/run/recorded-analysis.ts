import { resolve } from 'node:path';
import { decodeUtf8 } from '../../core/bytes.js';
import { MANIFEST_MAX_BYTES, parseManifest } from '../../core/manifest/parse.js';
import type { Manifest } from '../../core/manifest/schema.js';
import { CommandError } from '../../core/repository.js';
import { GitRepository } from '../../io/git-repository.js';
import { readSettings } from '../../io/settings.js';
import { stringOf, type CommandArgs } from '../command.js';
import { readUserJsonFile, readUserYamlFile, RECORDING_MAX_BYTES } from '../user-file.js';
import { parseYamlDocument } from '../../core/yaml-document.js';

/** What an `analyze` command starts from: the recorded file, the model, its manifest. */
export interface RecordedAnalysis<T> {
  file: string;
  recorded: T;
  name: string;
  root: string;
  /** The model's manifest in the working tree (with --policy applied), when one is there: its policy judges the records. */
  manifest: Manifest | undefined;
}

/** `analyze` is the one subcommand of `canary`, `guard`, `shadow`, `bluegreen` and `ab`. */
export function requireAnalyze(args: CommandArgs, command: string, usage: string): void {
  if (args.positionals[0] !== 'analyze')
    throw new CommandError(`unknown ${command} command "${args.positionals[0]}"`, `Use: ${usage}`);
}

/**
 * Reads the recorded file of `--<option> FILE` with `read` (which throws
 * MalformedFileError for a file the user must fix) and finds the named
 * model's manifest (`--model`, else the file's `model`).
 */
export async function readRecordedAnalysis<T extends { model?: string }>(
  args: CommandArgs,
  command: { name: string; option: string; records: string },
  read: (json: unknown, file: string) => T,
): Promise<RecordedAnalysis<T>> {
  const fix = `Record the ${command.records} as described in modelgate ${command.name} --help.`;
  const file = stringOf(args, command.option);
  if (!file) throw new CommandError(`--${command.option} FILE is required`, fix);
  const root = resolve(stringOf(args, 'root') ?? '.');
  // Only a file the reader refuses is the user's problem; a bug in the reader is reported as one.
  const recorded = await readUserJsonFile({
    path: file,
    label: `--${command.option} ${file}`,
    root,
    maxBytes: RECORDING_MAX_BYTES,
    read,
    fix,
  });
  const name = stringOf(args, 'model') ?? recorded.model;
  if (!name) throw new CommandError('which model? Pass --model NAME or put "model" in the file');
  const found = await findModelManifest(args, name);
  return { file, recorded, name, root, manifest: found?.manifest };
}

/** The top-level manifest keys `--policy` may replace: the judging policies, nothing about the model itself. */
const POLICY_KEYS = ['canary', 'rollout', 'guard'] as const;
const POLICY_MAX_BYTES = 64 * 1024;

/**
 * The named model's manifest in the working tree under `--root`, or
 * undefined when there is none. A manifest of that model that does not parse
 * stops the command: its policy cannot be trusted to judge anything. With
 * `--policy FILE` (YAML with `canary`, `rollout` and/or `guard`), those
 * blocks replace the manifest's, checked by the same schema, so a policy can
 * be tried on a recording before it is committed.
 */
export async function findModelManifest(
  args: CommandArgs,
  name: string,
): Promise<{ manifest: Manifest; path: string } | undefined> {
  const rootArg = stringOf(args, 'root') ?? '.';
  const root = resolve(rootArg);
  const settings = await readSettings(root);
  const repo = new GitRepository(root);
  let found: { manifest: Manifest; path: string; text: string } | undefined;
  for (const path of await repo.findManifests(settings.manifests)) {
    const read = await repo.worktree.read(path, MANIFEST_MAX_BYTES);
    const text = read.ok ? decodeUtf8(read.value) : undefined;
    const parsed = text === undefined ? undefined : parseManifest(text, path);
    if (parsed?.manifest?.name === name && text !== undefined)
      found = { manifest: parsed.manifest, path, text };
    else if (parsed && !parsed.manifest && parsed.rawName === name)
      throw new CommandError(
        `the manifest of ${name} is not valid: ${parsed.findings[0]?.message ?? 'schema errors'}`,
        `Run modelgate validate --root ${rootArg} for every problem.`,
      );
  }
  const policyFile = stringOf(args, 'policy');
  if (!found || !policyFile) return found;
  return { manifest: await withPolicy(found, policyFile, root), path: found.path };
}

/** The manifest with the blocks of a `--policy` file in place of its own, validated as a whole. */
async function withPolicy(
  found: { path: string; text: string },
  policyFile: string,
  root: string,
): Promise<Manifest> {
  const fix = `Put only ${POLICY_KEYS.join(', ')} blocks in ${policyFile}, as in a manifest (docs/manifest.md).`;
  const policy = await readUserYamlFile({
    path: policyFile,
    label: `--policy ${policyFile}`,
    root,
    maxBytes: POLICY_MAX_BYTES,
    fix,
  });
  const extra = Object.keys(policy).filter((key) => !(POLICY_KEYS as readonly string[]).includes(key));
  if (extra.length) throw new CommandError(`--policy ${policyFile}: ${extra[0]} is not a policy block`, fix);
  const document = parseYamlDocument(found.text);
  for (const key of POLICY_KEYS) if (key in policy) document.set(key, policy[key]);
  const parsed = parseManifest(document.toString(), `${found.path} with --policy ${policyFile}`);
  if (!parsed.manifest)
    throw new CommandError(
      `--policy ${policyFile} does not fit ${found.path}: ${parsed.findings[0]?.message ?? 'schema errors'}`,
      fix,
    );
  return parsed.manifest;
}
