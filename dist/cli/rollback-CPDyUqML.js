import { c as inertJson } from './escape-C_Mv5luI.js';
import { C as CommandError, f as formatOf, s as stringOf } from './command-BFTcRIcy.js';
import { f as decodeUtf8 } from './index-B3yeL5eE.js';
import { M as MANIFEST_MAX_BYTES, b as parseManifest } from './parse-m1vMtDzm.js';
import { l as loadModel } from './load-model-wgEFWodP.js';
import { r as readRegistry } from './state-CHS3r1dh.js';
import { s as semver } from './index-DFzplKgI.js';
import { C as ContainedRoot, a as ContainmentError } from './settings-file-BogBtnzp.js';
import { o as openRegistry } from './registry-context-CMZwZUaW.js';
import 'process';
import 'buffer';
import './yaml-document-Bn4nnvS8.js';
import './run-ref-CuXzv_k1.js';
import 'node:path';
import './hashed-string-BvNvQAaH.js';
import 'node:buffer';
import './parse-er5mazF3.js';
import 'node:child_process';
import 'node:crypto';
import 'node:fs/promises';
import 'node:fs';

/**
 * Which released version a rollback restores: the one asked for, or the last
 * good release before the current version: the newest earlier version that
 * reached the last stage (production), else the newest earlier version.
 * Deregistered versions are never targets.
 */
function rollbackTarget(model, current, stages, requested) {
    const usable = model.versions.filter((v) => !v.deregistered);
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
    const wasInProduction = (v) => model.events.some((e) => e.action === 'assign' && e.stage === production && e.version === v.version);
    const good = [...earlier].reverse().find(wasInProduction);
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
 * `now` and `then` map repository paths to content digests.
 */
function rollbackChanges(now, then) {
    const changes = [];
    for (const [path, digest] of then)
        if (now.get(path) !== digest)
            changes.push({ path, action: 'restore' });
    for (const path of now.keys())
        if (!then.has(path))
            changes.push({ path, action: 'remove' });
    return changes.sort((a, b) => a.path.localeCompare(b.path));
}
/** sha256 of every repository file of a model version: the manifest itself (version included), its artifacts and weights files. */
async function fileDigests(source, facts) {
    const digests = new Map();
    const paths = new Set([
        facts.manifestFile,
        ...facts.files,
        ...[...facts.weightFiles.values()].map((w) => w.path),
    ]);
    for (const path of [...paths].sort()) {
        const digest = await source.sha256(path);
        if (digest.ok)
            digests.set(path, digest.value.sha256);
    }
    return digests;
}

/**
 * Finds the model's manifest, the release to go back to (`to`, or the last
 * good one) and the files that differ from it. Problems a user can fix are
 * CommandErrors.
 */
async function prepareRollback(repo, options) {
    const registry = readRegistry(await repo.readTags());
    const model = registry.get(options.model);
    if (!model) {
        const known = [...registry.keys()].sort().join(', ') || 'none';
        throw new CommandError(`no model named "${options.model}" is registered (registered: ${known})`);
    }
    const manifestFile = await findManifest(repo, options.manifests, options.model);
    const now = await loadModel(repo.worktree, manifestFile);
    if (!now.facts)
        throw new CommandError(`${manifestFile} is not a valid manifest; fix it first (modelgate validate)`);
    const target = rollbackTarget(model, now.facts.manifest.version, options.stages, options.to);
    if (!target.ok)
        throw new CommandError(target.reason, target.fix);
    const then = repo.at(target.version.tag);
    const thenLoaded = await loadModel(then, manifestFile);
    if (!thenLoaded.facts)
        throw new CommandError(`${target.version.tag} has no valid manifest at ${manifestFile}`, 'Roll back by hand: the manifest moved since that release.');
    return {
        model: options.model,
        manifestFile,
        from: now.facts.manifest.version,
        to: target.version.version,
        tag: target.version.tag,
        commit: target.version.commit,
        reason: target.reason,
        changes: rollbackChanges(await fileDigests(repo.worktree, now.facts), await fileDigests(then, thenLoaded.facts)),
    };
}
async function findManifest(repo, manifests, name) {
    for (const file of await repo.findManifests(manifests)) {
        const read = await repo.worktree.read(file, MANIFEST_MAX_BYTES);
        if (read.ok && parseManifest(decodeUtf8(read.value), file).manifest?.name === name)
            return file;
    }
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
    ];
    if (!plan.changes.length)
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
