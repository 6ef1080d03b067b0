import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { addRealModel } from '../../helpers/models.js';
import { TempRegistry } from '../../helpers/registry.js';
import { runCliOnStreams } from './cli-streams.js';
import { expectInert, HOSTILE } from './inert-output.js';

// git keeps a tagger name's escape sequences, CR and bidi controls; only a newline cannot be in it.
// A CR is enough: the Actions runner starts a new line at a CR.
const TAGGER = HOSTILE.replace('\r\n', '\r');
const TAGGER_AS_TEXT =
  'evil\\u001b[31m\\u001b]8;;https://evil.example\\u0007link\\u001b]8;;\\u0007\\u001b[2J\\r::error title=x::pwned\\u202egnp.exe\\u009b2J ##\\u005bwarning]w';

/** gpt2 1.0.0 released and put in canary by someone whose git name is the attack. */
function releasedByHostileTagger() {
  const registry = TempRegistry.create();
  addRealModel(registry, 'gpt2');
  registry.commit('gpt2 1.0.0');
  for (const [tag, date] of [
    ['gpt2@v1.0.0', 1_760_000_000],
    ['gpt2#canary#1', 1_760_000_100],
  ] as const) {
    execFileSync('git', ['tag', '-a', tag, '-m', tag], {
      cwd: registry.root,
      env: { ...process.env, GIT_COMMITTER_NAME: TAGGER, GIT_COMMITTER_DATE: `${date} +0000` },
    });
  }
  return registry;
}

describe('a tagger name with escape sequences, a CR and a workflow command', () => {
  it('history prints it escaped on its event line', async () => {
    const registry = releasedByHostileTagger();
    const { code, stdout } = await runCli('history', '--root', registry.root);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `2025-10-09 08:53Z  gpt2  registered 1.0.0  by ${TAGGER_AS_TEXT}  (gpt2@v1.0.0)\n` +
        `2025-10-09 08:55Z  gpt2  1.0.0 -> canary  by ${TAGGER_AS_TEXT}  (gpt2#canary#1)\n`,
    );
    expectInert(stdout);
  });

  it('show prints it escaped among the versions', async () => {
    const registry = releasedByHostileTagger();
    const { code, stdout } = await runCli('show', 'gpt2', '--root', registry.root);
    expect(code).toBe(0);
    expect(stdout).toContain(`  1.0.0        2025-10-09 08:53Z  ${TAGGER_AS_TEXT}  `);
    expectInert(stdout);
  });

  it('history as JSON keeps the exact name, and the modelgate binary writes it inert', async () => {
    const registry = releasedByHostileTagger();
    const { code, stdout, stderr } = await runCliOnStreams(
      'history',
      '--root',
      registry.root,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const history = JSON.parse(stdout) as { events: { author: string }[] };
    expect(history.events.map((e) => e.author)).toEqual([TAGGER, TAGGER]);
    expectInert(stdout);
  });
});
