import { c as inertJson } from './escape-C_Mv5luI.js';
import { C as CommandError, f as formatOf, s as stringOf } from './command-BFTcRIcy.js';
import { f as decodeUtf8 } from './yaml-document-D8lQUcRd.js';
import { M as MANIFEST_MAX_BYTES, c as parseManifest } from './parse-B69nEYJT.js';
import { p as parseJson, d as describeJsonShapeProblem, a as parseSafetensorsIndex, R as READ_LIMITS, l as loadModel, M as ModelManifests } from './model-manifests-CC9BAMMY.js';
import { a as resolveArtifactPath, r as readRegistry, C as ContainedRoot, b as ContainmentError } from './state-AWNhEueb.js';
import { s as semver } from './index-UVRYzaJe.js';
import { d as deployRefusal, b as currentRegistrations, w as wasAssigned } from './registration-tags-C5oXtNLZ.js';
import { r as referencedPaths } from './references-BLpOHoYI.js';
import { o as openRegistry } from './registry-context-DF8J3qnq.js';
import 'process';
import 'buffer';
import 'node:path';
import './hashed-string-BvNvQAaH.js';
import 'node:buffer';
import 'node:child_process';
import 'node:crypto';
import 'node:fs/promises';
import 'node:fs';

/**
 * Which released version a rollback restores: the one asked for, or the last
 * good release before the current version: the newest earlier version that
 * reached the last stage (production), else the newest earlier version. Each
 * version is its current registration (`currentRegistration`, what release and
 * deploy read), and it reached production only if that registration's commit
 * was assigned there. Deregistered versions are never targets, and a target a
 * deployment could not name (`undeployableRegistration`, from the version's
 * simple tag) is refused with its fix: the revert would merge, and its release
 * would then refuse it.
 */
function rollbackTarget(model, current, stages, requested) {
    const chosen = pickTarget(model, current, stages, requested);
    if (!chosen.ok)
        return chosen;
    const { version } = chosen.version;
    const undeployable = deployRefusal(model, chosen.version);
    if (!undeployable)
        return chosen;
    // Chosen for the user, it may not be the only way back: another version can be named.
    const instead = requested === undefined ? ` (${chosen.reason}; or name another version to roll back to)` : '';
    return {
        ok: false,
        ...undeployable,
        reason: `cannot roll back to ${version}${instead}: ${undeployable.reason}`,
    };
}
function pickTarget(model, current, stages, requested) {
    const usable = [...currentRegistrations(model).values()].filter((v) => !v.deregistered);
    if (requested !== undefined) {
        const wanted = requested.replace(/^v/, '');
        const found = usable.find((v) => v.version === wanted);
        if (!found) {
            const known = usable.map((v) => v.version).join(', ') || 'none';
            return {
                ok: false,
                reason: `${model.name} ${wanted} is not a released version (released: ${known})`,
                fix: 'Name a released version.',
            };
        }
        if (found.version === current)
            return { ok: false, reason: `${model.name} is already at ${current}`, fix: 'Name another version.' };
        return { ok: true, version: found, reason: `asked for ${found.version}` };
    }
    const earlier = usable.filter((v) => semver.valid(current) && semver.lt(v.version, current));
    const production = stages.at(-1);
    const good = [...earlier].reverse().find((v) => wasAssigned(model, v, production));
    if (good)
        return {
            ok: true,
            version: good,
            reason: `the last release before ${current} that reached ${production}`,
        };
    const previous = earlier.at(-1);
    if (previous)
        return {
            ok: true,
            version: previous,
            reason: `the last release before ${current} (none reached ${production})`,
        };
    return {
        ok: false,
        reason: `${model.name} has no released version before ${current}`,
        fix: 'There is nothing to roll back to; deprecate the model instead.',
    };
}
/**
 * The files that differ between the model now and at the target release:
 * `now` and `then` map repository paths to content digests. A file another
 * model uses is left in place when the release did not have it (`kept`), and
 * refuses the whole rollback when its content would change: restoring it would
 * change that model's artifact without a new version of it, and a partial
 * revert is not the release. When a manifest cannot be read its files are
 * unknown, so any change is refused.
 */
