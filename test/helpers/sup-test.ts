import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from 'vitest';
import { SupHome } from '../harness/sup-home.js';

/** One root for every test's homes and folders (set by global-setup), so that the run's end can find what a test left. */
export const TEST_ROOT = process.env.SUP_TEST_ROOT ?? join(tmpdir(), `sup-test-${process.ppid}`);

/** A scratch folder under the test root (short paths; removed at the end of the run if a test forgets). */
export function makeTempDir(): string {
  mkdirSync(TEST_ROOT, { recursive: true, mode: 0o700 });
  return mkdtempSync(join(TEST_ROOT, 't'));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export interface SupFixtures {
  /** A fresh SUP_HOME of the test's own (its daemon starts with the first command); cleaned up after the test. */
  sup: SupHome;
  /** A scratch folder of the test's own (under the test root), removed after it. */
  dir: string;
  /** Another fresh home, for a test that needs two daemons; each one is cleaned up after the test. */
  newHome: () => SupHome;
}

/**
 * `it`/`test` with per-test resources: ask for `sup`, `dir` or `newHome` in the test's arguments and they are made
 * for it, then cleaned up after it whether it passed, failed or timed out.
 */
export const test = base.extend<SupFixtures>({
  // Vitest reads which fixtures a fixture needs from its first argument's pattern. `dir` is made first, so that it is
  // removed last: the apps of the homes may write into it until their home is cleaned up.
  newHome: async ({ dir: _madeFirst }, use) => {
    const homes: SupHome[] = [];
    await use(() => {
      const home = SupHome.create(TEST_ROOT);
      homes.push(home);
      return home;
    });
    const failures = (await Promise.allSettled(homes.map((home) => home.cleanup()))).filter((r) => r.status === 'rejected');
    if (failures.length > 0) throw (failures[0] as PromiseRejectedResult).reason;
  },
  sup: async ({ newHome }, use) => use(newHome()),
  dir: async ({}, use) => {
    const dir = makeTempDir();
    await use(dir);
    removeDir(dir);
  },
});

export const it = test;
