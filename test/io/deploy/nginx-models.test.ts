import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNginx } from '../../../src/core/deploy/nginx.js';
import { planRouting } from '../../../src/core/deploy/routing.js';
import type { NginxSettings } from '../../../src/core/deploy/targets.js';
import { applyNginxFile, NginxNotApplied } from '../../../src/io/deploy/nginx-file.js';
import { freePort, startNginx, type RunningNginx } from '../../helpers/nginx.js';

/*
 * Several models behind one nginx, as Debian's nginx runs them: each model's
 * file defines a server, and servers on one address are told apart only by
 * their host names. Without one, nginx ignores all but the first server it
 * reads (a warning, and `nginx -t` still succeeds): every request reaches
 * that model's versions.
 */

const root = mkdtempSync(join(tmpdir(), 'modelgate-nginx-models-'));
let nginx: RunningNginx;
let listen: string;
const backends: Server[] = [];
const upstream: Record<string, string> = {};

/** A server that answers every request with its model's name. */
async function backend(model: string): Promise<string> {
  const server = createServer((_, res) => res.end(model));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  backends.push(server);
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}

beforeAll(async () => {
  mkdirSync(join(root, 'deploy/nginx'), { recursive: true });
  listen = `127.0.0.1:${await freePort()}`;
  for (const model of ['alpha', 'aardvark']) upstream[model] = await backend(model);
  nginx = await startNginx(`${root}/deploy/nginx/*.conf`);
}, 60_000);
afterAll(async () => {
  await nginx?.stop();
  for (const server of backends) server.close();
  rmSync(root, { recursive: true, force: true });
});

/** The file of model `model` 1.0.0 at 100 %. */
function rendered(model: string, serverName?: string) {
  const settings: NginxSettings = {
    path: 'deploy/nginx/{model}.conf',
    listen,
    upstream: `${upstream[model]}`,
    ...(serverName ? { serverName } : {}),
  };
  const routing = planRouting({ model, version: '1.0.0', weight: 100 }, undefined);
  if (!routing.ok) throw new Error(routing.reason);
  const out = renderNginx(routing.plan, settings, { id: 1, trigger: 'c'.repeat(40) });
  if (!out.ok) throw new Error(out.reason);
  return out.rendered;
}

/** Renders and applies model `model` 1.0.0 at 100 % with the workflow's reload command. */
const deploy = (model: string, serverName?: string) =>
  applyNginxFile(root, rendered(model, serverName), nginx.reloadCommand, true);

/** Who answers a request for `host` through nginx. */
function ask(host: string): Promise<string> {
  const [address, port] = listen.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const req = request(
      { host: address, port: Number(port), headers: { host, connection: 'close' } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Who answers 10 requests for each host, in order of `hosts`, each host's answers joined when
 * they agree. A reload's old workers finish their connections first, so a test polls this until
 * nginx answers from the new configuration alone.
 */
async function batch(hosts: readonly string[]): Promise<string[]> {
  return Promise.all(
    hosts.map(async (host) => {
      const answers = new Set(await Promise.all(Array.from({ length: 10 }, () => ask(host))));
      return [...answers].sort().join(' and ');
    }),
  );
}

describe('several models on one nginx listen', () => {
  it("without host names, a second model's server is refused and taken back: it would have taken the first model's requests", async () => {
    await deploy('alpha');
    await expect.poll(() => ask('anything.example'), { timeout: 10_000 }).toBe('alpha');
    // aardvark's file sorts first: nginx would read its server first and ignore alpha's.
    const refused = deploy('aardvark');
    await expect(refused).rejects.toThrow(NginxNotApplied);
    await expect(refused).rejects.toThrow(
      /^a server of deploy\/nginx\/aardvark\.conf conflicts with another on the same port and host name \(nginx: conflicting server name "" on 127\.0\.0\.1:\d+, ignored\), .* deploy\/nginx\/aardvark\.conf holds what it held before, and nginx was reloaded with it$/,
    );
    expect(existsSync(join(root, 'deploy/nginx/aardvark.conf'))).toBe(false);
    // nginx reloaded what the files hold again: alpha answers every request, as before (once the
    // workers of the reload in between have finished).
    await expect.poll(() => batch(['anything.example']), { timeout: 10_000 }).toEqual(['alpha']);
  }, 60_000);

  it("a conflict the file already had is not this write's: a re-deploy (a guard's rollback, say) is applied, and the conflict returned", async () => {
    // Two unnamed models from before: deploy/nginx/aardvark.conf as an earlier release left it.
    await deploy('alpha');
    writeFileSync(join(root, 'deploy/nginx/aardvark.conf'), rendered('aardvark').content);
    const alpha = rendered('alpha');
    const again = { ...alpha, content: alpha.content.replace('# trigger', '# again\n# trigger') };
    expect(await applyNginxFile(root, again, nginx.reloadCommand, true)).toMatchObject({
      changed: true,
      conflict: expect.stringMatching(/^conflicting server name "" on /),
    });
    rmSync(join(root, 'deploy/nginx/aardvark.conf'));
    rmSync(join(root, 'deploy/nginx/alpha.conf'));
  }, 60_000);

  it('with deploy.nginx.server_name each model answers its own host name', async () => {
    expect(await deploy('alpha', '{model}.llm.test')).toMatchObject({ changed: true });
    expect(await deploy('aardvark', '{model}.llm.test')).toMatchObject({ changed: true });
    await expect
      .poll(() => batch(['alpha.llm.test', 'aardvark.llm.test']), { timeout: 10_000 })
      .toEqual(['alpha', 'aardvark']);
  }, 60_000);
});
