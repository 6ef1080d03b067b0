import { C as CommandError, b as setOutput, O as OUTPUTS, i as info, a as summary, n as notice, s as setFailed, w as warning } from './inputs-DSZox23F.js';
import { s as statusOf, a as createOctokit, c as context } from './octokit-CjODqJwX.js';
import { resolve } from 'node:path';
import { R as kubernetesName, S as expandTemplate, U as checkRepoPath, V as hostNameOf, W as distExports, p as parseManifest, X as kserveSource, Y as storageLocation, Z as loads, E as releaseTag, $ as registrationProblem, b as readRegistry, a0 as versionProblem, a1 as releasedManifestPathProblem, F as FileSystemSource, d as decodeUtf8, C as ContainedRoot, e as ContainmentError, a2 as parseRegistryTag, M as MANIFEST_MAX_BYTES, a3 as SETTINGS_FILE, a4 as SETTINGS_MAX_BYTES, a5 as parseSettings, a6 as manifestLine, m as inertText } from './settings-B25yr-FP.js';
import { r as readDeploymentPayload, p as parseDeploymentPayload } from './plan-BiqAB6ig.js';
import { execFile } from 'node:child_process';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'string_decoder';
import 'events';
import 'child_process';
import 'assert';
import 'timers';
import 'node:fs';
import 'http';
import 'https';
import 'net';
import 'tls';
import 'util';
import 'node:assert';
import 'node:net';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:util';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import 'node:tls';
import 'node:zlib';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'process';
import 'buffer';
import 'node:crypto';
import 'node:fs/promises';

