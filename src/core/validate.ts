import { posix } from 'node:path';
import { countBySeverity, sortFindings, type Finding } from './findings.js';
import type { ModelFacts } from './model/facts.js';
import { decodeUtf8 } from './bytes.js';
import { loadModel } from './model/load-model.js';
import { kubernetesNameFindings, sharedRouteFindings } from './deploy/shared-routes.js';
import type { DeploySettings } from './deploy/targets.js';
import { MANIFEST_MAX_BYTES, parseManifest } from './manifest/parse.js';
import { referencedPaths } from './manifest/references.js';
import { readRegistry, type ModelRegistry, type TagRecord } from './registry/state.js';
import { currentRegistration, deployRefusal, withdrawnVersions } from './registry/registration-tags.js';
import { CommandError, type Repository } from './repository.js';
import type { ArtifactSource } from './source.js';
import { checkCompatibility } from './rules/index.js';
import { contentDigests } from './semver/content.js';
import { checkVersion, type ModelChange } from './semver/version-check.js';
import { releasedVersions } from './registry/tag-names.js';
import { ModelManifests } from './semver/model-manifests.js';
import { checkUniqueName } from './semver/unique-name.js';
import { findBaseline, releasedContent } from './semver/version-baseline.js';
import { bumpRank, type Bump } from './semver/bump.js';
import { checkTokenizerBehaviour, type TokenizerBehaviourMode } from './tokenizer/check-behaviour.js';
import { rememberBehaviour, type BehaviourCache, type TokenizerRunner } from './tokenizer/behaviour.js';

export interface ValidateOptions {
  /** Manifest globs (from .github/modelgate.yml). */
  manifests: readonly string[];
  /**
   * With a base: the manifest globs of the settings at the base. Every manifest
   * either set of globs finds is checked (a union of files, since globs may
   * hold negations), so a change's own globs can add models, never hide one;
   * a manifest the base's globs did not find at the base is new to the
   * registry and validated even when its files did not change.
   */
  baseManifests?: readonly string[];
  /** Findings about the settings themselves (src/io/judging-settings.ts), reported with the rest. */
  settingsFindings?: readonly Finding[];
  /**
   * The `deploy:` settings the registry deploys with once the change is
   * merged (the working tree's), and their file: with several manifests,
   * each setting that names one thing per model must have {model} (rule
   * DEPLOY-ROUTE, src/core/deploy/shared-routes.ts).
   */
  deploy?: { settings: DeploySettings; file: string };
  /** Compare with this git ref: only changed models (and those new to the registry) are validated, and version bumps are checked. */
  base?: string;
  /**
   * A registry with no manifest at all passes only when this is set: without
   * it, nothing matched is a CommandError (exit 2), since a wrong root or glob
   * must not look like a clean check.
   */
  allowEmpty?: boolean;
  /** The registry folder as the user named it, for messages. */
  root?: string;
  progress?: (message: string) => void;
  /**
   * When tokenizers are encoded (built in full, about a second each):
   * 'changed' (default) for a tokenizer or template that a base comparison
   * finds changed or new, and for models that declare tokenizer_corpus;
   * 'always' for every validated model.
   */
  tokenizerBehaviour?: TokenizerBehaviourMode;
  /** Keeps measured tokenizer behaviour between runs (src/io/tokenizer-cache.ts); optional. */
  behaviourCache?: BehaviourCache;
  /**
   * Where tokenizers run when behaviour is measured: bounded in time and memory
   * (src/io/tokenizer-sandbox.ts), since a tokenizer.json can be made to run for ever.
   */
  tokenizerRunner: TokenizerRunner;
}

/** The outcome of `modelgate validate`: the JSON contract of DESIGN.md section 3. */
export interface ValidationReport {
  models: { name: string; version: string; path: string }[];
  findings: Finding[];
  changes: ModelChange[];
  summary: {
    errors: number;
    warnings: number;
    info: number;
    /** Manifests found, and how many of them were validated (fewer with a base). */
    manifests: number;
    validated: number;
    /** The largest bump any change requires. */
    requiredBump: Bump;
    base?: string;
  };
}

/** Validates the registry: every model, or with a base only those the change touches. */
export async function validate(repo: Repository, options: ValidateOptions): Promise<ValidationReport> {
  return (await validateModels(repo, options)).report;
}

