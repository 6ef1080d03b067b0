import { readRegistry, type ModelRegistry, type TagRecord, type VersionState } from './state.js';
import { parseRegistryTag, releaseTag } from './tag-names.js';

/** Where a released version is read: the tag that registers it, and why it cannot be read when it cannot. */
export interface RegistrationTag {
  tag: string;
  problem?: string;
}

/**
 * The registration of `version` that counts, as GTO's state has it: a version
 * registered on two commits (tags made by hand: GTO itself refuses) is the one
 * still registered, the newest of them; a version deregistered everywhere is
 * its newest registration. Undefined when the model never registered it.
 */
export function currentRegistration(
  model: ModelRegistry | undefined,
  version: string,
  except?: (v: VersionState) => boolean,
): VersionState | undefined {
  let chosen: VersionState | undefined;
  for (const v of model?.versions ?? [])
    if (v.version === version && !except?.(v) && counts(v, chosen)) chosen = v;
  return chosen;
}

/** Every version's current registration (see currentRegistration), in one pass, in the model's order. */
export function currentRegistrations(model: ModelRegistry | undefined): Map<string, VersionState> {
  const chosen = new Map<string, VersionState>();
  for (const v of model?.versions ?? []) if (counts(v, chosen.get(v.version))) chosen.set(v.version, v);
  return chosen;
}

/** Whether registration `v` counts over `chosen`: still registered first, then the newest. */
const counts = (v: VersionState, chosen: VersionState | undefined) =>
  !chosen ||
  (chosen.deregistered && !v.deregistered) ||
  (chosen.deregistered === v.deregistered && v.date >= chosen.date);

/**
 * The versions of `model` that GTO holds withdrawn: their current registration
 * is deregistered. Their content is no release (rollback, promote and deploy
 * refuse them), so restoring it restores nothing.
 */
