import pidusage from 'pidusage';
import type { Instance } from './instance.js';

/**
 * Samples CPU and RSS of every running instance in one pass per interval
 * (one timer for all processes, not one per process).
 */
export class Monitor {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;

  constructor(
    private readonly running: () => Instance[],
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.pass ??= this.sample().finally(() => (this.pass = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async sample(): Promise<void> {
    await Promise.all(
      this.running().map(async (instance) => {
        const pid = instance.pid;
        if (pid === null) return;
        try {
          const stat = await pidusage(pid);
          // The process may have exited or been replaced while we read it.
          if (instance.pid === pid) instance.metrics = { cpu: Math.round(stat.cpu * 10) / 10, memory: stat.memory };
        } catch {
          // gone between listing and sampling
        }
      }),
    );
  }
}
