import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive, killQuietly, pidsWithSupHome, readPidFile, spawned, stopSpawning, timedRun, waitFor, waitForAppStatus } from './proc.js';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const SUP_BIN = join(REPO, 'bin/sup.js');
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
    if (!existsSync(join(REPO, 'dist/bin/sup.js'))) throw new Error('dist/ is missing; run `npm run build` first (or `npm run bench`)');
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

  create() {
    const home = new SupHome(mkdtempSync(join(this.dir, 'h')));
    this.homes.add(home);
    return home;
  }

  async release(home) {
    this.homes.delete(home);
    await home.cleanup();
  }

  /** Cleans up every home still open, then kills by pid anything left that ran under this root. */
  async cleanupAll() {
    stopSpawning();
    // A CLI still running (interrupted mid-benchmark) could start a daemon while the homes are cleaned up.
    [...spawned].forEach((pid) => killQuietly(pid));
    for (const home of [...this.homes]) await this.release(home).catch((err) => process.stderr.write(`cleanup: ${err.message}\n`));
    const left = pidsWithSupHome((home) => home === this.dir || home.startsWith(this.dir + sep));
    for (const pid of left) {
      process.stderr.write(`cleanup: killing leftover pid ${pid}\n`);
      killQuietly(pid);
    }
    spawned.clear();
    for (const dir of [this.dir, ...this.scratch]) rmSync(dir, { recursive: true, force: true });
  }
}

/** One SUP_HOME with (at most) one daemon, driven through the real CLI. */
export class SupHome {
  constructor(dir) {
    this.dir = dir;
  }

  env(extra = {}) {
    return { ...process.env, SUP_HOME: this.dir, NO_COLOR: '1', ...extra };
  }

  /** Runs `sup <args>` and resolves with its wall time and output; fails unless it exits 0. */
  sup(args, { env, timeoutMs, duringCleanup } = {}) {
    return timedRun(process.execPath, [SUP_BIN, ...args], { env: this.env(env), cwd: REPO, timeoutMs, duringCleanup });
  }

  async list() {
    return JSON.parse((await this.sup(['list', '--json'])).stdout);
  }

  waitForStatus(name, status, timeoutMs = 10_000) {
    return waitForAppStatus(() => this.list(), name, status, { timeoutMs });
  }

  daemonPid() {
    return readPidFile(join(this.dir, 'daemon.pid'));
  }

  /** `sup kill` (the daemon stops its apps), then by pid whatever of this home still runs, then the directory. */
  async cleanup() {
    const daemon = this.daemonPid();
    if (existsSync(join(this.dir, 'sup.sock'))) {
      await this.sup(['kill'], { timeoutMs: 15_000, duringCleanup: true }).catch((err) =>
        process.stderr.write(`cleanup: sup kill failed: ${err.message}\n`),
      );
    }
    if (daemon) await waitFor(`daemon ${daemon} to exit`, () => !isAlive(daemon), 5000).catch(() => killQuietly(daemon));
    pidsWithSupHome((home) => home === this.dir).forEach((pid) => killQuietly(pid));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
