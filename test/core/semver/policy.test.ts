import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CommandError } from '../../../src/core/repository.js';
import { addRealModel } from '../../helpers/models.js';
import { findingsOf, registryTemplate, TempRegistry } from '../../helpers/registry.js';

const MANIFEST = 'models/gpt2/model.yaml';

/** A registry with GPT-2 released as `version` on main, built once per version for the file. */
function releasedTemplate(version: string) {
  return registryTemplate((registry) => {
    addRealModel(registry, 'gpt2', {
      version,
      artifacts: {
        chat_template: 'chat_template.jinja',
        weights: [{ uri: 's3://models/gpt2/model.safetensors', sha256: 'a'.repeat(64) }],
      },
    });
    registry.write(
      'models/gpt2/chat_template.jinja',
      '{% for m in messages %}<|user|>{{ m.content }}{{ eos_token }}{% endfor %}',
    );
    const base = registry.commit(`gpt2 ${version}`);
    registry.tag(`gpt2@v${version}`);
    return base;
  });
}
const RELEASED = new Map<string, ReturnType<typeof releasedTemplate>>();

/** A copy of the registry with GPT-2 released as 1.0.0 on main; the test then changes it and validates against main. */
function released(options: { version?: string } = {}) {
  const version = options.version ?? '1.0.0';
  if (!RELEASED.has(version)) RELEASED.set(version, releasedTemplate(version));
  const { registry, built: base } = RELEASED.get(version)!();
  return { registry, base };
}

function editManifest(registry: TempRegistry, edit: (m: Record<string, any>) => void, path = MANIFEST) {
  const manifest = parse(registry.read(path)) as Record<string, any>;
  edit(manifest);
  registry.write(path, stringify(manifest));
}

const setVersion = (registry: TempRegistry, version: string) =>
  editManifest(registry, (m) => (m.version = version));

