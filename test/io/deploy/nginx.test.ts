import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planRouting } from '../../../src/core/deploy/routing.js';
import { ignoredServerWarning, renderNginx } from '../../../src/core/deploy/nginx.js';
import type { NginxSettings } from '../../../src/core/deploy/targets.js';
import { runReloadCommand, writeNginxConfig } from '../../../src/io/deploy/nginx-file.js';

// Debian's nginx (apt-get install nginx-light): the same binary a VM runs.
const NGINX = '/usr/sbin/nginx';
const work = mkdtempSync(join(tmpdir(), 'modelgate-nginx-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TRIGGER = 'c0ffee'.padEnd(40, '0');
const settings: NginxSettings = {
  path: 'deploy/nginx/{model}.conf',
  listen: '127.0.0.1:18080',
  upstream: { '1.0.0': '127.0.0.1:18001', '1.1.0': '127.0.0.1:18002' },
};

function render(weight: number, live: string | undefined, mirror?: number) {
  const routing = planRouting(
    { model: 'dir:gpt2', version: '1.1.0', weight, ...(mirror ? { mirror } : {}) },
    live,
  );
  if (!routing.ok) throw new Error(routing.reason);
  const rendered = renderNginx(routing.plan, settings, { id: 1000, trigger: TRIGGER });
  if (!rendered.ok) throw new Error(rendered.reason);
  return rendered.rendered;
}

/** `nginx -t` on the file inside a minimal http block, with its own prefix: what `nginx -s reload` would accept. */
function nginxTest(content: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(work, 'conf-'));
  writeFileSync(join(dir, 'modelgate.conf'), content);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `pid ${dir}/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n  access_log off;\n  include ${dir}/modelgate.conf;\n}\n`,
  );
  const run = spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'], {
    encoding: 'utf8',
  });
  return { status: run.status, stderr: run.stderr };
}

describe('the nginx target', () => {
  it('splits by weight with split_clients, one upstream per version, and nginx -t accepts it', () => {
    const rendered = render(25, '1.0.0');
    expect(rendered.path).toBe('deploy/nginx/dir:gpt2.conf');
    expect(rendered.content).toContain(
      [
        'split_clients "${request_id}" $modelgate_dir_gpt2_upstream {',
        '    25% modelgate_dir_gpt2__1_1_0;',
        '    * modelgate_dir_gpt2__1_0_0;',
        '}',
      ].join('\n'),
    );
    expect(rendered.content).toContain('upstream modelgate_dir_gpt2__1_0_0 {\n    server 127.0.0.1:18001;');
    expect(nginxTest(rendered.content)).toMatchObject({
      status: 0,
      stderr: expect.stringContaining('test is successful'),
    });
  });

  it('proxies straight to the only version at 100%', () => {
    const rendered = render(100, '1.0.0');
    expect(rendered.content).not.toContain('split_clients');
    expect(rendered.content).toContain('proxy_pass http://modelgate_dir_gpt2__1_1_0;');
    expect(nginxTest(rendered.content).status).toBe(0);
  });

  it('mirrors a share of requests to a shadow through an internal location', () => {
    const rendered = render(0, '1.0.0', 10);
    expect(rendered.content).toContain('mirror /.modelgate-mirror;');
    expect(rendered.content).toContain('    10% 1;');
    expect(rendered.content).toContain('internal;');
    expect(nginxTest(rendered.content)).toMatchObject({ status: 0 });
  });

  it('answers its own host name with server_name, in the preview server too; nginx -t accepts it', () => {
    const routing = planRouting({ model: 'gpt2', version: '1.1.0', weight: 25 }, '1.0.0');
    if (!routing.ok) throw new Error(routing.reason);
    const named = renderNginx(
      routing.plan,
      { ...settings, serverName: '{model}.llm.internal' },
      { id: 1, trigger: TRIGGER },
    );
    if (!named.ok) throw new Error(named.reason);
    expect(named.rendered.content).toContain(
      '    listen 127.0.0.1:18080;\n    server_name gpt2.llm.internal;\n',
    );
    expect(named.rendered.servers).toEqual([{ listen: '127.0.0.1:18080', name: 'gpt2.llm.internal' }]);
    expect(nginxTest(named.rendered.content).status).toBe(0);
    // A model in a folder holds a ":": no host name can carry it.
    expect(render(25, '1.0.0').servers).toEqual([{ listen: '127.0.0.1:18080', name: '' }]);
    const folder = planRouting({ model: 'dir:gpt2', version: '1.1.0', weight: 25 }, '1.0.0');
    if (!folder.ok) throw new Error(folder.reason);
    expect(
      renderNginx(
        folder.plan,
        { ...settings, serverName: '{model}.llm.internal' },
        { id: 1, trigger: TRIGGER },
      ),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('dir:gpt2 is not one (a-z, 0-9 and - only)'),
    });
  });

  it("reads nginx's warning that it ignored one of the file's servers, and only about those", () => {
    const warning = 'nginx: [warn] conflicting server name "" on 0.0.0.0:8080, ignored';
    expect(
      ignoredServerWarning(`${warning}\nnginx: configuration file test is successful`, [
        { listen: '8080', name: '' },
      ]),
    ).toBe('conflicting server name "" on 0.0.0.0:8080, ignored');
    expect(ignoredServerWarning(warning, [{ listen: '8080', name: 'gpt2.llm.internal' }])).toBeUndefined();
    expect(ignoredServerWarning(warning, [{ listen: '127.0.0.1:8081', name: '' }])).toBeUndefined();
    // Matched by port: nginx writes addresses in its own form ([::1], 127.0.0.1 for 127.000.000.001).
    expect(
      ignoredServerWarning(warning.replace('0.0.0.0', '[::1]'), [
        { listen: '[0:0:0:0:0:0:0:1]:08080', name: '' },
      ]),
    ).toBeDefined();
    expect(
      ignoredServerWarning('nginx: configuration file test is successful', [{ listen: '8080', name: '' }]),
    ).toBeUndefined();
  });

  it('refuses an upstream address that is not host:port, and a version with no address', () => {
    const routing = planRouting({ model: 'gpt2', version: '1.1.0', weight: 25 }, '1.0.0');
    if (!routing.ok) throw new Error('no plan');
    const ref = { id: 1, trigger: TRIGGER };
    expect(
      renderNginx(routing.plan, { ...settings, upstream: '127.0.0.1:80; include /etc/passwd' }, ref),
    ).toMatchObject({
      ok: false,
      reason:
        'deploy.nginx.upstream gives "127.0.0.1:80; include /etc/passwd" for gpt2 1.0.0, not host:port or unix:/path',
    });
    expect(
      renderNginx(routing.plan, { ...settings, upstream: { '1.1.0': '127.0.0.1:1' } }, ref),
    ).toMatchObject({
      ok: false,
      reason: 'deploy.nginx.upstream has no address for gpt2 1.0.0',
    });
  });
});

