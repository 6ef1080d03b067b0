import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import { resolveArtifactPath } from '../repo-path.js';
import type { ArtifactSource } from '../source.js';
import type { EvalSuite } from './suite-outcome.js';

/**
 * Which definition of each `eval.suites` entry runs, and where its files are read. The candidate's
 * own files never decide how it is judged: a suite the baseline declares runs on the baseline's
 * dataset and scorer, read at the baseline's commit, so a pull request cannot make its own test
 * easier. A suite new in this version can only run on the change's own dataset; the plan says so.
 */

/** One suite as it will run. */
export interface PlannedSuite {
  /** The definition that runs: the baseline's for a suite it declares, else this version's. */
  suite: EvalSuite;
  /** Its position in this version's `eval.suites`: findings point at its line. */
  index: number;
  /** Where its dataset and schema are read: the baseline's commit, or the working tree. */
  files: ArtifactSource;
  /**
   * The manifest its paths are relative to: the baseline's own (wherever that version kept it) for a
   * suite the baseline declares, else this version's.
   */
  manifestFile: string;
  /** The baseline the definition and files come from ("production 1.2.0 (gpt2#production#2)"). */
  from?: string;
}

/** The suites of one model as they will run, and what the report should say about them. */
export interface SuitePlan {
  suites: PlannedSuite[];
  findings: Finding[];
}

/** The baseline's manifest as far as suites go: its `eval.suites`, its path, and its files at its commit. */
export interface BaselineSuites {
  label: string;
  source: ArtifactSource;
  /** Where the baseline's manifest is at its commit: its suites' paths are relative to it, not to a moved copy. */
  manifestFile: string;
  suites: readonly EvalSuite[];
}

/** Fields of a suite definition besides its dataset that change what is measured. */
const DEFINITION = ['scorer', 'max_tokens', 'temperature'] as const;

/**
 * Plans a model's suites against its baseline (the production release, else the base ref). With
 * no baseline manifest (a first release, or only `--baseline-results`), every suite runs as this
 * version declares it, as nothing trusted declares any. `base`: with production as the baseline,
 * the base ref's suites, trusted for a suite production does not declare.
 */
export async function planSuites(
  facts: ModelFacts,
  worktree: ArtifactSource,
  production: BaselineSuites | undefined,
  base?: BaselineSuites,
): Promise<SuitePlan> {
  const plan: SuitePlan = { suites: [], findings: [] };
  for (const [index, own] of (facts.manifest.eval?.suites ?? []).entries()) {
    const declaring = [production, base].find((side) => side?.suites.some((s) => s.name === own.name));
    const baseline = declaring ?? production;
    const trusted = baseline?.suites.find((s) => s.name === own.name);
    const mine = { suite: own, index, files: worktree, manifestFile: facts.manifestFile };
    if (!baseline) {
      plan.suites.push(mine);
      continue;
    }
    if (!trusted) {
      plan.suites.push(mine);
      plan.findings.push(newSuite(facts, index, own, baseline.label));
      continue;
    }
    plan.suites.push({
      suite: trusted,
      index,
      files: baseline.source,
      manifestFile: baseline.manifestFile,
      from: baseline.label,
    });
    const changed = await changes(facts, own, trusted, worktree, baseline);
    if (changed.length) plan.findings.push(changedSuite(facts, index, own, baseline.label, changed));
  }
  return plan;
}

/** What this version changed in a suite the baseline declares: definition fields, and the dataset's bytes. */
async function changes(
  facts: ModelFacts,
  own: EvalSuite,
  trusted: EvalSuite,
  worktree: ArtifactSource,
  baseline: BaselineSuites,
): Promise<string[]> {
  const changed = DEFINITION.filter((key) => JSON.stringify(own[key]) !== JSON.stringify(trusted[key])).map(
    (key) => `its ${key}`,
  );
  if (own.dataset !== trusted.dataset) changed.unshift(`its dataset (${trusted.dataset} → ${own.dataset})`);
  else {
    const [here, there] = await Promise.all([
      digest(worktree, facts.manifestFile, own.dataset),
      digest(baseline.source, baseline.manifestFile, trusted.dataset),
    ]);
    if (here.sha256 !== there.sha256 || here.problem)
      changed.unshift(
        `the contents of ${here.path ?? own.dataset} (${here.sha256 ? `sha256 ${here.sha256.slice(0, 12)}…` : here.problem} here, ${there.sha256 ? `sha256 ${there.sha256.slice(0, 12)}…` : there.problem} at the baseline)`,
      );
  }
  return changed;
}

/** A dataset's repository path and sha256, or why it has none. */
async function digest(
  source: ArtifactSource,
  manifestFile: string,
  ref: string,
): Promise<{ path?: string; sha256?: string; problem?: string }> {
  const resolved = resolveArtifactPath(manifestFile, ref);
  if (!resolved.ok) return { problem: resolved.reason };
  const hashed = await source.sha256(resolved.path);
  return hashed.ok
    ? { path: resolved.path, sha256: hashed.value.sha256 }
    : { path: resolved.path, problem: `unreadable: ${hashed.problem.detail}` };
}

function newSuite(facts: ModelFacts, index: number, suite: EvalSuite, baseline: string): Finding {
  return {
    rule: 'EVAL-GATE',
    severity: 'warning',
    model: facts.name,
    file: facts.manifestFile,
    line: facts.lineOf(['eval', 'suites', index, 'dataset']),
    message: `suite ${suite.name} is new in this version (${baseline} does not declare it): it runs on ${suite.dataset} as this change wrote it, so its gates judge this version on a test of its own making; a drop gate on it compares only with a run of the same dataset`,
    fix: 'Review the dataset and scorer in this pull request as part of the change. Once this version is released, they are what later versions are judged on.',
  };
}

function changedSuite(
  facts: ModelFacts,
  index: number,
  suite: EvalSuite,
  baseline: string,
  changed: readonly string[],
): Finding {
  return {
    rule: 'EVAL-GATE',
    severity: 'info',
    model: facts.name,
    file: facts.manifestFile,
    line: facts.lineOf(['eval', 'suites', index]),
    message: `suite ${suite.name} is measured as ${baseline} declares it: this change edits ${changed.join(', ')}, which the gates do not use before this version is released`,
    fix: "A change is judged on the baseline's test, not on one it edits. To measure the new dataset now, declare it as a new suite (its gates judge thresholds); the edit becomes the baseline once released.",
  };
}
