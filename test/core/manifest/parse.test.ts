import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { manifestJsonSchema } from '../../../src/core/manifest/schema.js';

const VALID = `apiVersion: modelgate.dev/v1
kind: Model
name: support-bot
version: 1.3.0
artifacts:
  config: config.json
  tokenizer: tokenizer.json
  weights:
    - uri: s3://models/support-bot/1.3.0/model.safetensors
      sha256: ${'9f'.repeat(32)}
eval:
  gates:
    - { metric: arc_easy/acc_norm, min: 0.70 }
`;

describe('parseManifest', () => {
  it('reads a valid manifest and keeps lines', () => {
    const parsed = parseManifest(VALID, 'models/support-bot/model.yaml');
    expect(parsed.findings).toEqual([]);
    expect(parsed.manifest?.artifacts.weights[0]?.uri).toBe(
      's3://models/support-bot/1.3.0/model.safetensors',
    );
    expect(parsed.lineOf(['artifacts', 'tokenizer'])).toBe(7);
    expect(parsed.lineOf(['artifacts', 'weights', 0, 'sha256'])).toBe(10);
    expect(parsed.lineOf(['artifacts', 'nothing-here'])).toBe(5);
  });

  it('reports an unknown key on its own line', () => {
    const parsed = parseManifest(VALID.replace('kind: Model', 'kind: Model\nowner: ml-team'), 'm.yaml');
    expect(parsed.manifest).toBeUndefined();
    expect(parsed.findings).toEqual([
      expect.objectContaining({
        rule: 'MANIFEST-SCHEMA',
        severity: 'error',
        line: 3,
        message: 'm.yaml: unknown key "owner"',
        model: 'support-bot',
      }),
    ]);
  });

  it.each([
    ['a bad name', VALID.replace('name: support-bot', 'name: Support Bot!'), 'name', 3],
    ['a bad version', VALID.replace('version: 1.3.0', 'version: 1.3.x'), 'SemVer', 4],
    [
      'a version YAML reads as a number',
      VALID.replace('version: 1.3.0', 'version: 1.3'),
      'YAML read 1.3 as a number',
      4,
    ],
    ['a short sha256', VALID.replace('9f'.repeat(32), 'abc'), '64 lowercase hex', 10],
    [
      'a gate without a bound',
      VALID.replace('{ metric: arc_easy/acc_norm, min: 0.70 }', '{ metric: arc_easy/acc_norm }'),
      'at least one of',
      13,
    ],
    ['a wrong apiVersion', VALID.replace('modelgate.dev/v1', 'modelgate.dev/v2'), 'apiVersion', 1],
  ])('reports %s', (_what, text, words, line) => {
    const parsed = parseManifest(text, 'm.yaml');
    expect(parsed.findings).toHaveLength(1);
    expect(parsed.findings[0]!.message).toContain(words);
    expect(parsed.findings[0]!.line).toBe(line);
  });

  it('refuses duplicate keys', () => {
    const parsed = parseManifest(VALID.replace('kind: Model', 'kind: Model\nname: other'), 'm.yaml');
    expect(parsed.findings[0]!.message).toMatch(/not valid YAML: .*unique/i);
    expect(parsed.findings[0]!.line).toBe(4); // the second name
  });

  it('reports truncated YAML with its line', () => {
    const parsed = parseManifest(
      'apiVersion: modelgate.dev/v1\nartifacts:\n  config: "config.json\n',
      'm.yaml',
    );
    expect(parsed.findings[0]!.rule).toBe('MANIFEST-SCHEMA');
    expect(parsed.findings[0]!.message).toContain('not valid YAML');
  });

  it('stops a YAML alias bomb without expanding it', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const before = process.memoryUsage().heapUsed;
    const parsed = parseManifest(lines.join('\n'), 'bomb.yaml');
    expect(parsed.findings[0]!.message).toContain('could not be expanded');
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('treats a document that is not a mapping as a schema error', () => {
    expect(parseManifest('- just\n- a list\n', 'm.yaml').findings[0]!.rule).toBe('MANIFEST-SCHEMA');
    expect(parseManifest('', 'm.yaml').findings[0]!.rule).toBe('MANIFEST-SCHEMA');
  });
});

describe('canary policy bounds', () => {
  const withCanary = (canary: string) => `${VALID}canary:\n${canary}\n`;
  const messages = (canary: string) =>
    parseManifest(withCanary(canary), 'm.yaml').findings.map((f) => `${f.line}: ${f.message}`);

  it('accepts the documented policy and the edges of every bound', () => {
    for (const canary of [
      '  steps: [5, 25, 50, 100]\n  interval: 10m\n  failure_limit: 1',
      '  steps: [100]\n  interval: 10s',
      '  interval: 24h\n  consecutive_error_limit: 1\n  failure_limit: 9007199254740991',
    ])
      expect(messages(canary)).toEqual([]);
  });

  it.each([
    ['interval: 0s', 'm.yaml: canary.interval: 0s is not between 10s and 24h'],
    ['interval: 9s', 'm.yaml: canary.interval: 9s is not between 10s and 24h'],
    ['interval: 25h', 'm.yaml: canary.interval: 25h is not between 10s and 24h'],
    [
      'interval: 99999999999999999999h',
      'm.yaml: canary.interval: 99999999999999999999h is not between 10s and 24h',
    ],
    ['interval: 1d', 'm.yaml: canary.interval: a duration such as 30s, 10m or 1h'],
    [
      'steps: [100, 5]',
      'm.yaml: canary.steps: each step must send more traffic than the one before (100 then 5)',
    ],
    [
      'steps: [5, 5, 5, 100]',
      'm.yaml: canary.steps: each step must send more traffic than the one before (5 then 5)',
    ],
    [
      'steps: [5, 50]',
      'm.yaml: canary.steps: the last step must be 100: the canary takes all traffic before it is promoted',
    ],
    ['steps: [-7, 100]', 'm.yaml: canary.steps.0: Too small: expected number to be >=1'],
    ['steps: [5, 1e9]', 'm.yaml: canary.steps.1: Too big: expected number to be <=100'],
    ['steps: [2.5, 100]', 'm.yaml: canary.steps.0: Invalid input: expected int, received number'],
    ['failure_limit: -1', 'm.yaml: canary.failure_limit: Too small: expected number to be >=0'],
    ['failure_limit: 1e20', 'm.yaml: canary.failure_limit: Too big: expected int to be <=9007199254740991'],
    [
      'consecutive_error_limit: 0',
      'm.yaml: canary.consecutive_error_limit: Too small: expected number to be >0',
    ],
  ])('refuses %s', (line, message) => {
    expect(messages(`  ${line}`)).toEqual([`15: ${message}`]); // the line of the canary key
  });
});

describe('the shipped JSON Schema', () => {
  it('is the one generated from the manifest schema (run npm run build after changing it)', () => {
    const shipped: unknown = JSON.parse(
      readFileSync(new URL('../../../schema/model.schema.json', import.meta.url), 'utf8'),
    );
    expect(shipped).toEqual(manifestJsonSchema());
  });
});