/** Annotations that let a person (and a re-run) see which deployment wrote an object. */
function provenance(deployment) {
    return {
        'modelgate.dev/model': deployment.model,
        'modelgate.dev/version': deployment.version,
        'modelgate.dev/deployment': String(deployment.id),
        'modelgate.dev/trigger': deployment.trigger,
    };
}
/** The header line of every file modelgate writes for a deployer. */
function fileHeader(summary, deploymentId) {
    // A comment line stays one line, whatever the summary holds.
    const line = summary.replace(/[\r\n\u2028\u2029]+/g, ' ');
    return `Written by modelgate deploy (deployment ${deploymentId}): ${line}. Do not edit: the next deployment replaces it.`;
}
/** The repository and branch of a GitOps setting, without empty fields. */
function gitopsOf(gitops) {
    return {
        ...(gitops.repository ? { repository: gitops.repository } : {}),
        ...(gitops.branch ? { branch: gitops.branch } : {}),
    };
}
/** A template that gives no usable Kubernetes name, as a refusal naming the setting. */
function badName(setting, template, of) {
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
function sameName(model, names, what) {
    const seen = new Map();
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
function badPath(setting, template, path) {
    return {
        ok: false,
        reason: `${setting} "${template}" ${path.ok ? 'is the repository root, not a file' : path.reason}`,
        fix: `Make ${setting} a file path inside the repository, in .github/modelgate.yml on the default branch.`,
    };
}

/**
 * Renders a routing plan as a Gateway API HTTPRoute (gateway.networking.k8s.io/v1):
 * one rule whose weighted backendRefs are the versions' Services, and a
 * RequestMirror filter with its percent for a shadow. A blue-green preview
 * is a weight-0 backendRef beside the live version, plus, with
 * `preview_header` set, a first rule sending requests that carry the header
 * with the preview's version to it; after the switch the version it replaced
 * stays a weight-0 backendRef (scale_down_delay). Envoy Gateway, Istio, GKE
 * and other implementations split traffic by these weights.
 */
function renderHttpRoute(plan, settings, deployment) {
    const values = { model: plan.model, version: plan.version };
    const name = kubernetesName(expandTemplate(settings.name, values));
    if (!name)
        return badName('deploy.gateway_api.name', settings.name, values.model);
    const services = new Map();
    for (const version of [
        ...plan.backends.map((b) => b.version),
        ...(plan.mirror ? [plan.mirror.version] : []),
        ...(plan.preview ? [plan.preview.version] : []),
        ...(plan.standby ? [plan.standby.version] : []),
    ]) {
        const service = kubernetesName(expandTemplate(settings.service, { model: plan.model, version }));
        if (!service)
            return badName('deploy.gateway_api.service', settings.service, `${plan.model} ${version}`);
        services.set(version, service);
    }
    const clash = sameName(plan.model, services, 'Service');
    if (clash)
        return clash;
    const path = checkRepoPath(expandTemplate(settings.gitops.path, values));
    if (!path.ok || !path.path)
        return badPath('deploy.gateway_api.gitops.path', settings.gitops.path, path);
    const hostnames = [];
    for (const template of settings.hostnames) {
        const host = hostNameOf(template, plan.model, 'deploy.gateway_api.hostnames');
        if (!host.ok)
            return host;
        hostnames.push(host.host);
    }
    const backendRef = (version) => ({ name: services.get(version), port: settings.port });
    const route = {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: {
            name,
            namespace: settings.namespace,
            annotations: {
                ...provenance({ ...deployment, model: plan.model, version: plan.version }),
                // For a clean-up job: which version may go, and when (seconds after the switch was reported live).
                ...(plan.standby
                    ? {
                        'modelgate.dev/standby-version': plan.standby.version,
                        'modelgate.dev/scale-down-delay-seconds': String(plan.standby.seconds),
                    }
                    : {}),
            },
        },
        spec: {
            parentRefs: settings.parents.map((p) => ({
                name: p.name,
                ...(p.namespace ? { namespace: p.namespace } : {}),
                ...(p.section ? { sectionName: p.section } : {}),
            })),
            ...(hostnames.length ? { hostnames } : {}),
            rules: [
                // More header matches win over fewer (Gateway API's precedence): this rule takes only preview requests.
                ...(plan.preview && settings.previewHeader
                    ? [
                        {
                            matches: [
                                {
                                    path: { type: 'PathPrefix', value: settings.pathPrefix },
                                    headers: [{ type: 'Exact', name: settings.previewHeader, value: plan.preview.version }],
                                },
                            ],
                            backendRefs: [{ ...backendRef(plan.preview.version), weight: 1 }],
                        },
                    ]
                    : []),
                {
                    matches: [{ path: { type: 'PathPrefix', value: settings.pathPrefix } }],
                    ...(plan.mirror
                        ? {
                            filters: [
                                {
                                    type: 'RequestMirror',
                                    requestMirror: {
                                        backendRef: backendRef(plan.mirror.version),
                                        percent: plan.mirror.percent,
                                    },
                                },
                            ],
                        }
                        : {}),
                    // A preview or a kept version is named at weight 0: the Gateway resolves it, no request reaches it.
                    backendRefs: [
                        ...plan.backends.map((b) => ({ ...backendRef(b.version), weight: b.weight })),
                        ...[plan.preview?.version, plan.standby?.version]
                            .filter((v) => v !== undefined)
                            .map((v) => ({ ...backendRef(v), weight: 0 })),
                    ],
                },
            ],
        },
    };
    return {
        ok: true,
        rendered: {
            content: `# ${fileHeader(plan.summary, deployment.id)}\n${distExports.stringify(route)}`,
            path: path.path,
            gitops: gitopsOf(settings.gitops),
            objects: [route],
        },
    };
}

/**
 * Renders a routing plan as a KServe InferenceService (serving.kserve.io/v1beta1).
 * KServe splits by revision, not by name: the predictor points at the
 * deployed version's storage URI and `canaryTrafficPercent` sends that share
 * to the new revision, the rest to the previous ready one (the version live
 * before). At 100% the field is left out, which promotes the revision.
 * A blue-green preview is `canaryTrafficPercent: 0` with tag routing on, so
 * the new revision answers only at its `latest-` URL; the switch is the
 * promotion. KServe routes nothing to the previous revision at 100%, so it is
 * not kept warm after a switch (scale_down_delay has no effect here). KServe
 * has no request mirror: a shadow is refused.
 */
function renderInferenceService(plan, settings, deployment) {
    if (plan.mirror)
        return {
            ok: false,
            reason: `KServe cannot mirror requests: ${plan.summary}`,
            fix: 'Deploy shadows with the gateway-api or nginx target.',
        };
    const values = { model: plan.model, version: plan.version };
    const name = kubernetesName(expandTemplate(settings.name, values));
    if (!name)
        return badName('deploy.kserve.name', settings.name, plan.model);
    const path = checkRepoPath(expandTemplate(settings.gitops.path, values));
    if (!path.ok || !path.path)
        return badPath('deploy.kserve.gitops.path', settings.gitops.path, path);
    const share = plan.backends.find((b) => b.version === plan.version)?.weight ?? 0;
    // KServe's tag routing gives the new revision its own URL (latest-<name>-predictor…): the preview's endpoint.
    const tagRouting = plan.preview ? { 'serving.kserve.io/enable-tag-routing': 'true' } : {};
    const service = {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: {
            name,
            namespace: settings.namespace,
            annotations: {
                ...provenance({ ...deployment, model: plan.model, version: plan.version }),
                ...tagRouting,
            },
        },
        spec: {
            predictor: {
                ...(share < 100 ? { canaryTrafficPercent: share } : {}),
                model: {
                    modelFormat: { name: settings.modelFormat },
                    ...(settings.runtime ? { runtime: settings.runtime } : {}),
                    storageUri: expandTemplate(settings.storageUri, values),
                },
            },
        },
    };
    return {
        ok: true,
        rendered: {
            content: `# ${fileHeader(plan.summary, deployment.id)}\n${distExports.stringify(service)}`,
            path: path.path,
            gitops: gitopsOf(settings.gitops),
            objects: [service],
        },
    };
}

/**
 * Why a KServe `storageUri` is not the release's weights, or undefined when
 * every weights file the manifest at the release tag lists lies in it.
 * KServe loads whatever the URI holds; only the manifest's URIs (and their
 * sha256, checked where the weights were made) are the release's. A manifest
 * that cannot be read, is another model's or version's, or lists no weights
 * leaves nothing to tie the URI to: refused, never deployed unchecked.
 */
function storageBindingProblem(storageUri, weights, release) {
    const { model, version, tag } = release;
    const listFix = `List the weights of ${model} ${version} in its manifest (artifacts.weights: uri and sha256 of each file), under deploy.kserve.storage_uri, and release it.`;
    if (!weights)
        return {
            reason: `the manifest of ${model} ${version} was not read, so what ${storageUri} holds cannot be tied to the release`,
            fix: 'Deploy with the Action (command: deploy), which reads the manifest at the release tag.',
        };
    if ('unreadable' in weights)
        return {
            reason: `the manifest ${weights.manifest} at ${tag} cannot be read (${weights.unreadable}), so what ${storageUri} holds cannot be tied to the release`,
            fix: `Deploy a deployment whose payload names ${model}'s manifest (command: release makes one).`,
        };
    const parsed = parseManifest(weights.text, weights.manifest);
    const manifest = parsed.manifest;
    if (!manifest)
        return {
            reason: `the manifest ${weights.manifest} at ${tag} is not valid (${parsed.findings[0]?.message ?? 'no manifest'}), so what ${storageUri} holds cannot be tied to the release`,
            fix: `Release a version of ${model} whose manifest validates.`,
        };
    if (manifest.name !== model || manifest.version !== version)
        return {
            reason: `${weights.manifest} at ${tag} is the manifest of ${manifest.name} ${manifest.version}, not of ${model} ${version}`,
            fix: `Deploy a deployment whose payload names ${model}'s manifest (command: release makes one).`,
        };
    const listed = manifest.artifacts.weights ?? [];
    if (!listed.length)
        return {
            reason: `the manifest of ${model} ${version} lists no weights, so what ${storageUri} holds is nothing the release checked`,
            fix: listFix,
        };
    const source = kserveSource(storageUri);
    if (!source.ok)
        return {
            reason: `KServe would load ${model} ${version} from ${storageUri}, which ${source.reason}`,
            fix: 'Make deploy.kserve.storage_uri a folder such as s3://bucket/{model}/{version}/ (docs/deploy.md lists the forms).',
        };
    const files = [];
    for (const { uri } of listed) {
        const file = storageLocation(uri);
        if (!file.ok)
            return {
                reason: `the manifest of ${model} ${version} lists the weights file ${uri}, which ${file.reason}, so whether KServe loads it cannot be told`,
                fix: `Give each weights file of ${model} a plain URI (docs/deploy.md lists the forms), and release it.`,
            };
        files.push({ uri, location: file.location });
    }
    if (source.source.kind === 'object') {
        if (files.some((f) => loads(source.source, f.location)))
            return undefined;
        return {
            reason: `KServe would download ${storageUri} itself for ${model} ${version}, and it is none of the weights files its manifest lists`,
            fix: `Make deploy.kserve.storage_uri the URL of a weights file (or archive) the manifest lists, or a folder (s3://, gs://, pvc://, Azure). ${listFix}`,
        };
    }
    const outside = files.filter((f) => !loads(source.source, f.location));
    if (outside.length)
        return {
            reason: `KServe would load ${model} ${version} from ${storageUri}, but its manifest lists ${outside.length === 1 ? 'a weights file' : `${outside.length} weights files`} elsewhere (${outside[0].uri})`,
            fix: `Make deploy.kserve.storage_uri the folder that holds the release's weights, or list the weights where KServe loads them from. ${listFix}`,
        };
    return undefined;
}

/** `host:port`, `[v6]:port` or `unix:/path`: nothing that could end a directive. */
const ADDRESS = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$|^unix:\/[A-Za-z0-9._/-]+$/;
/** The mirror's internal location: `internal`, so a client cannot request it. */
const MIRROR_LOCATION = '/.modelgate-mirror';
/** An nginx identifier from free text: upstream and variable names take letters, digits and `_`. */
function identifier(text) {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}
/**
 * Renders a routing plan as an nginx configuration for the `http {}` block:
 * one upstream per version, `split_clients` on `$request_id` for the weights
 * (each request is drawn afresh), and for a shadow the `mirror` module with a
 * second, independent draw deciding which mirrored requests reach the shadow
 * (nginx mirrors every request; the others are answered 204 inside nginx).
 * A blue-green preview gets its upstream and, with `preview_listen`, a
 * server of its own that sends it every request; after the switch the
 * version it replaced keeps its upstream with no traffic. Proxying keeps
 * streamed answers streaming (no buffering, HTTP/1.1).
 */
function renderNginx(plan, settings, deployment) {
    const path = checkRepoPath(expandTemplate(settings.path, plan));
    if (!path.ok || !path.path)
        return badPath('deploy.nginx.path', settings.path, path);
    const model = identifier(plan.model);
    const upstream = (version) => `modelgate_${model}__${identifier(version)}`;
    const versions = [
        ...new Set([
            ...plan.backends.map((b) => b.version),
            ...(plan.mirror ? [plan.mirror.version] : []),
            ...(plan.preview ? [plan.preview.version] : []),
            ...(plan.standby ? [plan.standby.version] : []),
        ]),
    ];
    const clash = sameName(plan.model, new Map(versions.map((v) => [v, upstream(v)])), 'nginx upstream');
    if (clash)
        return clash;
    let name = '';
    if (settings.serverName !== undefined) {
        const host = hostNameOf(settings.serverName, plan.model, 'deploy.nginx.server_name');
        if (!host.ok)
            return host;
        name = host.host;
    }
    const serverName = name ? [`    server_name ${name};`] : [];
    const lines = [`# ${fileHeader(plan.summary, deployment.id)}`, `# trigger ${deployment.trigger}`];
    if (plan.standby)
        lines.push(`# ${plan.standby.version} keeps its upstream with no traffic: keep its server up ${plan.standby.seconds} s after this deployment is live (scale_down_delay).`);
    lines.push('');
    for (const version of versions) {
        const address = typeof settings.upstream === 'string'
            ? expandTemplate(settings.upstream, { model: plan.model, version })
            : settings.upstream[version];
        if (address === undefined)
            return {
                ok: false,
                reason: `deploy.nginx.upstream has no address for ${plan.model} ${version}`,
                fix: `Add "${version}": host:port under deploy.nginx.upstream, or make it a template such as {model}-{version}.internal:8000.`,
            };
        if (!ADDRESS.test(address))
            return {
                ok: false,
                reason: `deploy.nginx.upstream gives "${address}" for ${plan.model} ${version}, not host:port or unix:/path`,
                fix: 'Give each version an address nginx can proxy to, such as 127.0.0.1:8001.',
            };
        lines.push(`upstream ${upstream(version)} {`, `    server ${address};`, '    keepalive 16;', '}');
    }
    // One version: proxy straight to it; two: a per-request draw picks the upstream.
    let target = upstream(plan.backends[0].version);
    if (plan.backends.length > 1) {
        target = `$modelgate_${model}_upstream`;
        const [rest, deployed] = plan.backends;
        lines.push(`split_clients "\${request_id}" ${target} {`, `    ${deployed.weight}% ${upstream(deployed.version)};`, `    * ${upstream(rest.version)};`, '}');
    }
    const sampled = `$modelgate_${model}_mirrored`;
    if (plan.mirror)
        lines.push(`split_clients "mirror\${request_id}" ${sampled} {`, `    ${plan.mirror.percent}% 1;`, '    * "";', '}');
    const proxy = [
        'proxy_http_version 1.1;',
        'proxy_set_header Connection "";',
        'proxy_set_header Host $host;',
        'proxy_buffering off;',
        'proxy_read_timeout 600s;',
    ];
    lines.push('server {', `    listen ${settings.listen};`, ...serverName, '    location / {', `        proxy_pass http://${target};`);
    lines.push(...proxy.map((p) => `        ${p}`));
    if (plan.mirror)
        lines.push(`        mirror ${MIRROR_LOCATION};`, '        mirror_request_body on;');
    lines.push('    }');
    if (plan.mirror)
        lines.push(`    location = ${MIRROR_LOCATION} {`, '        internal;', `        if (${sampled} = "") {`, '            return 204;', '        }', `        proxy_pass http://${upstream(plan.mirror.version)}$request_uri;`, ...proxy.map((p) => `        ${p}`), '    }');
    lines.push('}');
    if (plan.preview && settings.previewListen)
        lines.push('server {', `    listen ${settings.previewListen};`, ...serverName, '    location / {', `        proxy_pass http://${upstream(plan.preview.version)};`, ...proxy.map((p) => `        ${p}`), '    }', '}');
    lines.push('');
    const servers = [
        { listen: settings.listen, name },
        ...(plan.preview && settings.previewListen ? [{ listen: settings.previewListen, name }] : []),
    ];
    return { ok: true, rendered: { content: lines.join('\n'), path: path.path, objects: [], servers } };
}
/**
 * nginx's warning that it ignored one of `servers` (`conflicting server name
 * "" on 0.0.0.0:8080, ignored`, printed by `nginx -t`): another server
 * answers the same port and host name, and nginx gives every request to the
 * one it read first, so one model's requests reach another's versions.
 * Matched by port and host name: nginx writes the address in its own form
 * (`[::1]`, `127.0.0.1`), and a refusal of a lookalike on another address
 * costs less than a misroute let through. Undefined when the output holds no
 * such warning about these servers.
 */
function ignoredServerWarning(output, servers) {
    for (const line of output.split('\n')) {
        const warned = /conflicting server name "([^"]*)" on \S*:(\d+), ignored/.exec(line);
        if (!warned)
            continue;
        const [, name = '', port = ''] = warned;
        if (servers.some((s) => s.name === name.toLowerCase() && portOf(s.listen) === Number(port)))
            return warned[0];
    }
    return undefined;
}
/** The servers a file modelgate rendered defines (its `listen` and `server_name` lines), to tell which ones a write adds. */
function nginxServersIn(content) {
    const servers = [];
    for (const match of content.matchAll(/^server \{\n {4}listen (\S+);\n(?: {4}server_name (\S+);\n)?/gm))
        servers.push({ listen: match[1], name: match[2] ?? '' });
    return servers;
}
/** The port a `listen` opens ("8080", "127.0.0.1:8080", "[::1]:08080"). */
const portOf = (listen) => Number(listen.slice(listen.lastIndexOf(':') + 1));

/**
 * Plans the traffic of a deployment: the payload's version answers `weight`
 * percent and the version live in production the rest. With no other
 * version live (the first release, a rollback to the production version, or
 * the promotion at 100) the deployed version answers everything, and the
 * summary says so. A mirror copies requests to the deployed version; it
 * needs another version live to answer them, and a weight of 0 (a shadow
 * answers no one). A blue-green preview (weight 0) is deployed beside the
 * live version and answers no user; the switch (`active`, weight 100) keeps
 * the version it replaced in place with no traffic (`standby`).
 */
function planRouting(payload, live) {
    const { model, version, weight, mirror, role } = payload;
    const other = live !== undefined && live !== version ? live : undefined;
    if (mirror !== undefined && other === undefined)
        return {
            ok: false,
            reason: `${model} ${version} asks for a mirror of ${mirror}% but no other version is live in production to copy requests from`,
            fix: 'Deploy a version to production first; a shadow only copies requests another version answers.',
        };
    if (mirror !== undefined && weight > 0)
        return {
            ok: false,
            reason: `${model} ${version} asks for ${weight}% of traffic and a mirror of ${mirror}% at once: it would answer some requests and get copies of others, some twice, and its metrics would count them twice`,
            fix: 'A shadow answers no one: deploy it with weight 0 and a mirror, or as a canary with a weight and no mirror.',
        };
    // The payload schema holds these already; the routing must not depend on every caller having checked it.
    if ((role === 'preview' && weight !== 0) || (role === 'active' && weight !== 100))
        return {
            ok: false,
            reason: `${model} ${version} is a blue-green ${role} at ${weight}%: a preview takes 0%, the switch 100%`,
            fix: 'Deployments are created by modelgate; see schema/deployment-payload.schema.json.',
        };
    if (other === undefined || weight === 100) {
        const alone = other === undefined && weight < 100
            ? ` (asked ${weight}%${role === 'preview' ? ' as a preview' : ''}: no other version is live in production, so it answers every request)`
            : '';
        // After a switch the version it replaced stays in place, with no traffic, so a switch back is instant.
        const standby = role === 'active' && other !== undefined
            ? { version: other, seconds: payload.scale_down_delay ?? 0 }
            : undefined;
        return {
            ok: true,
            plan: {
                model,
                version,
                backends: [{ version, weight: 100 }],
                ...(standby ? { standby } : {}),
                summary: standby
                    ? `${model} ${version} answers 100% of requests; ${standby.version} stays in place with no traffic for ${standby.seconds} s`
                    : `${model} ${version} answers 100% of requests${alone}`,
            },
        };
    }
    const backends = [
        { version: other, weight: 100 - weight },
        { version, weight },
    ].filter((b) => b.weight > 0);
    const share = weight > 0
        ? `${model} ${version} answers ${weight}%, ${other} ${100 - weight}%`
        : `${model} ${other} answers 100%`;
    const extra = mirror !== undefined
        ? `; ${mirror}% of requests are copied to ${version}`
        : role === 'preview'
            ? `; ${version} is deployed beside it as a preview (no user traffic)`
            : '';
    return {
        ok: true,
        plan: {
            model,
            version,
            backends,
            ...(mirror !== undefined ? { mirror: { version, percent: mirror } } : {}),
            ...(role === 'preview' ? { preview: { version } } : {}),
            summary: `${share}${extra}`,
        },
    };
}

/**
 * Where a deployment's routing goes, as `.github/modelgate.yml` configures it
 * under `deploy:` (parsed by src/io/settings.ts). Every string that names a
 * thing per model or version is a template: `{model}` and `{version}` are
 * replaced, and Kubernetes names are then made DNS-safe (see names.ts).
 */
const TARGETS = ['gateway-api', 'kserve', 'nginx'];

/**
 * Reads a deployment's payload: someone else's deployment (no model and
 * version: not modelgate's to act on or report), one that claims to be
 * modelgate's but breaks the contract (refused with the field named), or
 * modelgate's.
 */
function readDeployment(deployment) {
    if (!readDeploymentPayload(deployment.payload))
        return {
            kind: 'foreign',
            reason: `deployment ${deployment.id} has no modelgate payload ({model, version, weight, manifest, trigger})`,
        };
    const parsed = parseDeploymentPayload(deployment.payload);
    if (!parsed.ok)
        return {
            kind: 'refused',
            refusal: {
                reason: `deployment ${deployment.id}'s payload breaks modelgate's contract: ${parsed.problem}`,
                fix: 'Deployments are created by modelgate (command: release and the canary app); see schema/deployment-payload.schema.json.',
            },
        };
    return { kind: 'modelgate', payload: parsed.payload };
}
/** The production environment for a deployment's environment: settings first, else the naming of command: release. */
function productionEnvironmentOf(environment, settings) {
    const stage = settings.stages.at(-1);
    const configured = settings.environments[stage];
    if (configured)
        return configured;
    const slash = environment.lastIndexOf('/');
    return slash < 0 ? stage : `${environment.slice(0, slash)}/${stage}`;
}
/** Which configured target a deployment goes to: the one asked for, or the only one configured. */
function chooseTarget(settings, asked) {
    const configured = TARGETS.filter((t) => settingsOf(settings, t) !== undefined);
    const fix = `Configure it under deploy: in .github/modelgate.yml on the default branch (gateway_api, kserve or nginx), and name it with the input "target" when there are several.`;
    if (asked) {
        if (!TARGETS.includes(asked))
            return { ok: false, reason: `target "${asked}" is not one of ${TARGETS.join(', ')}`, fix };
        if (!configured.includes(asked))
            return { ok: false, reason: `target "${asked}" is not configured`, fix };
        return { ok: true, target: asked };
    }
    if (configured.length === 1)
        return { ok: true, target: configured[0] };
    return {
        ok: false,
        reason: configured.length
            ? `several targets are configured (${configured.join(', ')}) and none was named`
            : 'no deploy target is configured',
        fix,
    };
}
function settingsOf(settings, target) {
    return target === 'gateway-api'
        ? settings.gatewayApi
        : target === 'kserve'
            ? settings.kserve
            : settings.nginx;
}
/**
 * Plans one deployment: refuses a version that is not released exactly as
 * the deployment names it (the ref is the release tag, the tag is annotated
 * and points at the deployment's commit), stands down when a newer
 * deployment replaced it, and otherwise renders the routing for the target.
 */
function planDeploy(facts) {
    const { deployment, payload, tag } = facts;
    const wanted = releaseTag(payload.model, payload.version);
    const fix = `Deploy released versions only: command: release creates ${wanted} and the deployment together.`;
    const refuse = (reason, why = fix) => ({
        kind: 'refused',
        refusal: { reason, fix: why },
    });
    if (deployment.ref !== wanted)
        return refuse(`deployment ${deployment.id} deploys the ref "${deployment.ref}", not the release tag ${wanted}`);
    if (!tag.exists)
        return refuse(`${payload.model} ${payload.version} is not released: the tag ${wanted} does not exist`);
    if (!tag.annotated)
        return refuse(`${wanted} is a lightweight tag: releases are annotated tags (who and when), so it is not a release`);
    if (tag.commit !== deployment.sha)
        return refuse(`${wanted} points at ${tag.commit.slice(0, 12)} but deployment ${deployment.id} deploys ${deployment.sha.slice(0, 12)}`);
    const withdrawn = facts.registration &&
        registrationProblem(readRegistry(facts.registration).get(payload.model), payload.model, payload.version);
    if (withdrawn)
        return refuse(withdrawn.reason, `Deploy a released version${withdrawn.withdrawn ? `, or register ${payload.version} again if its withdrawal was a mistake` : ''}.`);
    if (facts.newer === undefined)
        return refuse(`deployment ${deployment.id} of ${payload.model} is not among the repository's newest deployments, so whether a newer one replaced it cannot be told`, `Deploy ${payload.model} ${payload.version} again: a new deployment (command: release, or the app's rollout) is the newest.`);
    const replacing = replacedBy({ environment: deployment.environment, whole: takesAllTraffic(payload) }, facts.newer, facts.production, facts.reported === 'success');
    if (replacing)
        return {
            kind: 'superseded',
            by: replacing.by.id,
            description: `superseded by deployment ${replacing.by.id} of ${payload.model}: traffic not changed`,
            inactive: replacing.inactive && facts.reported !== 'success',
        };
    // The live version names a Service and goes into the rendered file: only a plain version, never text.
    if (facts.live !== undefined && versionProblem(facts.live))
        return refuse(`the version live in production is given as ${JSON.stringify(facts.live.slice(0, 80))}, which is not a version`, 'Deploy the version that should serve production again, so its deployment names it.');
    const routing = planRouting(payload, facts.live);
    if (!routing.ok)
        return refuse(routing.reason, routing.fix);
    if (facts.target === 'kserve') {
        // The weights come from the manifest the payload names: only the release's own may tie them.
        const decoy = releasedManifestPathProblem(payload.manifest, {
            tag: wanted,
            recorded: tag.manifest,
            globs: facts.manifests,
        });
        if (decoy)
            return refuse(decoy, `Deploy with the payload command: release wrote: it names the release's manifest.`);
        const storageUri = expandTemplate(facts.settings.kserve.storageUri, payload);
        const unbound = storageBindingProblem(storageUri, facts.weights, { ...payload, tag: wanted });
        if (unbound)
            return refuse(unbound.reason, unbound.fix);
    }
    const ref = { id: deployment.id, trigger: payload.trigger };
    const rendered = facts.target === 'gateway-api'
        ? renderHttpRoute(routing.plan, facts.settings.gatewayApi, ref)
        : facts.target === 'kserve'
            ? renderInferenceService(routing.plan, facts.settings.kserve, ref)
            : renderNginx(routing.plan, facts.settings.nginx, ref);
    if (!rendered.ok)
        return refuse(rendered.reason, rendered.fix);
    return { kind: 'apply', target: facts.target, routing: routing.plan, rendered: rendered.rendered };
}
/** A deployment status description: GitHub keeps 140 characters. */
function statusDescription(text) {
    return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}
/** Whether a payload sets all of the model's traffic: weight 100 without a mirror, or a blue-green `active`. */
const takesAllTraffic = (payload) => payload.role === 'active' || (payload.weight === 100 && payload.mirror === undefined);
/**
 * The newer deployment that replaced `deployment`, if one did, and whether
 * to report it `inactive`. Decided by what each one does, since a repository
 * whose only stage is production rolls out in production itself:
 *
 * - a deployment of all of production's traffic (a promotion, a switch
 *   back, the guard's rollback) is replaced by a newer one of all
 *   production's traffic (`inactive`, unless it is live); by a newer rollout step only once it
 *   is live, and then with no status (a re-run would take the step's share
 *   back, but it still serves production). One not applied yet, the guard's
 *   rollback whose job ran late, still applies;
 * - a rollout step (a share, a mirror, a preview) is replaced by a newer
 *   deployment of its own environment (`inactive`), or by a newer one of all
 *   production's traffic, anywhere (the step is stale: re-running a failed
 *   canary's job after the switch back moves nothing).
 */
function replacedBy(deployment, newer, production, live) {
    const sets = (n) => n.environment === production && n.whole;
    if (deployment.environment === production && deployment.whole) {
        const by = newer.find(sets);
        if (by)
            return { by, inactive: true };
        return live && newer[0] ? { by: newer[0], inactive: false } : undefined;
    }
    const by = newer.find((n) => n.environment === deployment.environment || sets(n));
    return by && { by, inactive: by.environment === deployment.environment };
}

/** Attempts when another push moves the branch between reading it and moving it (other models' deployers too). */
const ATTEMPTS = 5;
/**
 * Commits one file to a branch through the Git Data API (a tree on the
 * branch's head with the file inline, a commit, a fast-forward of the
 * branch), so Argo CD or Flux applies it; no cluster credentials. When the
 * branch already has exactly this content nothing is committed: a re-run
 * changes nothing. A push that lands in between is not overwritten: the
 * fast-forward fails, and the file is asked for again and committed on the
 * new head. Undefined when `file` gave nothing to write.
 */
async function commitGitOpsFile(octokit, write) {
    const repo = { owner: write.owner, repo: write.repo };
    const branch = write.branch ?? (await octokit.rest.repos.get(repo)).data.default_branch;
    for (let attempt = 1;; attempt += 1) {
        let head;
        try {
            head = (await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` })).data.object.sha;
        }
        catch (error) {
            if (statusOf(error) !== 404)
                throw error;
            throw new CommandError(`the GitOps branch ${branch} does not exist in ${repo.owner}/${repo.repo} (or the token cannot read it)`, 'Create the branch, or fix deploy.<target>.gitops in .github/modelgate.yml; a token for another repository goes in the input "gitops-token".');
        }
        const file = await write.file();
        if (!file)
            return undefined;
        if ((await contentAt(octokit, repo, write.path, head)) === file.content)
            return { commit: head, changed: false, branch };
        const { data: headCommit } = await octokit.rest.git.getCommit({ ...repo, commit_sha: head });
        const { data: tree } = await octokit.rest.git.createTree({
            ...repo,
            base_tree: headCommit.tree.sha,
            tree: [{ path: write.path, mode: '100644', type: 'blob', content: file.content }],
        });
        const { data: commit } = await octokit.rest.git.createCommit({
            ...repo,
            message: file.message,
            tree: tree.sha,
            parents: [head],
        });
        try {
            await octokit.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha: commit.sha, force: false });
            return { commit: commit.sha, changed: true, branch };
        }
        catch (error) {
            // 422: not a fast-forward any more (someone pushed); read the new head and build again.
            if (statusOf(error) !== 422)
                throw error;
            if (attempt >= ATTEMPTS)
                throw new CommandError(`the GitOps branch ${branch} of ${repo.owner}/${repo.repo} moved ${ATTEMPTS} times while this deployment was being committed`, 'Re-run the job: other deployments were being committed to the branch at the same time.');
        }
    }
}
/** The text of `path` at `ref`, or undefined when there is no such file. */
async function contentAt(octokit, repo, path, ref) {
    try {
        const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
        if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
            return undefined;
        return Buffer.from(data.content, 'base64').toString('utf8');
    }
    catch (error) {
        if (statusOf(error) === 404)
            return undefined;
        throw error;
    }
}

/** A generated nginx file is a few KiB; a larger one at the path is not modelgate's. */
const NGINX_FILE_MAX_BYTES = 1024 * 1024;
/** How long the workflow's reload command may take. */
const RELOAD_TIMEOUT_MS = 60_000;
/**
 * Writes the nginx configuration under the workspace root through the
 * containment rule (no `..`, no `.git/`, never through a symlinked folder,
 * atomically). Says whether the file changed, and what it held before.
 */
async function writeNginxConfig(root, path, content) {
    const read = await new FileSystemSource(root).read(path, NGINX_FILE_MAX_BYTES);
    const previous = read.ok ? decodeUtf8(read.value) : undefined;
    if (previous === content)
        return { changed: false };
    if (!read.ok && read.problem.kind !== 'missing')
        throw new CommandError(`deploy.nginx.path ${path} cannot be written: ${read.problem.detail}`, 'Point deploy.nginx.path at a regular file inside the workspace.');
    try {
        await new ContainedRoot(root).write(path, content);
    }
    catch (error) {
        if (error instanceof ContainmentError)
            throw new CommandError(error.message, 'Point deploy.nginx.path at a regular file inside the workspace.');
        throw error;
    }
    return { changed: true, previous };
}
/**
 * Takes a write back after the reload failed: the file holds what nginx
 * runs again (the content it replaced, or no file), so the next reload of
 * anything, or a restart, does not put the refused routing live.
 */
async function undoNginxWrite(root, path, write) {
    if (!write.changed)
        return;
    const contained = new ContainedRoot(root);
    if (write.previous === undefined)
        await contained.remove(path);
    else
        await contained.write(path, write.previous);
}
/**
 * Runs the reload command the workflow gave (input "reload-command", e.g.
 * `sudo nginx -t && sudo nginx -s reload`) with `sh -c` in the root. The
 * command is the workflow's, never the repository's or a pull request's.
 */
function runReloadCommand(root, command) {
    return new Promise((resolve) => {
        execFile('sh', ['-c', command], { cwd: root, timeout: RELOAD_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
            if (!error)
                return resolve({ ok: true, output: `${String(stderr)}\n${String(stdout)}` });
            const last = String(stderr).trim().split('\n').slice(-3).join(' | ');
            const how = error.killed
                ? `timed out after ${RELOAD_TIMEOUT_MS / 1000} s`
                : `exit ${String(error.code)}`;
            resolve({ ok: false, detail: `${how}${last ? `: ${last}` : ''}` });
        });
    });
}
/** The nginx file was not applied: the reload failed, or nginx ignored its server. The file holds what it held. */
class NginxNotApplied extends CommandError {
}
/**
 * Writes the nginx file and runs the reload command (when given, and when
 * the file changed or `reloadUnchanged`). A reload that fails puts the file
 * back to what it held and throws NginxNotApplied. So does a reload after
 * which nginx says it ignored a server this write added (another server
 * answers the same port and host name, so nginx gives their requests to the
 * one it read first: another model's versions), which also reloads the file
 * as it was. A server the file already had is not refused for a conflict:
 * the conflict is not this write's, and refusing would keep, say, a guard's
 * rollback from going live; it is returned, for the log. nginx says so in
 * `nginx -t`, which the reload command runs first.
 */
async function applyNginxFile(root, rendered, reload, reloadUnchanged) {
    const { path } = rendered;
    const write = await writeNginxConfig(root, path, rendered.content);
    if (!reload || (!write.changed && !reloadUnchanged))
        return write;
    const result = await runReloadCommand(root, reload);
    if (!result.ok) {
        await undoNginxWrite(root, path, write);
        throw new NginxNotApplied(`the reload command failed (${result.detail}); ${path} holds what it held before`, 'Fix the reload command or the nginx server, then deploy again.');
    }
    const had = write.changed && write.previous !== undefined ? nginxServersIn(write.previous) : [];
    const servers = rendered.servers ?? [];
    const added = write.changed
        ? servers.filter((s) => !had.some((h) => h.listen === s.listen && h.name === s.name))
        : [];
    const conflict = ignoredServerWarning(result.output, servers);
    if (!conflict || !ignoredServerWarning(result.output, added))
        return conflict ? { ...write, conflict } : write;
    await undoNginxWrite(root, path, write);
    const again = await runReloadCommand(root, reload);
    throw new NginxNotApplied(`a server of ${path} conflicts with another on the same port and host name (nginx: ${conflict}), and nginx gives all their requests to the one it read first; ${path} holds what it held before${again.ok ? ', and nginx was reloaded with it' : `, but reloading that failed (${again.detail}): nginx may still run the refused file`}`, 'Give each model a host name of its own (deploy.nginx.server_name, such as {model}.llm.internal), or a listen of its own.');
}

/**
 * Deploys one GitHub Deployment: reads and checks it, plans its routing for
 * the target, writes it (a GitOps commit, or the nginx file and the reload),
 * and reports `in_progress`, then `success` (live at the payload's weight)
 * or `failure`, each with the run's log_url. A re-run of a deployment that
 * is live and unchanged writes and reports nothing.
 */
async function deployOnce(deployment, options) {
    const { api, log } = options;
    const reading = readDeployment(deployment);
    if (reading.kind === 'foreign')
        return { kind: 'foreign', reason: reading.reason };
    const fail = async (reason, fix) => {
        if (!options.dryRun)
            await api.postStatus(deployment.id, 'failure', statusDescription(reason), options.logUrl);
        return { kind: 'refused', reason, fix };
    };
    if (reading.kind === 'refused')
        return fail(reading.refusal.reason, reading.refusal.fix);
    const { payload } = reading;
    // The facts about this deployment's own release are read once; those that other jobs change (a
    // newer deployment, the version live in production, this deployment's status) are read again for the
    // plan that is written, right before the write: another deployer job of the model may run at
    // the same time (GitHub runs deployment workflows in parallel), and a plan made before its
    // deployment existed would undo it.
    let planNow;
    let plan;
    try {
        const settings = await api.settings();
        const target = chooseTarget(settings.deploy, options.target);
        if (!target.ok)
            return fail(target.reason, target.fix);
        const production = productionEnvironmentOf(deployment.environment, settings);
        const tag = await api.releaseTag(releaseTag(payload.model, payload.version));
        const registration = await api.registration(payload.model, payload.version);
        // KServe loads whatever its storageUri holds: tied to the weights the release's manifest lists.
        const weights = target.target === 'kserve' ? await api.releasedManifest(payload.manifest, deployment.sha) : undefined;
        planNow = async () => {
            const live = await api.liveVersion(production, payload.model);
            // A split against a version nobody can name would send the rest of the traffic nowhere known:
            // only a deployment that takes all traffic (a promotion, a rollback) goes on without it.
            if (typeof live === 'object' && (payload.weight < 100 || payload.mirror !== undefined))
                return {
                    kind: 'refused',
                    refusal: {
                        reason: `the version of ${payload.model} live in ${production} cannot be told: ${live.unknown}`,
                        fix: `Deploy the release that serves ${production} there again at weight 100, or deploy this version at weight 100.`,
                    },
                };
            return planDeploy({
                deployment,
                payload,
                tag,
                newer: await api.newerDeployments(payload.model, deployment.id),
                reported: (await api.latestStatus(deployment.id))?.state,
                registration,
                production,
                live: typeof live === 'object' ? undefined : live,
                target: target.target,
                settings: settings.deploy,
                manifests: settings.manifests,
                ...(weights ? { weights } : {}),
            });
        };
        plan = await planNow();
    }
    catch (error) {
        if (error instanceof CommandError)
            return fail(error.message, error.fix ?? '');
        throw error;
    }
    if (plan.kind === 'refused')
        return fail(plan.refusal.reason, plan.refusal.fix);
    if (plan.kind === 'superseded') {
        if (!options.dryRun && plan.inactive)
            await api.postStatus(deployment.id, 'inactive', plan.description, options.logUrl);
        return { kind: 'superseded', by: plan.by };
    }
    const outcome = (applied) => ({
        target: applied.target,
        path: applied.rendered.path,
        summary: applied.routing.summary,
        content: applied.rendered.content,
    });
    if (options.dryRun)
        return { kind: 'dry-run', ...outcome(plan) };
    const before = await api.latestStatus(deployment.id);
    const live = before?.state === 'success';
    if (!live)
        await api.postStatus(deployment.id, 'in_progress', statusDescription(`applying: ${plan.routing.summary}`), options.logUrl);
    // The plan written is the one made last, right before the write (nginx) or on the head the
    // commit is built on (GitOps: a push in between makes the commit try again, with a new plan).
    let applied = plan;
    let stop;
    const replan = async () => {
        const now = await planNow();
        if (now.kind === 'apply')
            return (applied = now);
        stop = now;
        return undefined;
    };
    try {
        let changed;
        let commit;
        if (plan.target === 'nginx') {
            const now = await replan();
            if (!now)
                return await stoodDown(stop);
            const { rendered } = now;
            const applied = await applyNginxFile(options.root, rendered, options.reloadCommand, !live);
            changed = applied.changed;
            log(`${changed ? 'wrote' : 'unchanged:'} ${rendered.path}`);
            if (applied.conflict)
                log(`warning: nginx says a server of ${rendered.path} conflicts with another (${applied.conflict}); the file already had that server, so it is applied: give each model its own deploy.nginx.server_name`);
        }
        else {
            const { rendered } = plan;
            const [owner, repo] = (rendered.gitops?.repository ?? `${options.repo.owner}/${options.repo.repo}`).split('/');
            const result = await commitGitOpsFile(options.gitops, {
                owner,
                repo,
                ...(rendered.gitops?.branch ? { branch: rendered.gitops.branch } : {}),
                path: rendered.path,
                file: async () => {
                    const now = await replan();
                    return (now && {
                        content: now.rendered.content,
                        message: `Deploy ${payload.model} ${payload.version} at ${payload.weight}%\n\n${now.routing.summary}.\nDeployment: ${deployment.id}\nTrigger: ${payload.trigger}`,
                    });
                },
            });
            if (!result)
                return await stoodDown(stop);
            ({ changed, commit } = result);
            log(`${changed ? 'committed' : 'unchanged:'} ${rendered.path} on ${owner}/${repo}@${result.branch} (${result.commit.slice(0, 12)})`);
        }
        const done = outcome(applied);
        if (live && !changed)
            return { kind: 'unchanged', ...done, ...(commit ? { commit } : {}) };
        await api.postStatus(deployment.id, 'success', statusDescription(done.summary), options.logUrl);
        return { kind: 'applied', ...done, ...(commit ? { commit } : {}) };
    }
    catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await api.postStatus(deployment.id, 'failure', statusDescription(`not applied: ${reason}`), options.logUrl);
        throw error;
    }
    /**
     * The plan made right before the write no longer applies: a newer deployment replaced this one,
     * or a check now refuses it. Nothing is written. A deployment that was not live, reported
     * `in_progress` above, is `inactive`, whichever environment replaced it: it never took traffic.
     * A live one keeps its `success` until the newer one is live (as planDeploy reports it).
     */
    async function stoodDown(now) {
        if (now.kind === 'refused')
            return fail(now.refusal.reason, now.refusal.fix);
        log(`not written: ${now.description}`);
        if (!live)
            await api.postStatus(deployment.id, 'inactive', now.description, options.logUrl);
        return { kind: 'superseded', by: now.by };
    }
}

/**
 * Registry tags read through the API: annotated tags are peeled to their
 * commit (and give their tagger date); lightweight ones count as undated,
 * which GTO's numbered tags order anyway. A tag GTO would not read (a tag of
 * something else than a commit, or one whose object names another tag)
 * carries its problem, so the registry reports it instead of reading it.
 */
function tagRecordsOf(octokit, repo, refs) {
    return Promise.all(refs.map(async (ref) => {
        if (ref.object.type !== 'tag')
            return { name: ref.name, commit: ref.object.sha, date: 0 };
        const { data } = await octokit.rest.git.getTag({ ...repo, tag_sha: ref.object.sha });
        const problem = data.object.type !== 'commit'
            ? `it tags a ${data.object.type}, not a commit`
            : data.tag !== ref.name
                ? `the tag object is named ${data.tag}`
                : undefined;
        return {
            name: ref.name,
            commit: data.object.sha,
            date: Math.floor(Date.parse(data.tagger.date) / 1000) || 0,
            offset: utcOffset(data.tagger.date),
            tagger: { name: data.tagger.name, email: data.tagger.email },
            message: data.message,
            ...(problem ? { problem } : {}),
        };
    }));
}
/**
 * The tags that register and deregister `version` of `model` (`<model>@v<version>`,
 * `…#N`, `…!`, `…!#N`): what decides whether the version is a release now.
 * Reading only these gives the version the registration a read of all the
 * model's tags gives it (registrations are read before stage tags).
 */
async function versionTagRecords(octokit, repo, model, version) {
    const { data } = await octokit.rest.git.listMatchingRefs({
        ...repo,
        ref: `tags/${releaseTag(model, version)}`,
    });
    const own = data
        .map((r) => ({ name: r.ref.replace(/^refs\/tags\//, ''), object: r.object }))
        .filter((r) => {
        const tag = parseRegistryTag(r.name);
        return (tag?.action === 'register' || tag?.action === 'deregister') && tag.version === version;
    });
    return tagRecordsOf(octokit, repo, own);
}
/** The UTC offset of an ISO 8601 date as git writes it ("+0300"); GitHub's API gives "Z" (UTC). */
function utcOffset(date) {
    const zone = /([+-])(\d{2}):?(\d{2})$/.exec(date);
    return zone ? `${zone[1]}${zone[2]}${zone[3]}` : '+0000';
}

/** How far back the deployer looks for the version live in production. */
const LIVE_LOOKBACK = 10;
/** Pages of 100 deployments read at most to find a model's in a shared environment (or in the repository). */
const DEPLOYMENT_PAGES = 3;
/** DeployerApi over the GitHub REST API for the registry's repository. */
function githubDeployerApi(octokit, repo) {
    // The repository's deployments (of `environment`, when given), newest first: pages of 100, at
    // most DEPLOYMENT_PAGES, until `enough` holds. `cut` when pages were left unread.
    const listed = async (environment, enough) => {
        const seen = [];
        let page = 0;
        for await (const { data, headers } of octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
            ...repo,
            ...(environment === undefined ? {} : { environment }),
            per_page: 100,
        })) {
            seen.push(...data.map(listedDeployment));
            if (enough(seen))
                return { seen, cut: false };
            if (++page >= DEPLOYMENT_PAGES)
                return { seen, cut: /rel="next"/.test(headers.link ?? '') };
        }
        return { seen, cut: false };
    };
    const latestStatus = async (deployment) => {
        const { data } = await octokit.rest.repos.listDeploymentStatuses({
            ...repo,
            deployment_id: deployment,
            per_page: 1,
        });
        return data[0] && { state: data[0].state, description: data[0].description ?? '' };
    };
    const releaseTagFacts = async (tag) => {
        let ref;
        try {
            ref = (await octokit.rest.git.getRef({ ...repo, ref: `tags/${tag}` })).data;
        }
        catch (error) {
            if (statusOf(error) === 404)
                return { exists: false };
            throw error;
        }
        // GET /git/ref/tags/x also answers for a ref that only starts with x: take exact names only.
        if (ref.ref !== `refs/tags/${tag}`)
            return { exists: false };
        if (ref.object.type !== 'tag')
            return { exists: true, annotated: false, commit: ref.object.sha };
        const { data: annotated } = await octokit.rest.git.getTag({ ...repo, tag_sha: ref.object.sha });
        // A tag of a tag is not a release (GTO cannot read it either): report it as pointing at no commit.
        const manifest = manifestLine(annotated.message);
        return {
            exists: true,
            annotated: true,
            commit: annotated.object.type === 'commit' ? annotated.object.sha : `a ${annotated.object.type}`,
            ...(manifest === undefined ? {} : { manifest }),
        };
    };
    return {
        async settings() {
            const { data: repository } = await octokit.rest.repos.get(repo);
            let text;
            try {
                const { data } = await octokit.rest.repos.getContent({
                    ...repo,
                    path: SETTINGS_FILE,
                    ref: repository.default_branch,
                });
                if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
                    throw new CommandError(`${SETTINGS_FILE} on ${repository.default_branch} is not a file`);
                if (data.size > SETTINGS_MAX_BYTES)
                    throw new CommandError(`${SETTINGS_FILE} is larger than ${SETTINGS_MAX_BYTES / 1024} KiB`);
                text = Buffer.from(data.content, 'base64').toString('utf8');
            }
            catch (error) {
                if (statusOf(error) !== 404)
                    throw error;
            }
            return parseSettings(text);
        },
        async releasedManifest(path, commit) {
            const checked = checkRepoPath(path);
            if (!checked.ok || !checked.path)
                return { manifest: path, unreadable: `the path ${checked.ok ? 'is empty' : checked.reason}` };
            try {
                const { data } = await octokit.rest.repos.getContent({ ...repo, path: checked.path, ref: commit });
                if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
                    return { manifest: checked.path, unreadable: 'it is not a file' };
                if (data.size > MANIFEST_MAX_BYTES)
                    return { manifest: checked.path, unreadable: `it is larger than ${MANIFEST_MAX_BYTES / 1024} KiB` };
                return { manifest: checked.path, text: Buffer.from(data.content, 'base64').toString('utf8') };
            }
            catch (error) {
                const status = statusOf(error);
                if (status === 404)
                    return { manifest: checked.path, unreadable: 'no such file at the release' };
                // Unread is unchecked: the deployment fails (a re-run reads it again), it is never applied.
                throw new CommandError(`${checked.path} at ${commit.slice(0, 12)} could not be read from GitHub (${status === undefined ? (error instanceof Error ? error.message : String(error)) : `HTTP ${status}`}), so the KServe storageUri cannot be tied to the release's weights`, 'Re-run the deploy job once GitHub answers.');
            }
        },
        releaseTag: (tag) => releaseTagFacts(tag),
        registration: (model, version) => versionTagRecords(octokit, repo, model, version),
        async newerDeployments(model, id) {
            const { seen, cut } = await listed(undefined, (all) => all.some((d) => d.id <= id));
            if (cut && !seen.some((d) => d.id <= id))
                return undefined;
            // Only deployments that can route: one whose payload breaks the contract, or whose ref is not its
            // version's release tag, is refused by every deployer run and replaces nothing (it could stand a
            // pending guard rollback down). A failure status is no such sign: a run that failed is re-run.
            return seen
                .filter((d) => d.id > id &&
                d.model === model &&
                d.version !== undefined &&
                d.ref === releaseTag(model, d.version))
                .map(({ id: newer, environment, whole }) => ({ id: newer, environment, whole }));
        },
        async liveVersion(environment, model) {
            const wholeOf = (all) => all.filter((d) => d.model === model && d.whole);
            const { seen, cut } = await listed(environment, (all) => wholeOf(all).length >= LIVE_LOOKBACK);
            const deployments = wholeOf(seen).slice(0, LIVE_LOOKBACK);
            for (const deployment of deployments) {
                const { version } = deployment;
                if (version === undefined)
                    continue;
                const status = await latestStatus(deployment.id);
                if (status?.state !== 'success')
                    continue;
                // Live only as a release: anyone with deployments: write can make a deployment and report it a
                // success, and its version would name the Service the rest of the traffic goes to.
                const tag = releaseTag(model, version);
                const facts = deployment.ref === tag ? await releaseTagFacts(tag) : undefined;
                if (facts?.exists && facts.annotated && facts.commit === deployment.sha)
                    return version;
            }
            if (!deployments.length && !cut)
                return undefined;
            if (!deployments.length)
                return {
                    unknown: `no deployment of ${model} that takes all its traffic is among the ${DEPLOYMENT_PAGES * 100} newest in ${environment}, so whether one serves it cannot be told`,
                };
            return {
                unknown: `none of the ${deployments.length} newest ${environment} deployments of ${model} that take all its traffic is a release reported live`,
            };
        },
        latestStatus,
        async postStatus(deployment, state, description, logUrl) {
            await octokit.rest.repos.createDeploymentStatus({
                ...repo,
                deployment_id: deployment,
                state,
                description,
                ...(logUrl ? { log_url: logUrl } : {}),
                // Never GitHub's own: it marks every earlier deployment of the environment inactive, other
                // models' too when models share one, which ends their rollouts. The deployer says which it replaced.
                auto_inactive: false,
            });
        },
    };
}
// Only payloads that keep the contract give a version: a version string from anyone with
// deployments: write goes into rendered files and Service names, so it is never read loosely.
function listedDeployment(d) {
    const model = readDeploymentPayload(d.payload)?.model;
    const parsed = parseDeploymentPayload(d.payload);
    const whole = !parsed.ok || takesAllTraffic(parsed.payload);
    return {
        id: d.id,
        ref: d.ref,
        sha: d.sha,
        environment: d.environment ?? '',
        model,
        version: parsed.ok ? parsed.payload.version : undefined,
        whole,
    };
}

/**
 * `command: deploy`, in a workflow `on: deployment`: turns a modelgate
 * Deployment into traffic on the configured target and reports the
 * deployment's statuses with a link to this run. What is deployed comes
 * from GitHub (the event, the release tag, the default branch's settings)
 * and from the workflow, never from a pull request.
 */
async function runDeploy(inputs) {
    const deployment = deploymentOfEvent();
    if (!inputs.token)
        throw new CommandError('input "github-token" is empty', 'Pass a token with deployments: write and contents: read.');
    const octokit = createOctokit(inputs.token, warning);
    const outcome = await deployOnce(deployment, {
        api: githubDeployerApi(octokit, context.repo),
        repo: context.repo,
        gitops: inputs.gitopsToken ? createOctokit(inputs.gitopsToken, warning) : octokit,
        root: resolve(inputs.root),
        ...(inputs.target ? { target: inputs.target } : {}),
        ...(inputs.reloadCommand ? { reloadCommand: inputs.reloadCommand } : {}),
        logUrl: `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`,
        dryRun: inputs.dryRun,
        log: (line) => info(inertText(line)),
    });
    const record = { deployment: deployment.id, state: outcome.kind };
    switch (outcome.kind) {
        case 'foreign':
            setOutput(OUTPUTS.deployed, JSON.stringify(record));
            setFailed(`${outcome.reason}: not modelgate's to deploy, nothing changed and no status reported (run this step only for modelgate deployments: if: github.event.deployment.payload.model)`);
            return;
        case 'refused':
            setOutput(OUTPUTS.deployed, JSON.stringify(record));
            setFailed(`${inertText(outcome.reason)}${outcome.fix ? ` (${outcome.fix})` : ''}`);
            return;
        case 'superseded':
            setOutput(OUTPUTS.deployed, JSON.stringify({ ...record, supersededBy: outcome.by }));
            notice(`deployment ${deployment.id} was superseded by deployment ${outcome.by}: traffic not changed`);
            return;
        default: {
            const { content, ...rest } = outcome;
            setOutput(OUTPUTS.deployed, JSON.stringify({ ...record, ...rest, state: outcome.kind }));
            info(inertText(outcome.summary));
            const heading = outcome.kind === 'dry-run' ? 'modelgate deploy (dry run)' : 'modelgate deploy';
            await summary
                .addHeading(heading, 2)
                .addRaw(`${inertText(outcome.summary)} (${outcome.target}, ${inertText(outcome.path)})`, true)
                .addCodeBlock(content)
                .write();
        }
    }
}
/** The deployment of a `deployment` event (GitHub wrote the event file; the runner trusts it, and so do we). */
function deploymentOfEvent() {
    const deployment = context.payload.deployment;
    if (context.eventName !== 'deployment' || !deployment)
        throw new CommandError(`command: deploy runs on deployment events, not "${context.eventName}"`, 'Run it in a workflow "on: deployment".');
    const { id, sha, ref, environment, payload } = deployment;
    if (typeof id !== 'number' ||
        typeof sha !== 'string' ||
        typeof ref !== 'string' ||
        typeof environment !== 'string')
        throw new CommandError('the deployment event has no id, sha, ref or environment');
    return { id, sha, ref, environment, payload };
}

export { runDeploy };
