import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { TempRegistry } from '../test/helpers/registry.js';
import { report } from './measure.js';
import { compareProcesses, costText, modelgateCommand } from './cli-process.js';

const VERSIONS = 5_000; // one version tag and one stage tag each: 10,000 tags

it('modelgate history of a model with 10,000 tags costs at most 3x the CPU of git tag -l', () => {
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

  const history = modelgateCommand('history', 'bench', '--root', registry.root, '--format', 'json');
  const { ours, baseline } = compareProcesses(7, history, ['git', '-C', registry.root, 'tag', '-l']);
  // What was measured is the whole history: every tag is an event.
  const [node = '', ...args] = history;
  const printed = execFileSync(node, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect((JSON.parse(printed) as { events: unknown[] }).events).toHaveLength(2 * VERSIONS);
  const ratio = ours.cpuMs / baseline.cpuMs;
  report(
    `modelgate history of 1 model with ${2 * VERSIONS} tags: ${costText(ours)} vs git tag -l ${costText(baseline)} = ${ratio.toFixed(2)}x CPU (target <= 3x)`,
  );
  expect(ratio).toBeLessThanOrEqual(3);
});
