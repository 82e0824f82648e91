import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, sep } from 'node:path';
import { isAlive, killQuietly, pidsWithEnv, readPidFile } from '../../test/harness/proc.js';
import { runOk } from '../../test/harness/run.js';
import { waitForListed } from '../../test/harness/sup-home.js';
import { waitFor } from '../../test/harness/wait.js';

const INSTALL_TIMEOUT_MS = 60_000;

/**
 * PM2, installed from the registry into a temp directory of the run (never into the repo) for benchmarks that measure
 * it next to sup. One install per run: every Pm2Home of that run shares it.
 */
const installs = new WeakMap();

/**
 * Resolves { bin, version } or { unavailable: reason }; never rejects, so that a benchmark still reports sup's figures
 * when the registry cannot be reached.
 */
export function installPm2(root, log) {
  if (!installs.has(root)) installs.set(root, install(root, log));
  return installs.get(root);
}

async function install(root, log) {
  if (process.env.SUP_BENCH_PM2) return installed(process.env.SUP_BENCH_PM2, log);
  const prefix = root.scratchDir();
  log(`pm2: npm install --prefix ${prefix} pm2@latest`);
  try {
    // Few, short retries: an unreachable registry is reported within seconds rather than minutes.
    const retries = ['--fetch-retries=1', '--fetch-retry-mintimeout=2000', '--fetch-retry-maxtimeout=5000'];
    await runOk('npm', ['install', '--prefix', prefix, 'pm2@latest', '--no-audit', '--no-fund', ...retries], {
      cwd: prefix,
      timeoutMs: INSTALL_TIMEOUT_MS,
    });
  } catch (err) {
    return { unavailable: npmReason(err) };
  }
  return installed(prefix, log);
}

/** The PM2 under `prefix` (its node_modules), or why there is none. */
function installed(prefix, log) {
  const bin = join(prefix, 'node_modules/.bin/pm2');
  if (!existsSync(bin)) return { unavailable: `npm install left no ${bin}` };
  const { version } = JSON.parse(readFileSync(join(prefix, 'node_modules/pm2/package.json'), 'utf8'));
  log(`pm2: installed ${version}`);
  return { bin, version };
}

/**
 * A fresh PM2_HOME (its daemon not started yet), or { unavailable: reason } when PM2 could not be installed, so
 * that a benchmark measures sup alone and its rows say why PM2's figures are missing.
 */
export async function openPm2(root, log) {
  const installed = await installPm2(root, log);
  return installed.unavailable ? { unavailable: installed.unavailable } : new Pm2Home(root, installed);
}

/** Why npm failed, short: its error code or first error line, not its warnings nor the whole command line. */
function npmReason(err) {
  const message = err instanceof Error ? err.message : String(err);
  const lines = message.split('\n').map((l) => l.trim());
  const code = lines.find((l) => /^npm (error|ERR!) code /.test(l))?.replace(/^npm (error|ERR!) code /, '');
  const error = lines
    .find((l) => /^npm (error|ERR!) /.test(l) && !/^npm (error|ERR!) (code|syscall|errno|path|A complete log)\b/.test(l))
    ?.replace(/^npm (error|ERR!) /, '');
  const timedOut = /did not finish in (\d+) ms/.exec(lines[0]);
  // "FetchError: request to <url> failed, reason: connect ECONNREFUSED 127.0.0.1:443": the reason says it all.
  const reason = error && /reason: (.+)$/.exec(error)?.[1];
  const failed = reason ?? ([code, error].filter(Boolean).join(': ') || lines[0]);
  const why = timedOut ? `npm install gave no result in ${Number(timedOut[1]) / 1000} s` : `npm install failed: ${failed}`;
  return why.length > 100 ? `${why.slice(0, 99)}…` : why;
}

/** PM2_HOMEs still open; Ctrl-C ends their processes by pid (synchronously: the runner exits once its own cleanup is done). */
const openHomes = new Set();
const killOpenHomes = () => {
  for (const home of openHomes) {
    for (const pid of pidsWithEnv('PM2_HOME', (h) => h === home.dir || h.startsWith(home.dir + sep))) {
      process.stderr.write(`cleanup: killing pm2 pid ${pid}\n`);
      killQuietly(pid);
    }
  }
};

/** One PM2_HOME under the run's root (so that the run removes it) with at most one PM2 daemon, driven through pm2's CLI. */
export class Pm2Home {
  constructor(root, { bin, version }) {
    this.bin = bin;
    this.version = version;
    this.dir = mkdtempSync(join(root.dir, 'p'));
    if (openHomes.size === 0) {
      process.on('SIGINT', killOpenHomes);
      process.on('SIGTERM', killOpenHomes);
    }
    openHomes.add(this);
  }

  env(extra = {}) {
    return { ...process.env, PM2_HOME: this.dir, ...extra };
  }

  /** Runs `pm2 <args>` (the installed .bin/pm2, with this run's node); fails unless it exits 0. */
  pm2(args, { env, timeoutMs = 30_000, duringCleanup } = {}) {
    return runOk(process.execPath, [this.bin, ...args], { env: this.env(env), cwd: this.dir, timeoutMs, duringCleanup });
  }

  /** `pm2 jlist`, reduced to the fields the benchmarks compare with `sup list --json`. */
  async list() {
    const { stdout } = await this.pm2(['jlist']);
    // Anything PM2 prints around the JSON (a new daemon's start notices before it, a warning after it on its line) is
    // not part of it.
    const json = /^(\[\]|\[\{.*\}\])/m.exec(stdout);
    if (!json) throw new Error(`pm2 jlist printed no list:\n${stdout}`);
    return JSON.parse(json[1]).map((p) => ({
      name: p.name,
      pid: p.pid,
      status: p.pm2_env?.status,
      restarts: p.pm2_env?.restart_time,
      mode: p.pm2_env?.exec_mode === 'cluster_mode' ? 'cluster' : 'fork',
    }));
  }

  waitForStatus(name, status, timeoutMs = 10_000) {
    // Each look is a pm2 CLI run: a slower poll than sup's client.
    return waitForListed(
      () => this.list(),
      name,
      `pm2: status ${status}`,
      (ps) => ps.every((p) => p.status === status),
      {
        timeoutMs,
        intervalMs: 50,
      },
    );
  }

  daemonPid() {
    return readPidFile(join(this.dir, 'pm2.pid'));
  }

  /** `pm2 kill`, then by pid whatever still runs with this PM2_HOME, then the directory. */
  async cleanup() {
    const daemon = this.daemonPid();
    try {
      if (daemon && isAlive(daemon)) {
        await this.pm2(['kill'], { timeoutMs: 15_000, duringCleanup: true }).catch((err) =>
          process.stderr.write(`cleanup: pm2 kill failed: ${err.message}\n`),
        );
        await waitFor(`pm2 daemon ${daemon} to exit`, () => !isAlive(daemon), 5000).catch(() => killQuietly(daemon));
      }
      for (const pid of pidsWithEnv('PM2_HOME', (h) => h === this.dir)) {
        process.stderr.write(`cleanup: killing leftover pm2 pid ${pid}\n`);
        killQuietly(pid);
      }
    } finally {
      openHomes.delete(this);
      if (openHomes.size === 0) {
        process.off('SIGINT', killOpenHomes);
        process.off('SIGTERM', killOpenHomes);
      }
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
