import { i as distExports, f as decodeUtf8 } from './yaml-document-D8lQUcRd.js';
import './plan-B4w49cMT.js';
import { r as releasedManifestPathProblem, M as ModelManifests } from './model-manifests-CC9BAMMY.js';
import { c as checkRepoPath, d as releaseTag, r as readRegistry, v as versionProblem, F as FileSystemSource, C as ContainedRoot, b as ContainmentError } from './state-AWNhEueb.js';
import { r as registrationProblem, c as currentRegistration, d as deployRefusal } from './registration-tags-C5oXtNLZ.js';
import { k as kubernetesName, e as expandTemplate, h as hostNameOf } from './names-BCxkbDpg.js';
import { c as parseManifest, M as MANIFEST_MAX_BYTES } from './parse-B69nEYJT.js';
import { k as kserveSource, s as storageLocation, l as loads } from './storage-uri-CZ8FpHhv.js';
import { C as CommandError, s as stringOf } from './command-BFTcRIcy.js';
import { execFile } from 'node:child_process';
import { o as openRegistry, m as modelOf } from './registry-context-DF8J3qnq.js';
import 'process';
import 'buffer';
import './index-UVRYzaJe.js';
import './stage-assignment-Lq7YMt24.js';
import './escape-C_Mv5luI.js';
import './report-CbYLneVd.js';
import 'node:path';
import './hashed-string-BvNvQAaH.js';
import 'node:buffer';
import 'node:crypto';
import 'node:fs/promises';
import 'node:fs';

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
    if (!reload || (!write.changed && true))
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

/** A percent option, 0 to 100. */
function percentOf(value, name, fallback) {
    if (value === undefined)
        return fallback;
    if (!/^\d{1,3}$/.test(value) || Number(value) > 100)
        throw new CommandError(`--${name} must be a whole percent from 0 to 100, not "${value}"`);
    return Number(value);
}
/** `modelgate deploy`: renders (and for nginx writes) the routing of a released version. */
async function runDeploy(args, out) {
    const [name = '', asked = ''] = args.positionals;
    const context = await openRegistry(args, true, out);
    const model = modelOf(context, name);
    const current = currentRegistration(model, asked.replace(/^v/, ''));
    const version = current?.deregistered ? undefined : current;
    if (!version)
        throw new CommandError(`${name} ${asked} is not released (no annotated tag ${name}@v${asked.replace(/^v/, '')})`, 'Release it first (command: release, or modelgate release), then deploy.');
    const simple = releaseTag(name, version.version);
    const undeployable = deployRefusal(model, version);
    if (undeployable)
        throw new CommandError(undeployable.reason, undeployable.fix);
    const target = chooseTarget(context.settings.deploy, stringOf(args, 'target'));
    if (!target.ok)
        throw new CommandError(target.reason, target.fix);
    const mirror = percentOf(stringOf(args, 'mirror'), 'mirror');
    // KServe loads whatever its storageUri holds: tied to the weights the release's manifest lists
    // (found as every command finds it: the tag's Manifest: line, else the manifest globs).
    const weights = target.target === 'kserve' ? await releasedManifest(context, name, version.version) : undefined;
    if (weights && 'unreadable' in weights)
        throw new CommandError(`the manifest of ${name} ${version.version} at ${simple} cannot be read (${weights.manifest}: ${weights.unreadable}), so what the KServe storageUri holds cannot be tied to the release`, 'Release the version with modelgate release (its tag names the manifest), then deploy.');
    const manifest = weights?.manifest;
    const payload = {
        model: name,
        version: version.version,
        weight: percentOf(stringOf(args, 'weight'), 'weight', 100),
        manifest: manifest ?? '',
        trigger: version.commit,
        ...(mirror ? { mirror } : {}),
    };
    const lastStage = context.settings.stages.at(-1);
    const live = stringOf(args, 'live') ?? model.stages.find((s) => s.stage === lastStage)?.version;
    // The manifest is the one this command found (the tag's Manifest: line, else the globs): the
    // release's by construction, so it stands as the recorded one; no payload from anyone names it here.
    const plan = planDeploy({
        deployment: { id: 0, sha: version.commit, ref: simple, environment: lastStage, payload: {} },
        payload,
        tag: { exists: true, annotated: true, commit: version.commit, ...(manifest ? { manifest } : {}) },
        newer: [], // the deployment the command makes up is the newest: nothing else routes from here
        production: lastStage,
        live,
        target: target.target,
        settings: context.settings.deploy,
        manifests: context.settings.manifests,
        ...(weights ? { weights } : {}),
    });
    if (plan.kind === 'refused') {
        out.stderr(`modelgate: ${plan.refusal.reason}\n  fix: ${plan.refusal.fix}\n`);
        return 1;
    }
    if (plan.kind !== 'apply')
        return 1;
    out.stderr(`${plan.routing.summary} (${plan.target}: ${plan.rendered.path})\n`);
    if (!args.values.write) {
        out.stdout(plan.rendered.content);
        return 0;
    }
    if (plan.target !== 'nginx')
        throw new CommandError('--write writes nginx files only', 'Kubernetes targets are committed to their GitOps repository by the Action (command: deploy); print and commit the file yourself.');
    try {
        const write = await applyNginxFile(context.root, plan.rendered, stringOf(args, 'reload'), false);
        out.stdout(`${write.changed ? 'wrote' : 'unchanged:'} ${plan.rendered.path}\n`);
        if (write.conflict)
            out.stderr(`modelgate: warning: nginx says a server of ${plan.rendered.path} conflicts with another (${write.conflict}); the file already had that server, so it is applied\n  fix: Give each model its own deploy.nginx.server_name.\n`);
    }
    catch (error) {
        if (!(error instanceof NginxNotApplied))
            throw error;
        out.stderr(`modelgate: ${error.message}\n  fix: ${error.fix}\n`);
        return 1;
    }
    return 0;
}
/** The manifest of `version` of `name` as its release tag holds it, or why it cannot be read. */
async function releasedManifest(context, name, version) {
    const manifests = new ModelManifests(context.repo, {
        globs: context.settings.manifests,
        tags: await context.repo.readTags(),
        registry: context.registry,
    });
    const tag = manifests.tagOf(name, version);
    const found = await manifests.release(name, version, []);
    if (found.kind !== 'found')
        return {
            manifest: context.settings.manifests.join(', '),
            unreadable: found.kind === 'absent' ? `no manifest there declares ${name}` : found.reason,
        };
    const read = await context.repo.at(tag).read(found.file, MANIFEST_MAX_BYTES);
    if (!read.ok)
        return { manifest: found.file, unreadable: read.problem.detail };
    return { manifest: found.file, text: decodeUtf8(read.value) };
}

export { runDeploy };
