/** The deployment a rendered file is for. */
export interface DeploymentRef {
  id: number;
  trigger: string;
}

/** What a target makes of a routing plan: one file, and where it goes. */
export interface RenderedRouting {
  /** The file's text (YAML for Kubernetes, nginx configuration). */
  content: string;
  /** The file's path: in the GitOps repository, or under the workspace root for nginx. */
  path: string;
  /** Kubernetes targets: the commit that carries the file. */
  gitops?: { repository?: string; branch?: string };
  /** The object(s) rendered, for validation against their CRDs (Kubernetes targets). */
  objects: Record<string, unknown>[];
  /** nginx: the servers the file defines, each a `listen` and the host name it answers ("" for any). */
  servers?: NginxServer[];
}

/** An nginx server a rendered file defines. */
export interface NginxServer {
  listen: string;
  name: string;
}

export type RenderDecision =
  { ok: true; rendered: RenderedRouting } | { ok: false; reason: string; fix: string };

/** Annotations that let a person (and a re-run) see which deployment wrote an object. */
export function provenance(deployment: { id: number; trigger: string; version: string; model: string }) {
  return {
    'modelgate.dev/model': deployment.model,
    'modelgate.dev/version': deployment.version,
    'modelgate.dev/deployment': String(deployment.id),
    'modelgate.dev/trigger': deployment.trigger,
  };
}

/** The header line of every file modelgate writes for a deployer. */
export function fileHeader(summary: string, deploymentId: number): string {
  // A comment line stays one line, whatever the summary holds.
  const line = summary.replace(/[\r\n\u2028\u2029]+/g, ' ');
  return `Written by modelgate deploy (deployment ${deploymentId}): ${line}. Do not edit: the next deployment replaces it.`;
}

/** The repository and branch of a GitOps setting, without empty fields. */
export function gitopsOf(gitops: { repository?: string; branch?: string }) {
  return {
    ...(gitops.repository ? { repository: gitops.repository } : {}),
    ...(gitops.branch ? { branch: gitops.branch } : {}),
  };
}

/** A template that gives no usable Kubernetes name, as a refusal naming the setting. */
export function badName(
  setting: string,
  template: string,
  of: string,
): { ok: false; reason: string; fix: string } {
  return {
    ok: false,
    reason: `${setting} "${template}" gives no Kubernetes name for ${of} (a letter first, then letters, digits or -, at most 63)`,
    fix: `Change ${setting} in .github/modelgate.yml on the default branch.`,
  };
}

/**
 * Two versions the routing names that become one name in the rendered file
 * (`1.2.0-rc.1` and `1.2.0-rc-1` are both `1-2-0-rc-1`): the traffic of one
 * would go to the other. A refusal naming both, else undefined.
 */
export function sameName(
  model: string,
  names: ReadonlyMap<string, string>,
  what: string,
): { ok: false; reason: string; fix: string } | undefined {
  const seen = new Map<string, string>();
  for (const [version, name] of names) {
    const other = seen.get(name);
    if (other !== undefined)
      return {
        ok: false,
        reason: `${model} ${other} and ${version} both become the ${what} ${name}: the traffic of one would reach the other`,
        fix: `Release one of them under a version that differs in more than punctuation.`,
      };
    seen.set(name, version);
  }
  return undefined;
}

/** A path template that leaves the repository, as a refusal naming the setting. */
export function badPath(
  setting: string,
  template: string,
  path: { ok: true; path: string } | { ok: false; reason: string },
): { ok: false; reason: string; fix: string } {
  return {
    ok: false,
    reason: `${setting} "${template}" ${path.ok ? 'is the repository root, not a file' : path.reason}`,
    fix: `Make ${setting} a file path inside the repository, in .github/modelgate.yml on the default branch.`,
  };
}
