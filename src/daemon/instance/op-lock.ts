/**
 * One operation at a time on an instance (start, stop, restart, reload), in the order asked, and a way for a stop to
 * cut short an operation that waits on something long: a reload waiting for its replacement gives way to a stop
 * asked after it, instead of holding the stop for up to listen_timeout.
 */
export class OpLock {
  private tail: Promise<unknown> = Promise.resolve();
  private stopAsked!: Promise<void>;
  private announceStop!: () => void;

  constructor() {
    this.armStop();
  }

  run<T>(op: () => Promise<T>): Promise<T> {
    const result = this.tail.then(op, op);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** A stop (or delete) was asked for. */
  preempt(): void {
    this.announceStop();
    this.armStop();
  }

  private armStop(): void {
    this.stopAsked = new Promise((resolve) => (this.announceStop = resolve));
  }

  /** Resolves when the next stop is asked for: taken when an operation is asked, raced against its long wait. */
  nextStop(): Promise<void> {
    return this.stopAsked;
  }
}
