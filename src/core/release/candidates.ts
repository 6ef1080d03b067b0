import { decodeUtf8 } from '../bytes.js';
import { parsePythonJson, readResultsFile, type MetricSeries } from '../eval/results.js';
import type { Finding } from '../findings.js';
import { loadModel } from '../model/load-model.js';
import type { ModelFacts } from '../model/facts.js';
import { readRegistry, type ModelRegistry } from '../registry/state.js';
import { releasedVersions, releaseTag } from '../registry/tag-names.js';
import type { Repository } from '../repository.js';
import { CommandError } from '../repository.js';
import { checkCompatibility } from '../rules/index.js';
import { contentDigests } from '../semver/content.js';
import { checkVersion } from '../semver/version-check.js';
import type { ArtifactSource } from '../source.js';
import { resolveArtifactPath } from '../repo-path.js';
import { selectChanged } from '../validate.js';
import type { ReleaseCandidate } from './plan.js';

export interface CandidateSearch {
  manifests: readonly string[];
  /** The commit before the push (absent for a first push: every manifest counts as changed). */
  before?: string;
  /** The pushed commit. */
  after: string;
  progress?: (message: string) => void;
}

export interface CandidateResult {
  candidates: ReleaseCandidate[];
  /** Reasons not to release at all (a version that reuses a released number, errors a merge let through). */
  problems: Finding[];
  registry: Map<string, ModelRegistry>;
  after: string;
}

/**
 * The model versions a push releases: every manifest the push changed whose
 * version is new (a release) or is a released version restored exactly (a
 * rollback). Reads everything at the pushed commit, never the working tree.
 */
export async function findReleaseCandidates(
  repo: Repository,
  search: CandidateSearch,
): Promise<CandidateResult> {
  const after = await repo.resolveCommit(search.after);
  if (!after)
    throw new CommandError(
      `the commit "${search.after}" does not exist here`,
      'Check out the pushed commit with its history (fetch-depth: 0).',
    );
  const before =
    search.before && !/^0+$/.test(search.before) ? await repo.resolveCommit(search.before) : undefined;
  if (search.before && !/^0+$/.test(search.before) && !before) {
    throw new CommandError(
      `the commit before the push, "${search.before}", does not exist here`,
      'Check out with fetch-depth: 0 so the previous commit is available.',
    );
  }
  const source = repo.at(after);
  const manifests = await repo.findManifestsAt(after, search.manifests);
  const selected = before
    ? await selectChanged(source, manifests, await repo.changedBetween(before, after))
    : manifests;
  const beforeManifests = new Set(before ? await repo.findManifestsAt(before, search.manifests) : []);
  const registry = readRegistry(await repo.readTags());
  const released = releasedVersions([...registry.values()].flatMap((m) => m.versions.map((v) => v.tag)));

  const candidates: ReleaseCandidate[] = [];
  const problems: Finding[] = [];
  for (const file of selected) {
    search.progress?.(`reading ${file} at ${after.slice(0, 12)}`);
    const loaded = await loadModel(source, file);
    const facts = loaded.facts;
    const compatibility = facts ? [...loaded.findings, ...checkCompatibility(facts)] : loaded.findings;
    problems.push(...compatibility.filter((f) => f.severity === 'error'));
    if (!facts) continue;
    const baseLoaded =
      before && beforeManifests.has(file) ? await loadModel(repo.at(before), file) : undefined;
    const digests = await contentDigests(source, facts);
    const version = await checkVersion({
      head: facts,
      headDigests: digests,
      base: baseLoaded?.facts && {
        facts: baseLoaded.facts,
        digests: await contentDigests(repo.at(before!), baseLoaded.facts),
      },
      released: released.get(facts.name) ?? new Set(),
      releasedDigests: async (v) => {
        const tagged = await loadModel(repo.at(releaseTag(facts.name, v)), file);
        return tagged.facts ? contentDigests(repo.at(releaseTag(facts.name, v)), tagged.facts) : undefined;
      },
    });
    problems.push(...version.findings.filter((f) => f.severity === 'error'));
    if (version.change.status === 'unchanged' || version.findings.length) continue;

    // Registered on another commit: this merge restores it. Registered on this very commit: a re-run of this release.
    const registered = registry
      .get(facts.name)
      ?.versions.find((v) => v.version === facts.manifest.version && v.commit !== after);
    const manifestDigest = await source.sha256(file);
    candidates.push({
      facts,
      kind: registered ? 'restore' : 'new',
      commit: registered?.commit ?? after,
      manifestDigest: manifestDigest.ok ? manifestDigest.value.sha256 : '',
      change: version.change,
      findings: compatibility,
      digests,
      metrics: await recordedMetrics(source, facts),
    });
  }
  return { candidates, problems, registry, after };
}

async function recordedMetrics(source: ArtifactSource, facts: ModelFacts): Promise<MetricSeries[]> {
  const metrics: MetricSeries[] = [];
  for (const result of facts.manifest.eval?.results ?? []) {
    const path = resolveArtifactPath(facts.manifestFile, result.path);
    if (!path.ok) continue;
    const read = await source.read(path.path, 64 * 1024 * 1024);
    if (!read.ok) continue;
    try {
      metrics.push(...readResultsFile(parsePythonJson(decodeUtf8(read.value)), path.path).metrics);
    } catch {
      // A broken results file is not a reason to hold a release; validate reports it.
    }
  }
  return metrics;
}
