import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/io/settings.js';

const nginx = (extra: string) =>
  `deploy:\n  nginx:\n    path: deploy/nginx/{model}.conf\n    listen: 8080\n    upstream: '{model}-{version}.internal:8000'\n${extra}`;
const gateway = (hostnames: string) =>
  `deploy:\n  gateway_api:\n    namespace: llm\n    parents: [{ name: gw }]\n    port: 8000\n    hostnames: [${hostnames}]\n    gitops: { path: 'apps/{model}.yaml' }\n`;

describe('host names in deploy settings', () => {
  it('nginx server_name and Gateway API hostnames take a host name or a template of one with {model}', () => {
    expect(parseSettings(nginx("    server_name: '{model}.llm.internal'\n")).deploy.nginx).toMatchObject({
      serverName: '{model}.llm.internal',
    });
    expect(parseSettings(nginx('')).deploy.nginx).not.toHaveProperty('serverName');
    expect(
      parseSettings(gateway("'{model}.llm.example.com', 'llm.example.com'")).deploy.gatewayApi,
    ).toMatchObject({ hostnames: ['{model}.llm.example.com', 'llm.example.com'] });
  });

  it.each([
    ["'{version}.llm.internal'"],
    ["'gpt2 ; include /etc/passwd'"],
    ["'{modle}.llm.internal'"],
    ["'{model}_x.llm.internal'"],
  ])('refuses %s, naming the setting', (value) => {
    expect(() => parseSettings(nginx(`    server_name: ${value}\n`))).toThrow(/deploy\.nginx\.server_name/);
    expect(() => parseSettings(gateway(value))).toThrow(/deploy\.gateway_api\.hostnames/);
  });
});
