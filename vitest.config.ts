import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/fixtures.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Vitest's default (cores - 1) is one worker on a 2-core runner. Many tests wait on
    // processes they start (git, the bundled Action), so one worker more than cores keeps both busy.
    maxWorkers: availableParallelism() + 1,
  },
});
