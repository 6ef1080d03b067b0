import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CommandError } from '../core/repository.js';
import { readRegistry, type ModelRegistry } from '../core/registry/state.js';
import { GitError } from '../io/git.js';
import type { GitRepository } from '../io/git-repository.js';
import { readTags } from '../io/git-tags.js';
import { settingsFileAbsent } from '../io/settings-file.js';
import type { Settings } from '../io/settings.js';
import { stringOf, type CommandArgs } from './command.js';
import type { Output } from './output.js';

/** The registry folder, its settings, its git repository and the registry its tags describe. */
export interface RegistryContext {
  root: string;
  settings: Settings;
  repo: GitRepository;
  registry: Map<string, ModelRegistry>;
}

/** The registry folder and the registry its tags describe: what a command that only reads tags needs. */
export type TagRegistryContext = Pick<RegistryContext, 'root' | 'registry'>;

// The settings parser (YAML, the schema) is loaded when a command asks for it, so a
// command that only reads tags never compiles it when there is no settings file.
const loadSettings = async (root: string) => (await import('../io/settings.js')).readSettings(root);
// The repository's file and blob readers (globs, the containment rule's writers) likewise: `history`
// reads tags alone, so it loads the tag reader and none of them.
const openRepository = async (root: string) =>
  new (await import('../io/git-repository.js')).GitRepository(root);

/** Opens --root (default: the current directory) as a registry; tags it cannot use are warned about on `out`. */
export async function openRegistry(
  args: CommandArgs,
  withTags = true,
  out?: Pick<Output, 'stderr'>,
): Promise<RegistryContext> {
  const root = await registryRoot(args);
  const settings = await loadSettings(root);
  const repo = await openRepository(root);
  const registry = withTags ? readRegistry(await repo.readTags()) : new Map<string, ModelRegistry>();
  if (out) warnIgnoredTags(registry, out);
  return { root, settings, repo, registry };
}

/**
 * Opens --root as {@link openRegistry} does, for a command that reads tags and
 * no setting: the settings file is still checked when there is one (a broken
 * file stops every command alike, exit 2), but an absent one costs no parser.
 */
export async function openTagRegistry(
  args: CommandArgs,
  out: Pick<Output, 'stderr'>,
): Promise<TagRegistryContext> {
  const root = await registryRoot(args);
  if (!(await settingsFileAbsent(root))) await loadSettings(root);
  const registry = readRegistry(await readTags(root));
  warnIgnoredTags(registry, out);
  return { root, registry };
}

async function registryRoot(args: CommandArgs): Promise<string> {
  const root = resolve(stringOf(args, 'root') ?? '.');
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new CommandError(`--root ${root} is not a directory`);
  return root;
}

/** One warning line per tag the registry left out, so a hostile or mistyped tag is seen, not silently obeyed. */
export function warnIgnoredTags(
  registry: ReadonlyMap<string, ModelRegistry>,
  out: Pick<Output, 'stderr'>,
): void {
  for (const model of registry.values())
    for (const ignored of model.ignored)
      out.stderr(`modelgate: warning: ignored the tag ${ignored.tag}: ${ignored.reason}\n`);
}

/**
 * Creates a tag, turning git's refusal (a tag that exists already, a name git
 * will not store) into a message instead of a stack trace.
 */
export async function createTagOrExplain(
  context: RegistryContext,
  tag: string,
  commit: string,
  message: string,
): Promise<void> {
  try {
    await context.repo.createTag(tag, commit, message);
  } catch (error) {
    // Only git's refusal is the user's to fix; anything else is a bug, reported as one.
    if (!(error instanceof GitError)) throw error;
    const detail = error.stderr.trim().split('\n')[0];
    throw new CommandError(
      `git could not create the tag ${tag}: ${detail}`,
      'Fetch the tags (git fetch --tags) and run the command again.',
    );
  }
}

/** The registry of one model, or a CommandError that lists the known ones. */
export function modelOf(context: TagRegistryContext, name: string): ModelRegistry {
  const model = context.registry.get(name);
  if (model) return model;
  const known = [...context.registry.keys()].sort().join(', ') || 'none';
  throw new CommandError(`no model named "${name}" is registered (registered: ${known})`);
}

/** The one model named, or every registered model by name. */
export function modelsOf(context: TagRegistryContext, name: string | undefined): ModelRegistry[] {
  return name
    ? [modelOf(context, name)]
    : [...context.registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}
