import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/io/settings.js';
import { versionEndpoint } from '../../src/io/endpoint-settings.js';

const settings = (yaml: string) => parseSettings(yaml).endpoints;

describe('endpoints: where versions answer', () => {
  it("fills the model and the version into the default branch's template", () => {
    const endpoints = settings("endpoints:\n  url: 'http://{model}-{version}.llm.svc:8000/v1'\n");
    expect(versionEndpoint(endpoints, { model: 'support-bot', version: '1.3.0' })).toEqual({
      baseUrl: 'http://support-bot-1.3.0.llm.svc:8000/v1',
      model: 'support-bot',
    });
    // A preview falls back to url when preview_url is not set.
    expect(versionEndpoint(endpoints, { model: 'm', version: '1.0.0' }, 'preview')?.baseUrl).toBe(
      'http://m-1.0.0.llm.svc:8000/v1',
    );
  });

  it('no value can move a request to another host: characters that shape a URL become -', () => {
    const endpoints = settings("endpoints:\n  url: 'http://{model}-{version}.llm.svc:8000/v1'\n");
    const found = versionEndpoint(endpoints, { model: 'team/bot', version: '1.3.0@evil.example/x?' })!;
    expect(new URL(found.baseUrl).host).toBe('team-bot-1.3.0-evil.example-x-.llm.svc:8000');
    expect(new URL(found.baseUrl).username).toBe('');
  });

  it('refuses credentials in the URL, other schemes and unknown placeholders, naming the setting', () => {
    expect(() => settings("endpoints:\n  url: 'http://user:pw@{model}:8000/v1'\n")).toThrow(
      /endpoints\.url: credentials do not belong in the URL/,
    );
    expect(() => settings("endpoints:\n  url: 'file:///etc/{model}'\n")).toThrow(
      /endpoints\.url: an http\(s\) URL/,
    );
    expect(() => settings("endpoints:\n  preview_url: 'http://{name}/v1'\n")).toThrow(
      /endpoints\.preview_url: unknown placeholder \{name\}/,
    );
  });

  it('names no endpoint when the settings have none (the judgment says so; nothing is guessed)', () => {
    expect(versionEndpoint(settings(''), { model: 'm', version: '1.0.0' })).toBeUndefined();
  });
});
