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

describe('deploy.kserve.storage_uri', () => {
  const kserve = (uri: string) =>
    `deploy:\n  kserve:\n    namespace: llm\n    storage_uri: '${uri}'\n    gitops: { path: 'apps/{model}.yaml' }\n`;

  it('takes a URI of a folder per version', () => {
    expect(parseSettings(kserve('s3://models/{model}/{version}/')).deploy.kserve).toMatchObject({
      storageUri: 's3://models/{model}/{version}/',
    });
    expect(
      parseSettings(kserve('https://models.example/{model}/{version}.tar.gz')).deploy.kserve,
    ).toMatchObject({
      storageUri: 'https://models.example/{model}/{version}.tar.gz',
    });
    expect(
      parseSettings(kserve('https://acct.blob.core.windows.net/c/{model}/{version}/w')).deploy.kserve,
    ).toMatchObject({
      storageUri: 'https://acct.blob.core.windows.net/c/{model}/{version}/w',
    });
    expect(parseSettings(kserve('hf://acme/{model}:{version}')).deploy.kserve).toMatchObject({
      storageUri: 'hf://acme/{model}:{version}',
    });
  });

  // Before: one folder for every version passed, and KServe's canary loaded the same URI on both sides.
  it.each([
    ['s3://models/{model}/', /has no \{version\} in its path: each version needs a folder of its own/],
    ['https://models.example/{model}.tar.gz?v={version}', /has no \{version\} in its path/],
    [
      's3://models/{model}/{version}',
      /does not end with \/: KServe loads every object whose key starts with it/,
    ],
    ['hf://acme/{model}:{version}/weights', /has a path after hf:\/\/owner\/model/],
    ['s3://models/{version}/../x/', /has an empty, \. or \.\. path segment/],
    ['s3://{model}-{version}/w/', /has a placeholder in its host or bucket/],
    ['https://acct.blob.core.windows.net/c/{model}/{version}', /has \{version\} in its last segment/],
    ['models/{model}/{version}', /is not a URI of the form scheme:\/\/location\/path/],
  ])('refuses %s, naming the setting', (uri, reason) => {
    expect(() => parseSettings(kserve(uri))).toThrow(/deploy\.kserve\.storage_uri/);
    expect(() => parseSettings(kserve(uri))).toThrow(reason);
  });
});
