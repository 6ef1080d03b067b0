/** Replaces `{model}` and `{version}` in a `deploy:` setting. */
function expandTemplate(template, values) {
    return template.replaceAll('{model}', values.model).replaceAll('{version}', values.version);
}
/** Placeholders a template may use; anything else in braces is a typo worth refusing. */
function templateProblem(template) {
    const unknown = [...template.matchAll(/\{([^}]*)\}/g)].find((m) => m[1] !== 'model' && m[1] !== 'version');
    return unknown ? `unknown placeholder {${unknown[1]}} (use {model} or {version})` : undefined;
}
/**
 * A Kubernetes object name (an RFC 1035 label: what a Service accepts, and
 * so everything else here) from an expanded template: lower case, every run
 * of other characters (`.` of a version, `/` of a folder, `_`, `+`) becomes
 * `-`. Undefined when nothing usable is left or it is longer than 63.
 */
function kubernetesName(text) {
    const name = text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
    return /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name) ? name : undefined;
}

export { expandTemplate as e, kubernetesName as k, templateProblem as t };
