/**
 * Bounded concurrency for hooks: at most `concurrency` run at once, at most `maxQueue` wait; beyond that a hook is
 * dropped and the drops are reported (once per burst) rather than growing the daemon's memory.
 */
export class HookQueue {
  private running = 0;
  private readonly waiting: (() => Promise<void>)[] = [];
  private dropped = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly limits: () => { concurrency: number; maxQueue: number },
    private readonly log: (message: string) => void,
  ) {}

  push(job: () => Promise<void>): void {
    if (this.waiting.length >= this.limits().maxQueue) {
      if (this.dropped++ === 0) this.log(`hooks: more than ${this.limits().maxQueue} waiting; dropping hooks until the queue drains`);
      return;
    }
    this.waiting.push(job);
    this.next();
  }

  get size(): number {
    return this.running + this.waiting.length;
  }

  /** Resolves once nothing runs or waits. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private next(): void {
    while (this.running < this.limits().concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running++;
      void job()
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.next();
        });
    }
    if (this.size === 0) {
      if (this.dropped > 0) this.log(`hooks: queue drained; ${this.dropped} hook(s) were dropped`);
      this.dropped = 0;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
