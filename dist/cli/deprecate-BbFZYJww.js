import { C as CommandError } from './command-BFTcRIcy.js';
import { c as currentRegistration } from './registration-tags-C5oXtNLZ.js';
import { p as planStageAssignment } from './stage-assignment-Lq7YMt24.js';
import { e as deprecationTag, f as deregistrationTag, n as numberedDeregistrationTag } from './state-AWNhEueb.js';
import { o as openRegistry, m as modelOf, c as createTagOrExplain } from './registry-context-DF8J3qnq.js';
import 'node:child_process';
import 'node:crypto';
import 'node:fs/promises';
import 'node:fs';
import 'node:path';

/** `modelgate deprecate`: a deprecation, deregistration or withdrawal tag in the local clone. */
async function runDeprecate(args, out) {
    const [name = '', rawVersion, stage] = args.positionals;
    const context = await openRegistry(args, true, out);
    const model = modelOf(context, name);
    const version = rawVersion?.replace(/^v/, '');
    const target = version === undefined ? undefined : currentRegistration(model, version);
    if (version !== undefined && !target)
        throw new CommandError(`${name} ${version} is not registered`);
    let tag;
    let commit;
    let message;
    if (!target) {
        if (model.deprecated)
            throw new CommandError(`${name} is already deprecated (${model.deprecated.tag})`);
        const latest = model.versions.at(-1);
        if (!latest)
            throw new CommandError(`${name} has no registered version to tag`);
        // The simple tag is taken once a model was deprecated and became active again: then GTO's numbered form.
        const simple = deprecationTag(name);
        const taken = model.events.some((e) => e.tag === simple);
        [tag, commit, message] = [
            taken ? deprecationTag(name, model.lastNumber + 1) : simple,
            latest.commit,
            `Deprecate ${name}`,
        ];
    }
    else if (stage === undefined) {
        if (target.deregistered)
            throw new CommandError(`${name} ${target.version} is already deregistered`);
        const simple = deregistrationTag(name, target.version);
        const taken = model.events.some((e) => e.tag === simple);
        [tag, commit, message] = [
            taken ? numberedDeregistrationTag(name, target.version, model.lastNumber + 1) : simple,
            target.commit,
            `Deregister ${name} ${target.version}`,
        ];
    }
    else {
        if (!target.stages.includes(stage))
            throw new CommandError(`${name} ${target.version} is not in ${stage} (it is in: ${target.stages.join(', ') || 'no stage'})`);
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

export { runDeprecate };
