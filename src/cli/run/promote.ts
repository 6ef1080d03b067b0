import { CommandError } from '../../core/repository.js';
import { currentRegistration, deployRefusal } from '../../core/registry/registration-tags.js';
import { checkPromotion, enforcedStages } from '../../core/registry/stages.js';
import { planStageAssignment } from '../../core/registry/stage-assignment.js';
import type { CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { createTagOrExplain, modelOf, openRegistry } from '../registry-context.js';

/** `modelgate promote`: a stage-assignment tag on a released version, in the local clone. */
export async function runPromote(args: CommandArgs, out: Output): Promise<number> {
  const [name = '', version = '', stage = ''] = args.positionals;
  const context = await openRegistry(args, true, out);
  const model = modelOf(context, name);
  const check = checkPromotion(model, version.replace(/^v/, ''), stage, enforcedStages(context.settings));
  if (!check.ok && !(check.forceable && args.values.force)) throw new CommandError(check.reason, check.fix);
  const target = currentRegistration(model, version.replace(/^v/, ''))!;
  // A stage a deployment could not serve (no simple tag on the version's commit) would say one thing and
  // the traffic another: refused as the release and rollback refuse it, with the same fix.
  const undeployable = deployRefusal(model, target);
  if (undeployable)
    throw new CommandError(
      `cannot promote ${name} ${target.version}: ${undeployable.reason}`,
      undeployable.fix,
    );
  const { tag, message } = planStageAssignment({
    action: 'assign',
    model: name,
    version: target.version,
    stage,
    commit: target.commit,
    lastNumber: model.lastNumber,
  });
  if (args.values['dry-run']) {
    out.stdout(`would create ${tag} on ${target.commit.slice(0, 12)} (${name} ${target.version})\n`);
    return 0;
  }
  await createTagOrExplain(context, tag, target.commit, message);
  out.stdout(
    `created ${tag} on ${target.commit.slice(0, 12)} (${name} ${target.version} -> ${stage})\npush it with: git push origin ${tag}\n`,
  );
  return 0;
}
