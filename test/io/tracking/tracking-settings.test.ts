import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../../../src/core/repository.js';
import { readTrackingSettings, trackingSettingsOf } from '../../../src/io/tracking-settings.js';
import { TempRegistry } from '../../helpers/registry.js';

const refusal = (text: string) => {
  try {
    trackingSettingsOf(text);
  } catch (error) {
    expect(error).toBeInstanceOf(CommandError);
    return { message: (error as CommandError).message, fix: (error as CommandError).fix };
  }
  throw new Error('accepted');
};

describe('the tracking: section of .github/modelgate.yml', () => {
  it('mirroring is off without it, and off when the file is absent', () => {
    const off = { registry: { mirror: false, models: {}, aliases: {} } };
    expect(trackingSettingsOf(undefined)).toEqual(off);
    expect(trackingSettingsOf('stages: [canary, production]\n')).toEqual(off);
    expect(trackingSettingsOf('')).toEqual(off);
  });

  it('reads opt-in mirroring, registered names per model and aliases per stage', () => {
    const text = `
stages: [canary, production]
tracking:
  registry:
    mirror: true
    models:
      support-bot: main.ml.support_bot
      team/embedder: embedder
    aliases:
      production: champion
`;
    expect(trackingSettingsOf(text)).toEqual({
      registry: {
        mirror: true,
        models: { 'support-bot': 'main.ml.support_bot', 'team/embedder': 'embedder' },
        aliases: { production: 'champion' },
      },
    });
  });

  it.each([
    [
      'a misspelt key',
      'tracking:\n  registry:\n    mirror: true\n    alias: {production: champion}\n',
      '.github/modelgate.yml: tracking.registry.alias: unknown setting',
    ],
    [
      'an unknown tracker section',
      'tracking:\n  wandb: {mirror: true}\n',
      '.github/modelgate.yml: tracking.wandb: unknown setting',
    ],
    [
      'mirror left out (the intent must be written)',
      'tracking:\n  registry:\n    models: {m: m}\n',
      '.github/modelgate.yml: tracking.registry.mirror:',
    ],
    [
      'mirror as a string',
      'tracking:\n  registry:\n    mirror: "yes"\n',
      '.github/modelgate.yml: tracking.registry.mirror:',
    ],
    [
      'an alias MLflow reserves',
      'tracking:\n  registry:\n    mirror: true\n    aliases: {production: latest}\n',
      '.github/modelgate.yml: tracking.registry.aliases.production: "latest" is reserved by MLflow',
    ],
    [
      'an alias with a slash',
      'tracking:\n  registry:\n    mirror: true\n    aliases: {production: prod/eu}\n',
      'tracking.registry.aliases.production: "prod/eu" is not an MLflow alias',
    ],
    [
      'two stages on one alias',
      'tracking:\n  registry:\n    mirror: true\n    aliases: {canary: live, production: live}\n',
      'tracking.registry.aliases: two stages cannot share one alias',
    ],
    [
      'a registered name that would break out of the search filter',
      'tracking:\n  registry:\n    mirror: true\n    models: {m: "x\' or name=\'y"}\n',
      'tracking.registry.models.m: an MLflow registered model name',
    ],
    [
      'a model name no manifest can have',
      'tracking:\n  registry:\n    mirror: true\n    models: {Support Bot: x}\n',
      'tracking.registry.models.Support Bot: a model name as the manifests write it',
    ],
  ])('refuses %s, naming the file and the key', (_, text, message) => {
    const refused = refusal(text);
    expect(refused.message).toContain(message);
    expect(refused.fix).toBe(
      'tracking.registry sets mirror (true|false), models (modelgate model -> MLflow registered model) and aliases (stage -> MLflow alias).',
    );
  });

  it('is read from the checkout through the containment rule', async () => {
    const registry = TempRegistry.create();
    registry.write('.github/modelgate.yml', 'tracking:\n  registry:\n    mirror: true\n');
    expect((await readTrackingSettings(registry.root)).registry.mirror).toBe(true);
    const empty = TempRegistry.create();
    expect((await readTrackingSettings(empty.root)).registry.mirror).toBe(false);
    const fifo = TempRegistry.create();
    fifo.write('.github/.keep', '');
    execFileSync('mkfifo', [`${fifo.root}/.github/modelgate.yml`]);
    await expect(readTrackingSettings(fifo.root)).rejects.toThrow('.github/modelgate.yml cannot be read');
  });
});