function rollbackChanges(model, now, then, others) {
    const differing = [];
    for (const [path, digest] of then)
        if (now.get(path) !== digest)
            differing.push({ path, action: 'restore' });
    for (const path of now.keys())
        if (!then.has(path))
            differing.push({ path, action: 'remove' });
    differing.sort((a, b) => a.path.localeCompare(b.path));
    const changes = [];
    const kept = [];
    const conflicts = [];
    for (const change of differing) {
        const usedBy = others.usedBy.get(change.path);
        if (!usedBy?.length)
            changes.push(change);
        else if (change.action === 'remove')
            kept.push({ path: change.path, usedBy });
        else
            conflicts.push({ path: change.path, usedBy });
    }
    if (conflicts.length)
        return {
            ok: false,
            conflicts,
            reason: `rolling ${model} back would change ${conflicts.map(sharedFileText).join(', ')}: another model's artifact would change without a new version of it`,
            fix: `Give each model its own copy of the file (copy it into the model's folder and point its manifest at the copy), release that, then roll back again; or roll back by hand.`,
        };
    if (others.unreadable.length && changes.length)
        return {
            ok: false,
            conflicts: [],
            reason: `cannot tell which files ${unreadableText(others.unreadable)}, so the rollback could change another model's files`,
            fix: 'Fix the manifest (modelgate validate names the problem), then roll back again; or roll back by hand.',
        };
    return { ok: true, changes, kept };
}
/** Manifests whose files are unknown as messages name them: `m uses: why`, or `m1 (why), m2 (why) use`. */
function unreadableText(unreadable) {
    const [only] = unreadable;
    return unreadable.length === 1 && only
        ? `${only.file} uses: ${only.problem}`
        : `${unreadable.map((u) => `${u.file} (${u.problem})`).join(', ')} use`;
}
/** A shared file as messages name it: `path (used by a, b)`. */
function sharedFileText(file) {
    return `${file.path} (used by ${file.usedBy.join(', ')})`;
}
/**
 * sha256 of every repository file of a model version: the manifest itself
 * (version included), its artifacts and weights files, and the shards its
 * weights index lists (`shards`, from weightsIndexShards at that version: a
 * model may name its weights only there).
 */
async function fileDigests(source, facts, shards = []) {
    const digests = new Map();
    const paths = new Set([
        facts.manifestFile,
        ...facts.files,
        ...[...facts.weightFiles.values()].map((w) => w.path),
        ...shards,
    ]);
    for (const path of [...paths].sort()) {
        const digest = await source.sha256(path);
        if (digest.ok)
            digests.set(path, digest.value.sha256);
    }
    return digests;
}

/** An index read to find the shards another model uses is read up to the validator's own limit. */
const WEIGHTS_INDEX_MAX_BYTES = READ_LIMITS.weights_index.bytes;
/** The repository path of the `weights_index` a manifest names, for the adapter to read; undefined when it names none. */
function weightsIndexFile(found) {
    const ref = found.manifest?.artifacts.weights_index;
    if (ref === undefined)
        return undefined;
    const resolved = resolveArtifactPath(found.file, ref);
    return resolved.ok ? resolved.path : undefined;
}
/**
 * The files one manifest uses, as it writes them: itself, what it references,
 * and the shards its weights index lists (a model may name its shards only
 * there); or why they cannot be known.
 */
function filesOf(found) {
    const { file, manifest } = found;
    if (!manifest)
        return { problem: 'not a valid manifest' };
    const shards = weightsIndexShards(found);
    if ('problem' in shards)
        return shards;
    return { paths: [file, ...referencedPaths(manifest, file), ...shards.paths] };
}
/**
 * The repository paths of the shards a manifest's weights index lists,
 * resolved next to the index as the validator resolves them (none when it
 * names no index); or why they cannot be known: the index was not read, cannot
 * be read or parsed, or is not a safetensors index.
 */
