import { c as inertJson } from './escape-C_Mv5luI.js';
import { p as planRelease } from './plan-B4w49cMT.js';
import { f as decodeUtf8 } from './yaml-document-D8lQUcRd.js';
import { r as readResultsFile, p as parsePythonJson } from './results-BkNxfSbQ.js';
import { M as ModelManifests, l as loadModel } from './model-manifests-CC9BAMMY.js';
import { r as readRegistry, g as releasedVersions, a as resolveArtifactPath } from './state-AWNhEueb.js';
import { a as withdrawnVersions, c as currentRegistration, s as simpleTagOf, d as deployRefusal, u as unusableSimpleTag } from './registration-tags-C5oXtNLZ.js';
import { C as CommandError, f as formatOf, s as stringOf } from './command-BFTcRIcy.js';
import { d as selectChanged, e as checkCompatibility, f as findBaseline, g as checkUniqueName, h as contentDigests, i as checkVersion, r as releasedContent, b as toText } from './text-pwQJ1yCB.js';
import { p as planText } from './registry-Bi9cWSPa.js';
import { o as openRegistry, w as warnIgnoredTags, c as createTagOrExplain } from './registry-context-DF8J3qnq.js';
import './index-UVRYzaJe.js';
import './stage-assignment-Lq7YMt24.js';
import './report-CbYLneVd.js';
import './parse-B69nEYJT.js';
import 'process';
import 'buffer';
import './hashed-string-BvNvQAaH.js';
import './user-file-error-DMsF1t5K.js';
import 'node:path';
import 'node:buffer';
import 'node:child_process';
import 'node:crypto';
import 'node:fs/promises';
import 'node:fs';
import './names-BCxkbDpg.js';
import './references-BLpOHoYI.js';
import './json-equal-DyaeKnIb.js';

/**
 * The model versions a push releases: every manifest the push changed whose
 * version is new (a release) or is a released version restored exactly (a
 * rollback). Reads everything at the pushed commit, never the working tree.
 */
async function findReleaseCandidates(repo, search) {
    const after = await repo.resolveCommit(search.after);
    if (!after)
        throw new CommandError(`the commit "${search.after}" does not exist here`, 'Check out the pushed commit with its history (fetch-depth: 0).');
    const before = search.before && !/^0+$/.test(search.before) ? await repo.resolveCommit(search.before) : undefined;
    if (search.before && !/^0+$/.test(search.before) && !before) {
        throw new CommandError(`the commit before the push, "${search.before}", does not exist here`, 'Check out with fetch-depth: 0 so the previous commit is available.');
    }
    const source = repo.at(after);
    const manifests = await repo.findManifestsAt(after, search.manifests);
    const changedFiles = new Set(before ? await repo.changedBetween(before, after) : []);
    const selected = before ? await selectChanged(source, manifests, [...changedFiles]) : manifests;
    const tags = await repo.readTags();
    const registry = readRegistry(tags);
    const released = releasedVersions([...registry.values()].flatMap((m) => m.versions.map((v) => v.tag)));
    // Models are looked up by name, before the push and at their tags: a moved manifest keeps its history.
    const byName = new ModelManifests(repo, { globs: search.manifests, tags });
    const candidates = [];
    const problems = [];
    const refused = [];
    for (const file of selected) {
        search.progress?.(`reading ${file} at ${after.slice(0, 12)}`);
        const loaded = await loadModel(source, file);
        const facts = loaded.facts;
        const compatibility = facts ? [...loaded.findings, ...checkCompatibility(facts)] : loaded.findings;
        problems.push(...compatibility.filter((f) => f.severity === 'error'));
        if (!facts)
            continue;
        const found = before
            ? await findBaseline(byName, {
                head: facts,
                base: before,
                released: released.get(facts.name) ?? new Set(),
            })
            : { findings: [] };
        const unique = checkUniqueName(facts, await byName.sameName({
            head: after,
            facts,
            checked: selected,
            ...(before ? { base: { ref: before, file: found.baseFile, changed: changedFiles } } : {}),
        }));
        problems.push(...unique, ...found.findings);
        if (unique.length || found.findings.length)
            continue;
        const digests = await contentDigests(source, facts);
        const model = registry.get(facts.name);
        const withdrawn = withdrawnVersions(model);
        const check = await checkVersion({
            head: facts,
            headDigests: digests,
            base: found.baseline,
            released: released.get(facts.name) ?? new Set(),
            withdrawn,
            releasedContent: (v) => releasedContent(byName, facts, v, found.baseline ? [found.baseline.facts.manifestFile] : []),
        });
        problems.push(...check.findings.filter((f) => f.severity === 'error'));
        if (check.change.status === 'unchanged' || check.findings.length)
            continue;
        const version = facts.manifest.version;
        // A withdrawn version is never assigned or deployed. With a base, a change to one failed checkVersion
        // above; without one (a first push, a manual run, a re-run after the deregistration) it is a released
        // version, and those are never assigned again, even where this very commit registered it.
        if (withdrawn.has(version))
            continue;
        // Registered on another commit: with a base, this merge restores it; without one, nothing says so,
        // and re-assigning every released version on each run is what must never happen.
        // Registered on this very commit: a re-run of this release, which finishes what the last run left.
        const registered = currentRegistration(model, version, (v) => v.commit === after);
        if (registered && !before)
            continue;
        if (model?.deprecated && !search.force) {
            refused.push({
                model: facts.name,
                version,
                file,
                reason: `${facts.name} is deprecated (tag ${model.deprecated.tag}), so ${version} is not released`,
                fix: 'Release it anyway with --force, or leave the deprecated model unchanged.',
            });
            continue;
        }
        const simpleTag = simpleTagOf(model, version);
        const undeployable = registered
            ? deployRefusal(model, registered)
            : simpleTag && 'problem' in simpleTag
                ? unusableSimpleTag(facts.name, version, simpleTag.problem)
                : undefined;
        if (undeployable) {
            refused.push({ model: facts.name, version, file, reason: undeployable.reason, fix: undeployable.fix });
            continue;
        }
        const manifestDigest = await source.sha256(file);
        candidates.push({
            facts,
            kind: registered ? 'restore' : 'new',
            commit: registered?.commit ?? after,
            manifestDigest: manifestDigest.ok ? manifestDigest.value.sha256 : '',
            change: check.change,
            findings: compatibility,
            digests,
            metrics: await recordedMetrics(source, facts),
        });
    }
    return { candidates, problems, refused, registry, after, byName };
}
async function recordedMetrics(source, facts) {
    const metrics = [];
    for (const result of facts.manifest.eval?.results ?? []) {
        const path = resolveArtifactPath(facts.manifestFile, result.path);
        if (!path.ok)
            continue;
        const read = await source.read(path.path, 64 * 1024 * 1024);
        if (!read.ok)
            continue;
        try {
            metrics.push(...readResultsFile(parsePythonJson(decodeUtf8(read.value)), path.path).metrics);
        }
        catch {
            // A broken results file is not a reason to hold a release; validate reports it.
        }
    }
    return metrics;
}

