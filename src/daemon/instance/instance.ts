import { SupError } from '../../errors.js';
import type { KeptChild } from '../../protocol/keeper.js';
import type { ProcessInfo } from '../../protocol/messages.js';
import { type SavedInstance, wantedOf } from '../../state/snapshot.js';
import { instanceEnv } from '../launch/instance-env.js';
import { trySignal } from '../os/terminate.js';
import { InstanceMachine } from './machine.js';
import { adoptRun, onlineSign, replacementFailure } from './start-run.js';
import { reasonOf, runOf } from './state.js';

export type ReloadOutcome = 'replaced' | 'started' | 'skipped';
type IfNotRunning = 'start' | 'skip' | 'start-unless-stopped';

/**
 * One supervised process slot (an id and an instance number) and what can be done to it: start, stop, restart,
 * reload, remove, one at a time under a lock (the machinery is in machine.ts), and what it reports.
 */
export class Instance extends InstanceMachine {
  /** Resolves once the new process is online, past listen_timeout, or gone: the caller can report the outcome. */
  start(): Promise<void> {
    return this.lock
      .run(async () => {
        if (!this.isRunning() && !this.retired) this.launchFresh();
      })
      .then(() => this.settled());
  }

  stop(): Promise<void> {
    this.lock.preempt();
    return this.lock.run(() => this.stopNow());
  }

  /**
   * Stops it for good. Marked at once, not when its turn in the lock comes: a restart or reload queued
   * behind this must not bring back a process that its app no longer knows (it would outlive `sup kill`).
   */
  remove(): Promise<void> {
    this.retired = true;
    return this.stop();
  }

  /** `unless-stopped`: for automatic triggers (a file change, cron), which must never undo a stop someone asked for. */
  restart(reason = 'restarted on request', when: 'always' | 'unless-stopped' = 'always'): Promise<void> {
    return this.lock
      .run(async () => {
        if (this.retired || (when === 'unless-stopped' && this.status === 'stopped')) return;
        await this.stopNow(false);
        this.counters.restarted(reason, true);
        this.launch();
        this.owner.notify(this, 'restart', { reason });
      })
      .then(() => this.settled());
  }

  /**
   * Replaces the running process without a gap: the replacement must be online before the old one is drained and
   * stopped; if it fails, the old one keeps serving. `ifNotRunning` says what to do, when its turn comes, with an
   * instance that has no process: start it, leave it (someone stopped or deleted it since: that wins), or start it
   * unless it was stopped on request (automatic triggers bring back crashed instances).
   */
  reload(reason = 'reloaded on request', ifNotRunning: IfNotRunning = 'start'): Promise<ReloadOutcome> {
    // A stop or delete asked after this reload wins: it does not wait for the replacement's readiness.
    let preempted = false;
    const stopAsked = this.lock.nextStop().then(() => (preempted = true));
    return this.lock.run(async (): Promise<ReloadOutcome> => {
      if (this.retired || preempted) return 'skipped';
      const current = this.state;
      if (current.status !== 'launching' && current.status !== 'online') {
        if (ifNotRunning === 'skip' || (ifNotRunning === 'start-unless-stopped' && current.status === 'stopped')) return 'skipped';
        this.launchFresh();
        return 'started';
      }
      // The replacement acts on this instance only once swapped in: until then its exit is its own, never lastExit.
      const fresh = this.newRun();
      const readiness = await Promise.race([fresh.settled, stopAsked.then(() => 'preempted' as const)]);
      // PM2's rule for apps that never give the sign (workers, queue consumers): when the running process did not
      // either, a replacement still running after listen_timeout takes over. An app that gives it keeps the strict rule.
      const likeItsPredecessor =
        onlineSign(this.owner.config).event === 'listening' &&
        readiness === 'timed-out' &&
        current.run.readiness === 'timed-out' &&
        !fresh.exit;
      if (readiness !== 'ready' && !likeItsPredecessor) {
        await fresh.handle.stop(this.stopOptions());
        if (readiness === 'preempted') return 'skipped';
        const kept = this.pid === null ? 'the current process keeps running' : `the old instance (pid ${this.pid}) keeps serving`;
        throw new SupError(
          'RELOAD_FAILED',
          `${this.owner.config.name}#${this.id}: ${replacementFailure(this.owner.config, fresh)}; ${kept}`,
        );
      }
      const retired = current.run;
      this.counters.restarted(reason, true);
      this.resources.clear();
      this.transition({ status: 'online', run: fresh, reason: null });
      this.owner.notify(this, 'reload', { reason, pid: fresh.handle.pid ?? null });
      await retired.handle.stop(this.stopOptions());
      return 'replaced';
    });
  }

