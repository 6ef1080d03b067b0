import type { TagRecord } from './state.js';
import { parseRegistryTag, releaseTag } from './tag-names.js';

/** Where a released version is read: the tag that registers it, and why it cannot be read when it cannot. */
export interface RegistrationTag {
  tag: string;
  problem?: string;
}

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
export function registrationTags(tags: readonly TagRecord[]): Map<string, RegistrationTag> {
  const byVersion = new Map<string, TagRecord[]>();
  for (const record of tags) {
    const parsed = parseRegistryTag(record.name);
    if (parsed?.action !== 'register') continue;
    const key = releaseTag(parsed.name, parsed.version);
    const list = byVersion.get(key);
    if (list) list.push(record);
    else byVersion.set(key, [record]);
  }
  const chosen = new Map<string, RegistrationTag>();
  for (const [key, records] of byVersion) {
    const annotated = records
      .filter((r) => r.tagger && !r.problem)
      .sort((a, b) => a.date - b.date || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const lightweight = records.filter((r) => !r.tagger && !r.problem);
    const read = annotated.at(-1) ?? lightweight.find((r) => r.name === key) ?? lightweight[0];
    // Otherwise every one of them has a problem: the first says why.
    const { name, problem } = read ?? records[0]!;
    chosen.set(
      key,
      read
        ? { tag: name }
        : { tag: name, problem: `its registration tag ${name} cannot be read: ${problem}` },
    );
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
export function undeployableRegistration(input: {
  name: string;
  version: string;
  registeredBy: string;
  simpleTagExists: boolean;
}): { reason: string; fix: string } | undefined {
  const { name, version, registeredBy, simpleTagExists } = input;
  const simple = releaseTag(name, version);
  if (registeredBy === simple) return undefined;
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
