import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AppConfig } from '../../config/app-config.js';
import type { FromPrimary, ToPrimary } from '../../protocol/primary.js';
import type { ExitInfo, HandleEvents, Launcher, ProcessHandle, StopOptions, StopOutcome } from './launcher.js';
import { withTimeout } from '../../timeout.js';
import { killTree } from '../os/tree-kill.js';

const PRIMARY_ENTRY = fileURLToPath(new URL('../../bin/sup-cluster-primary.js', import.meta.url));
const WORKER_RUNTIME = pathToFileURL(fileURLToPath(new URL('../../bin/sup-worker-runtime.js', import.meta.url))).href;
// Idle keep-alive connections get this long to send one more request (answered with Connection: close).
const DRAIN_GRACE_MS = 1000;
// The primary ends at once on SIGTERM; this is for what its workers left in its group.
const PRIMARY_STOP_MS = 1000;

let nextKey = 1;

/**
 * Cluster mode: one small primary process per app forks the workers, which share the app's
 * listening sockets. The daemon keeps every decision; the primary only relays.
 */
export class ClusterLauncher implements Launcher {
  private primary: ChildProcess | undefined;
  /** The last release of a primary, for a stop to wait on. */
  private released: Promise<void> = Promise.resolve();
  private readonly handles = new Map<number, ClusterHandle>();

  constructor(
    private readonly config: () => AppConfig,
    private readonly log: (message: string) => void,
  ) {}

  launch(env: Record<string, string>, events: HandleEvents): ProcessHandle {
    const primary = this.ensurePrimary(env);
    const key = nextKey++;
    const handle = new ClusterHandle(key, primary, events, this.config().drain_http, () => this.forget(key));
    this.handles.set(key, handle);
    send(primary, { type: 'fork', key, env });
    return handle;
  }

  /**
   * Ends the primary once the app has no worker left (stopped or deleted app), and with it its process group:
   * what crashed workers orphaned was re-parented out of their trees but is still in that group.
   */
  releaseIfIdle(): Promise<void> {
    const primary = this.primary;
    if (this.handles.size > 0 || !primary?.pid) return this.released;
    this.primary = undefined;
    const exited = new Promise((resolve) =>
      primary.exitCode !== null || primary.signalCode !== null ? resolve(undefined) : primary.once('exit', resolve),
    );
    const scope = this.config().treekill ? 'tree' : 'process';
    this.released = killTree({
      rootPid: primary.pid,
      pgid: primary.pid,
      signal: 'SIGTERM',
      timeoutMs: PRIMARY_STOP_MS,
      rootExited: exited,
      scope,
    }).then(() => undefined);
    return this.released;
  }

  private forget(key: number): void {
    this.handles.delete(key);
  }

  private ensurePrimary(env: Record<string, string>): ChildProcess {
    if (this.primary?.connected) return this.primary;
    const config = this.config();
    // Workers inherit the primary's env under their own; start it with an instance's env so nothing foreign leaks in.
    const primary = fork(PRIMARY_ENTRY, [], {
      cwd: config.cwd,
      env,
      detached: true,
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    const forward = (data: Buffer) => this.log(`${config.name} cluster primary: ${data.toString().trimEnd()}`);
    primary.stdout?.on('data', forward);
    primary.stderr?.on('data', forward);
    primary.on('message', (message: FromPrimary) => this.handles.get(message.key)?.deliver(message));
    primary.on('error', () => undefined);
    primary.once('exit', (code, signal) => {
      if (this.primary === primary) this.primary = undefined;
      for (const handle of this.handles.values()) handle.primaryGone(primary, code, signal);
    });
    send(primary, {
      type: 'setup',
      script: config.script,
      args: config.args,
      execArgv: [...config.interpreter_args, '--import', WORKER_RUNTIME],
      cwd: config.cwd,
    });
    this.primary = primary;
    return primary;
  }
}

function send(primary: ChildProcess, message: ToPrimary): void {
  if (primary.connected) primary.send(message, () => undefined);
}

class ClusterHandle implements ProcessHandle {
  pid: number | undefined;
  readonly processGroup = null;
  readonly exited: Promise<void>;
  private markExited!: () => void;
  /** Resolves once the primary reported the worker's pid, or its end. */
  private readonly known: Promise<void>;
  private markKnown!: () => void;
  private done = false;
  private drained: (() => void) | undefined;

  constructor(
    private readonly key: number,
    private readonly primary: ChildProcess,
    private readonly events: HandleEvents,
    private readonly drainHttp: boolean,
    private readonly forget: () => void,
  ) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
    this.known = new Promise((resolve) => (this.markKnown = resolve));
  }

  deliver(message: FromPrimary): void {
    switch (message.type) {
      case 'spawned':
        this.pid = message.pid;
        this.markKnown();
        return this.events.spawned(message.pid);
      case 'listening':
        return this.events.listening();
      case 'ready':
        return this.events.ready();
      case 'message':
        return this.events.message(message.data);
      case 'drained':
        return this.drained?.();
      case 'output':
        // Relayed over IPC: nothing to pause here, the primary's pipe is drained regardless.
        void this.events.output(message.stream, Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
        return;
      case 'exit':
        return this.finish({ code: message.code, signal: message.signal });
    }
  }

  primaryGone(primary: ChildProcess, code: number | null, signal: string | null): void {
    if (primary === this.primary)
      this.finish({ code: null, signal: null, error: `the cluster primary exited (${signal ?? `code ${code}`})` });
  }

  send(message: unknown): boolean {
    if (this.done || !this.primary.connected) return false;
    send(this.primary, { type: 'send', key: this.key, message });
    return true;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.pid !== undefined && !this.done) process.kill(this.pid, signal);
  }

  async stop(options: StopOptions): Promise<StopOutcome> {
    // Asked before the primary reported the worker's pid: the fork is in flight and its pid (or its end) comes
    // next. Waiting for it, then stopping the worker, is what cancels the start; returning without a kill left
    // the worker running and its instance waiting for an exit that never came.
    if (this.pid === undefined && !this.done) await withTimeout(this.known, options.timeoutMs);
    if (this.done) return 'exited';
    if (this.pid === undefined) {
      // A primary that answers no fork within kill_timeout is wedged: ending it ends its workers, this one included.
      this.killPrimary();
      await withTimeout(this.exited, PRIMARY_STOP_MS);
      return 'killed';
    }
    if (this.drainHttp) await this.drain(Math.min(DRAIN_GRACE_MS, options.timeoutMs));
    const messaged = options.viaMessage && this.send('shutdown');
    // Workers share the primary's process group, so only the worker and its descendants are signalled.
    return killTree({
      rootPid: this.pid,
      pgid: null,
      signal: messaged ? null : options.signal,
      timeoutMs: options.timeoutMs,
      rootExited: this.exited,
      scope: options.scope,
    });
  }

  reapLeftovers(): void {
    // A worker's orphans are re-parented away from its tree; the primary's group is stopped with the app.
  }

  private drain(graceMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, graceMs + 500);
      this.drained = () => {
        clearTimeout(timer);
        resolve();
      };
      void this.exited.then(this.drained);
      send(this.primary, { type: 'drain', key: this.key, graceMs });
    });
  }

  private killPrimary(): void {
    try {
      if (this.primary.pid !== undefined) process.kill(-this.primary.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  private finish(exit: ExitInfo): void {
    if (this.done) return;
    this.done = true;
    this.forget();
    this.markKnown();
    this.markExited();
    this.events.exited(exit);
  }
}
