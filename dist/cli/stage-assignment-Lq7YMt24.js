import { h as assignmentTag, u as unassignmentTag } from './state-AWNhEueb.js';

/** The trailer that ties a tag to the push that made it. */
const triggerLine = (trigger) => `Trigger: ${trigger}`;
/** The trailer that names who asked for a change with a ChatOps command. */
const requestedByLine = (requester) => `Requested-by: ${requester.by}${requester.link ? ` ${requester.link}` : ''}`;
/**
 * Plans the one GTO tag that assigns a version to a stage (`name#stage#N`)
 * or withdraws it (`name#stage!#N`), N being one more than the highest
 * counter on any of the model's tags, as `gto assign` numbers it. Release
 * planning, `modelgate promote`/`deprecate` and the app's `/promote` all
 * write their stage tags through here, so every stage tag has the same
 * message: a title, the reason, then the trailers (`Requested-by:` when a
 * person asked, `Trigger:` last).
 */
function planStageAssignment(request) {
    const number = request.lastNumber + 1;
    const { model, version, stage } = request;
    const tag = request.action === 'assign' ? assignmentTag(model, stage, number) : unassignmentTag(model, stage, number);
    const title = request.action === 'assign'
        ? `Assign ${model} ${version} to ${stage}`
        : `Withdraw ${model} ${version} from ${stage}`;
    const trailers = [
        ...(request.trailers ?? []),
        ...(request.requestedBy ? [requestedByLine(request.requestedBy)] : []),
        ...(request.trigger ? [triggerLine(request.trigger)] : []),
    ];
    const message = [title, request.reason, trailers.join('\n')].filter(Boolean).join('\n\n');
    return { tag, number, commit: request.commit, message };
}

export { planStageAssignment as p, requestedByLine as r, triggerLine as t };
