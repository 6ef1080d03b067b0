import { C as CommandError } from './command-BFTcRIcy.js';
import { c as currentRegistration, d as deployRefusal } from './registration-tags-C5oXtNLZ.js';
import { c as checkPromotion, e as enforcedStages } from './stages-Cl5dJrTL.js';
import { p as planStageAssignment } from './stage-assignment-Lq7YMt24.js';
import { o as openRegistry, m as modelOf, c as createTagOrExplain } from './registry-context-DF8J3qnq.js';
import './state-AWNhEueb.js';
import 'node:child_process';
import 'node:crypto';
import 'node:fs/promises';
import 'node:fs';
import 'node:path';

/** `modelgate promote`: a stage-assignment tag on a released version, in the local clone. */
async function runPromote(args, out) {
    const [name = '', version = '', stage = ''] = args.positionals;
    const context = await openRegistry(args, true, out);
    const model = modelOf(context, name);
    const check = checkPromotion(model, version.replace(/^v/, ''), stage, enforcedStages(context.settings));
    if (!check.ok && !(check.forceable && args.values.force))
        throw new CommandError(check.reason, check.fix);
    const target = currentRegistration(model, version.replace(/^v/, ''));
    // A stage a deployment could not serve (no simple tag on the version's commit) would say one thing and
    // the traffic another: refused as the release and rollback refuse it, with the same fix.
    const undeployable = deployRefusal(model, target);
    if (undeployable)
        throw new CommandError(`cannot promote ${name} ${target.version}: ${undeployable.reason}`, undeployable.fix);
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
    out.stdout(`created ${tag} on ${target.commit.slice(0, 12)} (${name} ${target.version} -> ${stage})\npush it with: git push origin ${tag}\n`);
    return 0;
}

export { runPromote };
