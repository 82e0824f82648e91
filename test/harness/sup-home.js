// @ts-check
/**
 * A real daemon in a fresh SUP_HOME of its own, driven through the real CLI (bin/sup.cjs) and, for the many look-ups a
 * test or benchmark makes, through one client connection. Cleanup ends by pid anything still carrying that SUP_HOME.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, SUP_BIN } from './paths.js';
import { isAlive, killQuietly, pidsWithSupHome, readPidFile } from './proc.js';
import { run, succeeded } from './run.js';
import { waitFor } from './wait.js';

/** @typedef {import('../../src/client/client.js').SupClient} SupClient */
/** @typedef {import('../../src/protocol/messages.js').ProcessInfo} ProcessInfo */
/** @typedef {import('../../src/protocol/messages.js').Status} Status */
/** @typedef {import('./run.js').RunResult} RunResult */
/** @typedef {{ cwd?: string, env?: Record<string, string>, timeoutMs?: number, input?: string, duringCleanup?: boolean }} SupRunOptions */

// The built client, like the CLI the harness drives (plain Node cannot load src/); typed from its source. Loaded on
// first use, so that a script that never connects does not need dist/.
const CLIENT_MODULE = new URL('../../dist/client/client.js', import.meta.url).href;
/** @type {Promise<typeof import('../../src/client/client.js')> | undefined} */
let clientModule;

/**
 * A new connection to the daemon on this socket.
 * @param {string} socket
 * @returns {Promise<SupClient>}
 */
async function connect(socket) {
  clientModule ??= import(CLIENT_MODULE);
  return (await clientModule).SupClient.connect(socket);
}

/**
 * Polls `list()` until the processes named `name` are there and `predicate` accepts them; resolves with them. Shared
 * with PM2's home in the benchmarks (any list of `{ name }` records).
 * @template {{ name: string }} P
 * @param {() => Promise<P[]>} list
 * @param {string} name
 * @param {string} what
 * @param {(processes: P[]) => boolean} predicate
 * @param {{ timeoutMs?: number, intervalMs?: number }} [options]
 * @returns {Promise<P[]>}
 */
export function waitForListed(list, name, what, predicate, { timeoutMs = 20_000, intervalMs } = {}) {
  /** @type {P[]} */
  let last = [];
  return waitFor(
    `${name}: ${what}`,
    async () => {
      last = (await list()).filter((p) => p.name === name);
      return last.length > 0 && predicate(last) ? last : undefined;
    },
    timeoutMs,
    () => last,
    intervalMs,
  );
}

export class SupHome {
  /** @type {SupClient | undefined} */
  #connection;

  /** @param {string} home the SUP_HOME (made already) */
  constructor(home) {
    this.home = home;
  }

