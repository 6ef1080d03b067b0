import { u as union, n as number, _ as _null, b as _enum, d as looseObject, c as string, a as array, e as boolean } from './yaml-document-D8lQUcRd.js';

// JSON has no NaN or Infinity (it writes null): read null back as NaN, the value the judge had.
const evidence = union([number(), _null()]).transform((v) => v ?? Number.NaN);
const text = (max) => string().max(max);
/** A judgment's verdict, as it is kept in a sealed state. */
const verdictSchema = _enum(['pass', 'fail', 'inconclusive', 'error']);
const median = looseObject({ median: evidence, n: number().int().nonnegative() });
// Loose where the judge may add evidence: a new field travels through instead of failing old states.
const measurement = looseObject({
    metric: text(1024),
    verdict: verdictSchema,
    reason: text(4096),
    critical: boolean(),
    canary: median.optional(),
    baseline: median.optional(),
    threshold: looseObject({ min: evidence.optional(), max: evidence.optional() }).optional(),
    test: looseObject({ u: evidence, p: evidence, effect: evidence, method: _enum(['exact', 'normal']) })
        .optional(),
});
/**
 * The shape of one judged interval (IntervalResult) read back from a sealed
 * state, with at most `maxMeasurements` measurements: every state that keeps
 * intervals (a canary's, a shadow's serving metrics) checks them with this.
 */
function intervalResultSchema(maxMeasurements) {
    return looseObject({
        at: text(64),
        verdict: verdictSchema,
        score: evidence,
        measurements: array(measurement).max(maxMeasurements),
        reason: text(4096).optional(),
    });
}

/** GitHub caps a deployment status's description at 140 characters. */
const DESCRIPTION_LIMIT = 140;
/**
 * Takes a failed candidate out of traffic: when a version served before it,
 * a production deployment of that version at 100 % (`switch-back`), then its
 * own deployment marked failed. The deployer acts on deployments, not on
 * statuses: without the first, a failed canary would keep its share until
 * the next deployment of the model. The switch back comes first: a retry
 * after it failed finds the rollout's deployment still live and plans it
 * again, where a deployment already marked failed reads as gone. A first
 * release has nothing to go back to: it keeps answering, and the report says
 * it failed.
 */
function outOfTraffic(state, why) {
    const failed = {
        kind: 'fail-deployment',
        deploymentId: state.deploymentId,
        description: why.slice(0, DESCRIPTION_LIMIT),
    };
    if (!state.baselineVersion)
        return [failed];
    return [switchBackOf(state, why), failed];
}
/** The switch back of a canary, shadow or A/B rollout to the version it replaced (outOfTraffic). */
function switchBackOf(state, why) {
    const back = `Take ${state.model} ${state.version} out of traffic: ${state.baselineVersion} answers every request again (${why})`;
    return { kind: 'switch-back', description: back.slice(0, DESCRIPTION_LIMIT) };
}

export { intervalResultSchema as i, outOfTraffic as o, verdictSchema as v };
