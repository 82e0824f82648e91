import type { ExitInfo, ProcessHandle } from '../launch/launcher.js';
import type { HealthChecker } from '../monitor/health/health-checker.js';
import type { RuntimeInfo } from '../../protocol/messages.js';
import { StderrTail } from './exit-log.js';

/** How a run's start ended: online as configured, past listen_timeout without a sign, or exited first. */
export type Readiness = 'pending' | 'ready' | 'timed-out' | 'exited';

/** One process of an instance, from launch to exit: its handle, its readiness, and how it ended. */
export class Run {
  readiness: Readiness = 'pending';
  /** How the process ended (or why it could not start); null while it runs. */
  exit: ExitInfo | null = null;
  handle!: ProcessHandle;
  /** Its health check, from its spawn to its exit (apps with a health_check). */
  health: HealthChecker | null = null;
  /**
   * When its code started: sup's runtime says so in Node apps; the keeper's spawn report otherwise. min_uptime counts
   * from here, not from the request, so that a slow start on a loaded machine is not held against the app.
   */
  spawnedAt: number | null = null;
  /** Its last stderr lines, kept with its exit (describe, a failed start). */
  readonly stderr = new StderrTail();
  /** What sup's runtime in a Node app last reported (event-loop delay, heap). */
  runtime: RuntimeInfo | null = null;
  private settle!: (r: Readiness) => void;
  private timer: NodeJS.Timeout | undefined;
  /** Resolves once readiness is no longer pending. */
  readonly settled: Promise<Readiness> = new Promise((resolve) => (this.settle = resolve));

  /** `startedAt`: an adopted process started before this daemon did. */
  constructor(readonly startedAt = Date.now()) {}

  /** Starts the listen_timeout backstop once the process exists. */
  armTimeout(ms: number, onTimeout: () => void): void {
    this.timer = setTimeout(() => {
      if (this.mark('timed-out')) onTimeout();
    }, ms);
  }

  /** Moves out of pending once; false if it already had. */
  mark(readiness: Exclude<Readiness, 'pending'>): boolean {
    if (this.readiness !== 'pending') return false;
    clearTimeout(this.timer);
    this.readiness = readiness;
    this.settle(readiness);
    return true;
  }
}