/** validate(), with the parsed facts of every model it validated (for the gates that follow). */
export async function validateModels(
  repo: Repository,
  options: ValidateOptions,
): Promise<{
  report: ValidationReport;
  facts: ModelFacts[];
  base?: string;
  tags?: TagRecord[];
  /** The lookup by name validate used, with the trees it read: check finds baselines with it. */
  byName: ModelManifests;
}> {
  const found = await repo.findManifests(options.manifests);
  const manifests = options.baseManifests
    ? [...new Set([...found, ...(await repo.findManifests(options.baseManifests))])].sort()
    : found;
  const base = options.base === undefined ? undefined : await repo.mergeBase(options.base);
  if (!manifests.length && !options.allowEmpty) throw noManifests(options);
  const baseManifests = base
    ? new Set(await repo.findManifestsAt(base, options.baseManifests ?? options.manifests))
    : new Set<string>();
  const changedFiles = base ? new Set(await repo.changedSince(base)) : undefined;
  const changed = changedFiles
    ? new Set(await selectChanged(repo.worktree, manifests, [...changedFiles]))
    : undefined;
  // With a base: what the change touches, and what it brings into the registry (a glob of its own may find
  // a manifest that was there, unchecked, all along).
  const selected = changed ? manifests.filter((m) => changed.has(m) || !baseManifests.has(m)) : manifests;
  const tags = base ? await repo.readTags() : undefined;
  const released = tags ? releasedVersions(tags.map((t) => t.name)) : new Map<string, Set<string>>();
  const registry = tags ? readRegistry(tags) : undefined;
  // Models are looked up by name, at the base and at their tags: a moved manifest keeps its history.
  const byName = new ModelManifests(repo, {
    globs: options.baseManifests ?? options.manifests,
    tags,
    worktree: manifests,
  });

  const findings: Finding[] = [
    ...(options.settingsFindings ?? []),
    ...(options.deploy ? sharedRouteFindings(options.deploy.settings, manifests, options.deploy.file) : []),
  ];
  const models: ValidationReport['models'] = [];
  const changes: ModelChange[] = [];
  const validated: ModelFacts[] = [];
  const behaviourCache = rememberBehaviour(options.behaviourCache);
  for (const [index, file] of selected.entries()) {
    options.progress?.(`[${index + 1}/${selected.length}] ${file}`);
    const loaded = await loadModel(repo.worktree, file, { progress: options.progress });
    findings.push(...loaded.findings);
    const facts = loaded.facts;
    if (!facts) continue;
    byName.remember(file, facts.name);
    models.push({ name: facts.name, version: facts.manifest.version, path: file });
    validated.push(facts);
    findings.push(...checkCompatibility(facts));
    const tokenizerCheck = {
      mode: options.tokenizerBehaviour ?? 'changed',
      cache: behaviourCache,
      runner: options.tokenizerRunner,
      progress: options.progress,
    } as const;
    if (!base) {
      findings.push(
        ...(await checkTokenizerBehaviour({ ...tokenizerCheck, head: { facts, source: repo.worktree } }))
          .findings,
      );
      continue;
    }
    const found = await findBaseline(byName, {
      head: facts,
      base,
      released: released.get(facts.name) ?? new Set(),
    });
    findings.push(...found.findings);
    const sameName = await byName.sameName({
      facts,
      checked: selected,
      base: { ref: base, file: found.baseFile, changed: changedFiles! },
    });
    findings.push(...checkUniqueName(facts, sameName));
    const baseVersion = found.baseline;
    const headDigests = await contentDigests(repo.worktree, facts);
    const behaviour = await checkTokenizerBehaviour({
      ...tokenizerCheck,
      head: { facts, source: repo.worktree, digests: headDigests },
      base: baseVersion ?? 'new',
    });
    findings.push(...behaviour.findings);
    const version = await checkVersion({
      head: facts,
      headDigests,
      base: baseVersion,
      behaviour: behaviour.comparison,
      released: released.get(facts.name) ?? new Set(),
      withdrawn: withdrawnVersions(registry?.get(facts.name)),
      releasedContent: (v) =>
        releasedContent(byName, facts, v, baseVersion ? [baseVersion.facts.manifestFile] : []),
    });
    findings.push(...version.findings);
    if (version.change.status === 'restored')
      findings.push(...refusedRestore(facts, registry?.get(facts.name)));
    if (version.change.status !== 'unchanged') changes.push(version.change);
  }
  // Without a base every manifest is checked: one name must not be declared twice. After the loop, when
  // every manifest validate loaded is known by name, the tree is read only for those it could not load.
  if (!base)
    for (const facts of validated)
      findings.push(...checkUniqueName(facts, await byName.sameName({ facts, checked: selected })));
  // Models whose names deploy as one Kubernetes object: those validated, and the released ones.
  if (options.deploy) {
    const names = [...models.map((m) => m.name), ...(registry?.keys() ?? [])];
    findings.push(...kubernetesNameFindings(options.deploy.settings, names, options.deploy.file));
  }

  const counts = countBySeverity(findings);
  const report: ValidationReport = {
    models,
    findings: sortFindings(findings),
    changes,
    summary: {
      errors: counts.error,
      warnings: counts.warning,
      info: counts.info,
      manifests: manifests.length,
      validated: selected.length,
      requiredBump: changes.reduce<Bump>(
        (max, c) => (bumpRank(c.required) > bumpRank(max) ? c.required : max),
        'none',
      ),
      ...(base ? { base } : {}),
    },
  };
  return { report, facts: validated, ...(base ? { base } : {}), ...(tags ? { tags } : {}), byName };
}

