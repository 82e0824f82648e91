import { hungReason, outcomeText, recoverInstance } from './recover.js';
import { withTimeout } from '../../timeout.js';
import { instanceEnv } from '../launch/instance-env.js';
import type { ExitInfo, StopOptions } from '../launch/launcher.js';
import { InstanceResources } from '../monitor/instance-resources.js';
import { InstanceCounters } from './counters.js';
import { ExitLog, REQUESTED_STOP } from './exit-log.js';
import { OpLock } from './op-lock.js';
import type { InstanceOwner } from './owner.js';
import type { Run } from './run.js';
import { type RunListener, startRun } from './start-run.js';
import { checkTransition, hasProcess, type InstanceState, runOf, stopReason } from './state.js';
import type { ProcessInfo, Status } from '../../protocol/messages.js';
import type { WatchdogReport } from '../../protocol/worker.js';

// After a stop has signalled and waited for the tree, how long its exit report may still take to arrive.
const EXIT_REPORT_MS = 2000;

/**
 * The machinery of an instance (instance.ts adds the operations): its state (state.ts), changed only through
 * transition(); launching a run and hearing from it; stopping it; what happens when it exits by itself. A requested
 * stop moves to `stopping` before any signal is sent, which is how an exit is told apart from a crash.
 */
export abstract class InstanceMachine {
  readonly createdAt = Date.now();
  readonly resources: InstanceResources;
  protected state: InstanceState = { status: 'stopped', reason: null };
  protected readonly counters = new InstanceCounters();
  /** The last few exits with their stderr lines (describe, `sup start`'s report of a crash at start). */
  readonly exits = new ExitLog();
  protected readonly lock = new OpLock();
  /** Claimed by a delete (or a scale-down, or a replacement): nothing may start it again. */
  protected retired = false;

  constructor(
    readonly id: number,
    readonly index: number,
    protected readonly owner: InstanceOwner,
  ) {
    const label = () => `${owner.config.name}#${id}`;
    this.resources = new InstanceResources(owner.monitorIntervalMs, {
      get memoryLimit() {
        return owner.config.max_memory_restart;
      },
      canRestartForLimit: () => this.status === 'online',
      // Cluster apps reload, so that they keep serving while the bloated instance is replaced.
      restartForLimit: (reason) => {
        owner.notify(this, 'memory_limit', { reason, pid: this.pid });
        return owner.config.exec_mode === 'cluster' ? this.reload(reason, 'skip') : this.restart(reason);
      },
      log: (message) => owner.log(`${label()}: ${message}`),
    });
  }

  get status(): Status {
    return this.state.status;
  }

  get pid(): number | null {
    return runOf(this.state)?.handle.pid ?? null;
  }

  get processGroup(): number | null {
    return runOf(this.state)?.handle.processGroup ?? null;
  }

  get startedAt(): number | null {
    return runOf(this.state)?.startedAt ?? null;
  }

  /** When the current process spawned (the keeper's report), null before. */
  get spawnedAt(): number | null {
    return runOf(this.state)?.spawnedAt ?? null;
  }

  get nextRestartAt(): number | null {
    return this.state.status === 'waiting-restart' ? this.state.at : null;
  }

  isRunning(): boolean {
    return hasProcess(this.status);
  }

  abstract info(): ProcessInfo;
  abstract restart(reason?: string, when?: 'always' | 'unless-stopped'): Promise<void>;
  abstract reload(reason: string, ifNotRunning: 'skip'): Promise<unknown>;

  /** Waits outside the lock, so that a stop during a slow start is not held up. */
  protected async settled(): Promise<void> {
    await runOf(this.state)?.settled;
  }

  protected stopOptions(): StopOptions {
    const c = this.owner.config;
    return {
      signal: c.kill_signal as NodeJS.Signals,
      timeoutMs: c.kill_timeout,
      viaMessage: c.shutdown_with_message,
      scope: c.treekill ? 'tree' : 'process',
    };
  }

  /** notify: false for the stop inside a restart, which reports `restart` instead. */
  protected async stopNow(notify = true): Promise<void> {
    const current = this.state;
    if (current.status === 'waiting-restart') clearTimeout(current.timer);
    if (current.status !== 'launching' && current.status !== 'online') {
      if (current.status !== 'stopped') this.transition({ status: 'stopped', reason: null });
      return;
    }
    const { run } = current;
    this.transition({ status: 'stopping', run });
    const outcome = await run.handle.stop(this.stopOptions());
    // The handle has signalled and waited out the tree; its exit report is due at once. Bounded all the same:
    // a stop must end whatever goes wrong below it.
    const reported = await withTimeout(run.handle.exited, EXIT_REPORT_MS);
    const reason = stopReason(outcome, reported === 'done', run.handle.pid, this.owner.config.kill_timeout);
    if (reported === 'timed-out') this.owner.log(`${this.owner.config.name}#${this.id}: ${reason}`);
    this.transition({ status: 'stopped', reason });
    if (notify) this.owner.notify(this, 'stop', { reason, pid: run.handle.pid ?? null });
  }

  /** A start asked for by someone: the restart policy's memory starts over. */
  protected launchFresh(): void {
    this.counters.freshStart();
    this.launch();
    this.owner.notify(this, 'start');
  }

  protected launch(): void {
    const current = this.state;
    if (current.status === 'waiting-restart') clearTimeout(current.timer);
    this.resources.clear();
    this.transition({ status: 'launching', run: this.newRun() });
  }

