import type { ChildProcess } from 'node:child_process';
import type { AppConfig } from '../../config/app-config.js';
import type { HandleEvents, Launcher, ProcessHandle, StopOptions, StopOutcome } from './launcher.js';
import { spawnApp } from './spawn-app.js';
import { killTree, reapOrphans } from '../os/tree-kill.js';

/** Fork mode: the daemon's own child, leader of its own process group. */
export class ForkLauncher implements Launcher {
  constructor(private readonly config: () => AppConfig) {}

  launch(env: Record<string, string>, events: HandleEvents): ProcessHandle {
    return new ForkHandle(this.config(), env, events);
  }
}

class ForkHandle implements ProcessHandle {
  readonly exited: Promise<void>;
  private readonly child: ChildProcess | undefined;

  constructor(config: AppConfig, env: Record<string, string>, events: HandleEvents) {
    let markExited!: () => void;
    this.exited = new Promise((resolve) => (markExited = resolve));
    const exit = (info: Parameters<HandleEvents['exited']>[0]) => {
      markExited();
      events.exited(info);
    };
    try {
      this.child = spawnApp(config, env);
    } catch (err) {
      queueMicrotask(() => exit({ code: null, signal: null, error: (err as Error).message }));
      return;
    }
    const child = this.child;
    // When the log file falls behind, stop reading the pipe: the app blocks on a full pipe instead of the daemon's memory growing.
    for (const [name, source] of [
      ['out', child.stdout],
      ['err', child.stderr],
    ] as const) {
      source?.on('data', (chunk: Buffer) => {
        const congested = events.output(name, chunk);
        if (congested) {
          source.pause();
          void congested.then(() => source.resume());
        }
      });
    }
    child.once('spawn', () => events.spawned(child.pid!));
    child.on('message', (message) => (message === 'ready' ? events.ready() : events.message(message)));
    child.once('error', (err) => {
      // Spawn failures (ENOENT, EACCES) come without an exit event.
      if (child.pid === undefined) exit({ code: null, signal: null, error: err.message });
    });
    child.once('exit', (code, signal) => exit({ code, signal }));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get processGroup(): number | null {
    return this.child?.pid ?? null;
  }

  send(message: unknown): boolean {
    if (!this.child?.connected) return false;
    this.child.send(message as never, () => undefined);
    return true;
  }

  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  async stop(options: StopOptions): Promise<StopOutcome> {
    const pid = this.child?.pid;
    if (pid === undefined) return 'exited';
    const messaged = options.viaMessage && this.send('shutdown');
    return killTree({
      rootPid: pid,
      pgid: pid,
      signal: messaged ? null : options.signal,
      timeoutMs: options.timeoutMs,
      rootExited: this.exited,
      scope: options.scope,
    });
  }

  reapLeftovers(options: StopOptions): void {
    const pid = this.child?.pid;
    if (pid !== undefined && options.scope === 'tree') void reapOrphans(pid, options.signal, options.timeoutMs);
  }
}
