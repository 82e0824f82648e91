import type { FromKeeper } from '../../protocol/keeper.js';
import { withTimeout } from '../../timeout.js';
import { reapMarked, reapOrphans, killTree } from '../os/tree-kill.js';
import { trySignal } from '../os/terminate.js';
import type { Keeper, LostRoute } from './keeper.js';
import type { ExitInfo, HandleEvents, ProcessHandle, StopOptions, StopOutcome } from './launcher.js';

// Idle keep-alive connections get this long to send one more request (answered with Connection: close).
const DRAIN_GRACE_MS = 1000;

/**
 * One process the keeper holds, as the instance sees it. Signals go straight to the pid (the daemon runs as the same
 * user); the exit, the output and the app's messages come from the keeper, keyed.
 */
export class KeeperHandle implements ProcessHandle, LostRoute {
  pid: number | undefined;
  readonly exited: Promise<void>;
  private markExited!: () => void;
  /** Resolves once the pid is known, or the process is gone. */
  private readonly known: Promise<void>;
  private markKnown!: () => void;
  private done = false;
  private drained: (() => void) | undefined;

  constructor(
    readonly key: number,
    private readonly mode: 'fork' | 'cluster',
    /** A cluster worker shares the keeper's process group: what it leaves is found by its run's mark. */
    private readonly mark: { home: string; run: string },
    private readonly drainHttp: boolean,
    private readonly keeper: Keeper,
    private readonly events: HandleEvents,
  ) {
    this.exited = new Promise((resolve) => (this.markExited = resolve));
    this.known = new Promise((resolve) => (this.markKnown = resolve));
  }

  /** Fork mode: each app leads its own process group (the keeper starts it detached). */
  get processGroup(): number | null {
    return this.mode === 'fork' ? (this.pid ?? null) : null;
  }

  /** An adopted process: its pid is known from the keeper's state. */
  adopted(pid: number): void {
    this.pid = pid;
    this.markKnown();
  }

  deliver(message: Exclude<FromKeeper, { type: 'state' }>): void {
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
      case 'spawn-failed':
        return this.finish({ code: null, signal: null, error: message.error });
      case 'exit':
        return this.finish({ code: message.code, signal: message.signal });
    }
  }

  output(stream: 'out' | 'err', data: Buffer): Promise<void> | undefined {
    return this.events.output(stream, data);
  }

  lost(): void {
    this.finish({ code: null, signal: null, error: 'the keeper that held it died', lost: true });
  }

  send(message: unknown): boolean {
    if (this.done || this.pid === undefined) return false;
    this.keeper.send({ type: 'send', key: this.key, message });
    return true;
  }

  write(data: string): boolean {
    if (this.done || this.pid === undefined) return false;
    this.keeper.send({ type: 'stdin', key: this.key, data });
    return true;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.pid !== undefined && !this.done) trySignal(this.pid, signal);
  }

  async stop(options: StopOptions): Promise<StopOutcome> {
    // Asked before the keeper reported the pid: the spawn is in flight and its pid (or its end) comes next. Waiting
    // for it, then stopping the process, is what cancels the start.
    if (this.pid === undefined && !this.done) await withTimeout(this.known, options.timeoutMs);
    if (this.done) return 'exited';
    if (this.pid === undefined) {
      // A keeper that answers no spawn within kill_timeout: whatever started carries the run's mark.
      await reapMarked(this.mark, 'SIGKILL', 0);
      return 'killed';
    }
    if (this.mode === 'cluster' && this.drainHttp) await this.drain(Math.min(DRAIN_GRACE_MS, options.timeoutMs));
    const messaged = options.viaMessage && this.send('shutdown');
    return killTree({
      rootPid: this.pid,
      pgid: this.processGroup,
      signal: messaged ? null : options.signal,
      timeoutMs: options.timeoutMs,
      rootExited: this.exited,
      scope: options.scope,
      ...(this.mode === 'cluster' ? { runMark: this.mark } : {}),
    });
  }

  reapLeftovers(options: StopOptions): void {
    if (options.scope !== 'tree') return;
    if (this.mode === 'fork' && this.pid !== undefined) void reapOrphans(this.pid, options.signal, options.timeoutMs);
    if (this.mode === 'cluster') void reapMarked(this.mark, options.signal, options.timeoutMs);
  }

  private drain(graceMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, graceMs + 500);
      this.drained = () => {
        clearTimeout(timer);
        resolve();
      };
      void this.exited.then(this.drained);
      this.keeper.send({ type: 'drain', key: this.key, graceMs });
    });
  }

  private finish(exit: ExitInfo): void {
    if (this.done) return;
    this.done = true;
    this.markKnown();
    this.markExited();
    this.events.exited(exit);
  }
}