function weightsIndexShards(found) {
    const index = weightsIndexFile(found);
    if (index === undefined)
        return { paths: [] };
    const read = found.weightsIndex;
    if (!read)
        return { problem: `its weights_index ${index} was not read` };
    if (!read.ok)
        return { problem: `its weights_index ${index} cannot be read (${read.problem})` };
    const parsed = parseJson(read.bytes);
    if (!parsed.ok)
        return {
            problem: `its weights_index ${index} cannot be parsed (${'syntax' in parsed ? parsed.syntax : describeJsonShapeProblem(parsed.problem)})`,
        };
    let shards;
    try {
        shards = new Set(parseSafetensorsIndex(parsed.value).values());
    }
    catch (error) {
        return { problem: `its weights_index ${index} is not a safetensors index (${error.message})` };
    }
    const paths = [];
    for (const shard of shards) {
        // Shards are named relative to the index, as the validator resolves them; one that leaves the root is no file.
        const resolved = resolveArtifactPath(index, shard);
        if (resolved.ok)
            paths.push(resolved.path);
    }
    return { paths };
}
/**
 * Every path the manifests but `manifestFile` use, as they write them: the
 * paths the adapter resolves through symlinks for otherModelsFiles.
 */
function pathsOtherModelsUse(manifests, manifestFile) {
    const paths = new Set();
    for (const found of manifests) {
        if (found.file === manifestFile)
            continue;
        const files = filesOf(found);
        if ('paths' in files)
            for (const path of files.paths)
                paths.add(path);
    }
    return [...paths].sort();
}
/**
 * The files every manifest but the rolled-back model's own (`manifestFile`)
 * uses: what it references, the shards of its weights index, and the file
 * each of those leads to (`realPaths`: a path as written -> the file its
 * symlinks lead to, as the source resolves it), since a change to that file
 * changes the model as much as a change to the path it writes. A model is
 * named by its manifest's `name`; a second manifest with the rolled-back
 * model's name is named by its file too, so the message says which one.
 */
function otherModelsFiles(manifests, manifestFile, model, realPaths = new Map()) {
    const usedBy = new Map();
    const unreadable = [];
    for (const found of manifests) {
        const { file, manifest } = found;
        if (file === manifestFile)
            continue;
        const files = filesOf(found);
        if ('problem' in files) {
            unreadable.push({ file, problem: files.problem });
            continue;
        }
        const user = manifest.name === model ? `${manifest.name} (${file})` : manifest.name;
        const written = files.paths;
        const real = written.flatMap((path) => realPaths.get(path) ?? []);
        for (const path of new Set([...written, ...real])) {
            const users = usedBy.get(path) ?? [];
            if (!users.includes(user))
                users.push(user);
            usedBy.set(path, users);
        }
    }
    for (const users of usedBy.values())
        users.sort();
    return { usedBy, unreadable: unreadable.sort((a, b) => a.file.localeCompare(b.file)) };
}

// Reads in flight at once: an API reader sends one request each.
const READS_AT_ONCE = 8;
async function inBatches(items, each) {
    const done = [];
    for (let i = 0; i < items.length; i += READS_AT_ONCE)
        done.push(...(await Promise.all(items.slice(i, i + READS_AT_ONCE).map(each))));
    return done;
}
/** A manifest with the weights index it names (if any), read with `reader`. */
async function withWeightsIndex(reader, found) {
    const index = weightsIndexFile(found);
    return index === undefined
        ? found
        : { ...found, weightsIndex: await reader.read(index, WEIGHTS_INDEX_MAX_BYTES) };
}
/** The manifests with the weights index each names (`except` the rolled-back one, left as it is): one read per index. */
function withWeightsIndexes(reader, manifests, except) {
    return inBatches(manifests, (found) => found.file === except ? Promise.resolve(found) : withWeightsIndex(reader, found));
}
/** Each path to the file its in-repository symlinks lead to, where that is another path. */
async function realPaths(reader, paths) {
    const resolved = await inBatches(paths, (path) => reader.resolve(path));
    const real = new Map();
    paths.forEach((path, i) => {
        const to = resolved[i];
        if (to !== undefined && to !== path)
            real.set(path, to);
    });
    return real;
}
/**
 * The shards the rolled-back model's own weights index lists at one commit
 * (`where`: "in the working tree", "at gpt2@v1.2.0"), so a rollback restores
 * the release's shards and removes the newer ones like any other file; none
 * when the manifest is not valid there or names no index. When they cannot be
 * known the rollback is refused: restoring the index without its shards would
 * not be the release.
 */
