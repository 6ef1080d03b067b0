import type { Finding } from '../findings.js';
import type { ModelFacts } from '../model/facts.js';
import { releaseTag } from '../registry/tag-names.js';
import { bumpCovers, declaredBump, type Bump } from './bump.js';
import { changedPaths } from './content.js';
import type { BehaviourComparison } from './behaviour-change.js';
import { requiredBump, type BumpReason, type ContentDigests } from './required-bump.js';

/** How one model moved between the base and the change. */
export interface ModelChange {
  model: string;
  path: string;
  status: 'new' | 'changed' | 'unchanged' | 'restored';
  from?: string;
  to: string;
  declared: Bump | 'backwards';
  required: Bump;
  reasons: BumpReason[];
}

export interface VersionInputs {
  head: ModelFacts;
  headDigests: ContentDigests;
  base?: { facts: ModelFacts; digests: ContentDigests };
  /** Versions of this model that have a release tag. */
  released: ReadonlySet<string>;
  /** Released versions GTO holds withdrawn (deregistered): content that restores one restores no release. */
  withdrawn?: ReadonlySet<string>;
  /** The model as released under `version` (a version in `released`), found by name at its tag. */
  releasedContent(version: string): Promise<ReleasedContent>;
  /** Both tokenizers measured on the same corpus, when the change touched the tokenizer or template. */
  behaviour?: BehaviourComparison;
}

/** A release's content digests, or why they cannot be read (which is never taken as "the same"), and its registration tag. */
export type ReleasedContent = ({ digests: ContentDigests } | { problem: string }) & { tag: string };

/** SEMVER-BUMP and VERSION-EXISTS for one model, with the change summary the reports show. */
export async function checkVersion(
  inputs: VersionInputs,
): Promise<{ change: ModelChange; findings: Finding[] }> {
  const { head, headDigests, base, released } = inputs;
  const to = head.manifest.version;
  const at = (message: string, fix: string, rule: Finding['rule'] = 'SEMVER-BUMP'): Finding => ({
    rule,
    severity: 'error',
    model: head.name,
    file: head.manifestFile,
    line: head.lineOf(['version']),
    message,
    fix,
  });
  const findings: Finding[] = [];

  let restoresRelease = false;
  if (released.has(to)) {
    const tagged = await inputs.releasedContent(to);
    const { tag } = tagged;
    if ('problem' in tagged) {
      // Nothing to compare with is not "no difference": the version is taken, and may be taken by other content.
      findings.push(
        at(
          `${head.name} ${to} is already released (tag ${tag}), and this change cannot be compared with that release: ${tagged.problem}`,
          `Bump the version (released versions are immutable), or make the manifest at ${tag} readable under the manifest globs.`,
          'VERSION-EXISTS',
        ),
      );
    } else {
      const differs = changedPaths(tagged.digests, headDigests);
      if (differs.length)
        findings.push(
          at(
            `${head.name} ${to} is already released (tag ${tag}) with different content: ${differs.slice(0, 5).join(', ')}${differs.length > 5 ? ', …' : ''}`,
            'Bump the version; released versions are immutable.',
            'VERSION-EXISTS',
          ),
        );
      else restoresRelease = true;
    }
  }
  // Moving to a withdrawn version's content is no rollback: the release would assign, and deploy, what GTO
  // holds deregistered (rollback, promote and deploy refuse it). A model left at it changes nothing.
  const restoresWithdrawn =
    restoresRelease && base !== undefined && base.facts.manifest.version !== to && inputs.withdrawn?.has(to);
  if (restoresWithdrawn) restoresRelease = false;

  if (!base) {
    return {
      change: {
        model: head.name,
        path: head.manifestFile,
        status: 'new',
        to,
        declared: 'major',
        required: 'none',
        reasons: [],
      },
      findings,
    };
  }
  const from = base.facts.manifest.version;
  const required = requiredBump(
    base.facts,
    head,
    { base: base.digests, head: headDigests },
    inputs.behaviour,
  );
  const declared = declaredBump(from, to);
  const change: ModelChange = {
    model: head.name,
    path: head.manifestFile,
    status: 'changed',
    from,
    to,
    declared,
    required: required.bump,
    reasons: required.reasons,
  };
  if (restoresWithdrawn)
    findings.push(
      at(
        `${head.name} ${from} -> ${to}: ${to} is a release GTO holds deregistered, so its content is no rollback and nothing may assign or deploy it`,
        `Release this content as a new version (${suggest(from, required.bump === 'none' ? 'patch' : required.bump)} or later, above every release), or register ${to} again first (gto register) if deregistering it was a mistake.`,
      ),
    );

  if (declared === 'backwards') {
    if (restoresRelease) return { change: { ...change, status: 'restored' }, findings };
    if (restoresWithdrawn) return { change, findings };
    findings.push(
      at(
        `${head.name} went back from ${from} to ${to}${released.has(to) ? ', and the content differs from that release' : `, which was never released (no tag ${releaseTag(head.name, to)})`}`,
        'Versions only go up; to roll back, restore the released version exactly (modelgate rollback --plan shows how).',
      ),
    );
    return { change, findings };
  }
  if (declared === 'none' && required.bump === 'none')
    return { change: { ...change, status: 'unchanged' }, findings };
  if (!bumpCovers(declared, required.bump, from)) {
    const list = required.reasons
      .filter((r) => r.bump === required.bump)
      .map((r) => `${r.file}: ${r.reason}`)
      .slice(0, 5)
      .join('; ');
    findings.push(
      at(
        declared === 'none'
          ? `${head.name} changed but its version is still ${to}; the change needs a ${required.bump} bump: ${list}`
          : `${head.name} ${from} -> ${to} is a ${declared} bump, but the change needs ${required.bump}: ${list}`,
        `Set version to ${suggest(from, required.bump)} or later.`,
      ),
    );
  }
  return { change, findings };
}

function suggest(from: string, bump: Bump): string {
  const [major = 0, minor = 0, patch = 0] = from.split(/[.+-]/).map(Number);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}
