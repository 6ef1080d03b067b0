import { s as strictObject, u as union, r as record, c as string, a as array, n as number, o as object, e as boolean, l as literal, f as decodeUtf8, p as parseYamlDocument, g as unknown, b as _enum, j as partialRecord } from './yaml-document-D8lQUcRd.js';
import { c as checkRepoPath, S as SETTINGS_FILE, M as MODEL_NAME, K as nameProblem, F as FileSystemSource, L as checkGlob } from './state-AWNhEueb.js';
import { C as CommandError } from './command-BFTcRIcy.js';
import { D as DEFAULT_STAGES } from './stages-Cl5dJrTL.js';
import { t as templateProblem, H as HOST_NAME, e as expandTemplate } from './names-BCxkbDpg.js';
import { a as storageTemplateProblem } from './storage-uri-CZ8FpHhv.js';
import 'node:crypto';
import 'node:fs/promises';
import 'node:fs';
import 'node:path';
import 'process';
import 'buffer';
import 'node:child_process';
import './registration-tags-C5oXtNLZ.js';

const template$1 = string()
    .min(1)
    .max(512)
    .superRefine((text, ctx) => {
    const problem = templateProblem(text);
    if (problem)
        ctx.addIssue({ code: 'custom', message: problem });
});
const pathTemplate = template$1.superRefine((text, ctx) => {
    const checked = checkRepoPath(text);
    if (!checked.ok)
        ctx.addIssue({ code: 'custom', message: `the path "${text}" ${checked.reason}` });
});
// Kubernetes names and namespaces that are not templates: RFC 1123 labels.
const label = string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a Kubernetes name (a-z, 0-9, -)');
// A host name, or a template of one: `{model}` (the model's name) may stand for a label.
const hostname = string()
    .max(253)
    .refine((text) => !text.includes('{version}') && HOST_NAME.test(text.replaceAll('{model}', 'm')), 'a host name, or a template of one such as {model}.llm.example.com');