describe('the bump a change requires', () => {
  it('MINOR: new weights with the same tokenizer and architecture', async () => {
    const { registry, base } = released();
    editManifest(registry, (m) => (m.artifacts.weights[0].sha256 = 'b'.repeat(64)));
    setVersion(registry, '1.0.1');
    const report = await registry.validate({ base });
    expect(report.changes).toEqual([
      expect.objectContaining({
        model: 'gpt2',
        from: '1.0.0',
        to: '1.0.1',
        declared: 'patch',
        required: 'minor',
      }),
    ]);
    const [finding] = findingsOf(report, 'SEMVER-BUMP');
    expect(finding!.message).toBe(
      'gpt2 1.0.0 -> 1.0.1 is a patch bump, but the change needs minor: models/gpt2/model.yaml: new weights (sha256 changed)',
    );
    expect(finding!.fix).toBe('Set version to 1.1.0 or later.');
    expect(finding!.line).toBe(4);

    setVersion(registry, '1.1.0');
    expect(findingsOf(await registry.validate({ base }), 'SEMVER-BUMP')).toEqual([]);
  });

  it('MAJOR: a token moved to another id', async () => {
    const { registry, base } = released();
    registry.editJson('models/gpt2/tokenizer.json', (t) => {
      const vocab = (t.model as { vocab: Record<string, number> }).vocab;
      [vocab['!'], vocab['"']] = [vocab['"']!, vocab['!']!];
    });
    setVersion(registry, '1.1.0');
    const report = await registry.validate({ base });
    expect(report.changes[0]).toMatchObject({ required: 'major' });
    expect(report.changes[0]!.reasons).toContainEqual({
      bump: 'major',
      file: 'models/gpt2/tokenizer.json',
      reason: '2 token(s) moved to another id: "!" 0 -> 1, "\\"" 1 -> 0',
    });
    expect(findingsOf(report, 'SEMVER-BUMP')).toHaveLength(1);
  });

  it('MAJOR: a merge rule changed', async () => {
    const { registry, base } = released();
    registry.editJson('models/gpt2/tokenizer.json', (t) => (t.model as { merges: string[] }).merges.pop());
    setVersion(registry, '2.0.0');
    const report = await registry.validate({ base });
    expect(report.changes[0]!.reasons).toContainEqual({
      bump: 'major',
      file: 'models/gpt2/tokenizer.json',
      reason: 'tokenizer model changed',
    });
    expect(findingsOf(report, 'SEMVER-BUMP')).toEqual([]);
  });

  it('MINOR: tokens appended above the old highest id, with vocab_size grown to fit', async () => {
    const { registry, base } = released();
    registry.editJson('models/gpt2/tokenizer.json', (t) =>
      (t.added_tokens as unknown[]).push({ id: 50257, content: '<|tool|>', special: true }),
    );
    registry.editJson('models/gpt2/config.json', (c) => (c.vocab_size = 50258));
    setVersion(registry, '1.1.0');
    const report = await registry.validate({ base });
    expect(report.changes[0]).toMatchObject({ required: 'minor', declared: 'minor' });
    expect(report.changes[0]!.reasons).toEqual(
      expect.arrayContaining([
        {
          bump: 'minor',
          file: 'models/gpt2/tokenizer.json',
          reason: '1 token(s) appended above id 50256: "<|tool|>"',
        },
        {
          bump: 'minor',
          file: 'models/gpt2/config.json',
          reason: 'vocab_size increased from 50257 to 50258',
        },
      ]),
    );
    expect(report.summary.errors).toBe(0);
  });

  it('MAJOR: an architecture field changed (n_layer), named with its values', async () => {
    const { registry, base } = released();
    registry.editJson('models/gpt2/config.json', (c) => (c.n_layer = 24));
    setVersion(registry, '1.1.0');
    const report = await registry.validate({ base });
    expect(report.changes[0]!.reasons).toContainEqual({
      bump: 'major',
      file: 'models/gpt2/config.json',
      reason: 'n_layer changed from 12 to 24',
    });
    expect(findingsOf(report, 'SEMVER-BUMP')[0]!.fix).toBe('Set version to 2.0.0 or later.');
  });

  it('MAJOR: context length decreased; MINOR: increased', async () => {
    const { registry, base } = released();
    registry.editJson('models/gpt2/config.json', (c) => (c.n_positions = 512));
    setVersion(registry, '1.1.0');
    expect((await registry.validate({ base })).changes[0]).toMatchObject({ required: 'major' });
    registry.editJson('models/gpt2/config.json', (c) => (c.n_positions = 2048));
    expect((await registry.validate({ base })).changes[0]).toMatchObject({ required: 'minor' });
  });

  it('MAJOR: a special token string changed', async () => {
    const { registry, base } = released();
    registry.editJson('models/gpt2/tokenizer_config.json', (c) => (c.pad_token = '<|endoftext|>'));
    setVersion(registry, '1.0.1');
    const report = await registry.validate({ base });
    expect(report.changes[0]!.reasons).toContainEqual({
      bump: 'major',
      file: 'models/gpt2/tokenizer_config.json',
      reason: 'pad_token changed from null to "<|endoftext|>"',
    });
  });

  it('MINOR: a stop id added; MAJOR: one removed', async () => {
    const { registry, base } = released();
    registry.editJson('models/gpt2/generation_config.json', (c) => (c.eos_token_id = [50256, 198]));
    setVersion(registry, '1.1.0');
    expect((await registry.validate({ base })).changes[0]).toMatchObject({
      required: 'minor',
      reasons: [expect.objectContaining({ reason: 'stop id(s) 198 added to eos_token_id' })],
    });
    registry.editJson('models/gpt2/generation_config.json', (c) => (c.eos_token_id = [198]));
    expect((await registry.validate({ base })).changes[0]).toMatchObject({ required: 'major' });
  });

  it('PATCH: the chat template changed in whitespace only; MAJOR: its role markers changed', async () => {
    const { registry, base } = released();
    registry.write(
      'models/gpt2/chat_template.jinja',
      '{% for m in messages %}\n<|user|>\n{{ m.content }}{{ eos_token }}\n{% endfor %}',
    );
    setVersion(registry, '1.0.1');
    const whitespace = await registry.validate({ base });
    expect(whitespace.changes[0]!.required).toBe('patch');
    expect(whitespace.changes[0]!.reasons).toEqual([
      {
        bump: 'patch',
        file: 'models/gpt2/chat_template.jinja',
        reason: 'the chat template changed in whitespace only',
      },
      // The evidence: the rendered conversation, encoded, is longer by the new line breaks.
      expect.objectContaining({
        bump: 'patch',
        reason: expect.stringMatching(/^the canonical conversation encodes to \d+ ids \(was \d+\)/),
      }),
    ]);

    registry.write(
      'models/gpt2/chat_template.jinja',
      '{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{{ eos_token }}{% endfor %}',
    );
    const markers = await registry.validate({ base });
    expect(markers.changes[0]).toMatchObject({ required: 'major' });
  });

  it('PATCH: metadata only; the same version with a change is refused', async () => {
    const { registry, base } = released();
    editManifest(registry, (m) => (m.description = 'GPT-2 small, now documented'));
    const same = await registry.validate({ base });
    expect(findingsOf(same, 'SEMVER-BUMP')[0]!.message).toBe(
      'gpt2 changed but its version is still 1.0.0; the change needs a patch bump: models/gpt2/model.yaml: changed (metadata, eval or documentation)',
    );
    setVersion(registry, '1.0.1');
    const bumped = await registry.validate({ base });
    expect(bumped.summary).toMatchObject({ errors: 0, requiredBump: 'patch' });
  });

  it('below 1.0.0, a minor bump may carry a breaking change', async () => {
    const { registry, base } = released({ version: '0.3.0' });
    registry.editJson('models/gpt2/config.json', (c) => (c.n_head = 16));
    setVersion(registry, '0.4.0');
    expect(findingsOf(await registry.validate({ base }), 'SEMVER-BUMP')).toEqual([]);
  });
});

