import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { C as CommandError, s as stringOf } from './command-BFTcRIcy.js';
import { r as readRegistry, s as settingsFileAbsent, i as readTags, j as GitError } from './state-AWNhEueb.js';

// The settings parser (YAML, the schema) is loaded when a command asks for it, so a
// command that only reads tags never compiles it when there is no settings file.
const loadSettings = async (root) => (await import('./settings-C0UoLdVc.js')).readSettings(root);
// The repository's file and blob readers (globs, the containment rule's writers) likewise: `history`
// reads tags alone, so it loads the tag reader and none of them.
const openRepository = async (root) => new (await import('./git-repository-B5nDBN5A.js')).GitRepository(root);
/** Opens --root (default: the current directory) as a registry; tags it cannot use are warned about on `out`. */
async function openRegistry(args, withTags = true, out) {
    const root = await registryRoot(args);
    const settings = await loadSettings(root);
    const repo = await openRepository(root);
    const registry = withTags ? readRegistry(await repo.readTags()) : new Map();
    if (out)
        warnIgnoredTags(registry, out);
    return { root, settings, repo, registry };
}
/**
 * Opens --root as {@link openRegistry} does, for a command that reads tags and
 * no setting: the settings file is still checked when there is one (a broken
 * file stops every command alike, exit 2), but an absent one costs no parser.
 */
async function openTagRegistry(args, out) {
    const root = await registryRoot(args);
    if (!(await settingsFileAbsent(root)))
        await loadSettings(root);
    const registry = readRegistry(await readTags(root));
    warnIgnoredTags(registry, out);
    return { root, registry };
}
async function registryRoot(args) {
    const root = resolve(stringOf(args, 'root') ?? '.');
    const info = await stat(root).catch(() => undefined);
    if (!info?.isDirectory())
        throw new CommandError(`--root ${root} is not a directory`);
    return root;
}
/** One warning line per tag the registry left out, so a hostile or mistyped tag is seen, not silently obeyed. */
function warnIgnoredTags(registry, out) {
    for (const model of registry.values())
        for (const ignored of model.ignored)
            out.stderr(`modelgate: warning: ignored the tag ${ignored.tag}: ${ignored.reason}\n`);
}
/**
 * Creates a tag, turning git's refusal (a tag that exists already, a name git
 * will not store) into a message instead of a stack trace.
 */
async function createTagOrExplain(context, tag, commit, message) {
    try {
        await context.repo.createTag(tag, commit, message);
    }
    catch (error) {
        // Only git's refusal is the user's to fix; anything else is a bug, reported as one.
        if (!(error instanceof GitError))
            throw error;
        const detail = error.stderr.trim().split('\n')[0];
        throw new CommandError(`git could not create the tag ${tag}: ${detail}`, 'Fetch the tags (git fetch --tags) and run the command again.');
    }
}
/** The registry of one model, or a CommandError that lists the known ones. */
function modelOf(context, name) {
    const model = context.registry.get(name);
    if (model)
        return model;
    const known = [...context.registry.keys()].sort().join(', ') || 'none';
    throw new CommandError(`no model named "${name}" is registered (registered: ${known})`);
}
/** The one model named, or every registered model by name. */
function modelsOf(context, name) {
    return name
        ? [modelOf(context, name)]
        : [...context.registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export { openTagRegistry as a, modelsOf as b, createTagOrExplain as c, modelOf as m, openRegistry as o, warnIgnoredTags as w };
