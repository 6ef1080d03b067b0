import type { ModelFacts } from '../model/facts.js';
import type { ModelRegistry } from '../registry/state.js';
import type { ModelManifests } from '../semver/model-manifests.js';
import { listedWeights, type ProductionTraining, type ReleasedTraining } from './training-check.js';

/**
 * The training reference (and the weights' digests) of the version in the production stage, read from
 * its manifest at its release tag (trusted: the baseline's side), found by
 * the model's name wherever that version kept it, or undefined when no
 * version is in production. A manifest that cannot be found or read there
 * gives no reference (the eval baseline, looked up the same way, says why).
 */
export async function productionTraining(
  manifests: ModelManifests,
  facts: ModelFacts,
  registry: ReadonlyMap<string, ModelRegistry>,
  productionStage: string,
): Promise<ProductionTraining | undefined> {
  const model = registry.get(facts.name);
  const production = model?.stages.find((s) => s.stage === productionStage);
  const released = production && model?.versions.find((v) => v.version === production.version);
  if (!released) return undefined;
  return trainingAt(manifests, facts, released.version);
}

/** How many of a model's newest releases a candidate's run is compared with (a manifest read each). */
const RELEASES_COMPARED = 100;

/**
 * The training references of the model's other releases (not production's,
 * not the candidate's own version), the RELEASES_COMPARED newest in SemVer
 * order, each read from its manifest at its release tag: a run that trained
 * one of them is not evidence for other weights.
 */
export async function releasedTraining(
  manifests: ModelManifests,
  facts: ModelFacts,
  registry: ReadonlyMap<string, ModelRegistry>,
  productionStage: string,
): Promise<ReleasedTraining[]> {
  const model = registry.get(facts.name);
  const production = model?.stages.find((s) => s.stage === productionStage)?.version;
  const others = (model?.versions ?? []).filter(
    (v) => v.version !== production && v.version !== facts.manifest.version,
  );
  const read: ReleasedTraining[] = [];
  for (const { version } of others.slice(-RELEASES_COMPARED).reverse())
    read.push(await trainingAt(manifests, facts, version));
  return read;
}

/** One release's training reference and listed weights, from its manifest at its tag. */
async function trainingAt(
  manifests: ModelManifests,
  facts: ModelFacts,
  version: string,
): Promise<ReleasedTraining> {
  const found = await manifests.release(facts.name, version, [facts.manifestFile]);
  if (found.kind !== 'found') return { version };
  const { manifest } = found.facts;
  const ref = manifest.training?.run;
  const weights = listedWeights(manifest);
  return { version, ...(ref !== undefined ? { ref } : {}), ...(weights ? { weights } : {}) };
}
