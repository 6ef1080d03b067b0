import type { ModelFacts } from '../model/facts.js';
import type { ModelRegistry } from '../registry/state.js';
import type { ManifestLookup, ModelManifests } from '../semver/model-manifests.js';
import type { ArtifactSource } from '../source.js';
import type { Baseline } from './gate-model.js';
import type { Gate } from './gates.js';
import type { BaselineSuites } from './suite-plan.js';
import { jsonEqual } from '../json-equal.js';
import { loadEvalData } from './load-eval.js';

/**
 * The version a candidate must not be worse than: the version the last stage
 * (production) holds, read at its release tag; without releases, the model
 * as it is at the base ref. Both are found by the name the candidate
 * declares, never by its path: a change that moves the model's folder is
 * still judged against its baseline's results, datasets and gates.
 * A baseline that cannot be read (several manifests declare the name, or
 * the one that does does not load) is returned with `unreadable`, never as
 * none: "no baseline" would judge the change on its own files.
 */
export async function resolveBaseline(
  manifests: ModelManifests,
  facts: ModelFacts,
  registry: ReadonlyMap<string, ModelRegistry>,
  productionStage: string,
  base?: string,
): Promise<Baseline | undefined> {
  const atBase = () => manifests.at(base!).find(facts.name, [facts.manifestFile]);
  // The base ref's gates judge too when production is the baseline: a gate tightened in a version
  // merged (and released) since production's is reviewed, and a change must not undo it unseen.
  const withBaseGates = async (baseline: Baseline): Promise<Baseline> => {
    if (!base || baseline.unreadable !== undefined) return baseline;
    const found = await atBase();
    if (found.kind === 'absent') return baseline;
    if (found.kind === 'unknown')
      return {
        ...baseline,
        unreadable: `its manifest at the base ref ${base.slice(0, 12)}: ${found.reason}`,
      };
    const label = `the base ref ${base.slice(0, 12)}`;
    const gates = [...(baseline.gates ?? [])];
    const gateFrom = new Map<Gate, string>();
    for (const gate of found.facts.manifest.eval?.gates ?? [])
      if (!gates.some((g) => jsonEqual(g, gate))) {
        gates.push(gate);
        gateFrom.set(gate, label);
      }
    const onInconclusive = found.facts.manifest.eval?.on_inconclusive;
    return {
      ...baseline,
      gates,
      gateFrom,
      baseSuiteFiles: suiteFilesOf(found.facts, label, found.source, found.file),
      ...(onInconclusive ? { baseJudging: { label, onInconclusive } } : {}),
    };
  };
  const model = registry.get(facts.name);
  const production = model?.stages.find((s) => s.stage === productionStage);
  // The registration that holds the stage: a version registered on two commits is read where it runs.
  const released =
    production &&
    model?.versions.find((v) => v.version === production.version && v.stages.includes(productionStage));
  if (released) {
    const label = `${productionStage} ${released.version} (${production!.tag})`;
    const found = await manifests.release(facts.name, released.version, [facts.manifestFile], released.tag);
    // A production version whose tag holds no manifest of this name (tagged by another tool) is no
    // baseline to judge by; the base ref may still be one.
    if (found.kind !== 'absent') return withBaseGates(await baselineOf(found, label, released.version));
  }
  if (base) {
    const found = await atBase();
    if (found.kind !== 'absent') return baselineOf(found, `the base ref ${base.slice(0, 12)}`);
  }
  return undefined;
}

/** A found manifest as the baseline, with its results, gates, suites and judging settings; or why it cannot be read. */
async function baselineOf(
  found: Exclude<ManifestLookup, { kind: 'absent' }>,
  label: string,
  version?: string,
): Promise<Baseline> {
  if (found.kind === 'unknown')
    return {
      label,
      ...(version ? { version } : {}),
      data: { results: [], metrics: new Map(), findings: [] },
      unreadable: found.reason,
    };
  const { facts, source, file } = found;
  const block = facts.manifest.eval;
  return {
    label,
    version: version ?? facts.manifest.version,
    data: await loadEvalData(source, facts),
    gates: block?.gates ?? [],
    suites: suiteNamesOf(facts),
    suiteFiles: suiteFilesOf(facts, label, source, file),
    judging: {
      ...(block?.confidence !== undefined ? { confidence: block.confidence } : {}),
      ...(block?.min_samples !== undefined ? { min_samples: block.min_samples } : {}),
      ...(block?.on_inconclusive !== undefined ? { on_inconclusive: block.on_inconclusive } : {}),
    },
  };
}

/** The suites a baseline manifest declares: their metrics are the built-in runner's, whatever a candidate declares. */
function suiteNamesOf(facts: ModelFacts): string[] {
  return (facts.manifest.eval?.suites ?? []).map((suite) => suite.name);
}

/**
 * The baseline's suite definitions, read with its files at its commit (the same containment rule, at
 * a ref), relative to where its manifest is there.
 */
function suiteFilesOf(
  facts: ModelFacts,
  label: string,
  source: ArtifactSource,
  manifestFile: string,
): BaselineSuites {
  return { label, source, manifestFile, suites: facts.manifest.eval?.suites ?? [] };
}
