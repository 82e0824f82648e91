import type { AppConfig } from '../../config/app-config.js';
import { SupError } from '../../errors.js';
import { withTimeout } from '../../timeout.js';
import type { ProcessInfo, Status } from '../../protocol/messages.js';
import type { ExitInfo, Launcher, StopOptions } from '../launch/launcher.js';
import { InstanceResources } from '../monitor/instance-resources.js';
import { decideRestart, describeExit, type RestartHistory } from './restart-policy.js';
import { Run } from './run.js';
import { instanceEnv } from '../launch/spawn-app.js';
import { wantedOf, type SavedInstance } from '../../state/snapshot.js';

/** What an instance needs from the app that owns it; read on every launch so that new config applies at restart. */
export interface InstanceOwner {
  readonly config: AppConfig;
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly launcher: Launcher;
  readonly monitorIntervalMs: number;
  /** sup's own variables for every process (see instanceEnv). */
  readonly supEnv: Readonly<Record<string, string>>;
  changed(instance: Instance): void;
  /** A promise asks the source to pause until the log file has caught up. */
  output(instance: Instance, stream: 'out' | 'err', chunk: Buffer): Promise<void> | undefined;
  outputEnded(instance: Instance): void;
  message(instance: Instance, data: unknown): void;
  log(message: string): void;
}

export type ReloadOutcome = 'replaced' | 'started' | 'skipped';

// After a stop has signalled and waited for the tree, how long its exit report may still take to arrive.
const EXIT_REPORT_MS = 2000;

const FRESH_HISTORY: RestartHistory = { unstableRestarts: 0, lastDelayMs: 0 };

/**
 * One supervised process slot (an id and an instance number) and its lifecycle. Operations
 * (start, stop, restart, reload) run one at a time under a lock; a crash is told apart from a
 * requested stop by the `stopping` status, set before any signal is sent.
 */
export class Instance {
  status: Status = 'stopped';
  restarts = 0;
  statusReason: string | null = null;
  lastExit: ExitInfo | null = null;
  nextRestartAt: number | null = null;
  /** Why the current process was (re)started, when sup or a user restarted it. */
  restartReason: string | null = null;
  readonly createdAt = Date.now();
  readonly resources: InstanceResources;

  /** The run that serves; during a reload its replacement is `candidate` until it is online. */
  private run: Run | undefined;
  private candidate: Run | undefined;
  private history: RestartHistory = FRESH_HISTORY; // the restart policy's memory
  private restartTimer: NodeJS.Timeout | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  /** Resolves when a stop is asked for, so that an operation waiting in the lock gives way (see reload). */
  private preempted: Promise<void> = new Promise(() => undefined);
  private preemptNow: () => void = () => undefined;
  /** 'removed' once a delete (or a scale-down, or a replacement) claimed it: nothing may start it again. */
  private lifecycle: 'active' | 'removed' = 'active';

  constructor(
    readonly id: number,
    readonly index: number,
    private readonly owner: InstanceOwner,
  ) {
    const label = () => `${owner.config.name}#${id}`;
    this.resources = new InstanceResources(owner.monitorIntervalMs, {
      get memoryLimit() {
        return owner.config.max_memory_restart;
      },
      canRestartForLimit: () => this.status === 'online',
      // Cluster apps reload, so that they keep serving while the bloated instance is replaced.
      restartForLimit: (reason) => (owner.config.exec_mode === 'cluster' ? this.reload(reason, 'skip') : this.restart(reason)),
      log: (message) => owner.log(`${label()}: ${message}`),
    });
  }

  get processGroup(): number | null {
    return this.run?.handle.processGroup ?? null;
  }

  get pid(): number | null {
    return this.run?.handle.pid ?? null;
  }

  get startedAt(): number | null {
    return this.isRunning() ? (this.run?.startedAt ?? null) : null;
  }

  /** Resolves once the new process is online, past listen_timeout, or gone: the caller can report the outcome. */
  start(): Promise<void> {
    return this.serialize(async () => {
      if (this.isRunning() || this.lifecycle === 'removed') return;
      this.launchFresh();
    }).then(() => this.settled());
  }

  stop(): Promise<void> {
    this.preempt();
    return this.serialize(() => this.stopNow());
  }

  /**
   * Stops it for good. Marked at once, not when its turn in the lock comes: a restart or reload queued
   * behind this must not bring back a process that its app no longer knows (it would outlive `sup kill`).
   */
  remove(): Promise<void> {
    this.lifecycle = 'removed';
    return this.stop();
  }

  /** `unless-stopped`: for automatic triggers (a file change, cron), which must never undo a stop someone asked for. */
  restart(reason = 'restarted on request', when: 'always' | 'unless-stopped' = 'always'): Promise<void> {
    return this.serialize(async () => {
      if (this.lifecycle === 'removed' || (when === 'unless-stopped' && this.status === 'stopped')) return;
      await this.stopNow();
      this.countRestart(reason);
      this.launch();
    }).then(() => this.settled());
  }