export function withdrawnVersions(model: ModelRegistry | undefined): Set<string> {
  const withdrawn = new Set<string>();
  for (const [version, registration] of currentRegistrations(model))
    if (registration.deregistered) withdrawn.add(version);
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
export function registrationTags(
  tags: readonly TagRecord[],
  registry: ReadonlyMap<string, ModelRegistry> = readRegistry(tags),
): Map<string, RegistrationTag> {
  const chosen = new Map<string, RegistrationTag>();
  for (const model of registry.values())
    for (const [version, registration] of currentRegistrations(model))
      chosen.set(releaseTag(model.name, version), { tag: registration.tag });
  const unread = new Map<string, TagRecord[]>();
  for (const record of tags) {
    const parsed = parseRegistryTag(record.name);
    if (parsed?.action !== 'register') continue;
    const key = releaseTag(parsed.name, parsed.version);
    if (chosen.has(key)) continue;
    const list = unread.get(key);
    if (list) list.push(record);
    else unread.set(key, [record]);
  }
  for (const [key, records] of unread) {
    // None of them is a registration GTO reads: lightweight ones, or tags with a problem.
    const lightweight = records.filter((r) => !r.tagger && !r.problem);
    const read = lightweight.find((r) => r.name === key) ?? lightweight[0];
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

/** The simple tag of a version as a Deployment needs it: the commit it registers, or why it registers nothing. */
export type SimpleTag = { commit: string } | { problem: string } | undefined;

/**
 * The simple tag of `version` as the model's registry read it: a registration
 * (an annotated tag GTO reads) registers its commit; a tag the registry
 * ignored (lightweight, unreadable) registers nothing, for its reason.
 */
export function simpleTagOf(model: ModelRegistry | undefined, version: string): SimpleTag {
  if (!model) return undefined;
  const simple = releaseTag(model.name, version);
  const registration = model.events.find((e) => e.tag === simple && e.action === 'register');
  if (registration) return { commit: registration.commit };
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
export function undeployableRegistration(input: {
  name: string;
  version: string;
  registeredBy: string;
  commit: string;
  simpleTag: SimpleTag;
}): Refusal | undefined {
  const { name, version, registeredBy, commit, simpleTag } = input;
  const simple = releaseTag(name, version);
  if (registeredBy === simple) return undefined;
  if (simpleTag && 'commit' in simpleTag) {
    if (simpleTag.commit === commit) return undefined;
    return {
      reason: `${name} ${version} was registered again as ${registeredBy}, and its simple tag ${simple}, which deployments name, is the earlier registration on ${simpleTag.commit.slice(0, 12)}`,
      fix: `Release this content as a new version: ${simple} cannot be moved (released versions are immutable).`,
    };
  }
  const create = `git tag -a -m "Registering ${name} ${version}" ${simple} '${registeredBy}^{commit}'`;
  return simpleTag
    ? withCommand(
        `${name} ${version} is registered as ${registeredBy}, and its simple tag ${simple}, which deployments name, is not a release: ${simpleTag.problem}`,
        'Replace it with an annotated tag on the same commit and push it',
        `${create.replace('git tag -a', 'git tag -a -f')} && git push --force origin ${simple}`,
      )
    : withCommand(
        `${name} ${version} is registered as ${registeredBy} (GTO's numbered registration), and deployments name a release by its simple tag ${simple}, which does not exist`,
        'Create the simple tag on the same commit and push it',
        `${create} && git push origin ${simple}`,
      );
}

/** Why something is refused, and what to do: `fix` in words, ending with `command` when one does it. */
export interface Refusal {
  reason: string;
  fix: string;
  /** The shell command `fix` ends with, for a reply that shows it as code. */
  command?: string;
}

const withCommand = (reason: string, what: string, command: string): Refusal => ({
  reason,
  fix: `${what}: ${command}`,
  command,
});

/** Whether `registration`'s content was assigned to `stage` (its commit, not merely its version string). */
export function wasAssigned(
  model: ModelRegistry,
  registration: VersionState,
  stage: string | undefined,
): boolean {
  return model.events.some(
    (e) =>
      e.action === 'assign' &&
      e.stage === stage &&
      e.version === registration.version &&
      e.commit === registration.commit,
  );
}

/** Why `registration` of one of `model`'s versions cannot be deployed (undeployableRegistration), read from the model's own tags. */
export function deployRefusal(model: ModelRegistry, registration: VersionState): Refusal | undefined {
  return undeployableRegistration({
    name: model.name,
    version: registration.version,
    registeredBy: registration.tag,
    commit: registration.commit,
    simpleTag: simpleTagOf(model, registration.version),
  });
}

/**
 * Why `version` of `name` cannot be put back into production by a deployment
 * nobody reviews (the production guard's rollback), or undefined when it can:
 * its tags register it no more (GTO holds it withdrawn, or they are gone), or
 * no deployment could name it (deployRefusal). `model` is the model's
 * registry, read from at least that version's registration tags.
 */
export function restoreRefusal(
  model: ModelRegistry | undefined,
  name: string,
  version: string,
): Refusal | undefined {
  const problem = registrationProblem(model, name, version);
  if (!problem) return undefined;
  const byHand = `Roll back to a released version by hand (modelgate rollback ${name} --to VERSION)`;
  // A withdrawal may be undone; what production needs now is another way back, either way.
  return {
    reason: problem.reason,
    fix: problem.withdrawn
      ? `${byHand}, or register ${version} again if its withdrawal was a mistake.`
      : `${byHand}.`,
  };
}

/**
 * Why `version` of `name` is no release a deployment may put in traffic now,
 * or undefined when it is one: no annotated tag registers it, GTO holds it
 * withdrawn (deregistered), or no deployment could name it (deployRefusal).
 * `model` is the model's registry, read from at least the version's
 * registration tags.
 */
export function registrationProblem(
  model: ModelRegistry | undefined,
  name: string,
  version: string,
): { reason: string; withdrawn: boolean } | undefined {
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
export function unusableSimpleTag(name: string, version: string, problem: string): Refusal {
  const simple = releaseTag(name, version);
  return withCommand(
    `${name} ${version} cannot be tagged: the tag ${simple} exists and is not a release: ${problem}`,
    'Delete it here and on the remote, then release again',
    `git tag -d ${simple} && git push origin :refs/tags/${simple}`,
  );
}
