// @ts-check
/**
 * A tmux server of its own (`tmux -L <socket>`), for driving full-screen programs in a real terminal: sessions at a
 * given size, keys typed into them, the screen read back with `capture-pane`. Every call names the socket, so that
 * nothing touches the user's tmux or another test file's. `killServer()` ends it all.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cmdline, descendants, isAlive, killQuietly } from './proc.js';
import { sleep, waitFor } from './wait.js';

export class Tmux {
  static count = 0;

  /** @param {string} [prefix] of the socket's name, which adds this process's pid and a counter */
  constructor(prefix = 'sup-test') {
    this.socket = `${prefix}-${process.pid}-${++Tmux.count}`;
  }

  /**
   * Runs `tmux -L <socket> <args>` and resolves with its stdout; fails with its stderr.
   * @param {string[]} args
   * @returns {Promise<string>}
   */
  run(args) {
    // No user config (-f /dev/null), and never the tmux this process may itself run in (TMUX).
    /** @type {NodeJS.ProcessEnv} */
    const env = { ...process.env, LANG: 'C.UTF-8', TERM: process.env.TERM || 'xterm-256color' };
    delete env.TMUX;
    return new Promise((resolve, reject) => {
      execFile('tmux', ['-u', '-f', '/dev/null', '-L', this.socket, ...args], { env, timeout: 10_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`tmux -L ${this.socket} ${args.join(' ')}: ${err.message}${stderr ? `\n${stderr}` : ''}`));
        else resolve(stdout);
      });
    });
  }

  /**
   * A detached session of this size running `argv` directly (no shell in between unless argv is one), e.g.
   * `['/bin/sh', '-c', 'program; echo EXITED $?; sleep 600']` so that the pane outlives the program.
   * @param {string} name
   * @param {{ width: number, height: number, argv: string[] }} options
   * @returns {Promise<Pane>}
   */
  async start(name, { width, height, argv }) {
    const args = ['new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), ...argv];
    // The server exits once its last session is gone; a new session asked for during that exit sees "server
    // exited unexpectedly" and only needs to ask again (a new server starts).
    for (let attempt = 1; ; attempt++) {
      try {
        await this.run(args);
        return new Pane(this, name);
      } catch (err) {
        if (attempt >= 3 || !/server exited unexpectedly/.test(/** @type {Error} */ (err).message)) throw err;
      }
    }
  }

  /** Ends the server and every session, then by pid whatever the panes ran that outlived the hang-up. */
  async killServer() {
    /** @type {number[]} */
    let panePids = [];
    try {
      panePids = (await this.run(['list-panes', '-a', '-F', '#{pane_pid}'])).split('\n').filter(Boolean).map(Number);
    } catch {
      // no server: nothing runs
    }
    const tree = panePids.flatMap((pid) => [pid, ...descendants(pid)]);
    await this.run(['kill-server']).catch(() => undefined);
    await endAll(tree);
    // tmux leaves its socket file behind.
    rmSync(this.socketPath, { force: true });
  }

  /** Where `-L <socket>` puts the socket: $TMUX_TMPDIR (or /tmp)/tmux-<uid>/<socket>. */
  get socketPath() {
    return join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket);
  }
}

/**
 * @typedef {object} ScreenOptions
 * @property {boolean} [escapes] the colours and attributes too, as SGR sequences
 * @property {number} [intervalMs] between two captures (40 ms unless told)
 */

/** One session's pane: keys in, screen out. */
export class Pane {
  /**
   * @param {Tmux} tmux
   * @param {string} name
   */
  constructor(tmux, name) {
    this.tmux = tmux;
    this.name = name;
  }

  /**
   * Keys by tmux name (`j`, `Escape`, `Enter`, `C-c`, `Up`); each argument is one key or key name.
   * @param {string[]} keys
   */
  async send(...keys) {
    await this.tmux.run(['send-keys', '-t', this.name, ...keys]);
  }

  /**
   * Text typed as is, character by character (no key-name lookup).
   * @param {string} text
   */
  async type(text) {
    await this.tmux.run(['send-keys', '-t', this.name, '-l', text]);
  }

