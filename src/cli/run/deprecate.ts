import { CommandError } from '../../core/repository.js';
import { currentRegistration } from '../../core/registry/registration-tags.js';
import { planStageAssignment } from '../../core/registry/stage-assignment.js';
import {
  deprecationTag,
  deregistrationTag,
  numberedDeregistrationTag,
} from '../../core/registry/tag-names.js';
import type { CommandArgs } from '../command.js';
import type { Output } from '../output.js';
import { createTagOrExplain, modelOf, openRegistry } from '../registry-context.js';

/** `modelgate deprecate`: a deprecation, deregistration or withdrawal tag in the local clone. */
export async function runDeprecate(args: CommandArgs, out: Output): Promise<number> {
  const [name = '', rawVersion, stage] = args.positionals;
  const context = await openRegistry(args, true, out);
  const model = modelOf(context, name);
  const version = rawVersion?.replace(/^v/, '');
  const target = version === undefined ? undefined : currentRegistration(model, version);
  if (version !== undefined && !target) throw new CommandError(`${name} ${version} is not registered`);

  let tag: string;
  let commit: string;
  let message: string;
  if (!target) {
    if (model.deprecated) throw new CommandError(`${name} is already deprecated (${model.deprecated.tag})`);
    const latest = model.versions.at(-1);
    if (!latest) throw new CommandError(`${name} has no registered version to tag`);
    // The simple tag is taken once a model was deprecated and became active again: then GTO's numbered form.
    const simple = deprecationTag(name);
    const taken = model.events.some((e) => e.tag === simple);
    [tag, commit, message] = [
      taken ? deprecationTag(name, model.lastNumber + 1) : simple,
      latest.commit,
      `Deprecate ${name}`,
    ];
  } else if (stage === undefined) {
    if (target.deregistered) throw new CommandError(`${name} ${target.version} is already deregistered`);
    const simple = deregistrationTag(name, target.version);
    const taken = model.events.some((e) => e.tag === simple);
    [tag, commit, message] = [
      taken ? numberedDeregistrationTag(name, target.version, model.lastNumber + 1) : simple,
      target.commit,
      `Deregister ${name} ${target.version}`,
    ];
  } else {
    if (!target.stages.includes(stage))
      throw new CommandError(
        `${name} ${target.version} is not in ${stage} (it is in: ${target.stages.join(', ') || 'no stage'})`,
      );
    const planned = planStageAssignment({
      action: 'unassign',
      model: name,
      version: target.version,
      stage,
      commit: target.commit,
      lastNumber: model.lastNumber,
    });
    [tag, commit, message] = [planned.tag, planned.commit, planned.message];
  }
  if (args.values['dry-run']) {
    out.stdout(`would create ${tag} on ${commit.slice(0, 12)}\n`);
    return 0;
  }
  await createTagOrExplain(context, tag, commit, message);
  out.stdout(`created ${tag} on ${commit.slice(0, 12)}\npush it with: git push origin ${tag}\n`);
  return 0;
}
