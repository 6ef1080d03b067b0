import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseArgs } from 'node:util';
import { deploy } from '../../src/cli/commands/deploy.js';
import type { Output } from '../../src/cli/output.js';
import { TempRegistry } from '../helpers/registry.js';

/** Runs `modelgate deploy` in-process (the command is registered in src/cli/main.ts by the CLI's owner). */
async function runDeploy(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const out: Output = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    progress: () => {},
  };
  const { values, positionals } = parseArgs({ args: argv, options: deploy.options, allowPositionals: true });
  const code = await deploy.run({ values, positionals }, out);
  return { code, stdout, stderr };
}

/** gpt2 1.0.0 in production and 1.1.0 released, with an nginx target whose upstreams are per version. */
function registry() {
  const r = TempRegistry.create();
  r.write(
    '.github/modelgate.yml',
    stringify({
      deploy: {
        nginx: {
          path: 'nginx/{model}.conf',
          listen: 18080,
          upstream: { '1.0.0': '127.0.0.1:18001', '1.1.0': '127.0.0.1:18002' },
        },
        gateway_api: {
          namespace: 'llm',
          parents: [{ name: 'gw' }],
          port: 8000,
          gitops: { path: 'routes/{model}.yaml' },
        },
      },
    }),
  );
  r.write('models/gpt2/model.yaml', 'name: gpt2\nversion: 1.0.0\n');
  const v1 = r.commit('gpt2 1.0.0');
  r.tag('gpt2@v1.0.0', { commit: v1 });
  r.tag('gpt2#canary#1', { commit: v1 });
  r.tag('gpt2#production#2', { commit: v1 });
  r.write('models/gpt2/model.yaml', 'name: gpt2\nversion: 1.1.0\n');
  const v2 = r.commit('gpt2 1.1.0');
  r.tag('gpt2@v1.1.0', { commit: v2 });
  return r;
}

describe('modelgate deploy', () => {
  it('renders the split against the production version for the named target', async () => {
    const r = registry();
    const result = await runDeploy(
      'gpt2',
      '1.1.0',
      '--weight',
      '25',
      '--target',
      'gateway-api',
      '--root',
      r.root,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('gpt2 1.1.0 answers 25%, 1.0.0 75% (gateway-api: routes/gpt2.yaml)\n');
    expect(parse(result.stdout).spec.rules[0].backendRefs).toEqual([
      { name: 'gpt2-1-0-0', port: 8000, weight: 75 },
      { name: 'gpt2-1-1-0', port: 8000, weight: 25 },
    ]);
  });

  it('writes the nginx file under the root once, and runs the reload command when it changed', async () => {
    const r = registry();
    const args = [
      'gpt2',
      '1.1.0',
      '--weight',
      '5',
      '--target',
      'nginx',
      '--write',
      '--reload',
      'echo reloaded >> reloads',
      '--root',
      r.root,
    ];
    expect(await runDeploy(...args)).toMatchObject({ code: 0, stdout: 'wrote nginx/gpt2.conf\n' });
    expect(r.read('nginx/gpt2.conf')).toContain('    5% modelgate_gpt2__1_1_0;');
    expect(await runDeploy(...args)).toMatchObject({ code: 0, stdout: 'unchanged: nginx/gpt2.conf\n' });
    expect(r.read('reloads')).toBe('reloaded\n');
  });

  it('takes the nginx file back when the reload fails: exit 1, and the file holds what nginx runs', async () => {
    const r = registry();
    const deploy = (weight: string, reload: string) =>
      runDeploy(
        'gpt2',
        '1.1.0',
        '--weight',
        weight,
        '--target',
        'nginx',
        '--write',
        '--reload',
        reload,
        '--root',
        r.root,
      );
    expect(await deploy('5', 'true')).toMatchObject({ code: 0 });
    const live = r.read('nginx/gpt2.conf');
    const failed = await deploy('50', 'echo "nginx: [emerg] unknown directive" >&2; exit 1');
    expect(failed).toMatchObject({
      code: 1,
      stderr:
        'gpt2 1.1.0 answers 50%, 1.0.0 50% (nginx: nginx/gpt2.conf)\nmodelgate: the reload command failed (exit 1: nginx: [emerg] unknown directive); nginx/gpt2.conf holds what it held before\n  fix: Fix the reload command or the nginx server, then deploy again.\n',
    });
    expect(r.read('nginx/gpt2.conf')).toBe(live);
  });

  it('refuses a version that is not released, and a lightweight tag, with exit 2', async () => {
    const r = registry();
    await expect(runDeploy('gpt2', '1.2.0', '--target', 'nginx', '--root', r.root)).rejects.toThrow(
      'gpt2 1.2.0 is not released (no annotated tag gpt2@v1.2.0)',
    );
    r.write('models/gpt2/model.yaml', 'name: gpt2\nversion: 1.3.0\n');
    r.git('tag', 'gpt2@v1.3.0', r.commit('gpt2 1.3.0'));
    await expect(runDeploy('gpt2', '1.3.0', '--target', 'nginx', '--root', r.root)).rejects.toThrow(
      'gpt2 1.3.0 is not released',
    );
  });

  it('says which setting is missing: exit 1 with the reason', async () => {
    const r = registry();
    r.git('tag', '-d', 'gpt2#production#2');
    const result = await runDeploy(
      'gpt2',
      '1.0.0',
      '--weight',
      '0',
      '--mirror',
      '10',
      '--target',
      'nginx',
      '--root',
      r.root,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'modelgate: gpt2 1.0.0 asks for a mirror of 10% but no other version is live',
    );
  });
});
