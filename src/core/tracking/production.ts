import { loadModel } from '../model/load-model.js';
import type { ModelFacts } from '../model/facts.js';
import type { ModelRegistry } from '../registry/state.js';
import type { Repository } from '../repository.js';
import type { ProductionTraining } from './training-check.js';

/**
 * The training reference of the version in the production stage, read from
 * its manifest at its release commit (trusted: the baseline's side), or
 * undefined when no version is in production.
 */
export async function productionTraining(
  repo: Repository,
  facts: ModelFacts,
  registry: ReadonlyMap<string, ModelRegistry>,
  productionStage: string,
): Promise<ProductionTraining | undefined> {
  const model = registry.get(facts.name);
  const production = model?.stages.find((s) => s.stage === productionStage);
  const released = production && model?.versions.find((v) => v.version === production.version);
  if (!released) return undefined;
  const loaded = await loadModel(repo.at(released.commit), facts.manifestFile);
  const ref = loaded.facts?.manifest.training?.run;
  return { version: released.version, ...(ref !== undefined ? { ref } : {}) };
}