/** No evidence, no pass: the message names where modelgate looked and how to look elsewhere. */
function noManifests(options: ValidateOptions): CommandError {
  const globs = [...new Set([...options.manifests, ...(options.baseManifests ?? [])])]
    .map((g) => `"${g}"`)
    .join(', ');
  return new CommandError(
    `no manifest matched ${globs} under ${options.root ?? 'the registry root'}: nothing was checked`,
    'Point --root (Action input root) at the registry, set manifests in .github/modelgate.yml, or pass --allow-empty (Action input allow-empty: true) while the registry has no model yet.',
  );
}

/**
 * The manifests a change touches: the manifest itself, a file in its folder,
 * or (read only when some changed file lies outside every manifest folder) a
 * file it references from elsewhere.
 */
export async function selectChanged(
  source: ArtifactSource,
  manifests: readonly string[],
  changed: readonly string[],
): Promise<string[]> {
  if (!changed.length) return [];
  const dirs = new Map(manifests.map((m) => [m, posix.dirname(m)]));
  const inside = (file: string, dir: string) => dir === '.' || file.startsWith(`${dir}/`);
  const selected = new Set(manifests.filter((m) => changed.some((f) => f === m || inside(f, dirs.get(m)!))));
  const unclaimed = changed.filter((f) => ![...selected].some((m) => inside(f, dirs.get(m)!)));
  if (unclaimed.length) {
    const wanted = new Set(unclaimed);
    for (const manifest of manifests) {
      if (selected.has(manifest)) continue;
      const read = await source.read(manifest, MANIFEST_MAX_BYTES);
      const parsed = read.ok ? parseManifest(decodeUtf8(read.value), manifest) : undefined;
      if (parsed?.manifest && referencedPaths(parsed.manifest, manifest).some((f) => wanted.has(f)))
        selected.add(manifest);
    }
  }
  return manifests.filter((m) => selected.has(m));
}

/**
 * A rollback the release of its merge would refuse: the restored version's
 * registration has no simple tag a deployment could name (see
 * undeployableRegistration). Failed here, before the merge, with the fix.
 */
function refusedRestore(facts: ModelFacts, model: ModelRegistry | undefined): Finding[] {
  const version = facts.manifest.version;
  const registration = model && currentRegistration(model, version);
  const refusal = registration && deployRefusal(model, registration);
  if (!refusal) return [];
  return [
    {
      rule: 'SEMVER-BUMP',
      severity: 'error',
      model: facts.name,
      file: facts.manifestFile,
      line: facts.lineOf(['version']),
      message: `${facts.name} restores ${version}, which no deployment could name: ${refusal.reason}`,
      fix: refusal.fix,
    },
  ];
}