async function ownShards(reader, file, manifest, where) {
    const shards = weightsIndexShards(await withWeightsIndex(reader, { file, manifest }));
    if ('paths' in shards)
        return shards;
    return {
        problem: `cannot tell which shards ${file} has ${where}: ${shards.problem}`,
        fix: 'Fix the weights index (modelgate validate names the problem), then roll back again; or roll back by hand.',
    };
}

/**
 * Finds the model's manifest, the release to go back to (`to`, or the last
 * good one) and the files that differ from it, leaving alone the files the
 * working tree's other manifests use (through symlinks and index shards
 * too). Problems a user can fix are
 * CommandErrors, a file another model uses that would change among them.
 */
async function prepareRollback(repo, options) {
    const tags = await repo.readTags();
    const registry = readRegistry(tags);
    const model = registry.get(options.model);
    if (!model) {
        const known = [...registry.keys()].sort().join(', ') || 'none';
        throw new CommandError(`no model named "${options.model}" is registered (registered: ${known})`);
    }
    const manifests = await readManifests(repo, options.manifests);
    const manifestFile = findManifest(manifests, options.model);
    const now = await loadModel(repo.worktree, manifestFile);
    if (!now.facts)
        throw new CommandError(`${manifestFile} is not a valid manifest; fix it first (modelgate validate)`);
    const target = rollbackTarget(model, now.facts.manifest.version, options.stages, options.to);
    if (!target.ok)
        throw new CommandError(target.reason, target.fix);
    // Found by the model's name at the tag (its Manifest: line first), never by today's path: the model
    // may have moved since, and that path may hold another model's manifest at the tag.
    const { tag, version } = target.version;
    const release = await new ModelManifests(repo, { globs: options.manifests, tags }).release(options.model, version, [manifestFile], tag);
    if (release.kind !== 'found' || release.facts.manifest.version !== version)
        throw new CommandError(`${tag} has no valid manifest of ${options.model} ${version}: ${release.kind === 'unknown'
            ? release.reason
            : release.kind === 'absent'
                ? 'no manifest at the tag declares the model'
                : `${release.file} declares version ${release.facts.manifest.version}`}`, `Roll back by hand (git checkout ${tag} -- <the model's folder>), then run modelgate validate.`);
    const { source: then, facts: thenFacts } = release;
    const worktree = readerOf(repo.worktree);
    const others = await withWeightsIndexes(worktree, manifests, manifestFile);
    const planned = rollbackChanges(options.model, await fileDigests(repo.worktree, now.facts, await shardsOf(repo.worktree, now.facts, 'the working tree')), await fileDigests(then, thenFacts, await shardsOf(then, thenFacts, tag)), otherModelsFiles(others, manifestFile, options.model, await realPaths(worktree, pathsOtherModelsUse(others, manifestFile))));
    if (!planned.ok)
        throw new CommandError(planned.reason, planned.fix);
    return {
        model: options.model,
        manifestFile,
        from: now.facts.manifest.version,
        to: version,
        tag,
        commit: target.version.commit,
        reason: target.reason,
        changes: planned.changes,
        kept: planned.kept,
    };
}
/** Every manifest the settings' globs find in the working tree, parsed once. */
async function readManifests(repo, globs) {
    const found = [];
    for (const file of await repo.findManifests(globs)) {
        const read = await repo.worktree.read(file, MANIFEST_MAX_BYTES);
        found.push({
            file,
            manifest: read.ok ? parseManifest(decodeUtf8(read.value), file).manifest : undefined,
        });
    }
    return found;
}
/** A working tree or git ref as the rollback reader (src/core/rollback/rollback-reader.ts). */
function readerOf(source) {
    return {
        async read(path, maxBytes) {
            const read = await source.read(path, maxBytes);
            return read.ok ? { ok: true, bytes: read.value } : { ok: false, problem: read.problem.detail };
        },
        resolve: (path) => source.resolve(path),
    };
}
/** The shards the model's own index lists at one version; a CommandError when they cannot be known. */
async function shardsOf(source, facts, where) {
    const shards = await ownShards(readerOf(source), facts.manifestFile, facts.manifest, `in ${where}`);
    if ('paths' in shards)
        return shards.paths;
    throw new CommandError(shards.problem, shards.fix);
}
function findManifest(manifests, name) {
    const found = manifests.find((m) => m.manifest?.name === name);
    if (found)
        return found.file;
    throw new CommandError(`no manifest of ${name} in the working tree`, 'A model that was removed is restored with git, not rollback.');
}

