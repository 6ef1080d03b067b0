import { d as releaseTag, P as parseRegistryTag, r as readRegistry } from './state-AWNhEueb.js';

/**
 * The registration of `version` that counts, as GTO's state has it: a version
 * registered on two commits (tags made by hand: GTO itself refuses) is the one
 * still registered, the newest of them; a version deregistered everywhere is
 * its newest registration. Undefined when the model never registered it.
 */
function currentRegistration(model, version, except) {
    let chosen;
    for (const v of model?.versions ?? [])
        if (v.version === version && !except?.(v) && counts(v, chosen))
            chosen = v;
    return chosen;
}
/** Every version's current registration (see currentRegistration), in one pass, in the model's order. */
function currentRegistrations(model) {
    const chosen = new Map();
    for (const v of model?.versions ?? [])
        if (counts(v, chosen.get(v.version)))
            chosen.set(v.version, v);
    return chosen;
}
/** Whether registration `v` counts over `chosen`: still registered first, then the newest. */
const counts = (v, chosen) => !chosen ||
    (chosen.deregistered && !v.deregistered) ||
    (chosen.deregistered === v.deregistered && v.date >= chosen.date);
/**
 * The versions of `model` that GTO holds withdrawn: their current registration
 * is deregistered. Their content is no release (rollback, promote and deploy
 * refuse them), so restoring it restores nothing.
 */
function withdrawnVersions(model) {
    const withdrawn = new Set();
    for (const [version, registration] of currentRegistrations(model))
        if (registration.deregistered)
            withdrawn.add(version);
    return withdrawn;
}
/**
 * The tag each released version is read at, keyed by its simple tag name
 * (`releaseTag(name, version)`, which may not exist). GTO registers a version
 * as `name@v1.2.3` or as `name@v1.2.3#N` (`gto register --simple false`, or a
 * version registered again after a deregistration), so the simple name is
 * only one of its spellings. A version GTO's state knows is read at its
 * current registration (`currentRegistration`: its authoring tag, the
 * newest registration of that commit). Otherwise, a lightweight tag (git
 * reads it, GTO does not), the simple one first; a version whose every
 * registration tag is unusable (it tags a tree, a missing object, it lies
 * about its name) maps to the problem, so it is reported, never read.
 */
function registrationTags(tags, registry = readRegistry(tags)) {
    const chosen = new Map();
    for (const model of registry.values())
        for (const [version, registration] of currentRegistrations(model))
            chosen.set(releaseTag(model.name, version), { tag: registration.tag });
    const unread = new Map();
    for (const record of tags) {
        const parsed = parseRegistryTag(record.name);
        if (parsed?.action !== 'register')
            continue;
        const key = releaseTag(parsed.name, parsed.version);
        if (chosen.has(key))
            continue;
        const list = unread.get(key);
        if (list)
            list.push(record);
        else
            unread.set(key, [record]);
    }
    for (const [key, records] of unread) {
        // None of them is a registration GTO reads: lightweight ones, or tags with a problem.
        const lightweight = records.filter((r) => !r.tagger && !r.problem);
        const read = lightweight.find((r) => r.name === key) ?? lightweight[0];
        const { name, problem } = read ?? records[0];
        chosen.set(key, read
            ? { tag: name }
            : { tag: name, problem: `its registration tag ${name} cannot be read: ${problem}` });
    }
    return chosen;
}
/**
 * The simple tag of `version` as the model's registry read it: a registration
 * (an annotated tag GTO reads) registers its commit; a tag the registry
 * ignored (lightweight, unreadable) registers nothing, for its reason.
 */
function simpleTagOf(model, version) {
    if (!model)
        return undefined;
    const simple = releaseTag(model.name, version);
    const registration = model.events.find((e) => e.tag === simple && e.action === 'register');
    if (registration)
        return { commit: registration.commit };
    const ignored = model.ignored.find((i) => i.tag === simple);
    return ignored && { problem: ignored.reason };
}
/**
 * Why version `version` of `name`, registered by `registeredBy` on `commit`,
 * cannot be deployed, or undefined when it can. A GitHub Deployment names a
 * release by its simple tag (`name@v1.2.3`), and the deployer checks that it
 * is an annotated tag of the deployed commit: a version GTO registered only
 * with a numbered tag has none, a lightweight or unreadable simple tag is no
 * release, and a simple tag on another commit (an earlier registration)
 * points at other content.
 */
