import type { ReleasePlan, ReleaseStep } from '../../core/release/plan.js';
import { CommandError } from '../../core/repository.js';
import { statusOf } from './octokit.js';
import type { ReleaseApi } from './release-api.js';
import { assertPlanFits } from './release-limits.js';

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
 * A plan with a step GitHub would refuse for its size writes nothing
 * ({@link assertPlanFits}); a GitHub Release that GitHub still refuses
 * stops the release before its stage tag and deployment, so a red run never
 * started a rollout, and says that a re-run cannot get past it.
 */
export async function applyRelease(
  plan: ReleasePlan,
  api: ReleaseApi,
  log: (line: string) => void,
): Promise<AppliedStep[]> {
  assertPlanFits(plan);
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
        const url = await api
          .createRelease({ tag: step.tag, name: step.title, body: step.body, prerelease: step.prerelease })
          .catch((error: unknown) => refusedRelease(error, step.tag));
        if (url === undefined) {
          // Another run created it between the check and the request: it is there, as wanted.
          applied.push({ step, outcome: 'existed' });
          break;
        }
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

/**
 * GitHub's 422 to a new GitHub Release: undefined when the release already
 * exists (another run made it), else a CommandError that says what GitHub
 * refused and that a re-run would be refused the same way. A 422 answers what
 * was sent, so the "re-run resumes" advice of other failures would be untrue.
 */
function refusedRelease(error: unknown, tag: string): undefined {
  if (statusOf(error) !== 422) throw error;
  const errors = (error as { response?: { data?: { errors?: unknown } } }).response?.data?.errors;
  const reasons = Array.isArray(errors)
    ? errors.map((e: { code?: unknown; message?: unknown; field?: unknown }) =>
        e.code === 'already_exists'
          ? 'already_exists'
          : String(e.message ?? `${String(e.field)} ${String(e.code)}`),
      )
    : [];
  if (reasons.length && reasons.every((r) => r === 'already_exists')) return undefined;
  const said = reasons.length ? reasons.join('; ') : String((error as Error).message);
  throw new CommandError(
    `GitHub refused the GitHub Release of ${tag} (422: ${said}); the tag ${tag} exists, its stage tag and deployment were not created`,
    'A re-run sends the same release and is refused the same way: fix what GitHub names, then re-run, and the release resumes at the GitHub Release.',
  );
}
