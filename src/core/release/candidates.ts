import { decodeUtf8 } from '../bytes.js';
import { parsePythonJson, readResultsFile, type MetricSeries } from '../eval/results.js';
import type { Finding } from '../findings.js';
import { loadModel } from '../model/load-model.js';
import type { ModelFacts } from '../model/facts.js';
import { readRegistry, type ModelRegistry } from '../registry/state.js';
import {
  currentRegistration,
  simpleTagOf,
  deployRefusal,
  unusableSimpleTag,
  withdrawnVersions,
} from '../registry/registration-tags.js';
import { releasedVersions } from '../registry/tag-names.js';
import type { Repository } from '../repository.js';
import { CommandError } from '../repository.js';
import { checkCompatibility } from '../rules/index.js';
import { contentDigests } from '../semver/content.js';
import { ModelManifests } from '../semver/model-manifests.js';
import { checkUniqueName } from '../semver/unique-name.js';
import { findBaseline, releasedContent } from '../semver/version-baseline.js';
import { checkVersion } from '../semver/version-check.js';
import type { ArtifactSource } from '../source.js';
import { resolveArtifactPath } from '../repo-path.js';
import { selectChanged } from '../validate.js';
import type { ReleaseCandidate } from './plan.js';

export interface CandidateSearch {
  manifests: readonly string[];
  /**
   * The commit before the push. Without it (a first push, a manual run) every
   * manifest at `after` is read and only versions with no release tag yet are
   * released: an already released version is never assigned again, since
   * nothing says this push restored it.
   */
  before?: string;
  /** The pushed commit. */
  after: string;
  progress?: (message: string) => void;
  /** Release new versions of deprecated models too (otherwise they are refused). */
  force?: boolean;
}

/** A version the push would release, held back on purpose, with what to do about it. */
export interface RefusedCandidate {
  model: string;
  version: string;
  file: string;
  reason: string;
  fix: string;
}

export interface CandidateResult {
  candidates: ReleaseCandidate[];
  /** Reasons not to release at all (a version that reuses a released number, errors a merge let through). */
  problems: Finding[];
  /** Versions held back by policy (a deprecated model without `force`): not released, and worth failing for. */
  refused: RefusedCandidate[];
  registry: Map<string, ModelRegistry>;
  after: string;
  /** The lookup by name the candidates were found with (the tags' Manifest: lines included). */
  byName: ModelManifests;
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
  const changedFiles = new Set(before ? await repo.changedBetween(before, after) : []);
  const selected = before ? await selectChanged(source, manifests, [...changedFiles]) : manifests;
  const tags = await repo.readTags();
  const registry = readRegistry(tags);
  const released = releasedVersions([...registry.values()].flatMap((m) => m.versions.map((v) => v.tag)));
  // Models are looked up by name, before the push and at their tags: a moved manifest keeps its history.
  const byName = new ModelManifests(repo, { globs: search.manifests, tags });
  const candidates: ReleaseCandidate[] = [];
  const problems: Finding[] = [];
  const refused: RefusedCandidate[] = [];
  for (const file of selected) {
    search.progress?.(`reading ${file} at ${after.slice(0, 12)}`);
    const loaded = await loadModel(source, file);
    const facts = loaded.facts;
    const compatibility = facts ? [...loaded.findings, ...checkCompatibility(facts)] : loaded.findings;
    problems.push(...compatibility.filter((f) => f.severity === 'error'));
    if (!facts) continue;
    const found = before
      ? await findBaseline(byName, {
          head: facts,
          base: before,
          released: released.get(facts.name) ?? new Set(),
        })
      : { findings: [] };
    const unique = checkUniqueName(
      facts,
      await byName.sameName({
        head: after,
        facts,
        checked: selected,
        ...(before ? { base: { ref: before, file: found.baseFile, changed: changedFiles } } : {}),
      }),
    );
    problems.push(...unique, ...found.findings);
    if (unique.length || found.findings.length) continue;
    const digests = await contentDigests(source, facts);
    const model = registry.get(facts.name);
    const withdrawn = withdrawnVersions(model);
    const check = await checkVersion({
      head: facts,
      headDigests: digests,
      base: found.baseline,
      released: released.get(facts.name) ?? new Set(),
      withdrawn,
      releasedContent: (v) =>
        releasedContent(byName, facts, v, found.baseline ? [found.baseline.facts.manifestFile] : []),
    });
    problems.push(...check.findings.filter((f) => f.severity === 'error'));
    if (check.change.status === 'unchanged' || check.findings.length) continue;

    const version = facts.manifest.version;
    // A withdrawn version is never assigned or deployed. With a base, a change to one failed checkVersion
    // above; without one (a first push, a manual run, a re-run after the deregistration) it is a released
    // version, and those are never assigned again, even where this very commit registered it.
    if (withdrawn.has(version)) continue;
    // Registered on another commit: with a base, this merge restores it; without one, nothing says so,
    // and re-assigning every released version on each run is what must never happen.
    // Registered on this very commit: a re-run of this release, which finishes what the last run left.
    const registered = currentRegistration(model, version, (v) => v.commit === after);
    if (registered && !before) continue;
    if (model?.deprecated && !search.force) {
      refused.push({
        model: facts.name,
        version,
        file,
        reason: `${facts.name} is deprecated (tag ${model.deprecated.tag}), so ${version} is not released`,
        fix: 'Release it anyway with --force, or leave the deprecated model unchanged.',
      });
      continue;
    }
    const simpleTag = simpleTagOf(model, version);
    const undeployable = registered
      ? deployRefusal(model!, registered)
      : simpleTag && 'problem' in simpleTag
        ? unusableSimpleTag(facts.name, version, simpleTag.problem)
        : undefined;
    if (undeployable) {
      refused.push({ model: facts.name, version, file, reason: undeployable.reason, fix: undeployable.fix });
      continue;
    }
    const manifestDigest = await source.sha256(file);
    candidates.push({
      facts,
      kind: registered ? 'restore' : 'new',
      commit: registered?.commit ?? after,
      manifestDigest: manifestDigest.ok ? manifestDigest.value.sha256 : '',
      change: check.change,
      findings: compatibility,
      digests,
      metrics: await recordedMetrics(source, facts),
    });
  }
  return { candidates, problems, refused, registry, after, byName };
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
