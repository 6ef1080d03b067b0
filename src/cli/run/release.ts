import { inertJson } from '../../core/report/escape.js';
import { planRelease, type ReleasePlan } from '../../core/release/plan.js';
import { findReleaseCandidates } from '../../core/release/candidates.js';
import { planText } from '../../core/report/registry.js';
import { toText } from '../../core/report/text.js';
import { formatOf, stringOf, type CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { createTagOrExplain, openRegistry, warnIgnoredTags } from '../registry-context.js';

/** `modelgate release`: tags the versions a merge introduces, in the local clone. */
export async function runRelease(args: CommandArgs, out: Output): Promise<number> {
  const format = formatOf(args, ['text', 'json'] as const);
  const context = await openRegistry(args, false);
  const found = await findReleaseCandidates(context.repo, {
    manifests: context.settings.manifests,
    before: stringOf(args, 'base'),
    after: stringOf(args, 'head') ?? 'HEAD',
    progress: out.progress,
    force: args.values.force === true,
  });
  warnIgnoredTags(found.registry, out);
  if (found.problems.length || found.refused.length) {
    const report = {
      models: [],
      findings: found.problems,
      changes: [],
      summary: {
        errors: found.problems.length,
        warnings: 0,
        info: 0,
        manifests: 0,
        validated: 0,
        requiredBump: 'none' as const,
      },
    };
    const refused = found.refused.map(
      (r) => `  refused ${r.model} ${r.version} (${r.file}): ${r.reason}\n    fix: ${r.fix}\n`,
    );
    out.stderr(
      `modelgate: nothing was released; fix these first:\n${found.problems.length ? toText(report) : ''}${refused.join('')}`,
    );
    return 1;
  }
  const plan = planRelease(
    found.candidates,
    {
      trigger: found.after,
      stages: context.settings.stages,
      environments: context.settings.environments,
      sharedRepository:
        (await context.repo.findManifestsAt(found.after, context.settings.manifests)).length > 1,
    },
    { registry: found.registry, releases: new Set(), deployments: [] },
  );
  const dryRun = args.values['dry-run'] === true;
  if (!dryRun)
    await applyLocally(plan, (tag, commit, message) => createTagOrExplain(context, tag, commit, message));
  out.stdout(
    format === 'json'
      ? `${inertJson({ dryRun, steps: plan.steps })}\n`
      : planText(plan, dryRun ? 'dry-run' : 'local'),
  );
  return 0;
}

/** Creates the tags of a plan that do not exist yet; GitHub steps are left to the Action. */
async function applyLocally(
  plan: ReleasePlan,
  createTag: (tag: string, commit: string, message: string) => Promise<void>,
): Promise<void> {
  for (const step of plan.steps) {
    if (step.done || (step.kind !== 'version-tag' && step.kind !== 'stage-tag')) continue;
    await createTag(step.tag, step.commit, step.message);
  }
}
