import { describe, expect, it } from 'vitest';
import { AppConfigError, stateKeyOf } from '../../src/app/config.js';
import { probotEnv } from '../../src/app/probot-env.js';
import { seal, sealKeyFrom } from '../../src/core/integrity/seal.js';

const SCOPE = ['canary-state', 'acme/models', '42'];
const noFile = () => {
  throw new Error('ENOENT: no such file');
};
/** Two keys are the same key when they seal the same text alike. */
const sealsAs = (a: ReturnType<typeof stateKeyOf>, b: ReturnType<typeof stateKeyOf>) =>
  seal(a, SCOPE, 'state') === seal(b, SCOPE, 'state');

describe('the key that seals the canary state', () => {
  it('is MODELGATE_STATE_KEY when set, and refuses one too short to resist guessing', () => {
    const key = 'k'.repeat(32);
    const explicit = stateKeyOf({ MODELGATE_STATE_KEY: key, PRIVATE_KEY: 'the pem' }, noFile);
    expect(sealsAs(explicit, sealKeyFrom(key))).toBe(true);
    expect(sealsAs(explicit, stateKeyOf({ PRIVATE_KEY: 'the pem' }, noFile))).toBe(false);
    expect(() => stateKeyOf({ MODELGATE_STATE_KEY: 'short' }, noFile)).toThrow(AppConfigError);
  });

  it('is derived from the private key, then from PRIVATE_KEY_PATH', () => {
    const fromEnv = stateKeyOf({ PRIVATE_KEY: 'the pem' }, noFile);
    const fromFile = stateKeyOf({ PRIVATE_KEY_PATH: '/app.pem' }, () => Buffer.from('the pem'));
    expect(sealsAs(fromEnv, fromFile)).toBe(true);
    expect(() => stateKeyOf({ PRIVATE_KEY_PATH: '/missing.pem' }, noFile)).toThrow(
      'PRIVATE_KEY_PATH (/missing.pem) cannot be read',
    );
  });

  it('is derived from the webhook secret only when that is long enough not to be guessed from public seals', () => {
    expect(() => stateKeyOf({ WEBHOOK_SECRET: 'development' }, noFile)).toThrow(
      'WEBHOOK_SECRET has 11 characters, too few to derive the canary state key from (at least 32)',
    );
    const long = stateKeyOf({ WEBHOOK_SECRET: 'w'.repeat(40) }, noFile);
    expect(sealsAs(long, stateKeyOf({ WEBHOOK_SECRET: 'w'.repeat(40) }, noFile))).toBe(true);
    expect(() => stateKeyOf({}, noFile)).toThrow('modelgate has no secret to seal its canary state with');
  });
});

describe("Probot's environment", () => {
  it('leaves REDIS_URL to the scheduler, so Probot keeps its request throttling in process', () => {
    const env = { APP_ID: '1', WEBHOOK_SECRET: 's'.repeat(32), REDIS_URL: 'redis://:secret@127.0.0.1:9/0' };
    expect(probotEnv(env)).toEqual({ APP_ID: '1', WEBHOOK_SECRET: 's'.repeat(32) });
  });
});
