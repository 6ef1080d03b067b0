import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/fixtures.ts'],
    // git-relay: the code under test's git runs from a small relay process per worker, not by
    // forking the worker (test/helpers/git-relay.ts); cleanup: temporary registries go after each test;
    // bottleneck-pace: the Octokit plugins' limiter yields without Node's 1 ms timer floor.
    setupFiles: ['test/setup/git-relay.ts', 'test/setup/cleanup.ts', 'test/setup/bottleneck-pace.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // One module graph per worker, not per file: importing the sources again for each of ~110 files
    // cost a minute of CPU. The tests share no mutable module state (each builds its own registry,
    // fake GitHub and app); a full run without isolation took 115 s where isolated runs took 132 s.
    isolate: false,
    // Vitest's default (cores - 1) is one worker on a 2-core runner. Many tests wait on processes
    // they start (git, the bundled Action, nginx, Prometheus, Redis), so one worker more than the
    // cores keeps them busy: on 2 cores, 3 workers ran the suite in 114 s where 4 took 126 s (each
    // worker is a large process, and every process it starts copies its page tables).
    maxWorkers: availableParallelism() + 1,
  },
});
