import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The secret that seals what modelgate writes into GitHub and reads back
 * later (canary state, rollback request lines): 32 bytes, derived by
 * `sealKeyFrom`. The adapters find the secret; the core only uses it.
 */
export type SealKey = Uint8Array & { readonly __sealKey: true };

/** An explicit key (MODELGATE_STATE_KEY) shorter than this is refused: it could be guessed offline. */
export const MIN_EXPLICIT_KEY_LENGTH = 32;

/**
 * HKDF-SHA256 of a secret the adapter already holds (MODELGATE_STATE_KEY,
 * or the app's private key or webhook secret). The fixed `info` keeps this
 * key apart from every other use of the same secret: knowing the MAC key
 * tells nothing about the private key, and the reverse needs the secret.
 */
export function sealKeyFrom(secret: string | Uint8Array): SealKey {
  const derived = hkdfSync('sha256', secret, 'modelgate', 'modelgate state seal v1', 32);
  return new Uint8Array(derived) as SealKey;
}

/**
 * Where a sealed value is valid, e.g. `['canary-state', 'acme/models', '42']`.
 * It is part of the MAC, so a value sealed for one pull request or repository
 * does not verify in another.
 */
export type SealScope = readonly string[];

function mac(key: SealKey, scope: SealScope, encoded: string): Buffer {
  // JSON of the list: no choice of parts can be read as another choice (no separator ambiguity).
  return createHmac('sha256', key)
    .update(JSON.stringify([...scope, encoded]))
    .digest();
}

/** The MAC of `encoded` in `scope`, base64url (43 characters). */
export function seal(key: SealKey, scope: SealScope, encoded: string): string {
  return mac(key, scope, encoded).toString('base64url');
}

/** Whether `tag` is the MAC of `encoded` in `scope` (compared in constant time). */
export function sealVerifies(key: SealKey, scope: SealScope, encoded: string, tag: string): boolean {
  const expected = mac(key, scope, encoded);
  const given = Buffer.from(tag, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Whether a secret someone presented equals the configured one, in time
 * that does not depend on where they differ: both sides are hashed first, so
 * the comparison is over equal-length digests and leaks neither the
 * position of the first difference nor the secret's length.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A short fingerprint of a text (for telling one ignored value from another in a report). */
export function fingerprint(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 12);
}

/**
 * The key set explicitly (MODELGATE_STATE_KEY): undefined when it is not
 * set, the reason when it is too short to be a secret.
 */
export function explicitSealKey(value: string | undefined): SealKey | { problem: string } | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length < MIN_EXPLICIT_KEY_LENGTH)
    return {
      problem: `MODELGATE_STATE_KEY has ${value.length} characters; it needs at least ${MIN_EXPLICIT_KEY_LENGTH} (e.g. the output of \`openssl rand -hex 32\`)`,
    };
  return sealKeyFrom(value);
}
