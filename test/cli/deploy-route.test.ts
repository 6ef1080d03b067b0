// Rule DEPLOY-ROUTE end to end: a registry's second model, with deploy settings that cannot tell
// models apart, fails validate and check (docs/rules.md, docs/deploy.md "Several models").
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { addRealModel, manifestWith } from '../helpers/models.js';
import { TempRegistry } from '../helpers/registry.js';

const SETTINGS = '.github/modelgate.yml';
const NGINX = {
  path: 'deploy/nginx/{model}.conf',
  listen: 8080,
  upstream: '{model}-{version}.internal:8000',
};

/** A model with a two-token tokenizer and its config, at models/<name>. */
function addModel(registry: TempRegistry, name: string): void {
  registry.write(`models/${name}/tokenizer.json`, {
    model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 } },
  });
  registry.write(`models/${name}/config.json`, { model_type: 'llama', vocab_size: 2, hidden_size: 4 });
  registry.writeManifest(
    `models/${name}/model.yaml`,
    manifestWith(name, { config: 'config.json', tokenizer: 'tokenizer.json' }),
  );
}

/** The model a pull request adds: GPT-2's real tokenizer, which validate runs (a new tokenizer's behaviour is measured). */
const addSecondModel = (registry: TempRegistry) => addRealModel(registry, 'gpt2', { name: 'ticket-router' });

/** One model released on main, with the nginx target and no server_name. */
function oneModel(): { registry: TempRegistry; base: string } {
  const registry = TempRegistry.create();
  registry.write(SETTINGS, stringify({ deploy: { nginx: NGINX } }));
  addModel(registry, 'support-bot');
  return { registry, base: registry.commit('support-bot 1.0.0') };
}

/** `command --format json` on the registry (against `base` when given): its exit code and DEPLOY-ROUTE findings. */
async function judged(registry: TempRegistry, base?: string, command = 'validate') {
  const { code, stdout } = await runCli(
    command,
    '--root',
    registry.root,
    ...(base ? ['--base', base] : []),
    '--format',
    'json',
  );
  return { code, routes: routeErrors(stdout) };
}

const routeErrors = (stdout: string) =>
  (
    JSON.parse(stdout) as { findings: { rule: string; severity: string; file: string; message: string }[] }
  ).findings.filter((f) => f.rule === 'DEPLOY-ROUTE');

describe('DEPLOY-ROUTE in validate and check', () => {
  it('one model with no server_name passes: nothing shares its server', async () => {
    const { registry } = oneModel();
    const { code, routes } = await judged(registry);
    expect(routes).toEqual([]);
    expect(code).toBe(0);
  });

  // Before: the second model passed, and its nginx server (same listen, no host name) silently took
  // either model's requests, whichever file nginx read first.
  it('a pull request that adds a second model fails while nginx cannot tell the two apart', async () => {
    const { registry, base } = oneModel();
    addSecondModel(registry);
    registry.commit('ticket-router 1.0.0');
    for (const command of ['validate', 'check']) {
      const { code, routes } = await judged(registry, base, command);
      expect(code).toBe(1);
      expect(routes).toEqual([
        expect.objectContaining({
          severity: 'error',
          file: SETTINGS,
          message: expect.stringContaining(
            'deploy.nginx.server_name is not set, without {model}, and this registry holds 2 manifests (models/support-bot/model.yaml, models/ticket-router/model.yaml)',
          ),
        }),
      ]);
    }
    const text = await runCli('validate', '--root', registry.root);
    expect(text.stdout).toMatch(/error +DEPLOY-ROUTE +deploy\.nginx\.server_name is not set/);
    expect(text.stdout).toContain(
      'fix: Put {model} in deploy.nginx.server_name (for example {model}.llm.internal)',
    );
  });

  it('passes when the same pull request gives each model its host: the settings it merges with are the ones judged', async () => {
    const { registry, base } = oneModel();
    addSecondModel(registry);
    registry.write(
      SETTINGS,
      stringify({ deploy: { nginx: { ...NGINX, server_name: '{model}.llm.internal' } } }),
    );
    registry.commit('ticket-router 1.0.0, with a host name per model');
    const { code, routes } = await judged(registry, base);
    expect(routes).toEqual([]);
    expect(code).toBe(0);
  });

  it('fails a pull request that takes {model} out of a registry of two models', async () => {
    const registry = TempRegistry.create();
    const route = {
      namespace: 'llm',
      parents: [{ name: 'gw' }],
      port: 8000,
      gitops: { path: 'apps/{model}.yaml' },
    };
    registry.write(
      SETTINGS,
      stringify({ deploy: { gateway_api: { ...route, hostnames: ['{model}.llm.example.com'] } } }),
    );
    addModel(registry, 'support-bot');
    addModel(registry, 'ticket-router');
    const base = registry.commit('two models');
    registry.write(
      SETTINGS,
      stringify({ deploy: { gateway_api: { ...route, hostnames: ['llm.example.com'] } } }),
    );
    registry.commit('one host for every model');
    const { code, routes } = await judged(registry, base);
    expect(code).toBe(1);
    expect(routes.map((f) => f.message)).toEqual([
      expect.stringMatching(/^deploy\.gateway_api\.hostnames has "llm\.example\.com", without \{model\}/),
    ]);
  });

  it('two models whose names make one Kubernetes name fail on KServe: each would replace the other', async () => {
    const registry = TempRegistry.create();
    const kserve = {
      namespace: 'llm',
      storage_uri: 's3://models/{model}/{version}/',
      gitops: { path: 'apps/{model}.yaml' },
    };
    registry.write(SETTINGS, stringify({ deploy: { kserve } }));
    addModel(registry, 'team/bot');
    addModel(registry, 'team-bot');
    registry.commit('two models');
    const { code, routes } = await judged(registry);
    expect(code).toBe(1);
    expect(routes.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^deploy\.kserve\.name "\{model\}" gives the models team-bot, team\/bot one InferenceService \(team-bot/,
      ),
    ]);
  });
});
