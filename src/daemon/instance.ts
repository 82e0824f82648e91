import type { ChildProcess } from 'node:child_process';
import type { AppConfig } from '../config/app-config.js';
import type { ProcessInfo, Status } from '../protocol/messages.js';
import { decideRestart, describeExit, type RestartHistory } from './restart-policy.js';
import { instanceEnv, spawnApp } from './spawn-app.js';
import { killTree, reapOrphans } from './tree-kill.js';

/** What an instance needs from the app that owns it; read on every spawn so that new config applies at restart. */
export interface InstanceOwner {
  readonly config: AppConfig;
  readonly baseEnv: Readonly<Record<string, string>>;
  changed(instance: Instance): void;
  output(instance: Instance, stream: 'out' | 'err', chunk: Buffer): void;
  log(message: string): void;
}

export interface Metrics {
  cpu: number;
  memory: number;
}

interface Exit {
  code: number | null;
  signal: string | null;
}

const FRESH_HISTORY: RestartHistory = { unstableRestarts: 0, lastDelayMs: 0 };

/**
 * One supervised process and its lifecycle. Operations (start, stop, restart) run one at a time
 * under a lock; a crash is told apart from a requested stop by the `stopping` status, set before any signal.
 */
export class Instance {
  status: Status = 'stopped';
  restarts = 0;
  metrics: Metrics | null = null;
  statusReason: string | null = null;
  lastExit: Exit | null = null;
  startedAt: number | null = null;
  nextRestartAt: number | null = null;
  readonly createdAt = Date.now();

  private child: ChildProcess | undefined;
  private childExited: Promise<void> = Promise.resolve();
  private history: RestartHistory = FRESH_HISTORY;
  private restartTimer: NodeJS.Timeout | undefined;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    readonly id: number,
    readonly index: number,
    private readonly owner: InstanceOwner,
  ) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): Promise<void> {
    return this.serialize(async () => {
      if (this.isRunning()) return;
      this.cancelRestartTimer();
      this.history = FRESH_HISTORY;
      this.spawn();
    });
  }

  stop(): Promise<void> {
    return this.serialize(() => this.stopNow());
  }

  restart(): Promise<void> {
    return this.serialize(async () => {
      await this.stopNow();
      this.restarts++;
      this.history = FRESH_HISTORY;
      this.spawn();
    });
  }

  /** Clears the counters (`sup reset`). */
  reset(): void {
    this.restarts = 0;
    this.history = FRESH_HISTORY;
    this.changed();
  }

  info(): ProcessInfo {
    const running = this.isRunning();
    return {
      id: this.id,
      name: this.owner.config.name,
      namespace: this.owner.config.namespace,
      instance: this.index,
      pid: this.pid,
      status: this.status,
      mode: this.owner.config.exec_mode,
      restarts: this.restarts,
      unstable_restarts: this.history.unstableRestarts,
      uptime: running && this.startedAt ? Date.now() - this.startedAt : 0,
      cpu: running ? (this.metrics?.cpu ?? null) : null,
      memory: running ? (this.metrics?.memory ?? null) : null,
      exit_code: this.lastExit?.code ?? null,
      exit_signal: this.lastExit?.signal ?? null,
      status_reason: this.statusReason,
    };
  }

  isRunning(): boolean {
    return this.status === 'launching' || this.status === 'online' || this.status === 'stopping';
  }

  private async stopNow(): Promise<void> {
    this.cancelRestartTimer();
    const child = this.child;
    if (!child?.pid || !this.isRunning()) {
      if (this.status !== 'stopped') this.setStatus('stopped', null);
      return;
    }
    this.setStatus('stopping', null);
    const { kill_signal, kill_timeout } = this.owner.config;
    const outcome = await killTree({
      rootPid: child.pid,
      pgid: child.pid,
      signal: kill_signal as NodeJS.Signals,
      timeoutMs: kill_timeout,
      rootExited: this.childExited,
    });
    await this.childExited;
    this.child = undefined;
    this.setStatus('stopped', outcome === 'killed' ? `did not exit within kill_timeout (${kill_timeout} ms); killed with SIGKILL` : null);
  }

  private spawn(): void {
    const config = this.owner.config;
    const env = instanceEnv(this.owner.baseEnv, config, this.id, this.index);
    let child: ChildProcess;
    try {
      child = spawnApp(config, env);
    } catch (err) {
      this.lastExit = { code: null, signal: null };
      this.setStatus('errored', `could not start: ${(err as Error).message}`);
      return;
    }
    this.child = child;
    this.startedAt = Date.now();
    this.nextRestartAt = null;
    this.metrics = null;
    let resolveExited!: () => void;
    this.childExited = new Promise((resolve) => (resolveExited = resolve));
    child.stdout?.on('data', (chunk: Buffer) => this.owner.output(this, 'out', chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.owner.output(this, 'err', chunk));
    child.once('spawn', () => {
      if (this.child === child && this.status === 'launching') this.setStatus('online', null);
    });
    child.once('error', (err) => {
      // Spawn failures (ENOENT, EACCES) come without an exit event.
      if (child.pid === undefined) this.onExit(child, { code: null, signal: null }, resolveExited, err.message);
      else this.owner.log(`instance ${this.id}: ${err.message}`);
    });
    child.once('exit', (code, signal) => this.onExit(child, { code, signal }, resolveExited));
    this.setStatus('launching', null);
  }

  private onExit(child: ChildProcess, exit: Exit, resolveExited: () => void, spawnError?: string): void {
    if (child !== this.child) return;
    const uptimeMs = Date.now() - (this.startedAt ?? Date.now());
    this.lastExit = exit;
    this.metrics = null;
    resolveExited();
    if (this.status === 'stopping') return; // a requested stop: stopNow finishes the transition
    this.child = undefined;
    if (child.pid) void reapOrphans(child.pid, this.owner.config.kill_signal as NodeJS.Signals, this.owner.config.kill_timeout);

    const what = spawnError ? `could not start: ${spawnError}` : describeExit(exit);
    const decision = decideRestart({ ...exit, uptimeMs }, this.history, this.owner.config);
    if (decision.action === 'stop') return this.setStatus('stopped', decision.reason);
    if (decision.action === 'give-up') return this.setStatus('errored', spawnError ? `${what}; ${decision.reason}` : decision.reason);

    this.history = decision.history;
    this.restarts++;
    if (decision.delayMs === 0) {
      this.respawn(child);
      return;
    }
    this.nextRestartAt = Date.now() + decision.delayMs;
    this.setStatus('waiting-restart', `${what}; restarting in ${decision.delayMs} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.serialize(async () => this.status === 'waiting-restart' && this.respawn(child));
    }, decision.delayMs);
  }

  /** Restarts after a crash, unless an operation in the meantime decided otherwise. */
  private respawn(crashed: ChildProcess): void {
    if (this.child !== undefined && this.child !== crashed) return;
    this.spawn();
  }

  private cancelRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.nextRestartAt = null;
  }

  private setStatus(status: Status, reason: string | null): void {
    this.status = status;
    this.statusReason = reason;
    if (status !== 'launching' && status !== 'online' && status !== 'stopping') this.startedAt = null;
    this.changed();
  }

  private changed(): void {
    this.owner.changed(this);
  }

  private serialize<T>(op: () => Promise<T>): Promise<T> {
    const run = this.lock.then(op, op);
    this.lock = run.catch(() => undefined);
    return run;
  }
}
