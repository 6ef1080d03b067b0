/** Traffic steps when a manifest sets none (DESIGN.md's example). */
const DEFAULT_STEPS = [5, 25, 50, 100];
/**
 * The next move after a step's analysis: keep watching while it runs, roll
 * back when it failed, move to the next traffic weight when it passed, and
 * promote after the last step.
 */
function decideCanary(policy, weight, state) {
    if (state.status === 'failed')
        return { action: 'rollback', reason: state.reason };
    if (state.status === 'running')
        return { action: 'wait', reason: state.reason };
    const steps = policy.steps?.length ? policy.steps : DEFAULT_STEPS;
    const next = steps.find((step) => step > weight);
    if (next === undefined)
        return { action: 'promote', reason: `the last step (${weight}%) passed` };
    return { action: 'advance', weight: next, reason: `the ${weight}% step passed` };
}

export { DEFAULT_STEPS as D, decideCanary as d };
