import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, killQuietly } from './proc.js';

/**
 * A tmux server of its own (`tmux -L <socket>`), for driving full-screen programs in a real terminal:
 * sessions at a given size, keys typed into them, the screen read back with `capture-pane`. Every call names
 * the socket, so a test never touches the user's tmux or another test file's. `killServer()` ends it all.
 */
export class Tmux {
  private static count = 0;
  readonly socket: string;

  constructor(prefix = 'sup-test') {
    this.socket = `${prefix}-${process.pid}-${++Tmux.count}`;
  }

  /** Runs `tmux -L <socket> <args>` and resolves with its stdout; fails with its stderr. */
  run(args: string[]): Promise<string> {
    // No user config (-f /dev/null), and never the tmux this test may itself run in (TMUX).
    const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'C.UTF-8', TERM: process.env.TERM || 'xterm-256color' };
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
   */
  async start(name: string, options: { width: number; height: number; argv: string[] }): Promise<Pane> {
    const args = ['new-session', '-d', '-s', name, '-x', String(options.width), '-y', String(options.height), ...options.argv];
    // The server exits once its last session is gone; a new session asked for during that exit sees "server
    // exited unexpectedly" and only needs to ask again (a new server starts).
    for (let attempt = 1; ; attempt++) {
      try {
        await this.run(args);
        return new Pane(this, name);
      } catch (err) {
        if (attempt >= 3 || !/server exited unexpectedly/.test((err as Error).message)) throw err;
      }
    }
  }

  /** Ends the server and every session, then by pid whatever the panes ran that outlived the hang-up. */
  async killServer(): Promise<void> {
    let panePids: number[] = [];
    try {
      panePids = (await this.run(['list-panes', '-a', '-F', '#{pane_pid}'])).split('\n').filter(Boolean).map(Number);
    } catch {
      // no server: nothing runs
    }
    const tree = panePids.flatMap((pid) => [pid, ...descendants(pid)]);
    await this.run(['kill-server']).catch(() => undefined);
    await waitUntil(() => tree.every((pid) => !isAlive(pid)), 3000);
    tree.filter(isAlive).forEach((pid) => killQuietly(pid));
    // tmux leaves its socket file behind.
    rmSync(this.socketPath, { force: true });
  }

  /** Where `-L <socket>` puts the socket: $TMUX_TMPDIR (or /tmp)/tmux-<uid>/<socket>. */
  get socketPath(): string {
    return join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket);
  }
}

/** One session's pane: keys in, screen out. */
export class Pane {
  constructor(
    readonly tmux: Tmux,
    readonly name: string,
  ) {}

  /** Keys by tmux name (`j`, `Escape`, `Enter`, `C-c`, `Up`); each argument is one key or key name. */
  async send(...keys: string[]): Promise<void> {
    await this.tmux.run(['send-keys', '-t', this.name, ...keys]);
  }

  /** Text typed as is, character by character (no key-name lookup). */
  async type(text: string): Promise<void> {
    await this.tmux.run(['send-keys', '-t', this.name, '-l', text]);
  }

  /** The visible screen, one line per row; with `escapes`, the colours and attributes as SGR sequences. */
  async capture(options: { escapes?: boolean } = {}): Promise<string> {
    return this.tmux.run(['capture-pane', '-p', '-t', this.name, ...(options.escapes ? ['-e'] : [])]);
  }

  /**
   * Polls the screen until `check` accepts it: a regex that must match, or a function returning a value other
   * than undefined/false/null (which is returned). Fails after the deadline with the last screen it saw.
   */
  waitForScreen(what: string, check: RegExp, timeoutMs?: number, options?: { escapes?: boolean }): Promise<string>;
  waitForScreen<T>(
    what: string,
    check: (screen: string) => T | undefined | false | null,
    timeoutMs?: number,
    options?: { escapes?: boolean },
  ): Promise<T>;
  async waitForScreen<T>(
    what: string,
    check: RegExp | ((screen: string) => T | undefined | false | null),
    timeoutMs = 5000,
    options: { escapes?: boolean } = {},
  ): Promise<T | string> {
    const test = typeof check === 'function' ? check : (screen: string) => (check.test(screen) ? screen : undefined);
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    let error: unknown;
    for (;;) {
      try {
        screen = await this.capture(options);
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
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  /** Resolves once the screen differs from `before` (e.g. after Escape, before the next key). */
  waitForChange(what: string, before: string, timeoutMs = 3000): Promise<string> {
    return this.waitForScreen(what, (screen) => screen !== before && screen, timeoutMs);
  }

  async resize(width: number, height: number): Promise<void> {
    await this.tmux.run(['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  /** A tmux format about this pane, e.g. `#{pane_pid}`, `#{alternate_on}`, `#{cursor_flag}`. */
  async display(format: string): Promise<string> {
    return (await this.tmux.run(['display-message', '-p', '-t', this.name, format])).trim();
  }

  /** The pid of the pane's first process (the shell, or the program when run directly). */
  async pid(): Promise<number> {
    return Number(await this.display('#{pane_pid}'));
  }

  /** Processes below the pane's first one whose command line matches, e.g. the node program a shell started. */
  async findProcess(cmdline: RegExp): Promise<number | undefined> {
    const root = await this.pid();
    return descendants(root).find((pid) => {
      try {
        return cmdline.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
      } catch {
        return false;
      }
    });
  }

  /** Ends this session (its processes get SIGHUP), then by pid whatever of them outlived it. */
  async kill(): Promise<void> {
    let tree: number[] = [];
    try {
      const root = await this.pid();
      tree = [root, ...descendants(root)];
    } catch {
      return; // already gone
    }
    await this.tmux.run(['kill-session', '-t', this.name]).catch(() => undefined);
    await waitUntil(() => tree.every((pid) => !isAlive(pid)), 3000);
    tree.filter(isAlive).forEach((pid) => killQuietly(pid));
  }
}

/** All live descendants of a process, from the parent pids in /proc. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited while we looked
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out.filter(isAlive);
}

/** A screen in a frame, so that its blank lines and trailing edge show in a failure message. */
export function frame(screen: string): string {
  const lines = screen.replace(/\n$/, '').split('\n');
  const width = Math.max(0, ...lines.map((l) => [...l].length));
  return [`+${'-'.repeat(width)}+`, ...lines.map((l) => `|${l}${' '.repeat(width - [...l].length)}|`), `+${'-'.repeat(width)}+`].join('\n');
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}
