/**
 * What the log files have queued and not yet written. The daemon acknowledges the keeper's output frames only once
 * their bytes are written, so that a daemon killed at any instant loses no line (the keeper sends again what was not
 * acknowledged).
 */
export class WriteBarrier {
  private readonly pending = new Map<object, Promise<void>>();

  /** The latest write of `file`; its earlier ones are done when this one is (a stream writes in order). */
  track(file: object, written: Promise<void>): void {
    this.pending.set(file, written);
    void written.then(() => {
      if (this.pending.get(file) === written) this.pending.delete(file);
    });
  }

  /** Resolves once every write queued so far is done (or failed: a failing disk is reported, not waited on). */
  settled(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return Promise.all(this.pending.values()).then(() => undefined);
  }
}