describe('versions that go backwards or already exist', () => {
  it('a version that goes back to an unreleased number is refused', async () => {
    const { registry, base } = released({ version: '1.2.0' });
    setVersion(registry, '1.1.5');
    const [finding] = findingsOf(await registry.validate({ base }), 'SEMVER-BUMP');
    expect(finding!.message).toBe(
      'gpt2 went back from 1.2.0 to 1.1.5, which was never released (no tag gpt2@v1.1.5)',
    );
  });

  it('restoring a released version exactly is a rollback, not an error', async () => {
    const { registry } = released();
    editManifest(registry, (m) => {
      m.version = '1.1.0';
      m.artifacts.weights[0].sha256 = 'c'.repeat(64);
    });
    const v11 = registry.commit('gpt2 1.1.0');
    registry.tag('gpt2@v1.1.0');
    registry.git('checkout', '-q', 'gpt2@v1.0.0', '--', 'models');
    const report = await registry.validate({ base: v11 });
    expect(report.summary.errors).toBe(0);
    expect(report.changes).toEqual([
      expect.objectContaining({ status: 'restored', from: '1.1.0', to: '1.0.0' }),
    ]);
  });

  it('going back to a released version with other content is refused twice over', async () => {
    const { registry } = released();
    setVersion(registry, '1.1.0');
    const v11 = registry.commit('gpt2 1.1.0');
    registry.tag('gpt2@v1.1.0');
    editManifest(registry, (m) => {
      m.version = '1.0.0';
      m.description = 'not what was released';
    });
    const report = await registry.validate({ base: v11 });
    expect(findingsOf(report, 'VERSION-EXISTS')[0]!.message).toBe(
      'gpt2 1.0.0 is already released (tag gpt2@v1.0.0) with different content: models/gpt2/model.yaml',
    );
    expect(findingsOf(report, 'SEMVER-BUMP')).toHaveLength(1);
  });

  it('VERSION-EXISTS: a new version number that another branch already released', async () => {
    const { registry, base } = released();
    registry.git('checkout', '-q', '-b', 'other');
    setVersion(registry, '1.1.0');
    registry.commit('1.1.0 on another branch');
    registry.tag('gpt2@v1.1.0');
    registry.git('checkout', '-q', 'main');
    editManifest(registry, (m) => {
      m.version = '1.1.0';
      m.description = 'a different 1.1.0';
    });
    const [finding] = findingsOf(await registry.validate({ base }), 'VERSION-EXISTS');
    expect(finding!.message).toContain('gpt2 1.1.0 is already released (tag gpt2@v1.1.0)');
  });
});

describe('change selection', () => {
  it('validates only the model the change touches', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2');
    addRealModel(registry, 'llama2');
    const base = registry.commit('two models');
    registry.editJson('models/llama2/generation_config.json', (c) => (c.temperature = 0.7));
    editManifest(registry, (m) => (m.version = '1.0.1'), 'models/llama2/model.yaml');
    const report = await registry.validate({ base });
    expect(report.models.map((m) => m.name)).toEqual(['llama2']);
    expect(report.summary).toMatchObject({ manifests: 2, validated: 1, errors: 0, requiredBump: 'patch' });
  });

  it('finds the models that reference a changed file outside their folder', async () => {
    const registry = TempRegistry.create();
    addRealModel(registry, 'gpt2', { artifacts: { tokenizer_config: '../../shared/tokenizer_config.json' } });
    registry.copy(`${registry.root}/models/gpt2/tokenizer_config.json`, 'shared/tokenizer_config.json');
    addRealModel(registry, 'llama2');
    const base = registry.commit('shared tokenizer config');
    registry.editJson('shared/tokenizer_config.json', (c) => (c.model_max_length = 2048));
    const report = await registry.validate({ base });
    expect(report.models.map((m) => m.name)).toEqual(['gpt2']);
    expect(findingsOf(report, 'SEMVER-BUMP')[0]!.message).toContain(
      'model_max_length increased from 1024 to 2048',
    );
  });

  it('validates nothing when nothing changed', async () => {
    const { registry, base } = released();
    const report = await registry.validate({ base });
    expect(report.summary).toMatchObject({ manifests: 1, validated: 0 });
  });

  it('a base ref that does not exist is a CommandError with the fix', async () => {
    const { registry } = released();
    await expect(registry.validate({ base: 'origin/nope' })).rejects.toThrow(CommandError);
    await expect(registry.validate({ base: 'origin/nope' })).rejects.toThrow(
      'the base ref "origin/nope" does not exist',
    );
  });
});