const MAX_RESTORED_BYTES = 2 * 1024 * 1024 * 1024;
/** `modelgate rollback`: restores an earlier release's manifest and artifacts in the working tree. */
async function runRollback(args, out) {
    const format = formatOf(args, ['text', 'json']);
    const [name = ''] = args.positionals;
    const context = await openRegistry(args, false);
    const plan = await prepareRollback(context.repo, {
        manifests: context.settings.manifests,
        stages: context.settings.stages,
        model: name,
        to: stringOf(args, 'to'),
    });
    const { manifestFile: _manifestFile, ...shown } = plan;
    if (!args.values.plan)
        await applyRollback(new ContainedRoot(context.root), context.repo.at(plan.tag), plan);
    if (format === 'json') {
        out.stdout(`${inertJson({ ...shown, applied: !args.values.plan })}\n`);
        return 0;
    }
    const lines = [
        `${name}: ${plan.from} -> ${plan.to} (${plan.reason}, tag ${plan.tag})`,
        ...plan.changes.map((c) => `  ${c.action === 'restore' ? 'restore' : 'remove '} ${c.path}`),
        ...plan.kept.map((k) => `  keep    ${k.path} (kept: used by ${k.usedBy.join(', ')})`),
    ];
    if (!plan.changes.length && !plan.kept.length)
        lines.push('  nothing differs');
    lines.push(args.values.plan
        ? `would change ${plan.changes.length} file(s); run without --plan to restore them`
        : `restored ${plan.changes.length} file(s): commit them and open a pull request (git switch -c rollback/${name.replaceAll('/', '-')}-${plan.to})`);
    out.stdout(`${lines.join('\n')}\n`);
    return 0;
}
/**
 * Restores the planned files in the working tree. Every path is checked
 * (containment: no write through a committed symlink, file or folder) and
 * every restored file read before the first one changes, so a refusal leaves
 * the tree as it was; each file is then replaced atomically.
 */
async function applyRollback(tree, then, plan) {
    const contents = new Map();
    try {
        for (const change of plan.changes) {
            await tree.checkWritable(change.path);
            if (change.action === 'remove')
                continue;
            const read = await then.read(change.path, MAX_RESTORED_BYTES);
            if (!read.ok)
                throw new CommandError(`${change.path} cannot be read at ${plan.tag}: ${read.problem.detail}`);
            contents.set(change.path, read.value);
        }
        for (const change of plan.changes) {
            const bytes = contents.get(change.path);
            if (bytes)
                await tree.write(change.path, bytes);
            else
                await tree.remove(change.path);
        }
    }
    catch (error) {
        if (error instanceof ContainmentError)
            throw new CommandError(`cannot restore ${error.path}: it ${error.reason}`, 'Replace the symlink with a regular file or folder (git rm it), then run rollback again.');
        throw error;
    }
}

export { runRollback };