  /** What a state file keeps of it: its slot, counters, and whether it should run. */
  saved(): SavedInstance {
    const { restarts, restart_reason } = this.counters.figures;
    return { id: this.id, index: this.index, wanted: wantedOf(this.status), restarts, status_reason: reasonOf(this.state), restart_reason };
  }

  /** Takes back what a state file kept, before the first start: counters, and an errored instance stays errored. */
  restoreFrom(saved: SavedInstance): void {
    this.counters.restore(saved);
    // Not a transition: this is where a restored instance begins, as if it had been created so.
    this.state =
      saved.wanted === 'errored' ? { status: 'errored', reason: saved.status_reason } : { status: 'stopped', reason: saved.status_reason };
  }

  /**
   * Takes over a process the keeper held when this daemon started, before any operation: not a transition, this is
   * where an adopted instance begins (online, or launching if it had not yet given its sign).
   */
  adopt(child: KeptChild): void {
    const { config, baseEnv, supEnv } = this.owner;
    const env = instanceEnv(baseEnv, config, this.id, this.index, supEnv);
    const run = adoptRun(this.owner.launcher, config, child, this.runListener(), env);
    this.state = run.readiness === 'ready' ? { status: 'online', run, reason: null } : { status: 'launching', run };
    this.owner.changed(this);
  }

  /** A stopped instance that may not start yet (a dependency holds it back), and why: only the reason changes. */
  hold(reason: string | null): void {
    if (this.state.status !== 'stopped' || this.state.reason === reason) return;
    this.state = { status: 'stopped', reason };
    this.owner.changed(this);
  }

  /** Clears the counters (`sup reset`). */
  reset(): void {
    this.counters.reset();
    this.owner.changed(this);
  }

  send(message: unknown): boolean {
    const run = runOf(this.state);
    return run !== undefined && run.handle.send(message);
  }

  /** Bytes to the process's stdin; false when none runs. */
  write(data: string): boolean {
    const run = runOf(this.state);
    return run !== undefined && run.handle.write(data);
  }

  signal(signal: NodeJS.Signals): boolean {
    const run = runOf(this.state);
    if (!run?.handle.pid) return false;
    run.handle.signal(signal);
    return true;
  }

  /** The last resort of a shutdown that ran out of time: SIGKILL to the process and its group, no waiting. */
  kill(): void {
    const handle = runOf(this.state)?.handle;
    if (handle?.processGroup) trySignal(-handle.processGroup, 'SIGKILL');
    if (handle?.pid) trySignal(handle.pid, 'SIGKILL');
  }

  info(): ProcessInfo {
    const run = runOf(this.state);
    const metrics = run ? this.resources.metrics : null;
    return {
      id: this.id,
      name: this.owner.config.name,
      namespace: this.owner.config.namespace,
      instance: this.index,
      pid: run?.handle.pid ?? null,
      status: this.status,
      mode: this.owner.config.exec_mode,
      ...this.counters.figures,
      uptime: run ? Date.now() - run.startedAt : 0,
      cpu: metrics?.cpu ?? null,
      memory: metrics?.memory ?? null,
      status_reason: reasonOf(this.state),
      health: this.owner.config.health_check ? (run?.health?.info ?? null) : null,
      runtime: run?.runtime ?? null,
    };
  }
}
