import { z } from 'zod';
import { HOST_NAME, templateProblem } from '../../core/deploy/names.js';
import { storageTemplateProblem } from '../../core/deploy/storage-uri.js';
import type { DeploySettings, GitOpsSettings } from '../../core/deploy/targets.js';
import { checkRepoPath } from '../../core/repo-path.js';

const template = z
  .string()
  .min(1)
  .max(512)
  .superRefine((text, ctx) => {
    const problem = templateProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const pathTemplate = template.superRefine((text, ctx) => {
  const checked = checkRepoPath(text);
  if (!checked.ok) ctx.addIssue({ code: 'custom', message: `the path "${text}" ${checked.reason}` });
});
// Kubernetes names and namespaces that are not templates: RFC 1123 labels.
const label = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a Kubernetes name (a-z, 0-9, -)');
// A host name, or a template of one: `{model}` (the model's name) may stand for a label.
const hostname = z
  .string()
  .max(253)
  .refine(
    (text) => !text.includes('{version}') && HOST_NAME.test(text.replaceAll('{model}', 'm')),
    'a host name, or a template of one such as {model}.llm.example.com',
  );
const port = z.number().int().min(1).max(65535);
const listen = z.union([
  port,
  z
    .string()
    .regex(/^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]|localhost):\d{1,5}$/, 'a port, or address:port'),
]);
const gitops = z.strictObject({
  repository: z
    .string()
    .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'owner/name')
    .optional(),
  branch: z
    .string()
    .min(1)
    .max(255)
    .regex(/^(?!\/|.*\/\/|.*\.\.|.*\.lock$|.*\/$)[A-Za-z0-9._/-]+$/, 'a branch name')
    .optional(),
  path: pathTemplate,
});

/** The `deploy:` section of `.github/modelgate.yml`: strict, like the rest of the file. */
export const deploySchema = z.strictObject({
  gateway_api: z
    .strictObject({
      name: template.optional(),
      namespace: label,
      parents: z
        .array(z.strictObject({ name: label, namespace: label.optional(), section: label.optional() }))
        .min(1)
        .max(32),
      hostnames: z.array(hostname).max(16).optional(),
      path_prefix: z
        .string()
        .regex(/^\/[^\s;{}]*$/, 'a path starting with /')
        .optional(),
      service: template.optional(),
      port,
      preview_header: z
        .string()
        .max(64)
        .regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name (letters, digits, -)')
        .optional(),
      gitops,
    })
    .optional(),
  kserve: z
    .strictObject({
      name: template.optional(),
      namespace: label,
      storage_uri: template.superRefine((text, ctx) => {
        const problem = storageTemplateProblem(text);
        if (problem) ctx.addIssue({ code: 'custom', message: `"${text}" ${problem}` });
      }),
      model_format: label.optional(),
      runtime: label.optional(),
      gitops,
    })
    .optional(),
  nginx: z
    .strictObject({
      path: pathTemplate,
      listen: listen.optional(),
      server_name: hostname.optional(),
      preview_listen: listen.optional(),
      upstream: z.union([
        template,
        z
          .record(z.string().min(1).max(256), z.string().min(1).max(512))
          .refine((r) => Object.keys(r).length > 0, 'at least one version'),
      ]),
    })
    .refine((n) => n.preview_listen === undefined || String(n.preview_listen) !== String(n.listen ?? 8080), {
      message: 'preview_listen must differ from listen: the preview has a server of its own',
      path: ['preview_listen'],
    })
    .optional(),
});

/** The parsed `deploy:` section with its defaults. */
export function readDeploySection(deploy: z.infer<typeof deploySchema> | undefined): DeploySettings {
  const gitopsOf = (g: z.infer<typeof gitops>): GitOpsSettings => ({
    path: g.path,
    ...(g.repository ? { repository: g.repository } : {}),
    ...(g.branch ? { branch: g.branch } : {}),
  });
  const { gateway_api: gateway, kserve, nginx } = deploy ?? {};
  return {
    ...(gateway
      ? {
          gatewayApi: {
            name: gateway.name ?? '{model}',
            namespace: gateway.namespace,
            parents: gateway.parents,
            hostnames: gateway.hostnames ?? [],
            pathPrefix: gateway.path_prefix ?? '/',
            service: gateway.service ?? '{model}-{version}',
            port: gateway.port,
            ...(gateway.preview_header ? { previewHeader: gateway.preview_header.toLowerCase() } : {}),
            gitops: gitopsOf(gateway.gitops),
          },
        }
      : {}),
    ...(kserve
      ? {
          kserve: {
            name: kserve.name ?? '{model}',
            namespace: kserve.namespace,
            storageUri: kserve.storage_uri,
            modelFormat: kserve.model_format ?? 'huggingface',
            ...(kserve.runtime ? { runtime: kserve.runtime } : {}),
            gitops: gitopsOf(kserve.gitops),
          },
        }
      : {}),
    ...(nginx
      ? {
          nginx: {
            path: nginx.path,
            listen: String(nginx.listen ?? 8080),
            ...(nginx.server_name !== undefined ? { serverName: nginx.server_name } : {}),
            upstream: nginx.upstream,
            ...(nginx.preview_listen !== undefined ? { previewListen: String(nginx.preview_listen) } : {}),
          },
        }
      : {}),
  };
}
