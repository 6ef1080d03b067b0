import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { FileSystemSource } from '../src/io/fs-source.js';
import { medianMs, report } from './measure.js';

const SIZE = 1024 * 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'modelgate-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('sha256 of a 1 GiB file reaches at least 0.8x the throughput of sha256sum', async () => {
  const file = join(dir, 'weights.bin');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(16 * 1024 * 1024);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
  for (let written = 0; written < SIZE; written += block.length) writeSync(fd, block);
  closeSync(fd);

  const source = new FileSystemSource(dir);
  let ours = '';
  let theirs = '';
  const sha256sum = await medianMs(
    3,
    () => (theirs = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!),
  );
  const modelgate = await medianMs(3, async () => {
    const result = await source.sha256('weights.bin');
    if (result.ok) ours = result.value.sha256;
  });
  expect(ours).toBe(theirs);
  const ratio = sha256sum / modelgate; // throughput ratio = inverse time ratio
  const mbps = (ms: number) => `${(SIZE / 1024 / 1024 / (ms / 1000)).toFixed(0)} MiB/s`;
  report(
    `sha256 1 GiB: modelgate ${mbps(modelgate)} vs sha256sum ${mbps(sha256sum)} = ${ratio.toFixed(2)}x throughput (target >= 0.8x)`,
  );
  expect(ratio).toBeGreaterThanOrEqual(0.8);
});
