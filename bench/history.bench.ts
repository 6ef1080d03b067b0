import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { runCli } from '../test/helpers/cli.js';
import { TempRegistry } from '../test/helpers/registry.js';
import { fmt, medianMs, report } from './measure.js';

const VERSIONS = 5_000; // one version tag and one stage tag each: 10,000 tags

it('modelgate history for a model with 10,000 tags takes under 1 s', async () => {
  const registry = TempRegistry.create();
  // git fast-import writes 5,000 commits and 10,000 annotated tags in about a second.
  const lines: string[] = [];
  for (let i = 0; i < VERSIONS; i++) {
    const date = 1_700_000_000 + i * 60;
    lines.push(
      `commit refs/heads/main`,
      `mark :${i + 1}`,
      `committer ML Team <ml@example.com> ${date} +0000`,
      `data 4`,
      `v${String(i).padStart(3, '0').slice(-3)}`,
    );
    if (i > 0) lines.push(`from :${i}`);
    lines.push('');
    const version = `${Math.floor(i / 1000)}.${Math.floor(i / 10) % 100}.${i % 10}`;
    for (const [tag, offset] of [
      [`bench@v${version}`, 0],
      [`bench#${i % 2 ? 'production' : 'canary'}#${i + 1}`, 30],
    ] as const) {
      const message = `${tag}\n`;
      lines.push(
        `tag ${tag}`,
        `from :${i + 1}`,
        `tagger ML Team <ml@example.com> ${date + offset} +0000`,
        `data ${Buffer.byteLength(message)}`,
        message,
      );
    }
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: registry.root, input: `${lines.join('\n')}\n` });
  expect(registry.git('tag', '--list').split('\n')).toHaveLength(2 * VERSIONS);

  const floor = await medianMs(5, () =>
    execFileSync('git', ['for-each-ref', 'refs/tags'], { cwd: registry.root }),
  );
  let events = 0;
  const history = await medianMs(5, async () => {
    const { stdout } = await runCli('history', 'bench', '--root', registry.root, '--format', 'json');
    events = (JSON.parse(stdout) as { events: unknown[] }).events.length;
  });
  expect(events).toBe(2 * VERSIONS);
  report(
    `history of 1 model with ${2 * VERSIONS} tags: ${fmt(history)} (target < 1000 ms; bare git for-each-ref ${fmt(floor)}, ${(history / floor).toFixed(1)}x)`,
  );
  expect(history).toBeLessThan(1000);
});