  /**
   * Replaces the running process without a gap: the replacement must be online (listening or
   * ready) before the old one is drained and stopped. If it fails, the old one keeps serving.
   * `ifNotRunning` says what to do, when its turn comes, with an instance that has no process: start it
   * (it was down when the reload was asked for), leave it (someone stopped or deleted it since; that
   * wins), or start it unless it was stopped on request (automatic triggers bring back crashed instances).
   */
  reload(reason = 'reloaded on request', ifNotRunning: 'start' | 'skip' | 'start-unless-stopped' = 'start'): Promise<ReloadOutcome> {
    // A stop or delete asked after this reload wins: it does not wait for the replacement's readiness.
    let preempted = false;
    const givenWay = this.preempted.then(() => (preempted = true));
    return this.serialize(async (): Promise<ReloadOutcome> => {
      if (this.lifecycle === 'removed' || preempted) return 'skipped';
      if (!this.isRunning() || !this.run) {
        if (ifNotRunning === 'skip' || (ifNotRunning === 'start-unless-stopped' && this.status === 'stopped')) return 'skipped';
        this.launchFresh();
        return 'started';
      }
      const fresh = this.newRun('candidate');
      const readiness = await Promise.race([fresh.settled, givenWay.then(() => 'preempted' as const)]);
      if (readiness !== 'ready') {
        this.candidate = undefined;
        await fresh.handle.stop(this.stopOptions());
        if (readiness === 'preempted') return 'skipped';
        const kept = this.pid === null ? 'the current process keeps running' : `the old instance (pid ${this.pid}) keeps serving`;
        throw new SupError('RELOAD_FAILED', `${this.owner.config.name}#${this.id}: ${this.failureText(readiness)}; ${kept}`);
      }
      const retired = this.run;
      this.run = fresh;
      this.candidate = undefined;
      this.countRestart(reason);
      this.resources.clear();
      this.setStatus('online', null);
      await retired.handle.stop(this.stopOptions());
      return 'replaced';
    });
  }

  /** What a state file keeps of it: its slot, counters, and whether it should run. */
  saved(): SavedInstance {
    return {
      id: this.id,
      index: this.index,
      wanted: wantedOf(this.status),
      restarts: this.restarts,
      status_reason: this.statusReason,
      restart_reason: this.restartReason,
    };
  }

  /** Takes back what a state file kept (before the first start): counters, and an errored instance stays errored. */
  restoreFrom(saved: SavedInstance): void {
    this.restarts = saved.restarts;
    this.restartReason = saved.restart_reason;
    this.statusReason = saved.status_reason;
    if (saved.wanted === 'errored') this.status = 'errored';
  }

  /** Clears the counters (`sup reset`). */
  reset(): void {
    this.restarts = 0;
    this.history = FRESH_HISTORY;
    this.changed();
  }

  send(message: unknown): boolean {
    return this.isRunning() && this.run !== undefined && this.run.handle.send(message);
  }

  signal(signal: NodeJS.Signals): boolean {
    if (!this.isRunning() || !this.run?.handle.pid) return false;
    this.run.handle.signal(signal);
    return true;
  }

  info(): ProcessInfo {
    const running = this.isRunning();
    return {
      id: this.id,
      name: this.owner.config.name,
      namespace: this.owner.config.namespace,
      instance: this.index,
      pid: running ? this.pid : null,
      status: this.status,
      mode: this.owner.config.exec_mode,
      restarts: this.restarts,
      unstable_restarts: this.history.unstableRestarts,
      uptime: running && this.run ? Date.now() - this.run.startedAt : 0,
      cpu: running ? (this.resources.metrics?.cpu ?? null) : null,
      memory: running ? (this.resources.metrics?.memory ?? null) : null,
      exit_code: this.lastExit?.code ?? null,
      exit_signal: this.lastExit?.signal ?? null,
      status_reason: this.statusReason,
      restart_reason: this.restartReason,
    };
  }