/** `modelgate release`: tags the versions a merge introduces, in the local clone. */
async function runRelease(args, out) {
    const format = formatOf(args, ['text', 'json']);
    const context = await openRegistry(args, false);
    const found = await findReleaseCandidates(context.repo, {
        manifests: context.settings.manifests,
        before: stringOf(args, 'base'),
        after: stringOf(args, 'head') ?? 'HEAD',
        progress: out.progress,
        force: args.values.force === true,
    });
    warnIgnoredTags(found.registry, out);
    if (found.problems.length || found.refused.length) {
        const report = {
            models: [],
            findings: found.problems,
            changes: [],
            summary: {
                errors: found.problems.length,
                warnings: 0,
                info: 0,
                manifests: 0,
                validated: 0,
                requiredBump: 'none',
            },
        };
        const refused = found.refused.map((r) => `  refused ${r.model} ${r.version} (${r.file}): ${r.reason}\n    fix: ${r.fix}\n`);
        out.stderr(`modelgate: nothing was released; fix these first:\n${found.problems.length ? toText(report) : ''}${refused.join('')}`);
        return 1;
    }
    const plan = planRelease(found.candidates, {
        trigger: found.after,
        stages: context.settings.stages,
        environments: context.settings.environments,
        sharedRepository: (await context.repo.findManifestsAt(found.after, context.settings.manifests)).length > 1,
    }, { registry: found.registry, releases: new Set(), deployments: [] });
    const dryRun = args.values['dry-run'] === true;
    if (!dryRun)
        await applyLocally(plan, (tag, commit, message) => createTagOrExplain(context, tag, commit, message));
    out.stdout(format === 'json'
        ? `${inertJson({ dryRun, steps: plan.steps })}\n`
        : planText(plan, dryRun ? 'dry-run' : 'local'));
    return 0;
}
/** Creates the tags of a plan that do not exist yet; GitHub steps are left to the Action. */
async function applyLocally(plan, createTag) {
    for (const step of plan.steps) {
        if (step.done || (step.kind !== 'version-tag' && step.kind !== 'stage-tag'))
            continue;
        await createTag(step.tag, step.commit, step.message);
    }
}

export { runRelease };
