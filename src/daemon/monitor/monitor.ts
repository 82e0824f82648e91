import type { Instance } from '../instance/instance.js';
import { collectTree, indexTable, readProcessTable } from '../os/process-table.js';
import { afterPass, FIRST_SCAN, maxGap, scanDue } from './rescan-policy.js';
import { ProcUsage, PsUsage, type Usage, type UsageSource } from './usage.js';

export interface TreeSample {
  id: number;
  cpu: number;
  memory: number;
}

// The memory guard reads only the trees of apps with a limit, often enough that a limit acts within a second. Its
// timer runs only while an instance has one: a wake-up costs an idle daemon more than the reading (perf, 200 idle
// processes: a third of the daemon's CPU was in waking up).
const GUARD_INTERVAL_MS = 250;
// With many processes to follow, an instance using less CPU than this at its last reading is read every IDLE_EVERY
// passes (instances with a memory limit, every pass): a thousand idle processes cost almost nothing. A few are all
// read every pass.
const MANY_PROCESSES = 100;
const IDLE_CPU = 0.5;
const IDLE_EVERY = 5;

/**
 * Samples CPU and RSS of every running instance's whole process tree, once per interval, and watches memory limits
 * between passes. On Linux it reads /proc/<pid>/stat of the known processes only (descriptors kept open); the whole
 * table is scanned only to find trees. Elsewhere, `ps` through pidusage.
 */
export class Monitor {
  private timer: NodeJS.Timeout | undefined;
  private guardTimer: NodeJS.Timeout | undefined;
  private fullPass: Promise<void> | undefined;
  private guardPass: Promise<void> | undefined;
  private pass = 0;
  /**
   * Finding each instance's process tree takes a scan of the whole machine's table: done as rescan-policy.ts says, and
   * whenever an instance has a new main process. In between, each tree is read where it was (a child started since
   * joins it at the next scan).
   */
  private rescan = FIRST_SCAN;
  /** Each instance's tree (by its main pid) as last seen. */
  private trees = new Map<number, number[]>();
  private limited: Instance[] = [];
  /** How many instances the last pass followed. */
  private followed = 0;

  constructor(
    private readonly running: () => Instance[],
    readonly intervalMs: number,
    private readonly onSamples: (samples: TreeSample[]) => void,
    private readonly usage: UsageSource = process.platform === 'linux' ? new ProcUsage() : new PsUsage(),
  ) {}

  start(): void {
    this.timer ??= setInterval(
      () => (this.fullPass ??= this.sampleAll().finally(() => (this.fullPass = undefined))),
      this.intervalMs,
    ).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.runGuard(false);
    this.usage.close();
  }

  private runGuard(on: boolean): void {
    if (on && this.timer) {
      this.guardTimer ??= setInterval(
        () => (this.guardPass ??= this.guardLimits().finally(() => (this.guardPass = undefined))),
        GUARD_INTERVAL_MS,
      ).unref();
    } else if (!on) {
      clearInterval(this.guardTimer);
      this.guardTimer = undefined;
    }
  }

  private async sampleAll(): Promise<void> {
    const instances = this.running();
    this.limited = instances.filter((i) => i.resources.limited);
    this.runGuard(this.limited.length > 0);
    this.pass++;
    const rescan = scanDue(
      this.rescan,
      instances.some((i) => !this.trees.has(i.pid!)),
    );
    if (rescan) {
      const index = indexTable(await readProcessTable());
      const trees = new Map(instances.map((i) => [i.pid!, collectTree(index, i.pid!, i.processGroup)]));
      const changed = trees.size !== this.trees.size || [...trees].some(([root, pids]) => !samePids(pids, this.trees.get(root)));
      this.trees = trees;
      this.rescan = afterPass(this.rescan, { changed, limited: this.limited.length > 0 }, maxGap(this.intervalMs));
    } else this.rescan = afterPass(this.rescan, null, maxGap(this.intervalMs));
    const many = instances.length > MANY_PROCESSES || instances.reduce((n, i) => n + this.treeOf(i).length, 0) > MANY_PROCESSES;
    const due = instances.filter((i) => rescan || !many || !isIdle(i) || (this.pass + i.id) % IDLE_EVERY === 0);
    const usage = await this.usage.read(due.flatMap((i) => this.treeOf(i)));
    const samples: TreeSample[] = [];
    for (const instance of due) {
      const root = instance.pid!;
      // The process may have exited or been replaced while we read it.
      if (instance.pid !== root || !usage.has(root)) continue;
      const pids = this.treeOf(instance).filter((pid) => usage.has(pid));
      this.trees.set(root, pids);
      const total = sum(pids, usage);
      const main = usage.get(root)!;
      instance.resources.record(
        { cpu: round(total.cpu), memory: total.memory, mainCpu: round(main.cpu), mainMemory: main.memory },
        root,
        pids,
      );
      samples.push({ id: instance.id, cpu: round(total.cpu), memory: total.memory });
    }
    // What is followed changes only with a scan or with fewer instances: an instance with a new main pid has no tree
    // yet, which makes this pass a scan.
    if (rescan || instances.length !== this.followed) this.usage.keepOnly(new Set(instances.flatMap((i) => this.treeOf(i))));
    this.followed = instances.length;
    if (samples.length) this.onSamples(samples);
  }

  /** The fast memory guard: only the instances with a limit, their trees as the last pass saw them. */
  private async guardLimits(): Promise<void> {
    const limited = this.limited.filter((i) => i.isRunning() && i.pid !== null);
    if (limited.length === 0) return;
    const trees = limited.map((instance) => ({ instance, root: instance.pid!, pids: this.treeOf(instance) }));
    const usage = await this.usage.read(trees.flatMap((t) => t.pids));
    for (const { instance, root, pids } of trees) {
      if (instance.pid === root && usage.has(root)) instance.resources.observeMemory(sum(pids, usage).memory);
    }
  }

  private treeOf(instance: Instance): number[] {
    return this.trees.get(instance.pid!) ?? [instance.pid!];
  }
}

function isIdle(instance: Instance): boolean {
  const metrics = instance.resources.metrics;
  return metrics !== null && metrics.cpu < IDLE_CPU && !instance.resources.limited;
}

function samePids(a: readonly number[], b: readonly number[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((pid, i) => pid === b[i]);
}

function sum(pids: number[], usage: Map<number, Usage>): Usage {
  let cpu = 0;
  let memory = 0;
  for (const pid of pids) {
    const u = usage.get(pid);
    if (u) [cpu, memory] = [cpu + u.cpu, memory + u.memory];
  }
  return { cpu, memory };
}

function round(cpu: number): number {
  return Math.round(cpu * 10) / 10;
}