describe('the nginx target: blue-green', () => {
  const withPreview: NginxSettings = { ...settings, previewListen: '127.0.0.1:18081' };
  const blueGreen = (payload: Parameters<typeof planRouting>[0], target: NginxSettings) => {
    const routing = planRouting(payload, '1.0.0');
    if (!routing.ok) throw new Error(routing.reason);
    const rendered = renderNginx(routing.plan, target, { id: 1000, trigger: TRIGGER });
    if (!rendered.ok) throw new Error(rendered.reason);
    return rendered.rendered.content;
  };
  const preview = { model: 'gpt2', version: '1.1.0', weight: 0, role: 'preview' as const };

  it('a preview: production still goes to blue; with preview_listen a server of its own goes to green only', () => {
    const content = blueGreen(preview, withPreview);
    expect(content).toContain('upstream modelgate_gpt2__1_1_0 {\n    server 127.0.0.1:18002;');
    expect(content).not.toContain('split_clients');
    expect(content).toContain(
      [
        'server {',
        '    listen 127.0.0.1:18080;',
        '    location / {',
        '        proxy_pass http://modelgate_gpt2__1_0_0;',
      ].join('\n'),
    );
    expect(content).toContain(
      [
        'server {',
        '    listen 127.0.0.1:18081;',
        '    location / {',
        '        proxy_pass http://modelgate_gpt2__1_1_0;',
      ].join('\n'),
    );
    expect(nginxTest(content)).toMatchObject({ status: 0 });
    // Without preview_listen, green's upstream is defined and no server reaches it.
    const plain = blueGreen(preview, settings);
    expect(plain).not.toContain('18081');
    expect(plain.match(/proxy_pass http:\/\/modelgate_gpt2__1_1_0/g)).toBeNull();
    expect(nginxTest(plain)).toMatchObject({ status: 0 });
  });

  it('the switch: every request to green, blue keeps its upstream and the file says how long', () => {
    const content = blueGreen(
      { model: 'gpt2', version: '1.1.0', weight: 100, role: 'active', scale_down_delay: 1800 },
      withPreview,
    );
    expect(content).toContain(
      '# 1.0.0 keeps its upstream with no traffic: keep its server up 1800 s after this deployment is live (scale_down_delay).',
    );
    expect(content).toContain('upstream modelgate_gpt2__1_0_0 {');
    expect(content).toContain('        proxy_pass http://modelgate_gpt2__1_1_0;');
    expect(content).not.toContain('proxy_pass http://modelgate_gpt2__1_0_0');
    expect(content).not.toContain('18081');
    expect(nginxTest(content)).toMatchObject({ status: 0 });
  });
});

describe('writing the nginx file', () => {
  it('writes under the root, reports an unchanged file, and runs the reload command only as given', async () => {
    const root = mkdtempSync(join(work, 'root-'));
    const { path, content } = render(25, '1.0.0');
    expect(await writeNginxConfig(root, path, content)).toEqual({ changed: true, previous: undefined });
    expect(readFileSync(join(root, path), 'utf8')).toBe(content);
    expect(await writeNginxConfig(root, path, content)).toEqual({ changed: false });
    expect(await runReloadCommand(root, 'echo reloaded > reloaded.txt; echo said >&2')).toEqual({
      ok: true,
      output: 'said\n\n',
    });
    expect(readFileSync(join(root, 'reloaded.txt'), 'utf8')).toBe('reloaded\n');
    expect(await runReloadCommand(root, 'echo "nginx: [emerg] bad" >&2; exit 1')).toEqual({
      ok: false,
      detail: 'exit 1: nginx: [emerg] bad',
    });
  });

  it('never writes through a symlinked folder', async () => {
    const root = mkdtempSync(join(work, 'root-'));
    const outside = mkdtempSync(join(work, 'outside-'));
    mkdirSync(join(root, 'deploy'));
    symlinkSync(outside, join(root, 'deploy', 'nginx'));
    await expect(writeNginxConfig(root, 'deploy/nginx/gpt2.conf', 'x')).rejects.toThrow(/symlink/);
    expect(execFileSync('ls', [outside], { encoding: 'utf8' })).toBe('');
  });
});
