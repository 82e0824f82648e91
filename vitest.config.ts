import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests start real daemons and wait on real processes; a stuck one fails with its output. On a
    // loaded machine (two suite runs on 2 cores) a CLI run takes seconds and a 10 s test takes 30: the bound is wide.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    // The integration tests mostly wait on real processes (startups, kill timeouts, polls): on 2 cores, four
    // files at a time keep the cores busy, where vitest's default (cores - 1) would run them one by one.
    maxWorkers: 4,
    // A test file runs in a worker that ran others before it, instead of a fresh process each: a third of the unit
    // tests' CPU and some of every file's. Tests keep no state in modules (each has its own SUP_HOME and folder).
    isolate: false,
  },
});
