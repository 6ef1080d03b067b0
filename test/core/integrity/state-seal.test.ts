import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, type CanaryState } from '../../../src/core/canary/state.js';
import { ignoredNotice } from '../../../src/core/integrity/notice.js';
import { seal, sealKeyFrom } from '../../../src/core/integrity/seal.js';

const KEY = sealKeyFrom('the state key of these tests');
const SCOPE = { repository: 'acme/models', pr: 42 };

const STATE: CanaryState = {
  v: 1,
  model: 'gpt2',
  version: '1.3.0',
  ref: 'gpt2@v1.3.0',
  sha: 'a'.repeat(40),
  manifest: 'models/gpt2/model.yaml',
  trigger: 'a'.repeat(40),
  pr: 42,
  environment: 'canary',
  productionEnvironment: 'production',
  deploymentId: 2,
  weight: 10,
  stepStartedAt: '2026-11-22T00:00:00.000Z',
  intervals: [
    {
      at: '2026-11-22T00:05:00.000Z',
      verdict: 'pass',
      score: 100,
      measurements: [
        {
          metric: 'error_rate',
          verdict: 'pass',
          reason: 'canary median 0.01 within the threshold',
          critical: false,
          canary: { median: 0.01, n: 20 },
          test: { u: 190, p: Number.NaN, effect: 0, method: 'exact' },
        },
      ],
    },
  ],
  status: 'running',
  checkRunId: 7000,
};

/** A state line with any JSON in it, sealed with the right key for the right pull request. */
function sealedLine(json: unknown, scope = SCOPE) {
  const encoded = Buffer.from(JSON.stringify(json)).toString('base64url');
  const mac = seal(KEY, ['canary-state', scope.repository, String(scope.pr)], encoded);
  return `<!-- modelgate-state:${encoded}.${mac} -->`;
}

describe('the canary state line', () => {
  it('round-trips through its comment (a NaN the judge wrote comes back as NaN, not null)', () => {
    const { line } = encodeState(STATE, KEY, SCOPE);
    const decoded = decodeState(`<!-- modelgate:canary:gpt2 -->\n${line}\nreport`, KEY, SCOPE);
    expect(decoded).toEqual({
      state: STATE,
      anchor: expect.stringMatching(/^modelgate-state:[0-9a-f]{64}$/),
    });
  });

  it('is believed only with a MAC for this repository and pull request, made with this key', () => {
    const { line } = encodeState(STATE, KEY, SCOPE);
    const problem = (body: string, key = KEY, scope = SCOPE) => {
      const decoded = decodeState(body, key, scope);
      return 'problem' in decoded ? decoded.problem.detail : 'believed';
    };
    expect(problem(line)).toBe('believed');
    expect(problem(line.replace(/\.[A-Za-z0-9_-]+ -->/, ' -->'))).toBe('its state line carries no MAC');
    const mismatch =
      'its state line does not verify (changed by hand, or copied from another pull request or repository)';
    expect(problem(line, KEY, { repository: 'acme/models', pr: 43 })).toBe(mismatch);
    expect(problem(line, KEY, { repository: 'evil/models', pr: 42 })).toBe(mismatch);
    expect(problem(line, sealKeyFrom('another key'))).toBe(mismatch);
    expect(problem('no state here')).toBe('it holds no state line');
  });

  it('sealed but not the shape of a state: refused with the field that is wrong', () => {
    const problem = (json: unknown) => {
      const decoded = decodeState(sealedLine(json), KEY, SCOPE);
      return 'problem' in decoded ? decoded.problem.detail : 'believed';
    };
    expect(problem({ ...STATE, weight: 1e9 })).toMatch(
      /^its state does not have the shape of a canary state \(weight: /,
    );
    expect(problem({ ...STATE, sha: 'HEAD' })).toMatch(/\(sha: /);
    expect(problem({ ...STATE, paused: { by: 'x\n::error::boom', at: 'now', link: 'l' } })).toMatch(
      /\(paused\.by: /,
    );
    expect(problem({ ...STATE, admin: true })).toMatch(
      /^its state does not have the shape of a canary state/,
    );
    expect(problem(['not', 'a', 'state'])).toMatch(/^its state does not have the shape/);
    expect(problem({ ...STATE, pr: 41 })).toBe('its state names pull request #41');
  });
});

describe('the notice of what was ignored', () => {
  const item = (key: string) => ({ key, text: `ignored ${key}` });

  it('says each thing once, and nothing when there is nothing new', () => {
    const first = ignoredNotice('gpt2', undefined, [item('comment:1')])!;
    expect(first).toContain('- <!-- ignored:comment:1 -->ignored comment:1');
    expect(ignoredNotice('gpt2', first, [item('comment:1')])).toBeUndefined();
    const second = ignoredNotice('gpt2', first, [item('comment:1'), item('comment:2')])!;
    expect(second.match(/<!-- ignored:/g)).toHaveLength(2);
  });

  it('stays bounded however many forged comments there are', () => {
    const many = Array.from({ length: 500 }, (_, i) => item(`comment:${i}`));
    expect(ignoredNotice('gpt2', undefined, many)!.match(/<!-- ignored:/g)).toHaveLength(50);
  });
});
