import { CommandError } from '../../core/repository.js';
import { checkPromotion, enforcedStages } from '../../core/registry/stages.js';
import { planStageAssignment } from '../../core/registry/stage-assignment.js';
import { ROOT_OPTION, type CliCommand } from '../command.js';
import { createTagOrExplain, modelOf, openRegistry } from '../registry-context.js';

export const promote: CliCommand = {
  name: 'promote',
  summary: 'assign a released version to a stage (writes a local tag)',
  usage: 'modelgate promote <model> <version> <stage> [--force] [--dry-run] [--root DIR]',
  help: `Creates the annotated tag <model>#<stage>#N on the commit of <model>@v<version>,
N being one more than the model's highest counter (GTO's format). Stages are
ordered (.github/modelgate.yml, default: canary, production): a version enters
a stage only after the one before it, unless --force. Push the tag yourself:
git push origin <tag>.`,
  options: { ...ROOT_OPTION, force: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  positionals: { min: 3, max: 3 },
  async run(args, out) {
    const [name = '', version = '', stage = ''] = args.positionals;
    const context = await openRegistry(args, true, out);
    const model = modelOf(context, name);
    const check = checkPromotion(model, version.replace(/^v/, ''), stage, enforcedStages(context.settings));
    if (!check.ok && !(check.forceable && args.values.force)) throw new CommandError(check.reason, check.fix);
    const target = model.versions.find((v) => v.version === version.replace(/^v/, ''))!;
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
  },
};
