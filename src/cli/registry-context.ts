import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CommandError } from '../core/repository.js';
import { readRegistry, type ModelRegistry } from '../core/registry/state.js';
import { GitRepository } from '../io/git-repository.js';
import { readSettings, type Settings } from '../io/settings.js';
import { stringOf, type CommandArgs } from './command.js';

/** The registry folder, its settings, its git repository and the registry its tags describe. */
export interface RegistryContext {
  root: string;
  settings: Settings;
  repo: GitRepository;
  registry: Map<string, ModelRegistry>;
}

/** Opens --root (default: the current directory) as a registry. */
export async function openRegistry(args: CommandArgs, withTags = true): Promise<RegistryContext> {
  const root = resolve(stringOf(args, 'root') ?? '.');
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new CommandError(`--root ${root} is not a directory`);
  const settings = await readSettings(root);
  const repo = new GitRepository(root);
  const registry = withTags ? readRegistry(await repo.readTags()) : new Map<string, ModelRegistry>();
  return { root, settings, repo, registry };
}

/** The registry of one model, or a CommandError that lists the known ones. */
export function modelOf(context: RegistryContext, name: string): ModelRegistry {
  const model = context.registry.get(name);
  if (model) return model;
  const known = [...context.registry.keys()].sort().join(', ') || 'none';
  throw new CommandError(`no model named "${name}" is registered (registered: ${known})`);
}

/** The one model named, or every registered model by name. */
export function modelsOf(context: RegistryContext, name: string | undefined): ModelRegistry[] {
  return name
    ? [modelOf(context, name)]
    : [...context.registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}
