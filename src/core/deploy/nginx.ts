import { checkRepoPath } from '../repo-path.js';
import { expandTemplate, hostNameOf } from './names.js';
import {
  badPath,
  fileHeader,
  sameName,
  type DeploymentRef,
  type NginxServer,
  type RenderDecision,
} from './rendered.js';
import type { RoutingPlan } from './routing.js';
import type { NginxSettings } from './targets.js';

/** `host:port`, `[v6]:port` or `unix:/path`: nothing that could end a directive. */
const ADDRESS = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$|^unix:\/[A-Za-z0-9._/-]+$/;
/** The mirror's internal location: `internal`, so a client cannot request it. */
const MIRROR_LOCATION = '/.modelgate-mirror';

/** An nginx identifier from free text: upstream and variable names take letters, digits and `_`. */
function identifier(text: string): string {
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
export function renderNginx(
  plan: RoutingPlan,
  settings: NginxSettings,
  deployment: DeploymentRef,
): RenderDecision {
  const path = checkRepoPath(expandTemplate(settings.path, plan));
  if (!path.ok || !path.path) return badPath('deploy.nginx.path', settings.path, path);
  const model = identifier(plan.model);
  const upstream = (version: string) => `modelgate_${model}__${identifier(version)}`;
  const versions = [
    ...new Set([
      ...plan.backends.map((b) => b.version),
      ...(plan.mirror ? [plan.mirror.version] : []),
      ...(plan.preview ? [plan.preview.version] : []),
      ...(plan.standby ? [plan.standby.version] : []),
    ]),
  ];
  const clash = sameName(plan.model, new Map(versions.map((v) => [v, upstream(v)])), 'nginx upstream');
  if (clash) return clash;
  let name = '';
  if (settings.serverName !== undefined) {
    const host = hostNameOf(settings.serverName, plan.model, 'deploy.nginx.server_name');
    if (!host.ok) return host;
    name = host.host;
  }
  const serverName = name ? [`    server_name ${name};`] : [];
  const lines = [`# ${fileHeader(plan.summary, deployment.id)}`, `# trigger ${deployment.trigger}`];
  if (plan.standby)
    lines.push(
      `# ${plan.standby.version} keeps its upstream with no traffic: keep its server up ${plan.standby.seconds} s after this deployment is live (scale_down_delay).`,
    );
  lines.push('');
  for (const version of versions) {
    const address =
      typeof settings.upstream === 'string'
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
  let target = upstream(plan.backends[0]!.version);
  if (plan.backends.length > 1) {
    target = `$modelgate_${model}_upstream`;
    const [rest, deployed] = plan.backends as [
      { version: string; weight: number },
      { version: string; weight: number },
    ];
    lines.push(
      `split_clients "\${request_id}" ${target} {`,
      `    ${deployed.weight}% ${upstream(deployed.version)};`,
      `    * ${upstream(rest.version)};`,
      '}',
    );
  }
  const sampled = `$modelgate_${model}_mirrored`;
  if (plan.mirror)
    lines.push(
      `split_clients "mirror\${request_id}" ${sampled} {`,
      `    ${plan.mirror.percent}% 1;`,
      '    * "";',
      '}',
    );
  const proxy = [
    'proxy_http_version 1.1;',
    'proxy_set_header Connection "";',
    'proxy_set_header Host $host;',
    'proxy_buffering off;',
    'proxy_read_timeout 600s;',
  ];
  lines.push(
    'server {',
    `    listen ${settings.listen};`,
    ...serverName,
    '    location / {',
    `        proxy_pass http://${target};`,
  );
  lines.push(...proxy.map((p) => `        ${p}`));
  if (plan.mirror) lines.push(`        mirror ${MIRROR_LOCATION};`, '        mirror_request_body on;');
  lines.push('    }');
  if (plan.mirror)
    lines.push(
      `    location = ${MIRROR_LOCATION} {`,
      '        internal;',
      `        if (${sampled} = "") {`,
      '            return 204;',
      '        }',
      `        proxy_pass http://${upstream(plan.mirror.version)}$request_uri;`,
      ...proxy.map((p) => `        ${p}`),
      '    }',
    );
  lines.push('}');
  if (plan.preview && settings.previewListen)
    lines.push(
      'server {',
      `    listen ${settings.previewListen};`,
      ...serverName,
      '    location / {',
      `        proxy_pass http://${upstream(plan.preview.version)};`,
      ...proxy.map((p) => `        ${p}`),
      '    }',
      '}',
    );
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
export function ignoredServerWarning(output: string, servers: readonly NginxServer[]): string | undefined {
  for (const line of output.split('\n')) {
    const warned = /conflicting server name "([^"]*)" on \S*:(\d+), ignored/.exec(line);
    if (!warned) continue;
    const [, name = '', port = ''] = warned;
    if (servers.some((s) => s.name === name.toLowerCase() && portOf(s.listen) === Number(port)))
      return warned[0];
  }
  return undefined;
}

/** The servers a file modelgate rendered defines (its `listen` and `server_name` lines), to tell which ones a write adds. */
export function nginxServersIn(content: string): NginxServer[] {
  const servers: NginxServer[] = [];
  for (const match of content.matchAll(/^server \{\n {4}listen (\S+);\n(?: {4}server_name (\S+);\n)?/gm))
    servers.push({ listen: match[1]!, name: match[2] ?? '' });
  return servers;
}

/** The port a `listen` opens ("8080", "127.0.0.1:8080", "[::1]:08080"). */
const portOf = (listen: string) => Number(listen.slice(listen.lastIndexOf(':') + 1));
