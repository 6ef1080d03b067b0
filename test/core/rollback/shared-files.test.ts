import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { rollbackChanges } from '../../../src/core/rollback/plan.js';
import {
  otherModelsFiles,
  pathsOtherModelsUse,
  weightsIndexFile,
  type FoundManifest,
} from '../../../src/core/rollback/shared-files.js';

/** A manifest as the repository holds it, parsed by modelgate's own parser. */
function found(file: string, yaml: string): FoundManifest {
  return { file, manifest: parseManifest(yaml, file).manifest };
}

const SUPPORT_BOT = found(
  'models/support-bot/model.yaml',
  `apiVersion: modelgate.dev/v1
kind: Model
name: support-bot
version: 1.2.1
artifacts:
  config: config.json
  tokenizer: tokenizer.json
  tokenizer_config: ../ticket-router/tokenizer_config.json
`,
);
const TICKET_ROUTER = found(
  'models/ticket-router/model.yaml',
  `apiVersion: modelgate.dev/v1
kind: Model
name: ticket-router
version: 2.0.0
artifacts:
  config: config.json
  tokenizer: ../support-bot/tokenizer.json
  tokenizer_config: tokenizer_config.json
`,
);

const digests = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('rollbackChanges: files other models use', () => {
  const others = otherModelsFiles([SUPPORT_BOT, TICKET_ROUTER], SUPPORT_BOT.file, 'support-bot');

  it("knows every file of every other manifest, the manifest itself included, and not the rolled-back model's own", () => {
    expect(Object.fromEntries(others.usedBy)).toEqual({
      'models/ticket-router/model.yaml': ['ticket-router'],
      'models/ticket-router/config.json': ['ticket-router'],
      'models/support-bot/tokenizer.json': ['ticket-router'],
      'models/ticket-router/tokenizer_config.json': ['ticket-router'],
    });
    expect(others.unreadable).toEqual([]);
  });

  it('keeps a file the release did not have, changes the rest, and does not mention a shared file that stays as it is', () => {
    const now = digests({
      'models/support-bot/model.yaml': 'm2',
      'models/support-bot/config.json': 'c',
      'models/support-bot/tokenizer.json': 't',
      'models/ticket-router/tokenizer_config.json': 'shared',
    });
    const then = digests({
      'models/support-bot/model.yaml': 'm1',
      'models/support-bot/config.json': 'c',
      'models/support-bot/tokenizer.json': 't',
      'models/support-bot/tokenizer_config.json': 'own',
    });
    expect(rollbackChanges('support-bot', now, then, others)).toEqual({
      ok: true,
      changes: [
        { path: 'models/support-bot/model.yaml', action: 'restore' },
        { path: 'models/support-bot/tokenizer_config.json', action: 'restore' },
      ],
      kept: [{ path: 'models/ticket-router/tokenizer_config.json', usedBy: ['ticket-router'] }],
    });
  });

  it('refuses the whole rollback when a shared file would change: no partial revert', () => {
    const now = digests({ 'models/support-bot/model.yaml': 'm2', 'models/support-bot/tokenizer.json': 't2' });
    const then = digests({
      'models/support-bot/model.yaml': 'm1',
      'models/support-bot/tokenizer.json': 't1',
    });
    const planned = rollbackChanges('support-bot', now, then, others);
    expect(planned).toMatchObject({
      ok: false,
      conflicts: [{ path: 'models/support-bot/tokenizer.json', usedBy: ['ticket-router'] }],
      reason:
        "rolling support-bot back would change models/support-bot/tokenizer.json (used by ticket-router): another model's artifact would change without a new version of it",
    });
    expect(planned).not.toHaveProperty('changes');
  });

  it('a manifest that is not valid: its files are unknown, so any change is refused; no change, nothing to refuse', () => {
    const broken = otherModelsFiles(
      [SUPPORT_BOT, found('models/ticket-router/model.yaml', 'name: ticket-router\n')],
      SUPPORT_BOT.file,
      'support-bot',
    );
    expect(broken.unreadable).toEqual([
      { file: 'models/ticket-router/model.yaml', problem: 'not a valid manifest' },
    ]);
    const same = digests({ 'models/support-bot/model.yaml': 'm' });
    expect(rollbackChanges('support-bot', same, same, broken)).toEqual({ ok: true, changes: [], kept: [] });
    expect(
      rollbackChanges('support-bot', same, digests({ 'models/support-bot/model.yaml': 'm0' }), broken),
    ).toMatchObject({ ok: false, conflicts: [] });
  });

  it('a second manifest with the same name is another user of its files, named by its file', () => {
    const copy = { ...TICKET_ROUTER, manifest: { ...TICKET_ROUTER.manifest!, name: 'support-bot' } };
    const users = otherModelsFiles([SUPPORT_BOT, copy], SUPPORT_BOT.file, 'support-bot').usedBy;
    expect(users.get('models/support-bot/tokenizer.json')).toEqual([
      'support-bot (models/ticket-router/model.yaml)',
    ]);
  });
});

