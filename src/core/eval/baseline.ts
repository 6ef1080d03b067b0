import { loadModel } from '../model/load-model.js';
import type { ModelFacts } from '../model/facts.js';
import type { ModelRegistry } from '../registry/state.js';
import type { Repository } from '../repository.js';
import type { ArtifactSource } from '../source.js';
import type { Baseline } from './gate-model.js';
import type { BaselineSuites } from './suite-plan.js';
import { loadEvalData } from './load-eval.js';

/**
 * The version a candidate must not be worse than: the version the last stage
 * (production) holds, read at its release commit; without releases, the
 * model as it is at the base ref.
 */
export async function resolveBaseline(
  repo: Repository,
  facts: ModelFacts,
  registry: ReadonlyMap<string, ModelRegistry>,
  productionStage: string,
  base?: string,
): Promise<Baseline | undefined> {
  const model = registry.get(facts.name);
  const production = model?.stages.find((s) => s.stage === productionStage);
  const released = production && model?.versions.find((v) => v.version === production.version);
  if (released) {
    const source = repo.at(released.commit);
    const loaded = await loadModel(source, facts.manifestFile);
    if (loaded.facts) {
      const label = `${productionStage} ${released.version} (${production!.tag})`;
      return {
        label,
        version: released.version,
        data: await loadEvalData(source, loaded.facts),
        gates: loaded.facts.manifest.eval?.gates ?? [],
        suites: suiteNamesOf(loaded.facts),
        suiteFiles: suiteFilesOf(loaded.facts, label, source),
      };
    }
  }
  if (base) {
    const source = repo.at(base);
    const stat = await source.stat(facts.manifestFile);
    if (stat.kind !== 'file') return undefined;
    const loaded = await loadModel(source, facts.manifestFile);
    if (loaded.facts) {
      const label = `the base ref ${base.slice(0, 12)}`;
      return {
        label,
        version: loaded.facts.manifest.version,
        data: await loadEvalData(source, loaded.facts),
        gates: loaded.facts.manifest.eval?.gates ?? [],
        suites: suiteNamesOf(loaded.facts),
        suiteFiles: suiteFilesOf(loaded.facts, label, source),
      };
    }
  }
  return undefined;
}

/** The suites a baseline manifest declares: their metrics are the built-in runner's, whatever a candidate declares. */
function suiteNamesOf(facts: ModelFacts): string[] {
  return (facts.manifest.eval?.suites ?? []).map((suite) => suite.name);
}

/** The baseline's suite definitions, read with its files at its commit (the same containment rule, at a ref). */
function suiteFilesOf(facts: ModelFacts, label: string, source: ArtifactSource): BaselineSuites {
  return { label, source, suites: facts.manifest.eval?.suites ?? [] };
}
