import type { SnapshotFile } from './snapshot-file.js';
import type { Phase, Snapshot } from './snapshot.js';

// Changes come in bursts (a start of 50 instances, a crash loop): one write covers all that came within this window.
const COALESCE_MS = 50;

/**
 * Keeps the live state file up to date: after a change, one write soon after, never two at once,
 * each taking the state as it is when it runs. A failing disk is reported once, not per change.
 */
export class StateStore {
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private phase: Phase = 'running';
  private failing = false;
  /** Nothing is written before the first flush: the daemon's recovery decides when its state is worth keeping. */
  private held = true;

  constructor(
    private readonly file: SnapshotFile,
    private readonly take: (phase: Phase) => Snapshot,
    private readonly log: (message: string) => void,
  ) {}

  changed(): void {
    if (this.held || this.timer !== undefined || this.phase !== 'running') return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.enqueue();
    }, COALESCE_MS);
  }

  /** Writes now (after any write in progress); with a phase, that is the last word of this daemon. */
  flush(phase?: Phase): Promise<void> {
    if (phase) this.phase = phase;
    this.held = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    return this.enqueue();
  }

  private enqueue(): Promise<void> {
    // One write waiting behind the current one is enough: it takes the state when its turn comes.
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = undefined;
      return this.writeOnce();
    });
    this.queued = next;
    this.chain = next;
    return next;
  }

  private async writeOnce(): Promise<void> {
    try {
      await this.file.write(this.take(this.phase));
      if (this.failing) this.log(`state file ${this.file.path} written again`);
      this.failing = false;
    } catch (err) {
      if (!this.failing)
        this.log(
          `cannot write the state file ${this.file.path}: ${(err as Error).message}; apps keep running, and the previous state is kept`,
        );
      this.failing = true;
    }
  }
}
