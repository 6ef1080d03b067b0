import { characterCount } from '../../core/release/notes.js';
import { parseDeploymentPayload, type ReleasePlan } from '../../core/release/plan.js';
import { CommandError } from '../../core/repository.js';
import { DEPLOYMENT_DESCRIPTION_MAX } from '../../core/release/deployment-description.js';

/**
 * GitHub refuses a release body longer than this, with 422 "body is too long
 * (maximum is 125000 characters)". GitHub does not document the limit; this is
 * its answer since August 2021 (it was 25,000 before).
 */
export const GITHUB_RELEASE_BODY_MAX = 125_000;

/**
 * Every step of a release plan that GitHub would refuse for its size, or
 * that breaks the Deployment payload contract, in words naming the model,
 * the step, the limit and the fix; empty when the whole plan fits. Checked
 * before the first write, so a plan with one such step writes nothing: a
 * refusal half-way would push the version tag and leave the release unable to
 * finish on any re-run. GitHub documents no limit on a tag's message; its
 * lines are modelgate's own and bounded by the manifest path and the names.
 */
function releasePlanProblems(plan: ReleasePlan): string[] {
  const problems: string[] = [];
  for (const step of plan.steps) {
    if (step.done) continue;
    if (step.kind === 'github-release') {
      const length = characterCount(step.body);
      if (length > GITHUB_RELEASE_BODY_MAX)
        problems.push(
          `${step.model}: the notes of GitHub Release ${step.title} are ${length} characters; GitHub refuses more than ${GITHUB_RELEASE_BODY_MAX} (a bug in modelgate, which caps them: please report it)`,
        );
    }
    if (step.kind === 'deployment') {
      const length = characterCount(step.description);
      if (length > DEPLOYMENT_DESCRIPTION_MAX)
        problems.push(
          `${step.model}: the description of the deployment to ${step.environment} is ${length} characters; GitHub refuses more than ${DEPLOYMENT_DESCRIPTION_MAX} (a shorter model name, stage or version fits)`,
        );
      const payload = parseDeploymentPayload(step.payload);
      if (!payload.ok)
        problems.push(
          `${step.model}: the deployment payload to ${step.environment} breaks its contract (schema/deployment-payload.schema.json): ${payload.problem}`,
        );
    }
  }
  return problems;
}

/** Stops, before anything is written, a plan with a step GitHub would refuse ({@link releasePlanProblems}). */
export function assertPlanFits(plan: ReleasePlan): void {
  const problems = releasePlanProblems(plan);
  if (problems.length)
    throw new CommandError(
      `nothing was released: ${problems.join('; ')}`,
      'Nothing was written to GitHub; fix the plan and push again.',
    );
}