/** ticket-router naming its shards only in its safetensors index; `index` is what the adapter read there. */
function withIndex(index: FoundManifest['weightsIndex']): FoundManifest {
  const found = parseManifest(
    `apiVersion: modelgate.dev/v1
kind: Model
name: ticket-router
version: 2.0.0
artifacts:
  config: config.json
  tokenizer: tokenizer.json
  weights_index: model.safetensors.index.json
  weights:
    - uri: s3://models/ticket-router/2.0.0/model-00001-of-00002.safetensors
      sha256: ${'a'.repeat(64)}
`,
    TICKET_ROUTER.file,
  );
  return { file: TICKET_ROUTER.file, manifest: found.manifest, ...(index ? { weightsIndex: index } : {}) };
}

const utf8 = (text: string) => ({ ok: true as const, bytes: new TextEncoder().encode(text) });

describe('otherModelsFiles: files another model uses that its manifest does not write', () => {
  it('the file a path leads to through a symlink is used too, next to the path as written', () => {
    const others = otherModelsFiles(
      [SUPPORT_BOT, TICKET_ROUTER],
      SUPPORT_BOT.file,
      'support-bot',
      new Map([['models/ticket-router/config.json', 'models/support-bot/config.json']]),
    );
    expect(others.usedBy.get('models/ticket-router/config.json')).toEqual(['ticket-router']);
    expect(others.usedBy.get('models/support-bot/config.json')).toEqual(['ticket-router']);
    const now = digests({ 'models/support-bot/model.yaml': 'm2', 'models/support-bot/config.json': 'c2' });
    const then = digests({ 'models/support-bot/model.yaml': 'm1', 'models/support-bot/config.json': 'c1' });
    expect(rollbackChanges('support-bot', now, then, others)).toMatchObject({
      ok: false,
      conflicts: [{ path: 'models/support-bot/config.json', usedBy: ['ticket-router'] }],
    });
  });

  it('the shards its weights index lists, resolved next to the index, each once; the adapter is told which paths to resolve', () => {
    const index = withIndex(
      utf8(
        JSON.stringify({
          metadata: { total_size: 16 },
          weight_map: {
            'wte.weight': 'model-00001-of-00002.safetensors',
            'wpe.weight': 'model-00001-of-00002.safetensors',
            'lm_head.weight': 'model-00002-of-00002.safetensors',
            'h.0.weight': '../../../outside.safetensors',
          },
        }),
      ),
    );
    expect(weightsIndexFile(index)).toBe('models/ticket-router/model.safetensors.index.json');
    expect(pathsOtherModelsUse([SUPPORT_BOT, index], SUPPORT_BOT.file)).toEqual([
      'models/ticket-router/config.json',
      'models/ticket-router/model-00001-of-00002.safetensors',
      'models/ticket-router/model-00002-of-00002.safetensors',
      'models/ticket-router/model.safetensors.index.json',
      'models/ticket-router/model.yaml',
      'models/ticket-router/tokenizer.json',
    ]);
    const others = otherModelsFiles([SUPPORT_BOT, index], SUPPORT_BOT.file, 'support-bot');
    expect(others.usedBy.get('models/ticket-router/model-00002-of-00002.safetensors')).toEqual([
      'ticket-router',
    ]);
    expect(others.unreadable).toEqual([]);
  });

  it('an index that was not read, cannot be read or is not a safetensors index: that manifest is unreadable, and a change is refused naming why', () => {
    const file = 'models/ticket-router/model.safetensors.index.json';
    const cases: [FoundManifest['weightsIndex'], string][] = [
      [undefined, `its weights_index ${file} was not read`],
      [
        { ok: false, problem: 'it is not a file on the default branch' },
        `its weights_index ${file} cannot be read (it is not a file on the default branch)`,
      ],
      [utf8('{"weight_map": '), `its weights_index ${file} cannot be parsed (Unexpected end of JSON input)`],
      [
        utf8('{"metadata": {}}'),
        `its weights_index ${file} is not a safetensors index (it has no "weight_map" object)`,
      ],
    ];
    for (const [read, problem] of cases) {
      const others = otherModelsFiles([SUPPORT_BOT, withIndex(read)], SUPPORT_BOT.file, 'support-bot');
      expect(others.unreadable).toEqual([{ file: TICKET_ROUTER.file, problem }]);
      const planned = rollbackChanges(
        'support-bot',
        digests({ 'models/support-bot/model.yaml': 'm2' }),
        digests({ 'models/support-bot/model.yaml': 'm1' }),
        others,
      );
      expect(planned).toMatchObject({
        ok: false,
        reason: `cannot tell which files ${TICKET_ROUTER.file} uses: ${problem}, so the rollback could change another model's files`,
      });
    }
  });
});
