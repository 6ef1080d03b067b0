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

/** A DNS host name, with an optional leading `*.` (Gateway API's and nginx's wildcard). */
export const HOST_NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A host name from a template (`{model}.llm.example.com`), so each model's
 * route answers its own host. The model's name goes in as it is, never
 * rewritten (two models made one host would share one route): one that is
 * no DNS label (a folder's `/`, a `_`) cannot be part of a host name.
 */
export function hostNameOf(
  template: string,
  model: string,
  setting: string,
): { ok: true; host: string } | { ok: false; reason: string; fix: string } {
  if (template.includes('{model}') && !DNS_LABEL.test(model))
    return {
      ok: false,
      reason: `${setting} "${template}" puts the model's name in a host name, and ${model} is not one (a-z, 0-9 and - only)`,
      fix: `Give ${setting} a host name without {model} for this repository, or name the model with letters, digits and - only.`,
    };
  const host = template.replaceAll('{model}', model);
  if (host.length > 253 || !HOST_NAME.test(host))
    return {
      ok: false,
      reason: `${setting} "${template}" gives "${host}" for ${model}, which is not a host name`,
      fix: `Make ${setting} a host name such as {model}.llm.example.com.`,
    };
  return { ok: true, host };
}
