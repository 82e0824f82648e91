import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killQuietly, pidsWithSupHome } from '../harness/proc.js';

// Set before the test workers start, so that every worker puts its homes under the same root.
const TEST_ROOT = (process.env.SUP_TEST_ROOT ??= join(tmpdir(), `sup-test-${process.pid}`));

/** One root for every test's SUP_HOME, so that anything a test left running can be found (by pid) at the end. */
export function setup(): void {
  mkdirSync(TEST_ROOT, { recursive: true, mode: 0o700 });
}

export function teardown(): void {
  const left = pidsWithSupHome((home) => home.startsWith(TEST_ROOT));
  left.forEach((pid) => killQuietly(pid));
  rmSync(TEST_ROOT, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(
      `the test run left ${left.length} process(es) running (pids ${left.join(', ')}); they were killed, but a test is not cleaning up`,
    );
  }
}
