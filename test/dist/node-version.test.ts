// One Node.js for everything: the Action runs on the runner's Node 24 (action.yml), so modelgate is
// developed, type-checked, tested, built in CI and shipped in the app image on Node 24 too. The
// exact version lives in .node-version; every other place names its major, and this file holds them
// together.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { pinnedNode, pinnedNodeVersion } from '../../scripts/pinned-node.js';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const version = pinnedNodeVersion(ROOT);
const major = version.split('.')[0]!;

describe('Node 24 everywhere', () => {
  it(".node-version pins one exact version of the major action.yml's runner runs", () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect((parse(read('action.yml')) as { runs: { using: string } }).runs.using).toBe(`node${major}`);
  });

  it('package.json requires that major and types the code against it', () => {
    const manifest = JSON.parse(read('package.json'));
    expect(manifest.engines).toEqual({ node: `>=${major}` });
    expect(manifest.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${major}\\.`));
  });

  it('every workflow that sets up Node reads .node-version', () => {
    const setups: { workflow: string; with: Record<string, unknown> }[] = [];
    for (const workflow of readdirSync(join(ROOT, '.github', 'workflows'))) {
      const jobs = (parse(read(`.github/workflows/${workflow}`)) as { jobs: Record<string, { steps?: any[] }> })
        .jobs;
      for (const job of Object.values(jobs))
        for (const step of job.steps ?? [])
          if (String(step.uses).startsWith('actions/setup-node@')) setups.push({ workflow, with: step.with });
    }
    expect(setups.length).toBeGreaterThan(0);
    expect(setups.filter((setup) => setup.with['node-version-file'] !== '.node-version')).toEqual([]);
    expect(setups.filter((setup) => 'node-version' in setup.with)).toEqual([]);
  });

  it("the app image's stages run that major", () => {
    const images = [...read('Dockerfile').matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    expect(images.length).toBeGreaterThan(0);
    expect(images.filter((image) => image !== `node:${major}-slim`)).toEqual([]);
  });

  it('the tests run the Action bundle on that major, fetched when this machine runs another', () => {
    // The binary test/helpers/action.ts spawns for every Action run.
    const runner = execFileSync(pinnedNode(ROOT), ['--version'], { encoding: 'utf8' }).trim();
    expect(runner).toMatch(new RegExp(`^v${major}\\.\\d+\\.\\d+$`));
  });
});
