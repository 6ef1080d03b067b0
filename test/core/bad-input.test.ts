import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTinyModel } from '../helpers/models.js';
import { findingsOf, TempRegistry } from '../helpers/registry.js';

describe('hostile and broken input ends in a finding, never a crash', () => {
  it('refuses a 200 MB manifest without reading it', async () => {
    const registry = TempRegistry.create();
    registry.write('models/huge/model.yaml', 'apiVersion: modelgate.dev/v1\n');
    truncateSync(join(registry.root, 'models/huge/model.yaml'), 200 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const report = await registry.validate();
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
    expect(report.findings).toEqual([
      expect.objectContaining({
        rule: 'MANIFEST-SCHEMA',
        message: 'models/huge/model.yaml is 200.0 MiB; manifests are at most 1.0 MiB',
      }),
    ]);
  });

  it('refuses a safetensors header that claims 2^60 bytes, allocating nothing', async () => {
    const registry = TempRegistry.create();
    const header = Buffer.alloc(64);
    header.writeBigUInt64LE(2n ** 60n);
    registry.write('models/m/model.safetensors', header);
    addTinyModel(registry, {
      weights: [{ uri: 's3://b/m', sha256: 'a'.repeat(64), path: 'model.safetensors' }],
    });
    const report = await registry.validate();
    const invalid = findingsOf(report, 'ARTIFACT-INVALID');
    expect(invalid.map((f) => f.message)).toEqual([
      'models/m/model.safetensors is not a readable safetensors file: the header claims 1152921504606846976 bytes; safetensors headers are at most 100000000',
    ]);
    expect(findingsOf(report, 'ARTIFACT-DIGEST')).toHaveLength(1); // its digest is still checked
  });

  it('refuses a symlink to /etc/passwd and never reads it', async () => {
    const registry = TempRegistry.create();
    addTinyModel(registry, { tokenizer_config: 'tokenizer_config.json' });
    registry.symlink('models/m/tokenizer_config.json', '/etc/passwd');
    const [finding] = findingsOf(await registry.validate(), 'ARTIFACT-MISSING');
    expect(finding!.message).toBe(
      '"tokenizer_config.json" (models/m/tokenizer_config.json) is a symlink to /etc/passwd, outside the repository in the working tree',
    );
    expect(finding!.message).not.toContain('root:');
  });

  it.each([
    ['a parent escape', '../../../etc/passwd', 'points outside the repository'],
    ['an absolute path', '/etc/passwd', 'is an absolute path'],
    ['a Windows drive path', 'C:\\secrets\\config.json', 'is an absolute path'],
  ])('refuses %s', async (_what, ref, words) => {
    const registry = TempRegistry.create();
    addTinyModel(registry, { config: ref });
    const [finding] = findingsOf(await registry.validate(), 'ARTIFACT-MISSING');
    expect(finding!.message).toContain(words);
    expect(finding!.line).toBe(6); // artifacts.config
  });

  it('accepts a path that climbs out of the model folder but stays in the repository', async () => {
    const registry = TempRegistry.create();
    registry.write('shared/config.json', { model_type: 'llama', vocab_size: 2 });
    addTinyModel(registry, { config: '../../shared/config.json' });
    expect(findingsOf(await registry.validate(), 'ARTIFACT-MISSING')).toEqual([]);
  });

  it('reports truncated JSON with the parser position', async () => {
    const registry = TempRegistry.create();
    addTinyModel(registry);
    registry.write('models/m/config.json', '{"model_type": "llama", "vocab_si');
    const [finding] = findingsOf(await registry.validate(), 'ARTIFACT-INVALID');
    expect(finding!.message).toMatch(
      /models\/m\/config.json is not valid JSON: .*(Unterminated|Unexpected end)/,
    );
  });

  it('reports a missing artifact and a directory where a file should be', async () => {
    const registry = TempRegistry.create();
    addTinyModel(registry, { chat_template: 'chat_template.jinja', generation_config: 'evals' });
    registry.write('models/m/evals/x.json', '{}');
    const messages = findingsOf(await registry.validate(), 'ARTIFACT-MISSING').map((f) => f.message);
    expect(messages.sort()).toEqual([
      '"chat_template.jinja" (models/m/chat_template.jinja) does not exist in the working tree',
      '"evals" (models/m/evals) is a directory in the working tree',
    ]);
  });

  it('reports config files of the wrong JSON shape', async () => {
    const registry = TempRegistry.create();
    addTinyModel(registry, {
      generation_config: 'generation_config.json',
      added_tokens: 'added_tokens.json',
    });
    registry.write('models/m/generation_config.json', '[1, 2]');
    registry.write('models/m/added_tokens.json', '{"<x>": "five"}');
    const messages = findingsOf(await registry.validate(), 'ARTIFACT-INVALID').map((f) => f.message);
    expect(messages.sort()).toEqual([
      'models/m/added_tokens.json: the id of "<x>" must be a non-negative integer',
      'models/m/generation_config.json must be a JSON object',
    ]);
  });
});
