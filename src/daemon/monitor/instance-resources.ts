import { checkMemoryLimit } from './memory-limit.js';
import { MetricsHistory, historyCapacity } from './metrics-history.js';

/** The latest sample: cpu and memory of the whole process tree, and of the main process alone. */
export interface Metrics {
  cpu: number;
  memory: number;
  mainCpu: number;
  mainMemory: number;
}

const HISTORY_WINDOW_MS = 5 * 60_000;

export interface ResourceOwner {
  readonly memoryLimit: number | null;
  /** A limit restart may start only now (an online instance). */
  canRestartForLimit(): boolean;
  restartForLimit(reason: string): Promise<unknown>;
  log(message: string): void;
}

/**
 * What the monitor learns about one instance: its figures, their recent history, the process tree
 * they were summed over, and the memory limit acting on them once per crossing.
 */
export class InstanceResources {
  metrics: Metrics | null = null;
  /** CPU and memory over the last minutes, for describe and the dashboard. */
  readonly samples: MetricsHistory;
  private tree: { root: number; pids: number[] } | undefined;
  /** The memory-limit restart under way, so that one crossing fires one restart. */
  private limitRestart: Promise<void> | undefined;

  constructor(
    intervalMs: number,
    private readonly owner: ResourceOwner,
  ) {
    this.samples = new MetricsHistory(historyCapacity(HISTORY_WINDOW_MS, intervalMs));
  }

  /** Whether the fast memory guard has anything to do for this instance. */
  get limited(): boolean {
    return this.owner.memoryLimit !== null;
  }

  /** The process tree seen by the last full monitor pass (just the root before one has run). */
  treePids(root: number): number[] {
    return this.tree?.root === root ? this.tree.pids : [root];
  }

  /** A full monitor pass: figures for list and describe, a history sample, and the limit check. */
  record(metrics: Metrics, root: number, pids: number[]): void {
    this.metrics = metrics;
    this.tree = { root, pids };
    this.samples.push({ at: Date.now(), cpu: metrics.cpu, memory: metrics.memory });
    this.checkLimit(metrics.memory);
  }

  /** The fast memory guard between full passes. */
  observeMemory(memory: number): void {
    if (this.metrics) this.metrics = { ...this.metrics, memory };
    this.checkLimit(memory);
  }

  /** The process is gone or replaced: no stale figures. */
  clear(): void {
    this.metrics = null;
  }

  private checkLimit(memory: number): void {
    const busy = this.limitRestart !== undefined || !this.owner.canRestartForLimit();
    const decision = checkMemoryLimit(memory, this.owner.memoryLimit, busy);
    if (decision.action !== 'restart') return;
    this.owner.log(`${decision.reason}; restarting`);
    this.limitRestart = this.owner
      .restartForLimit(decision.reason)
      .then(() => undefined)
      .catch((err: Error) => this.owner.log(`restart over the memory limit failed: ${err.message}`))
      .finally(() => (this.limitRestart = undefined));
  }
}