function undeployableRegistration(input) {
    const { name, version, registeredBy, commit, simpleTag } = input;
    const simple = releaseTag(name, version);
    if (registeredBy === simple)
        return undefined;
    if (simpleTag && 'commit' in simpleTag) {
        if (simpleTag.commit === commit)
            return undefined;
        return {
            reason: `${name} ${version} was registered again as ${registeredBy}, and its simple tag ${simple}, which deployments name, is the earlier registration on ${simpleTag.commit.slice(0, 12)}`,
            fix: `Release this content as a new version: ${simple} cannot be moved (released versions are immutable).`,
        };
    }
    const create = `git tag -a -m "Registering ${name} ${version}" ${simple} '${registeredBy}^{commit}'`;
    return simpleTag
        ? withCommand(`${name} ${version} is registered as ${registeredBy}, and its simple tag ${simple}, which deployments name, is not a release: ${simpleTag.problem}`, 'Replace it with an annotated tag on the same commit and push it', `${create.replace('git tag -a', 'git tag -a -f')} && git push --force origin ${simple}`)
        : withCommand(`${name} ${version} is registered as ${registeredBy} (GTO's numbered registration), and deployments name a release by its simple tag ${simple}, which does not exist`, 'Create the simple tag on the same commit and push it', `${create} && git push origin ${simple}`);
}
const withCommand = (reason, what, command) => ({
    reason,
    fix: `${what}: ${command}`,
    command,
});
/** Whether `registration`'s content was assigned to `stage` (its commit, not merely its version string). */
function wasAssigned(model, registration, stage) {
    return model.events.some((e) => e.action === 'assign' &&
        e.stage === stage &&
        e.version === registration.version &&
        e.commit === registration.commit);
}
/** Why `registration` of one of `model`'s versions cannot be deployed (undeployableRegistration), read from the model's own tags. */
function deployRefusal(model, registration) {
    return undeployableRegistration({
        name: model.name,
        version: registration.version,
        registeredBy: registration.tag,
        commit: registration.commit,
        simpleTag: simpleTagOf(model, registration.version),
    });
}
/**
 * Why `version` of `name` is no release a deployment may put in traffic now,
 * or undefined when it is one: no annotated tag registers it, GTO holds it
 * withdrawn (deregistered), or no deployment could name it (deployRefusal).
 * `model` is the model's registry, read from at least the version's
 * registration tags.
 */
function registrationProblem(model, name, version) {
    const registration = currentRegistration(model, version);
    if (!registration || !model)
        return { reason: `no annotated tag registers ${name} ${version}`, withdrawn: false };
    if (registration.deregistered)
        return {
            reason: `${name} ${version} was deregistered (${registration.tag} is withdrawn), so it is no release`,
            withdrawn: true,
        };
    const undeployable = deployRefusal(model, registration);
    return undeployable && { reason: undeployable.reason, withdrawn: false };
}
/**
 * Why a new version cannot be released while its simple tag exists but
 * registers nothing (a lightweight tag, one git or GTO cannot read): the
 * release would have to create that tag.
 */
function unusableSimpleTag(name, version, problem) {
    const simple = releaseTag(name, version);
    return withCommand(`${name} ${version} cannot be tagged: the tag ${simple} exists and is not a release: ${problem}`, 'Delete it here and on the remote, then release again', `git tag -d ${simple} && git push origin :refs/tags/${simple}`);
}

export { withdrawnVersions as a, currentRegistrations as b, currentRegistration as c, deployRefusal as d, registrationTags as e, registrationProblem as r, simpleTagOf as s, unusableSimpleTag as u, wasAssigned as w };