  /** The last resort of a shutdown that ran out of time: SIGKILL to the process (and its group), no waiting. */
  kill(): void {
    const run = this.run;
    if (!run?.handle.pid) return;
    for (const target of [run.handle.processGroup === null ? null : -run.handle.processGroup, run.handle.pid]) {
      if (target === null) continue;
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  isRunning(): boolean {
    return this.status === 'launching' || this.status === 'online' || this.status === 'stopping';
  }

  /** Waits outside the lock, so that a stop during a slow start is not held up. */
  private async settled(): Promise<void> {
    await this.run?.settled;
  }

  private stopOptions(): StopOptions {
    const c = this.owner.config;
    return {
      signal: c.kill_signal as NodeJS.Signals,
      timeoutMs: c.kill_timeout,
      viaMessage: c.shutdown_with_message,
      scope: c.treekill ? 'tree' : 'process',
    };
  }

  private async stopNow(): Promise<void> {
    this.cancelRestartTimer();
    const run = this.run;
    if (!run || !this.isRunning()) {
      if (this.status !== 'stopped') this.setStatus('stopped', null);
      return;
    }
    this.setStatus('stopping', null);
    const outcome = await run.handle.stop(this.stopOptions());
    // The handle has signalled and waited out the tree; its exit report is due at once. Bounded all the same: a
    // stop must end whatever goes wrong below it.
    const reported = await withTimeout(run.handle.exited, EXIT_REPORT_MS);
    this.run = undefined;
    const { kill_timeout } = this.owner.config;
    const reason =
      reported === 'timed-out'
        ? `no exit reported for pid ${run.handle.pid ?? '?'} after the stop; assumed gone`
        : outcome === 'killed'
          ? `did not exit within kill_timeout (${kill_timeout} ms); killed with SIGKILL`
          : null;
    if (reported === 'timed-out') this.owner.log(`${this.owner.config.name}#${this.id}: ${reason}`);
    this.setStatus('stopped', reason);
  }

  /** A start or restart asked for by someone: the restart policy's memory starts over. */
  private launchFresh(): void {
    this.cancelRestartTimer();
    this.history = FRESH_HISTORY;
    this.launch();
  }

  private countRestart(reason: string): void {
    this.restarts++;
    this.restartReason = reason;
    this.history = FRESH_HISTORY;
  }

  private launch(): void {
    this.run = this.newRun('serving');
    this.nextRestartAt = null;
    this.resources.clear();
    this.setStatus('launching', null);
  }

  /** Launches a process; its events act on this instance only while its run is current. */
  private newRun(role: 'serving' | 'candidate'): Run {
    const config = this.owner.config;
    const run = new Run();
    if (role === 'candidate') this.candidate = run;
    const onlineWhen = config.wait_ready ? 'ready' : config.exec_mode === 'cluster' ? 'listening' : 'spawned';
    const becameReady = () => {
      if (run.mark('ready') && run === this.run && this.status === 'launching') this.setStatus('online', null);
    };
    run.handle = this.owner.launcher.launch(instanceEnv(this.owner.baseEnv, config, this.id, this.index, this.owner.supEnv), {
      spawned: () => {
        if (onlineWhen === 'spawned') return becameReady();
        run.armTimeout(config.listen_timeout, () => {
          // Outside a reload nothing better is known than "it runs": mark it online and say why.
          if (run === this.run && this.status === 'launching') {
            this.setStatus(
              'online',
              `no ${onlineWhen === 'ready' ? "process.send('ready')" : 'listening server'} within listen_timeout (${config.listen_timeout} ms); marked online anyway`,
            );
          }
        });
      },
      listening: () => onlineWhen === 'listening' && becameReady(),
      ready: () => onlineWhen === 'ready' && becameReady(),
      message: (data) => this.owner.message(this, data),
      output: (stream, chunk) => this.owner.output(this, stream, chunk),
      exited: (exit) => {
        run.mark('exited');
        this.owner.outputEnded(this);
        if (run === this.run) this.onExit(run, exit);
        else if (run === this.candidate) this.lastExit = exit;
      },
    });
    return run;
  }

  private onExit(run: Run, exit: ExitInfo): void {
    const uptimeMs = Date.now() - run.startedAt;
    this.lastExit = exit;
    this.resources.clear();
    if (this.status === 'stopping') return; // a requested stop: stopNow finishes the transition
    this.run = undefined;
    run.handle.reapLeftovers(this.stopOptions());

    const what = describeExit(exit);
    const decision = decideRestart({ ...exit, uptimeMs }, this.history, this.owner.config);
    if (decision.action === 'stop') return this.setStatus('stopped', decision.reason);
    if (decision.action === 'give-up') return this.setStatus('errored', decision.reason);

    this.history = decision.history;
    // Counted when the new process starts, not while the delay runs: a stop during the wait restarts nothing.
    const relaunch = () => {
      this.restarts++;
      this.restartReason = what;
      this.launch();
    };
    if (decision.delayMs === 0) return relaunch();
    this.nextRestartAt = Date.now() + decision.delayMs;
    this.setStatus('waiting-restart', `${what}; restarting in ${decision.delayMs} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      // An operation in the meantime (stop, start) may have decided otherwise.
      void this.serialize(async () => this.status === 'waiting-restart' && relaunch());
    }, decision.delayMs);
  }

  private failureText(readiness: string): string {
    if (readiness === 'timed-out') {
      const sign = this.owner.config.wait_ready ? "did not call process.send('ready')" : 'did not listen';
      return `the replacement ${sign} within listen_timeout (${this.owner.config.listen_timeout} ms)`;
    }
    const exit = this.lastExit;
    return `the replacement ${exit ? describeExit(exit) : 'exited'} before it was online`;
  }

  private cancelRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.nextRestartAt = null;
  }

  private setStatus(status: Status, reason: string | null): void {
    this.status = status;
    this.statusReason = reason;
    this.changed();
  }

  private changed(): void {
    this.owner.changed(this);
  }

  private preempt(): void {
    this.preemptNow();
    this.preempted = new Promise((resolve) => (this.preemptNow = resolve));
  }

  private serialize<T>(op: () => Promise<T>): Promise<T> {
    const run = this.lock.then(op, op);
    this.lock = run.catch(() => undefined);
    return run;
  }
}
