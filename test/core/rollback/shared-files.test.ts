import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { rollbackChanges } from '../../../src/core/rollback/plan.js';
import { otherModelsFiles, type FoundManifest } from '../../../src/core/rollback/shared-files.js';

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
    expect(broken.unreadable).toEqual(['models/ticket-router/model.yaml']);
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
