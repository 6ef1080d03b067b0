import { b as releaseTag, p as parseRegistryTag } from './settings-file-DTnV_6cP.js';

/**
 * The tag each released version is read at, keyed by its simple tag name
 * (`releaseTag(name, version)`, which may not exist). GTO registers a version
 * as `name@v1.2.3` or as `name@v1.2.3#N` (`gto register --simple false`, or a
 * version registered again after a deregistration), so the simple name is
 * only one of its spellings. Of the tags that register a version, the newest
 * annotated tag GTO can read wins, as GTO's own state names it; then a
 * lightweight one (git reads it, GTO does not); a version whose every
 * registration tag is unusable (it tags a tree, a missing object, it lies
 * about its name) maps to the problem, so it is reported, never read.
 */
function registrationTags(tags) {
    const byVersion = new Map();
    for (const record of tags) {
        const parsed = parseRegistryTag(record.name);
        if (parsed?.action !== 'register')
            continue;
        const key = releaseTag(parsed.name, parsed.version);
        const list = byVersion.get(key);
        if (list)
            list.push(record);
        else
            byVersion.set(key, [record]);
    }
    const chosen = new Map();
    for (const [key, records] of byVersion) {
        const annotated = records
            .filter((r) => r.tagger && !r.problem)
            .sort((a, b) => a.date - b.date || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const lightweight = records.filter((r) => !r.tagger && !r.problem);
        const read = annotated.at(-1) ?? lightweight.find((r) => r.name === key) ?? lightweight[0];
        // Otherwise every one of them has a problem: the first says why.
        const { name, problem } = read ?? records[0];
        chosen.set(key, read
            ? { tag: name }
            : { tag: name, problem: `its registration tag ${name} cannot be read: ${problem}` });
    }
    return chosen;
}
/**
 * Why version `version` of `name`, registered by `registeredBy`, cannot be
 * deployed, or undefined when it can. A GitHub Deployment names a release by
 * its simple tag (`name@v1.2.3`), and the deployer checks that tag: a version
 * GTO registered only with a numbered tag has none, and a simple tag left
 * from an earlier registration points at other content.
 */
function undeployableRegistration(input) {
    const { name, version, registeredBy, simpleTagExists } = input;
    const simple = releaseTag(name, version);
    if (registeredBy === simple)
        return undefined;
    return simpleTagExists
        ? {
            reason: `${name} ${version} was registered again as ${registeredBy}, and its simple tag ${simple}, which deployments name, is the earlier registration`,
            fix: `Release this content as a new version: ${simple} cannot be moved (released versions are immutable).`,
        }
        : {
            reason: `${name} ${version} is registered as ${registeredBy} (GTO's numbered registration), and deployments name a release by its simple tag ${simple}, which does not exist`,
            fix: `Create the simple tag on the same commit and push it: git tag -a ${simple} -m "Registering ${name} ${version}" '${registeredBy}^{commit}' && git push origin ${simple}`,
        };
}

/**
 * The `Manifest: <path> sha256:<hex>` line of a release tag's message: where
 * the release found the model's manifest, and that file's digest. Written by
 * the release plan; read back to find a model's manifest at its tag (the CLI,
 * the Action and the app), as where to look first, never as proof: the file
 * there must still declare the model.
 */
function manifestLineOf(manifestFile, sha256) {
    return `Manifest: ${manifestFile} sha256:${sha256}`;
}
/** The path a tag message's `Manifest:` line names, if it has one. */
function manifestLine(message) {
    return message?.match(/^Manifest: (.+) sha256:[0-9a-f]*$/m)?.[1];
}

export { manifestLine as a, manifestLineOf as m, registrationTags as r, undeployableRegistration as u };