const port = number().int().min(1).max(65535);
const listen = union([
    port,
    string()
        .regex(/^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]|localhost):\d{1,5}$/, 'a port, or address:port'),
]);
const gitops = strictObject({
    repository: string()
        .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'owner/name')
        .optional(),
    branch: string()
        .min(1)
        .max(255)
        .regex(/^(?!\/|.*\/\/|.*\.\.|.*\.lock$|.*\/$)[A-Za-z0-9._/-]+$/, 'a branch name')
        .optional(),
    path: pathTemplate,
});
/** The `deploy:` section of `.github/modelgate.yml`: strict, like the rest of the file. */
const deploySchema = strictObject({
    gateway_api: strictObject({
        name: template$1.optional(),
        namespace: label,
        parents: array(strictObject({ name: label, namespace: label.optional(), section: label.optional() }))
            .min(1)
            .max(32),
        hostnames: array(hostname).max(16).optional(),
        path_prefix: string()
            .regex(/^\/[^\s;{}]*$/, 'a path starting with /')
            .optional(),
        service: template$1.optional(),
        port,
        preview_header: string()
            .max(64)
            .regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name (letters, digits, -)')
            .optional(),
        gitops,
    })
        .optional(),
    kserve: strictObject({
        name: template$1.optional(),
        namespace: label,
        storage_uri: template$1.superRefine((text, ctx) => {
            const problem = storageTemplateProblem(text);
            if (problem)
                ctx.addIssue({ code: 'custom', message: `"${text}" ${problem}` });
        }),
        model_format: label.optional(),
        runtime: label.optional(),
        gitops,
    })
        .optional(),
    nginx: strictObject({
        path: pathTemplate,
        listen: listen.optional(),
        server_name: hostname.optional(),
        preview_listen: listen.optional(),
        upstream: union([
            template$1,
            record(string().min(1).max(256), string().min(1).max(512))
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
function readDeploySection(deploy) {
    const gitopsOf = (g) => ({
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

/** Mirroring off: the default when the settings say nothing. */
const NO_MIRROR = { mirror: false, models: {}, aliases: {} };
/** MLflow's own rule for alias names (mlflow/utils/validation.py). */
const ALIAS = /^[\w-]{1,255}$/;
/** Why a text cannot be an MLflow registered model alias, or undefined. */
function aliasProblem(alias) {
    if (!ALIAS.test(alias))
        return `"${alias}" is not an MLflow alias: letters, digits, "_" and "-", at most 255 characters`;
    if (alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias))
        return `"${alias}" is reserved by MLflow (latest and v<number> name versions)`;
    return undefined;
}
/**
 * Registered model names go into a search filter between single quotes:
 * no quote, backslash or control character can reshape the filter.
 */
function isRegisteredModelName(name) {
    return (name.length >= 1 &&
        name.length <= 256 &&
        ![...name].some((c) => c === "'" || c === '"' || c === '\\' || c.charCodeAt(0) < 0x20 || c === '\u007f'));
}
const keyValue = object({ key: string(), value: string().optional() });
object({
    model_versions: array(object({
        name: string(),
        version: string(),
        run_id: string().optional(),
        status: string().optional(),
        aliases: array(string()).optional(),
        tags: array(keyValue).optional(),
    }))
        .optional(),
    next_page_token: string().optional(),
});

const stageName$1 = string().superRefine((name, ctx) => {
    const problem = nameProblem(name);
    if (problem)
        ctx.addIssue({ code: 'custom', message: `the stage "${name}": ${problem}` });
});
const alias = string().superRefine((text, ctx) => {
    const problem = aliasProblem(text);
    if (problem)
        ctx.addIssue({ code: 'custom', message: problem });
});
/**
 * The section's schema. Strict throughout: a misspelt key would otherwise
 * leave mirroring silently off (or on) against what the file seems to say.
 */
const trackingSection = strictObject({
    registry: strictObject({
        mirror: boolean(),
        models: record(string().regex(MODEL_NAME, 'a model name as the manifests write it'), string()
            .refine(isRegisteredModelName, 'an MLflow registered model name (no quotes, backslashes or control characters, at most 256 characters)'))
            .optional(),
        aliases: record(stageName$1, alias)
            .refine((map) => new Set(Object.values(map)).size === Object.keys(map).length, 'two stages cannot share one alias (each would move it away from the other)')
            .optional(),
    })
        .optional(),
});
const FIX = 'tracking.registry sets mirror (true|false), models (modelgate model -> MLflow registered model) and aliases (stage -> MLflow alias).';
/**
 * Reads the raw `tracking` value of the settings file (undefined: absent):
 * the settings, or a CommandError naming the file, the key and the fix.
 */
function parseTrackingSection(raw) {
    if (raw === undefined || raw === null)
        return { registry: NO_MIRROR };
    const parsed = trackingSection.safeParse(raw);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = ['tracking', ...issue.path.map(String)];
        // A bad key of a map says what a key must be, not zod's generic "Invalid key in record".
        const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
        const where = issue.code === 'unrecognized_keys'
            ? `${[...path, issue.keys[0]].join('.')}: unknown setting`
            : `${path.join('.')}: ${message}`;
        throw new CommandError(`${SETTINGS_FILE}: ${where}`, FIX);
    }
    const registry = parsed.data.registry;
    return {
        registry: registry
            ? { mirror: registry.mirror, models: registry.models ?? {}, aliases: registry.aliases ?? {} }
            : NO_MIRROR,
    };
}

const template = string()
    .min(1)
    .max(1024)
    .superRefine((text, ctx) => {
    const problem = templateProblem(text);
    if (problem)
        ctx.addIssue({ code: 'custom', message: problem });
});
const baseUrl = template.superRefine((text, ctx) => {
    let url;
    try {
        url = new URL(expandTemplate(text, { model: 'm', version: '1.0.0' }));
    }
    catch {
        // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
        ctx.addIssue({ code: 'custom', message: 'an http(s) URL, e.g. http://{model}-{version}.llm:8000/v1' });
    else if (url.username || url.password)
        ctx.addIssue({
            code: 'custom',
            message: 'credentials do not belong in the URL: the app sends MODELGATE_EVAL_API_KEY',
        });
});
/** The zod schema of the `endpoints:` section. */
const endpointsSchema = strictObject({
    url: baseUrl.optional(),
    preview_url: baseUrl.optional(),
    model: template.optional(),
});
/** The section as the app uses it, defaults filled. */
function readEndpointsSection(section) {
    return {
        ...(section?.url ? { url: section.url } : {}),
        ...(section?.preview_url ? { previewUrl: section.preview_url } : {}),
        model: section?.model ?? '{model}',
    };
}

/**
 * The parameters every outputs query receives, in this order: the model,
 * production's version, the shadow's version, the window's start and end
 * (timestamptz; start inclusive, end exclusive) and the sampling cap.
 */
const QUERY_PARAMETERS = [
    'model',
    'production_version',
    'shadow_version',
    'window_start',
    'window_end',
    'limit',
];
/**
 * The preset for LiteLLM's proxy request log, the `LiteLLM_SpendLogs` table
 * of its Prisma schema (BerriAI/litellm, schema.prisma: `request_id`,
 * `model_group`, `model_id`, `startTime`, `status`, `messages` Json,
 * `response` Json, `proxy_server_request` Json). Assumptions (docs/shadow.md):
 * the proxy stores prompts and responses (`store_prompts_in_spend_logs: true`),
 * each version is its own deployment with `model_info.id: <model>@<version>`
 * in the model group `<model>`, and the mirror keeps the request's
 * `x-request-id` header, which joins a request's two rows. A mirrored
 * request the shadow failed (a logged call whose status is not `success`)
 * counts as an empty answer: a shadow that fails on the hard requests must
 * not be judged on the easy ones only.
 */
const LITELLM_QUERY = `WITH answers AS (
  SELECT proxy_server_request #>> '{headers,x-request-id}' AS request_id,
         model_id,
         messages::text AS prompt,
         response #>> '{choices,0,message,content}' AS output,
         status,
         "startTime"
  FROM "LiteLLM_SpendLogs"
  WHERE model_group = $1
    AND model_id IN ($1 || '@' || $2, $1 || '@' || $3)
    AND "startTime" >= $4::timestamptz - interval '5 minutes'
    AND "startTime" < $5::timestamptz
)
SELECT p.request_id AS request_id, p.prompt AS prompt, p.output AS production,
       CASE WHEN s.status = 'success' THEN coalesce(s.output, '') ELSE '' END AS shadow
FROM answers p
JOIN answers s ON s.request_id = p.request_id AND s.model_id = $1 || '@' || $3
WHERE p.model_id = $1 || '@' || $2
  AND p.status = 'success'
  AND p."startTime" >= $4::timestamptz
  AND p.request_id IS NOT NULL AND p.output IS NOT NULL
ORDER BY md5(p.request_id)
LIMIT $6::int`;
/** Longest a query may run: a request log behind an index answers in well under this. */
const TIMEOUT_PATTERN = /^(\d+)(s|m)$/;
const DEFAULT_TIMEOUT = '30s';
const MAX_TIMEOUT_MS = 5 * 60_000;
function timeoutMs(text) {
    const match = TIMEOUT_PATTERN.exec(text);
    if (!match)
        return undefined;
    const ms = Number(match[1]) * (match[2] === 's' ? 1000 : 60_000);
    return ms >= 1000 && ms <= MAX_TIMEOUT_MS ? ms : undefined;
}
/** Why a custom query cannot be run as modelgate runs it, or undefined when it can. */
function queryProblem(sql) {
    const used = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    const beyond = [...used].filter((n) => n < 1 || n > QUERY_PARAMETERS.length);
    if (beyond.length)
        return `the query uses $${beyond[0]}; only $1 to $${QUERY_PARAMETERS.length} exist (${QUERY_PARAMETERS.join(', ')})`;
    const missing = QUERY_PARAMETERS.map((_, i) => i + 1).filter((n) => !used.has(n));
    if (missing.length)
        return `the query must use every parameter, $${missing.join(', $')} missing (${QUERY_PARAMETERS.map((p, i) => `$${i + 1} ${p}`).join(', ')}; LIMIT $6 caps the sample)`;
    if (sql.includes(';'))
        return 'one statement only: no ";"';
    return undefined;
}
const column = string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a result column name (letters, digits, _)');
/** The zod schema of the `shadow:` section, for the settings file's parser. */
const shadowSettingsSchema = strictObject({
    outputs: union([
        strictObject({
            preset: literal('litellm'),
            statement_timeout: string().optional(),
        }),
        strictObject({
            query: string()
                .min(1)
                .max(16 * 1024)
                .superRefine((sql, ctx) => {
                const problem = queryProblem(sql);
                if (problem)
                    ctx.addIssue({ code: 'custom', message: problem });
            }),
            columns: strictObject({
                request_id: column.optional(),
                production: column.optional(),
                shadow: column.optional(),
                prompt: column.optional(),
            })
                .optional(),
            statement_timeout: string().optional(),
        }),
    ])
        .superRefine((outputs, ctx) => {
        if (outputs.statement_timeout !== undefined && timeoutMs(outputs.statement_timeout) === undefined)
            ctx.addIssue({
                code: 'custom',
                path: ['statement_timeout'],
                message: 'a duration from 1s to 5m, such as 30s',
            });
    })
        .optional(),
    judge: strictObject({
        url: string()
            .max(1024)
            .superRefine((text, ctx) => {
            let url;
            try {
                url = new URL(text);
            }
            catch {
                // reported below
            }
            if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
                ctx.addIssue({
                    code: 'custom',
                    message: 'an http(s) URL of an OpenAI-compatible API, e.g. http://judge:8000/v1',
                });
            else if (url.username || url.password)
                ctx.addIssue({
                    code: 'custom',
                    message: 'credentials do not belong in the URL: the app sends MODELGATE_JUDGE_API_KEY',
                });
        }),
        model: string().min(1).max(256),
        max_pairs: number().int().min(1).max(1000).optional(),
    })
        .optional(),
});
/** The section as the app uses it, defaults filled in. */
function readShadowSection(section) {
    const out = {};
    const outputs = section?.outputs;
    if (outputs) {
        const statementTimeoutMs = timeoutMs(outputs.statement_timeout ?? DEFAULT_TIMEOUT);
        out.outputs =
            'preset' in outputs
                ? {
                    kind: 'litellm',
                    sql: LITELLM_QUERY,
                    columns: {
                        requestId: 'request_id',
                        production: 'production',
                        shadow: 'shadow',
                        prompt: 'prompt',
                    },
                    statementTimeoutMs,
                }
                : {
                    kind: 'custom',
                    sql: outputs.query,
                    columns: {
                        requestId: outputs.columns?.request_id ?? 'request_id',
                        production: outputs.columns?.production ?? 'production',
                        shadow: outputs.columns?.shadow ?? 'shadow',
                        ...(outputs.columns?.prompt ? { prompt: outputs.columns.prompt } : {}),
                    },
                    statementTimeoutMs,
                };
    }
    if (section?.judge)
        out.judge = {
            url: section.judge.url,
            model: section.judge.model,
            maxPairs: section.judge.max_pairs ?? 100,
        };
    return out;
}

/** GitHub's repository roles, weakest first. */
const LEVELS = ['none', 'read', 'triage', 'write', 'maintain', 'admin'];
/** The keys of `chatops.commands` in .github/modelgate.yml. */
const COMMAND_KEYS = ['rollback', 'promote', 'canary', 'guard', 'ab', 'status', 'help'];
const DEFAULT_CHATOPS = {
    permission: 'write',
    commands: {},
    unknownCommands: 'reply',
};

const DEFAULT_MANIFESTS = ['models/**/model.yaml'];
/** The settings file is a few lines; anything larger is refused before it is read. */
const SETTINGS_MAX_BYTES = 64 * 1024;
// Stages go into tags (`<model>#<stage>#N`): the same rule as model names, so every stage written is read back.
const stageName = string().superRefine((name, ctx) => {
    const problem = nameProblem(name);
    if (problem)
        ctx.addIssue({ code: 'custom', message: `the stage "${name}": ${problem}` });
});
const glob = string()
    .min(1)
    .max(1024)
    .superRefine((pattern, ctx) => {
    const checked = checkGlob(pattern.replace(/^!/, ''));
    if (!checked.ok)
        ctx.addIssue({ code: 'custom', message: `the glob "${pattern}" ${checked.reason}` });
});
// Strict throughout: a misspelt key must be an error, never a silently ignored setting.
const schema = strictObject({
    manifests: union([glob, array(glob).min(1).max(100)]).optional(),
    stages: array(stageName)
        .min(1)
        .refine((s) => new Set(s).size === s.length, 'stages must be unique')
        .optional(),
    environments: record(stageName, string().min(1).max(255)).optional(),
    // Strict: a misspelt key in who-may-act must not silently fall back to a default.
    chatops: strictObject({
        permission: _enum(LEVELS).optional(),
        commands: partialRecord(_enum(COMMAND_KEYS), strictObject({
            permission: _enum(LEVELS).optional(),
            teams: array(string().regex(/^([A-Za-z0-9-]+\/)?[A-Za-z0-9_.-]+$/, 'a team slug, or org/slug'))
                .min(1)
                .optional(),
        }))
            .optional(),
        unknown_commands: _enum(['reply', 'ignore']).optional(),
    })
        .optional(),
    deploy: deploySchema.optional(),
    endpoints: endpointsSchema.optional(),
    shadow: shadowSettingsSchema.optional(),
    // Checked strictly by tracking-settings.ts, so the whole file is checked on every pull request.
    tracking: unknown().optional(),
});
/**
 * Reads the settings file under `root` through the containment rule (a
 * regular file inside the repository, at most SETTINGS_MAX_BYTES): a missing
 * file means defaults; anything else that cannot be read is a CommandError
 * (exit 2), never a weaker default.
 */
async function readSettings(root) {
    const read = await new FileSystemSource(root).read(SETTINGS_FILE, SETTINGS_MAX_BYTES);
    if (!read.ok) {
        if (read.problem.kind === 'missing')
            return parseSettings(undefined);
        throw new CommandError(`${SETTINGS_FILE} cannot be read: ${read.problem.detail}`, `Make ${SETTINGS_FILE} a regular file in the repository, at most ${SETTINGS_MAX_BYTES / 1024} KiB.`);
    }
    return parseSettings(decodeUtf8(read.value));
}
/** Parses the text of `.github/modelgate.yml` (undefined: the file is absent, defaults apply). */
function parseSettings(text) {
    if (text === undefined)
        return {
            manifests: DEFAULT_MANIFESTS,
            stages: [...DEFAULT_STAGES],
            configuredStages: undefined,
            environments: {},
            chatops: DEFAULT_CHATOPS,
            deploy: {},
            tracking: parseTrackingSection(undefined),
            endpoints: readEndpointsSection(undefined),
            shadow: readShadowSection(undefined),
        };
    if (Buffer.byteLength(text) > SETTINGS_MAX_BYTES)
        throw new CommandError(`${SETTINGS_FILE} is larger than ${SETTINGS_MAX_BYTES / 1024} KiB`, 'The settings file holds a few lines of configuration; shorten it.');
    const doc = parseYamlDocument(text);
    const yamlError = doc.errors[0];
    if (yamlError) {
        throw new CommandError(`${SETTINGS_FILE} is not valid YAML: ${yamlError.message.split('\n')[0]}`, 'Fix the YAML syntax.');
    }
    const parsed = schema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? {});
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue.code === 'unrecognized_keys'
            ? `${[...issue.path, issue.keys[0]].join('.')}: unknown setting`
            : `${issue.path.join('.') || 'the file'}: ${issue.message}`;
        throw new CommandError(`${SETTINGS_FILE}: ${where}`, 'manifests is a glob or a list of globs; stages a list of stage names; environments maps a stage to a GitHub environment; chatops sets permission (none|read|triage|write|maintain|admin), commands.<rollback|promote|canary|guard|status|help>.{permission,teams} and unknown_commands (reply|ignore); deploy sets gateway_api, kserve or nginx (docs/deploy.md); tracking sets registry.{mirror,models,aliases} (docs/tracking.md); endpoints sets url, preview_url and model (docs/strategies.md); shadow sets outputs (preset or query) and judge (docs/shadow.md).');
    }
    const { manifests, stages, environments, chatops, deploy, tracking, endpoints, shadow } = parsed.data;
    return {
        manifests: manifests === undefined ? DEFAULT_MANIFESTS : typeof manifests === 'string' ? [manifests] : manifests,
        stages: stages ?? [...DEFAULT_STAGES],
        configuredStages: stages,
        environments: environments ?? {},
        chatops: {
            permission: chatops?.permission ?? DEFAULT_CHATOPS.permission,
            commands: chatops?.commands ?? {},
            unknownCommands: chatops?.unknown_commands ?? DEFAULT_CHATOPS.unknownCommands,
        },
        deploy: readDeploySection(deploy),
        tracking: parseTrackingSection(tracking),
        endpoints: readEndpointsSection(endpoints),
        shadow: readShadowSection(shadow),
    };
}

export { DEFAULT_MANIFESTS, SETTINGS_FILE, SETTINGS_MAX_BYTES, parseSettings, readSettings };
