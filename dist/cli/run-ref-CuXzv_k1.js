/** MLflow run ids are uuid4 hex; W&B run ids are short base-36. Neither needs more than this. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** W&B entity and project names. */
const WANDB_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** A host, an optional port and an optional path: no credentials (`user@`), no query, no spaces. */
const SERVER = /^[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~%/-]*)?$/;
/** The forms `training.run` accepts, for messages. */
const RUN_REF_FORMS = 'mlflow://<tracking-server>/#/experiments/<experiment>/runs/<run-id>, runs:/<run-id> (the server from MLFLOW_TRACKING_URI) or wandb://<entity>/<project>/runs/<run-id>';
/**
 * Parses a run reference. Undefined: the text does not claim to be one
 * (free text from before run references existed); a string: it claims a
 * tracker's scheme but is malformed, and says why.
 */
function parseRunRef(text) {
    if (text.startsWith('runs:/'))
        return mlflowRunId(text, text.slice('runs:/'.length).split('/')[0] ?? '');
    if (text.startsWith('mlflow://')) {
        const rest = text.slice('mlflow://'.length);
        // The short form `mlflow://runs/<id>` (earlier manifests) names a run on the environment's server.
        if (rest.startsWith('runs/'))
            return mlflowRunId(text, rest.slice('runs/'.length));
        const hash = rest.indexOf('/#/');
        if (hash < 0)
            return `"${text}" is not a run reference: expected ${RUN_REF_FORMS}`;
        const server = rest.slice(0, hash).replace(/\/+$/, '');
        const route = /^experiments\/([0-9A-Za-z_-]{1,64})\/runs\/([^/?#]+)\/?$/.exec(rest.slice(hash + 3));
        if (!SERVER.test(server))
            return `"${text}": "${server}" is not a tracking server (host[:port][/path])`;
        if (!route)
            return `"${text}" is not a run reference: expected ${RUN_REF_FORMS}`;
        const parsed = mlflowRunId(text, route[2]);
        return typeof parsed === 'string' ? parsed : { ...parsed, server, experimentId: route[1] };
    }
    if (text.startsWith('wandb://')) {
        const parts = text.slice('wandb://'.length).replace(/\/+$/, '').split('/');
        const [entity, project, runs, runId] = parts;
        if (parts.length !== 4 || runs !== 'runs' || !entity || !project || !runId)
            return `"${text}" is not a run reference: expected ${RUN_REF_FORMS}`;
        if (!WANDB_NAME.test(entity) || !WANDB_NAME.test(project))
            return `"${text}": entity and project are letters, digits, ".", "-" and "_"`;
        if (!RUN_ID.test(runId))
            return `"${text}": "${runId}" is not a run id (letters, digits, "-" and "_")`;
        return { tracker: 'wandb', entity, project, runId, text };
    }
    return undefined;
}
function mlflowRunId(text, runId) {
    if (!RUN_ID.test(runId))
        return `"${text}": "${runId}" is not a run id (letters, digits, "-" and "_")`;
    return { tracker: 'mlflow', runId, text };
}
/** The schema check: a text that claims a tracker's scheme must parse. */
function runRefProblem(text) {
    const parsed = parseRunRef(text);
    return typeof parsed === 'string' ? parsed : undefined;
}
/** The tracker a gate's metric reads from (`mlflow/val_loss`, `wandb/eval/accuracy`), and the run's own key. */
function runMetricOf(metric) {
    const slash = metric.indexOf('/');
    const prefix = metric.slice(0, slash);
    const key = metric.slice(slash + 1);
    if (slash < 0 || !key || (prefix !== 'mlflow' && prefix !== 'wandb'))
        return undefined;
    return { tracker: prefix, key };
}
/** Display names. */
const TRACKER_NAME = { mlflow: 'MLflow', wandb: 'W&B' };

export { RUN_REF_FORMS as R, TRACKER_NAME as T, runRefProblem as a, parseRunRef as p, runMetricOf as r };
