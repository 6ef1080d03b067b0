import { O as GTO_NAME_PATTERN } from './state-AWNhEueb.js';
import { c as currentRegistration, w as wasAssigned } from './registration-tags-C5oXtNLZ.js';

/** The stages a version moves through, in order (from .github/modelgate.yml). */
const DEFAULT_STAGES = ['canary', 'production'];
/**
 * With configured stages, a version may enter a stage only after it was
 * assigned to the stage before it (canary before production); the first
 * stage is open to any registered, not deregistered version. A version is
 * its current registration (`currentRegistration`: a version registered again
 * on other content is that content), and it was in the stage before only if
 * that registration's commit was. With no stages configured (`stages`
 * undefined), any stage GTO can name is accepted, as `gto assign` accepts it.
 */
function checkPromotion(model, version, stage, stages) {
    const index = stages ? stages.indexOf(stage) : 0;
    const unreadable = GTO_NAME_PATTERN.test(stage) && !stage.includes('//')
        ? undefined
        : "letters, digits, -, _ and /, starting and ending with a letter or digit (GTO's rule)";
    if (unreadable) {
        // A tag the registry could not read back would assign nothing, and be written again on every run.
        return {
            ok: false,
            reason: `"${stage}" cannot be a stage: ${unreadable}`,
            fix: 'Rename the stage in .github/modelgate.yml (stages).',
            forceable: false,
        };
    }
    if (stages && index < 0) {
        return {
            ok: false,
            reason: `"${stage}" is not a stage of this registry (stages: ${stages.join(', ')})`,
            fix: 'Use a configured stage, or add it to stages in .github/modelgate.yml.',
            forceable: false,
        };
    }
    const state = currentRegistration(model, version);
    if (!state) {
        const known = [...new Set(model.versions.map((v) => v.version))].join(', ') || 'none';
        return {
            ok: false,
            reason: `${model.name} ${version} is not registered (registered: ${known})`,
            fix: `Release it first (tag ${model.name}@v${version}).`,
            forceable: false,
        };
    }
    if (state.deregistered)
        return {
            ok: false,
            reason: `${model.name} ${version} is deregistered`,
            fix: 'Promote another version.',
            forceable: false,
        };
    if (model.stages.find((s) => s.stage === stage)?.version === version) {
        return {
            ok: false,
            reason: `${model.name} ${version} is already in ${stage}`,
            fix: 'Nothing to do.',
            forceable: false,
        };
    }
    const previous = stages?.[index - 1];
    if (previous && !wasAssigned(model, state, previous)) {
        return {
            ok: false,
            reason: `${model.name} ${version} was never in ${previous}, which comes before ${stage}`,
            fix: `Promote it to ${previous} first, or pass --force.`,
            forceable: true,
        };
    }
    return { ok: true };
}
/**
 * The stage order promotions must follow: the stages `.github/modelgate.yml`
 * configures, or undefined when it configures none (then, as in GTO, any
 * stage is accepted). Settings that do not say whether their stages were
 * configured keep their stages enforced.
 */
function enforcedStages(settings) {
    return 'configuredStages' in settings ? settings.configuredStages : settings.stages;
}

export { DEFAULT_STAGES as D, checkPromotion as c, enforcedStages as e };
