import { describe, expect, it } from 'vitest';
import { deploymentDescription } from '../../../src/core/release/deployment-description.js';

describe('a deployment description GitHub keeps (140 characters)', () => {
  it('is the text itself up to 140 characters', () => {
    const text = 'Deploy support-bot 1.3.0 to canary at 10%'.padEnd(140, '.');
    expect(deploymentDescription(text)).toBe(text);
  });

  it('is cut to 140 code points ending in "…", never inside a character', () => {
    const text = `Deploy ${'🦙'.repeat(200)}`;
    const cut = deploymentDescription(text);
    expect([...cut]).toHaveLength(140);
    expect(cut.endsWith('🦙…')).toBe(true);
    // String.slice(0, 140) (what the app did) cut the 67th llama in half: a lone surrogate.
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
    expect(loneSurrogate.test(text.slice(0, 140))).toBe(true);
    expect(loneSurrogate.test(cut)).toBe(false);
  });
});
