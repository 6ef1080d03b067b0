import semverCompare from 'semver/functions/compare.js';
import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import type { ArtifactSource } from '../source.js';
import { contentDigests } from './content.js';
import type { ModelManifests } from './model-manifests.js';
import type { ContentDigests } from './required-bump.js';
import type { ReleasedContent } from './version-check.js';

/** The version a change is compared with: its manifest, where it was read, and its content digests. */
export interface Baseline {
  facts: ModelFacts;
  source: ArtifactSource;
  digests: ContentDigests;
}

/**
 * What the version check compares `head` with, found by the model's name
 * (never by its path, so moving a manifest to another folder changes
 * nothing about how it is judged):
 * - the manifest at the base commit that declares the name;
 * - when none does but the model has releases (a model brought back), its
 *   newest release, at its tag;
 * - nothing (a new model) only when neither exists.
 * When the base cannot say (a manifest there cannot be read, or several
 * declare the name) or the release cannot be read, the finding says so: the
 * change is not passed as new.
 */
export async function findBaseline(
  manifests: ModelManifests,
  input: { head: ModelFacts; base: string; released: ReadonlySet<string> },
): Promise<{ baseline?: Baseline; findings: Finding[]; baseFile?: string }> {
  const { head, base, released } = input;
  const problem = (message: string, fix: string): { findings: Finding[] } => ({
    findings: [
      {
        rule: 'SEMVER-BUMP',
        severity: 'error',
        model: head.name,
        file: head.manifestFile,
        line: head.lineOf(['name']),
        message,
        fix,
      },
    ],
  });
  const atBase = await manifests.at(base).find(head.name, [head.manifestFile]);
  if (atBase.kind === 'found')
    return { baseline: await baselineOf(atBase), findings: [], baseFile: atBase.file };
  if (atBase.kind === 'unknown')
    return problem(
      `cannot compare ${head.name} with the base: ${atBase.reason}`,
      `Make the base hold exactly one readable manifest declaring name ${head.name}, or compare with another --base.`,
    );
  const newest = [...released].sort(semverCompare).at(-1);
  if (newest === undefined) return { findings: [] };
  const atRelease = await manifests.release(head.name, newest, [head.manifestFile]);
  if (atRelease.kind === 'found') return { baseline: await baselineOf(atRelease), findings: [] };
  return problem(
    `${head.name} has releases (newest ${newest}, tag ${manifests.tagOf(head.name, newest)}) but no manifest at the base declares name ${head.name}, and that release cannot be compared with: ${atRelease.kind === 'unknown' ? atRelease.reason : `no manifest at ${manifests.tagOf(head.name, newest)} declares name ${head.name}`}`,
    `Keep ${head.name}'s manifest in the base until this change is merged (move it with git mv in the same change), or give the model another name.`,
  );
}

/**
 * The content of release `version` of `head`'s model, found by name at its
 * tag, or why it cannot be read (then nothing says the change left it as
 * it was).
 */
export async function releasedContent(
  manifests: ModelManifests,
  head: ModelFacts,
  version: string,
  likely: readonly string[],
): Promise<ReleasedContent> {
  const found = await manifests.release(head.name, version, [head.manifestFile, ...likely]);
  const tag = manifests.tagOf(head.name, version);
  if (found.kind === 'found') return { tag, digests: (await baselineOf(found)).digests };
  return {
    tag,
    problem: found.kind === 'unknown' ? found.reason : `no manifest at ${tag} declares name ${head.name}`,
  };
}

async function baselineOf(found: { facts: ModelFacts; source: ArtifactSource }): Promise<Baseline> {
  return {
    facts: found.facts,
    source: found.source,
    digests: await contentDigests(found.source, found.facts),
  };
}
