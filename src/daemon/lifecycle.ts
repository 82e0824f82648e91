/**
 * The daemon's own life: starting (the socket is not ours yet), running, stopping (its apps are being stopped;
 * requests that change apps are refused), exiting. Stopping and exiting happen once, whoever asks first
 * (a signal, `sup kill`, the last app of `sup run` ending); later asks get the same promise.
 */
export type DaemonPhase = 'starting' | 'running' | 'stopping' | 'exiting';

/** How a daemon that leaves hands its apps to the next one: not at all (`sup kill`), as they run, or to restart. */
export type Handover = false | 'keep' | 'restart';

export interface LifecycleSteps {
  /**
   * Stops every app; resolves with how many instances were running. 'keep' (`sup update`): nothing stops, the next
   * daemon takes the apps over as they run; 'restart': they stop, and the next daemon starts them again.
   */
  stopApps(handover: Handover): Promise<number>;
  /** Releases the socket and the daemon's files, then ends the process with the code. */
  exit(code: number): Promise<void>;
  /** The exit code once the apps are stopped (`sup run` reports how its apps ended). */
  exitCode(): number;
  log(message: string): void;
}

export class DaemonLifecycle {
  private current: DaemonPhase = 'starting';
  private stopping: Promise<number> | undefined;
  private exiting: Promise<void> | undefined;

  constructor(private readonly steps: LifecycleSteps) {}

  get phase(): DaemonPhase {
    return this.current;
  }

  /** Nothing may start an app once the daemon is stopping (it would outlive the daemon); while starting, recovery may. */
  get accepting(): boolean {
    return this.current === 'starting' || this.current === 'running';
  }

  // Declared before `started`, whose initializer sets it (fields are defined in order).
  private markStarted!: () => void;
  /** Resolves once the daemon runs (its keeper is up and the previous apps are back): requests that change apps wait. */
  readonly started: Promise<void> = new Promise((resolve) => (this.markStarted = resolve));

  private markNeeded!: () => void;
  /**
   * Resolves once a request waits for the daemon to run, or it begins to stop. A daemon with no keeper yet (a first
   * command's) decides then whether to start one, not while it answers a command that needs none (ping, kill).
   */
  readonly needed: Promise<void> = new Promise((resolve) => (this.markNeeded = resolve));

  need(): void {
    this.markNeeded();
  }

  running(): void {
    if (this.current !== 'starting') return;
    this.current = 'running';
    this.markStarted();
  }

  stopApps(handover: Handover = false): Promise<number> {
    this.stopping ??= (() => {
      this.current = 'stopping';
      this.markNeeded();
      return this.steps.stopApps(handover);
    })();
    return this.stopping;
  }

  exit(code = this.steps.exitCode()): Promise<void> {
    this.exiting ??= (() => {
      this.current = 'exiting';
      return this.steps.exit(code);
    })();
    return this.exiting;
  }

  /** SIGTERM, SIGINT, or the last app of `sup run` gone: stop everything, then exit. */
  async stopAndExit(why: string): Promise<void> {
    if (this.stopping) return this.steps.log(`${why}; already stopping every app`);
    this.steps.log(`${why}; stopping every app`);
    const stopped = await this.stopApps();
    this.steps.log(`stopped ${stopped} instance(s)`);
    await this.exit();
  }

  /** `sup kill`: exits once the reply that reports the stop has gone out. */
  exitSoon(): void {
    setImmediate(() => void this.exit());
  }
}
