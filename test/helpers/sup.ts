import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SupClient } from '../../src/client/client.js';
import type { ProcessInfo, Status } from '../../src/protocol/messages.js';
import { isAlive, killQuietly, pidsWithSupHome } from './proc.js';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const SUP_BIN = join(REPO, 'bin/sup.js');
export const FIXTURES = join(REPO, 'test/fixtures/apps');
export const CONFIGS = join(REPO, 'test/fixtures/configs');
/** Short, so that socket paths stay far below the 104-byte limit. */
export const TEST_ROOT = process.env.SUP_TEST_ROOT ?? join(tmpdir(), `sup-test-${process.ppid}`);

export const fixture = (name: string) => join(FIXTURES, name);

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Polls `probe` until it returns a value (not undefined/false), or fails after the deadline with what it saw last. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  seen: () => unknown = () => undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const context = seen();
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last probe: ${String(last)}${context === undefined ? '' : `\nseen: ${JSON.stringify(context, null, 2)}`}`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A real daemon in a fresh SUP_HOME of its own, driven through the real CLI. */
export class SupHome {
  private connection: SupClient | undefined;

  private constructor(readonly home: string) {}

  static create(): SupHome {
    mkdirSync(TEST_ROOT, { recursive: true, mode: 0o700 });
    return new SupHome(mkdtempSync(join(TEST_ROOT, 'h')));
  }

  get socket(): string {
    return join(this.home, 'sup.sock');
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, SUP_HOME: this.home, NO_COLOR: '1', ...extra };
  }

  /** Runs the CLI; never throws for a non-zero exit (tests assert on it). */
  run(
    args: string[],
    options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; input?: string } = {},
  ): Promise<RunResult> {
    return new Promise((resolvePromise, reject) => {
      const child = spawn(process.execPath, [SUP_BIN, ...args], {
        cwd: options.cwd ?? REPO,
        env: this.env(options.env),
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      if (options.input !== undefined) child.stdin!.end(options.input);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (d) => (stdout += d));
      child.stderr!.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => {
        killQuietly(child.pid!);
        reject(new Error(`sup ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
      }, options.timeoutMs ?? 20_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolvePromise({ code, stdout, stderr });
      });
    });
  }

  /** Runs the CLI and fails with its output unless it exits 0. */
  async ok(args: string[], options?: { cwd?: string; env?: Record<string, string>; input?: string }): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0)
      throw new Error(`sup ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    return result.stdout;
  }

  async client(): Promise<SupClient> {
    this.connection ??= await SupClient.connect(this.socket);
    return this.connection;
  }

  async list(): Promise<ProcessInfo[]> {
    return (await (await this.client()).request('list', {})).processes;
  }

  async info(selector: string | number): Promise<ProcessInfo> {
    const all = await this.list();
    const found = all.find((p) => (typeof selector === 'number' ? p.id === selector : p.name === selector));
    if (!found) throw new Error(`no process ${selector} in ${JSON.stringify(all)}`);
    return found;
  }

  /** Waits until every instance of the app matches the predicate. */
  waitForApp(name: string, what: string, predicate: (p: ProcessInfo[]) => boolean, timeoutMs = 10_000): Promise<ProcessInfo[]> {
    let last: ProcessInfo[] = [];
    return waitFor(
      `${name}: ${what}`,
      async () => {
        last = (await this.list()).filter((p) => p.name === name);
        return last.length > 0 && predicate(last) ? last : undefined;
      },
      timeoutMs,
      () => last,
    );
  }

  waitForStatus(name: string, status: Status, timeoutMs = 10_000): Promise<ProcessInfo[]> {
    return this.waitForApp(name, `status ${status}`, (ps) => ps.every((p) => p.status === status), timeoutMs);
  }

  daemonPid(): number | undefined {
    return this.readPid('daemon.pid');
  }

  /** The guardian that restarts this home's daemon should it die. */
  guardianPid(): number | undefined {
    return this.readPid('guardian.pid');
  }

  /** Processes of this home (the daemon and the apps), without the guardian. */
  processes(): number[] {
    const guardian = this.guardianPid();
    return pidsWithSupHome((home) => home === this.home).filter((pid) => pid !== guardian);
  }

  private readPid(file: string): number | undefined {
    try {
      return Number(readFileSync(join(this.home, file), 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  }

  /** Kills the daemon (it stops its apps), then ends by pid anything this home still has running, and removes the home. */
  async cleanup(): Promise<void> {
    this.connection?.close();
    this.connection = undefined;
    const daemon = this.daemonPid();
    if (existsSync(this.socket)) await this.run(['kill'], { timeoutMs: 15_000 }).catch(() => undefined);
    // Pids are reused quickly (pid_max is 32768 here): only a process that still carries this SUP_HOME is ours.
    const ours = (pid: number) => pidsWithSupHome((home) => home === this.home).includes(pid);
    if (daemon)
      await waitFor('daemon exit', () => !isAlive(daemon) || !ours(daemon), 5000).catch(() => ours(daemon) && killQuietly(daemon));
    const left = pidsWithSupHome((home) => home === this.home);
    left.forEach((pid) => killQuietly(pid));
    rmSync(this.home, { recursive: true, force: true });
  }
}