  /**
   * The visible screen, one line per row.
   * @param {{ escapes?: boolean }} [options]
   */
  async capture({ escapes = false } = {}) {
    return this.tmux.run(['capture-pane', '-p', '-t', this.name, ...(escapes ? ['-e'] : [])]);
  }

  /**
   * Polls the screen until `check` accepts it: a regex that must match (resolves with the screen), or a function
   * returning a value other than undefined/false/null (resolves with that value). Fails after the deadline with the
   * last screen it saw.
   * @overload
   * @param {string} what
   * @param {RegExp} check
   * @param {number} [timeoutMs]
   * @param {ScreenOptions} [options]
   * @returns {Promise<string>}
   */
  /**
   * @template T
   * @overload
   * @param {string} what
   * @param {(screen: string) => T | undefined | false | null} check
   * @param {number} [timeoutMs]
   * @param {ScreenOptions} [options]
   * @returns {Promise<T>}
   */
  /**
   * @param {string} what
   * @param {RegExp | ((screen: string) => unknown)} check
   * @param {number} [timeoutMs]
   * @param {ScreenOptions} [options]
   * @returns {Promise<unknown>}
   */
  async waitForScreen(what, check, timeoutMs = 10_000, { escapes = false, intervalMs = 40 } = {}) {
    /** @type {(screen: string) => unknown} */
    const test = typeof check === 'function' ? check : (screen) => (check.test(screen) ? screen : undefined);
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    /** @type {unknown} */
    let error;
    for (;;) {
      try {
        screen = await this.capture({ escapes });
        error = undefined;
        const value = test(screen);
        if (value !== undefined && value !== false && value !== null) return value;
      } catch (err) {
        error = err;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what} in tmux session ${this.name}` +
            `${error ? ` (last error: ${error instanceof Error ? error.message : String(error)})` : ''}; last screen:\n${frame(screen)}`,
        );
      }
      await sleep(intervalMs);
    }
  }

  /**
   * Resolves once the screen differs from `before` (e.g. after Escape, before the next key).
   * @param {string} what
   * @param {string} before
   * @param {number} [timeoutMs]
   * @returns {Promise<string>}
   */
  waitForChange(what, before, timeoutMs = 10_000) {
    return this.waitForScreen(what, (screen) => screen !== before && screen, timeoutMs);
  }

  /**
   * @param {number} width
   * @param {number} height
   */
  async resize(width, height) {
    await this.tmux.run(['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  /**
   * A tmux format about this pane, e.g. `#{pane_pid}`, `#{alternate_on}`, `#{cursor_flag}`.
   * @param {string} format
   */
  async display(format) {
    return (await this.tmux.run(['display-message', '-p', '-t', this.name, format])).trim();
  }

  /** The pid of the pane's first process (the shell, or the program when run directly). */
  async pid() {
    return Number(await this.display('#{pane_pid}'));
  }

  /**
   * A process below the pane's first one whose command line matches, e.g. the node program a shell started.
   * @param {RegExp} pattern
   */
  async findProcess(pattern) {
    return descendants(await this.pid()).find((pid) => pattern.test(cmdline(pid)));
  }

  /** Ends this session (its processes get SIGHUP), then by pid whatever of them outlived it. */
  async kill() {
    /** @type {number[]} */
    let tree;
    try {
      const root = await this.pid();
      tree = [root, ...descendants(root)];
    } catch {
      return; // already gone
    }
    await this.tmux.run(['kill-session', '-t', this.name]).catch(() => undefined);
    await endAll(tree);
  }
}

/**
 * Waits a while for these processes to end (tmux hung them up), then SIGKILLs by pid those that did not.
 * @param {number[]} pids
 */
async function endAll(pids) {
  await waitFor('the pane processes to end', () => pids.every((pid) => !isAlive(pid)), 3000).catch(() => undefined);
  pids.filter(isAlive).forEach((pid) => killQuietly(pid));
}

/**
 * A screen in a frame, so that its blank lines and trailing edge show in a failure message.
 * @param {string} screen
 */
export function frame(screen) {
  const lines = screen.replace(/\n$/, '').split('\n');
  const width = Math.max(0, ...lines.map((l) => [...l].length));
  return [`+${'-'.repeat(width)}+`, ...lines.map((l) => `|${l}${' '.repeat(width - [...l].length)}|`), `+${'-'.repeat(width)}+`].join('\n');
}
