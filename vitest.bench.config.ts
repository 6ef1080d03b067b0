import { defineConfig } from 'vitest/config';

// `npm run bench`: measurements with their baselines in the same run, printed as ratios.
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    globalSetup: ['test/setup/fixtures.ts'],
    setupFiles: ['test/setup/cleanup.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});
