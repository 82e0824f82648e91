import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { REPO } from '../../test/harness/paths.js';
import { killQuietly, pidsWithSupHome } from '../../test/harness/proc.js';
import { stopRunning } from '../../test/harness/run.js';
import { SupHome } from '../../test/harness/sup-home.js';

export const benchApp = (name) => join(REPO, 'bench/apps', name);

/**
 * All homes of one bench run live under one temp root, so that a final sweep of /proc can find
 * every process the run started (they all carry SUP_HOME=<root>/...) and end each one by pid.
 */
export class HomeRoot {
  /**
   * The root of a bench script's run, once dist/ is known to be built; Ctrl-C (or SIGTERM) still ends every
   * process the run started.
   */
  static open() {
    if (!existsSync(join(REPO, 'dist/sup-cli.cjs'))) throw new Error('dist/ is missing; run `npm run build` first (or `npm run bench`)');
    const root = new HomeRoot();
    const onSignal = (signal) => {
      process.stderr.write(`\n${signal}: cleaning up\n`);
      root.cleanupAll().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return root;
  }

  constructor() {
    // Short, so that <home>/sup.sock stays far below the 104-byte socket path limit.
    this.dir = mkdtempSync(join(tmpdir(), 'sup-bench-'));
    this.homes = new Set();
    this.scratch = new Set();
  }

  /** A temp directory that cleanupAll removes; `base` may lie outside the root (e.g. a tmpfs). */
  scratchDir(base = this.dir) {
    const dir = mkdtempSync(join(base, 'sup-bench-'));
    this.scratch.add(dir);
    return dir;
  }

  /** A new SupHome under the root (test/harness/sup-home.js), cleaned up by release() or cleanupAll(). */
  create() {
    const home = SupHome.create(this.dir);
    this.homes.add(home);
    return home;
  }

  async release(home) {
    this.homes.delete(home);
    await home.cleanup();
  }

  /** Cleans up every home still open, then kills by pid anything left that ran under this root. */
  async cleanupAll() {
    // A CLI still running (interrupted mid-benchmark) could start a daemon while the homes are cleaned up.
    stopRunning();
    for (const home of [...this.homes]) await this.release(home).catch((err) => process.stderr.write(`cleanup: ${err.message}\n`));
    const left = pidsWithSupHome((home) => home === this.dir || home.startsWith(this.dir + sep));
    for (const pid of left) {
      process.stderr.write(`cleanup: killing leftover pid ${pid}\n`);
      killQuietly(pid);
    }
    for (const dir of [this.dir, ...this.scratch]) rmSync(dir, { recursive: true, force: true });
  }
}