  /**
   * A new empty home under `root`. Short paths: the control socket must stay far below the 104-byte limit.
   * @param {string} root
   */
  static create(root) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    return new this(mkdtempSync(join(root, 'h')));
  }

  get socket() {
    return join(this.home, 'sup.sock');
  }

  /**
   * The environment of a CLI run against this home.
   * @param {Record<string, string>} [extra]
   * @returns {NodeJS.ProcessEnv}
   */
  env(extra = {}) {
    // SUP_START_WATCH_MS=0: `sup start` returns at once instead of watching for a crash at start (the tests wait on
    // statuses themselves); the tests of that watch set it back.
    return { ...process.env, SUP_HOME: this.home, NO_COLOR: '1', SUP_START_WATCH_MS: '0', ...extra };
  }

  /**
   * Runs `sup <args>` and resolves with its output, exit code and wall time; never fails for a non-zero exit (tests
   * assert on it), only when it outlives its deadline.
   * @param {string[]} args
   * @param {SupRunOptions} [options]
   * @returns {Promise<RunResult>}
   */
  run(args, { cwd = REPO, env, timeoutMs, input, duringCleanup } = {}) {
    return run(process.execPath, [SUP_BIN, ...args], { cwd, env: this.env(env), timeoutMs, input, duringCleanup });
  }

  /**
   * Runs `sup <args>`, fails with its output unless it exits 0, and resolves with its stdout.
   * @param {string[]} args
   * @param {SupRunOptions} [options]
   */
  async ok(args, options) {
    return succeeded(await this.run(args, options)).stdout;
  }

  /**
   * The harness's own connection to the daemon (made again if the daemon closed the last one).
   * @returns {Promise<SupClient>}
   */
  async client() {
    if (!this.#connection) {
      const connection = await connect(this.socket);
      void connection.closed.then(() => {
        if (this.#connection === connection) this.#connection = undefined;
      });
      this.#connection = connection;
    }
    return this.#connection;
  }

  /** @returns {Promise<ProcessInfo[]>} */
  async list() {
    return (await (await this.client()).request('list', {})).processes;
  }

  /**
   * The list over a connection of its own, closed after: for tests in which the daemon behind the socket changes
   * (killed and replaced), which the kept connection would only follow once it has seen the old one close.
   * @returns {Promise<ProcessInfo[]>}
   */
  async listFresh() {
    const connection = await connect(this.socket);
    try {
      return (await connection.request('list', {})).processes;
    } finally {
      connection.close();
    }
  }

  /**
   * One process, by id or name.
   * @param {string | number} selector
   * @returns {Promise<ProcessInfo>}
   */
  async info(selector) {
    const all = await this.list();
    const found = all.find((p) => (typeof selector === 'number' ? p.id === selector : p.name === selector));
    if (!found) throw new Error(`no process ${selector} in ${JSON.stringify(all)}`);
    return found;
  }

  /**
   * Waits until every instance of the app matches the predicate.
   * @param {string} name
   * @param {string} what
   * @param {(processes: ProcessInfo[]) => boolean} predicate
   * @param {number} [timeoutMs]
   */
  waitForApp(name, what, predicate, timeoutMs = 20_000) {
    return waitForListed(() => this.list(), name, what, predicate, { timeoutMs });
  }

  /**
   * @param {string} name
   * @param {Status} status
   * @param {number} [timeoutMs]
   */
  waitForStatus(name, status, timeoutMs = 20_000) {
    return this.waitForApp(name, `status ${status}`, (ps) => ps.every((p) => p.status === status), timeoutMs);
  }

  daemonPid() {
    return readPidFile(join(this.home, 'daemon.pid'));
  }

  /** The guardian that restarted this home's daemon should it die (daemons from before the keeper). */
  guardianPid() {
    return readPidFile(join(this.home, 'guardian.pid'));
  }

  /** The keeper: the parent of this home's apps, which restarts the daemon should it die. */
  keeperPid() {
    return readPidFile(join(this.home, 'keeper.pid'));
  }

  /** Processes of this home (the daemon and the apps), without the keeper or guardian that watch over them. */
  processes() {
    const watchers = [this.keeperPid(), this.guardianPid()];
    return pidsWithSupHome((home) => home === this.home).filter((pid) => !watchers.includes(pid));
  }

  /**
   * Kills the daemon (it stops its apps), then ends by pid anything this home still has running, and removes the
   * home. Resolves with the pids it had to kill.
   * @returns {Promise<number[]>}
   */
  async cleanup() {
    this.#connection?.close();
    this.#connection = undefined;
    const daemon = this.daemonPid();
    if (existsSync(this.socket)) await this.run(['kill'], { timeoutMs: 15_000, duringCleanup: true }).catch(() => undefined);
    // Pids are reused quickly (pid_max may be 32768): only a process that still carries this SUP_HOME is ours.
    /** @param {number} pid */
    const ours = (pid) => pidsWithSupHome((home) => home === this.home).includes(pid);
    if (daemon) {
      await waitFor('daemon exit', () => !isAlive(daemon) || !ours(daemon), 5000).catch(() => ours(daemon) && killQuietly(daemon));
    }
    const left = pidsWithSupHome((home) => home === this.home);
    left.forEach((pid) => killQuietly(pid));
    rmSync(this.home, { recursive: true, force: true });
    return left;
  }
}
