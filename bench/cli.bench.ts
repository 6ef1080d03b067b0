import { expect, it } from 'vitest';
import { report } from './measure.js';
import { compareProcesses, costText, modelgateCommand } from './cli-process.js';

it('modelgate --help costs at most 2x the CPU of a Node process that does nothing', () => {
  const { ours, baseline } = compareProcesses(21, modelgateCommand('--help'), [process.execPath, '-e', '0']);
  const ratio = ours.cpuMs / baseline.cpuMs;
  report(
    `modelgate --help: ${costText(ours)} vs node -e 0 ${costText(baseline)} = ${ratio.toFixed(2)}x CPU (target <= 2x)`,
  );
  expect(ratio).toBeLessThanOrEqual(2);
});

it('modelgate --version costs at most 2x the CPU of a Node process that does nothing', () => {
  const { ours, baseline } = compareProcesses(21, modelgateCommand('--version'), [
    process.execPath,
    '-e',
    '0',
  ]);
  const ratio = ours.cpuMs / baseline.cpuMs;
  report(
    `modelgate --version: ${costText(ours)} vs node -e 0 ${costText(baseline)} = ${ratio.toFixed(2)}x CPU (target <= 2x)`,
  );
  expect(ratio).toBeLessThanOrEqual(2);
});
