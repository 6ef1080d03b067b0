/** The values a `deploy:` template may name. */
export interface TemplateValues {
  model: string;
  version: string;
}

/** Replaces `{model}` and `{version}` in a `deploy:` setting. */
export function expandTemplate(template: string, values: TemplateValues): string {
  return template.replaceAll('{model}', values.model).replaceAll('{version}', values.version);
}

/** Placeholders a template may use; anything else in braces is a typo worth refusing. */
export function templateProblem(template: string): string | undefined {
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)].find((m) => m[1] !== 'model' && m[1] !== 'version');
  return unknown ? `unknown placeholder {${unknown[1]}} (use {model} or {version})` : undefined;
}

/**
 * A Kubernetes object name (an RFC 1035 label: what a Service accepts, and
 * so everything else here) from an expanded template: lower case, every run
 * of other characters (`.` of a version, `/` of a folder, `_`, `+`) becomes
 * `-`. Undefined when nothing usable is left or it is longer than 63.
 */
export function kubernetesName(text: string): string | undefined {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name) ? name : undefined;
}
