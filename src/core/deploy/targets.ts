/**
 * Where a deployment's routing goes, as `.github/modelgate.yml` configures it
 * under `deploy:` (parsed by src/io/settings.ts). Every string that names a
 * thing per model or version is a template: `{model}` and `{version}` are
 * replaced, and Kubernetes names are then made DNS-safe (see names.ts).
 */
export const TARGETS = ['gateway-api', 'kserve', 'nginx'] as const;
export type TargetKind = (typeof TARGETS)[number];

/** A file committed to a branch (GitOps: Argo CD or Flux applies it); no cluster credentials. */
export interface GitOpsSettings {
  /** `owner/name`; default: the model registry's own repository. */
  repository?: string;
  /** Default: the repository's default branch. */
  branch?: string;
  /** Path of the file in that repository (template). */
  path: string;
}

/** Kubernetes Gateway API: one HTTPRoute per model, one Service per version. */
export interface GatewayApiSettings {
  /** The HTTPRoute's name (template; default `{model}`). */
  name: string;
  namespace: string;
  /** The Gateway(s) the route attaches to. */
  parents: { name: string; namespace?: string; section?: string }[];
  /** The host names the route answers (templates: `{model}.llm.example.com` gives each model its own). */
  hostnames: string[];
  /** Path prefix the route matches (default `/`). */
  pathPrefix: string;
  /** The Service of each version (template, e.g. `{model}-{version}`) and its port. */
  service: string;
  port: number;
  /**
   * Blue-green preview: a request carrying this header with the preview's
   * version as its value (`x-modelgate-preview: 1.3.0`) goes to the preview.
   * Unset: the preview is reached only at its own Service.
   */
  previewHeader?: string;
  gitops: GitOpsSettings;
}

/** KServe: one InferenceService per model; KServe keeps the previous revision for the canary split. */
export interface KServeSettings {
  name: string;
  namespace: string;
  /** Where a version's files are (template, e.g. `s3://models/{model}/{version}`). */
  storageUri: string;
  /** The predictor's model format (e.g. `huggingface`). */
  modelFormat: string;
  runtime?: string;
  gitops: GitOpsSettings;
}

/** nginx on a VM or a laptop: a config file in the workspace, one upstream per version. */
export interface NginxSettings {
  /** The config file, relative to the workspace root (template). Include it in nginx's `http {}` block. */
  path: string;
  /** What the generated server listens on: a port, or address:port. */
  listen: string;
  /**
   * The host name the server answers (template, `{model}.llm.internal`):
   * several models on one `listen` each need their own, or nginx gives every
   * request to one of them.
   */
  serverName?: string;
  /** The address of a version's server: a template (`{model}-{version}.internal:8000`) or one per version. */
  upstream: string | Readonly<Record<string, string>>;
  /**
   * Blue-green preview: a second server on this port (or address:port) that
   * sends every request to the preview. Unset: the preview is reached only at
   * its own upstream address.
   */
  previewListen?: string;
}

/** The `deploy:` section: the targets a repository deploys to. */
export interface DeploySettings {
  gatewayApi?: GatewayApiSettings;
  kserve?: KServeSettings;
  nginx?: NginxSettings;
}