  /** Launches a process (its readiness and exit count only while it is the current run). */
  protected newRun(): Run {
    const { launcher, config, baseEnv, supEnv } = this.owner;
    const tag = { app: config.name, id: this.id, index: this.index };
    return startRun(launcher, config, instanceEnv(baseEnv, config, this.id, this.index, supEnv), tag, this.runListener());
  }

  protected runListener(): RunListener {
    const isCurrent = (run: Run) => runOf(this.state) === run;
    return {
      ready: (run) => isCurrent(run) && this.status === 'launching' && this.becomeOnline(run, null),
      // Outside a reload nothing better is known than "it runs": mark it online and say why.
      timedOut: (run, missing) =>
        isCurrent(run) &&
        this.status === 'launching' &&
        this.becomeOnline(run, `no ${missing} within listen_timeout (${this.owner.config.listen_timeout} ms); marked online anyway`),
      output: (stream, chunk) => this.owner.output(this, stream, chunk),
      message: (data) => this.owner.message(this, data),
      health: (run, became, reason) => isCurrent(run) && this.healthChanged(run, became, reason),
      hung: (run, report) => isCurrent(run) && this.hung(report),
      exited: (run, exit) => {
        this.owner.outputEnded(this);
        if (isCurrent(run)) this.onExit(run, exit);
      },
    };
  }

  private becomeOnline(run: Run, reason: string | null): void {
    this.transition({ status: 'online', run, reason });
    this.owner.notify(this, 'online', { reason, pid: run.handle.pid ?? null });
  }

  protected onExit(run: Run, exit: ExitInfo): void {
    this.resources.clear();
    const [pid, stderr] = [run.handle.pid ?? null, run.stderr.last]; // stderr is derived: once per exit
    // A requested stop: stopNow finishes the transition.
    const record = (reason: string) => this.exits.add(exit, stderr, reason);
    if (this.status === 'stopping') {
      record(REQUESTED_STOP);
      this.owner.notify(this, 'exit', { exit, pid, reason: 'stopped on request', stderr });
      return this.counters.exited(exit);
    }
    // It went with a keeper that died, not by its own doing: it comes back as it was, under the new keeper.
    if (exit.lost) return this.launch();
    run.handle.reapLeftovers(this.stopOptions());
    const decision = this.counters.decide(exit, Date.now() - (run.spawnedAt ?? run.startedAt), this.owner.config);
    record(outcomeText(decision));
    const what = decision.what;
    this.owner.notify(this, 'exit', { exit, pid, reason: what, stderr });
    // A one-shot task's exit 0 is its success; any other exit nobody asked for is a crash.
    if (decision.action !== 'complete') this.owner.notify(this, 'crash', { exit, pid, reason: what, stderr });
    if (decision.action === 'complete') return this.transition({ status: 'completed', reason: null });
    if (decision.action === 'fail') return this.transition({ status: 'failed', reason: decision.reason });
    if (decision.action === 'stop') return this.transition({ status: 'stopped', reason: decision.reason });
    if (decision.action === 'give-up') {
      this.transition({ status: 'errored', reason: decision.reason });
      return this.owner.notify(this, 'errored', { exit, pid, reason: decision.reason, stderr });
    }
    // Counted when the new process starts, not while the delay runs: a stop during the wait restarts nothing.
    const relaunch = () => {
      this.counters.restarted(what, false);
      this.launch();
      this.owner.notify(this, 'restart', { reason: what });
    };
    if (decision.delayMs === 0) return relaunch();
    const timer = setTimeout(() => {
      // An operation in the meantime (stop, start) may have decided otherwise.
      void this.lock.run(async () => this.status === 'waiting-restart' && relaunch());
    }, decision.delayMs);
    this.transition({
      status: 'waiting-restart',
      reason: `${what}; restarting in ${decision.delayMs} ms`,
      at: Date.now() + decision.delayMs,
      timer,
    });
  }

  /**
   * Unhealthy: marked with the reason (the word "health" in it), then restarted; cluster apps reload, so that the
   * other instances, and this one until its replacement passes, keep serving.
   */
  private healthChanged(run: Run, became: 'healthy' | 'unhealthy', reason: string): void {
    this.owner.health(this, became, reason);
    if (became !== 'unhealthy' || this.status !== 'online') return;
    const next = this.owner.config.exec_mode === 'cluster' ? 'reloading' : 'restarting';
    this.owner.log(`${this.owner.config.name}#${this.id}: ${reason}; ${next}`);
    this.transition({ status: 'online', run, reason: `unhealthy: ${reason}` });
    this.recover(`unhealthy: ${reason}`);
  }

  /** The watchdog in the app found its event loop blocked: restarted (cluster: reloaded) like an unhealthy app. */
  private hung(report: WatchdogReport): void {
    if (this.status !== 'online' && this.status !== 'launching') return;
    const reason = hungReason(report);
    this.owner.log(`${this.owner.config.name}#${this.id}: ${reason}`);
    this.owner.health(this, 'unhealthy', reason);
    this.recover(reason);
  }

  private recover(reason: string): void {
    recoverInstance(
      { label: `${this.owner.config.name}#${this.id}`, cluster: this.owner.config.exec_mode === 'cluster', log: (m) => this.owner.log(m) },
      () => this.restart(reason, 'unless-stopped'),
      () => this.reload(reason, 'skip'),
    );
  }

  protected transition(next: InstanceState): void {
    checkTransition(this.status, next.status, `${this.owner.config.name}#${this.id}`);
    this.state = next;
    this.owner.changed(this);
  }
}
