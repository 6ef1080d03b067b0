import type { ReleasePlan, ReleaseStep } from '../../core/release/plan.js';
import { CommandError } from '../../core/repository.js';
import type { ReleaseApi } from './release-api.js';

/** What applying a plan did, step by step. */
export interface AppliedStep {
  step: ReleaseStep;
  outcome: 'created' | 'existed';
  url?: string;
  deploymentId?: number;
}

/**
 * Carries out a release plan on GitHub, in order. Each step is checked
 * against GitHub right before it is taken, so a re-run after a failure
 * finishes the job and never creates anything twice. A tag that exists on
 * another commit stops the release: that is a conflict, not something to paper over.
 */
export async function applyRelease(
  plan: ReleasePlan,
  api: ReleaseApi,
  log: (line: string) => void,
): Promise<AppliedStep[]> {
  const applied: AppliedStep[] = [];
  for (const step of plan.steps) {
    if (step.done) {
      applied.push({ step, outcome: 'existed' });
      continue;
    }
    switch (step.kind) {
      case 'version-tag':
      case 'stage-tag': {
        const existing = await api.tagCommit(step.tag);
        if (existing === step.commit) {
          applied.push({ step, outcome: 'existed' });
          break;
        }
        if (existing) {
          throw new CommandError(
            `tag ${step.tag} already exists on GitHub at ${existing.slice(0, 12)}, not at ${step.commit.slice(0, 12)}`,
            step.kind === 'stage-tag'
              ? 'Another release ran at the same time or the checkout lacks tags: re-run with fetch-depth: 0.'
              : 'Released versions are immutable: bump the version.',
          );
        }
        await api.createTag(step.tag, step.commit, step.message);
        log(`created tag ${step.tag}`);
        applied.push({ step, outcome: 'created' });
        break;
      }
      case 'github-release': {
        if (await api.releaseExists(step.tag)) {
          applied.push({ step, outcome: 'existed' });
          break;
        }
        const url = await api.createRelease({
          tag: step.tag,
          name: step.title,
          body: step.body,
          prerelease: step.prerelease,
        });
        log(`created release ${step.title}: ${url}`);
        applied.push({ step, outcome: 'created', url });
        break;
      }
      case 'deployment': {
        const { id, url } = await api.createDeployment(step);
        log(`created deployment ${id} of ${step.model} ${step.payload.version} to ${step.environment}`);
        applied.push({ step, outcome: 'created', url, deploymentId: id });
        break;
      }
    }
  }
  return applied;
}
