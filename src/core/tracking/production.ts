import type { ModelFacts } from '../model/facts.js';
import type { ModelRegistry } from '../registry/state.js';
import type { ModelManifests } from '../semver/model-manifests.js';
import { listedWeights, type ProductionTraining } from './training-check.js';

/**
 * The training reference (and the weights' digests) of the version in the production stage, read from
 * its manifest at its release tag (trusted: the baseline's side), found by
 * the model's name wherever that version kept it, or undefined when no
 * version is in production. A manifest that cannot be found or read there
 * is `unread`, with why: whether the candidate names production's run is
 * then not known.
 */
export async function productionTraining(
  manifests: ModelManifests,
  facts: ModelFacts,
  registry: ReadonlyMap<string, ModelRegistry>,
  productionStage: string,
): Promise<ProductionTraining | undefined> {
  const model = registry.get(facts.name);
  const production = model?.stages.find((s) => s.stage === productionStage);
  // The registration that holds the stage: a version registered on two commits is read where it runs.
  const released =
    production &&
    model?.versions.find((v) => v.version === production.version && v.stages.includes(productionStage));
  if (!released) return undefined;
  let found;
  try {
    found = await manifests.release(facts.name, released.version, [facts.manifestFile], released.tag);
  } catch (error) {
    // A release git cannot read at its tag (a damaged tag or object).
    return {
      version: released.version,
      unread: `its release tag cannot be read (${(error as Error).message})`,
    };
  }
  // A tag with no manifest of the model (released by another tool before modelgate) names no run, as
  // it gives no eval baseline: only a manifest that is there and cannot be read is unknown.
  if (found.kind === 'absent') return { version: released.version };
  if (found.kind === 'unknown') return { version: released.version, unread: found.reason };
  const { manifest } = found.facts;
  const ref = manifest.training?.run;
  const weights = listedWeights(manifest);
  return {
    version: released.version,
    ...(ref !== undefined ? { ref } : {}),
    ...(weights ? { weights } : {}),
  };
}
