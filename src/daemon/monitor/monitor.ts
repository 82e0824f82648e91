import pidusage from 'pidusage';
import type { Instance } from '../instance/instance.js';
import { collectTree, indexTable, readProcessTable } from '../os/process-table.js';

export interface TreeSample {
  id: number;
  cpu: number;
  memory: number;
}

interface Usage {
  cpu: number;
  memory: number;
}

// The memory guard reads only the trees of apps with a limit, often enough that a limit acts within a second.
const GUARD_INTERVAL_MS = 250;

/**
 * Samples CPU and RSS of every running instance's whole process tree: one pass per interval for
 * all instances (one /proc scan to find the trees, one pidusage call for all their processes).
 */
export class Monitor {
  private timers: NodeJS.Timeout[] = [];
  private fullPass: Promise<void> | undefined;
  private guardPass: Promise<void> | undefined;

  constructor(
    private readonly running: () => Instance[],
    readonly intervalMs: number,
    private readonly onSamples: (samples: TreeSample[]) => void,
  ) {}

  start(): void {
    if (this.timers.length) return;
    this.timers = [
      setInterval(() => (this.fullPass ??= this.sampleAll().finally(() => (this.fullPass = undefined))), this.intervalMs),
      setInterval(() => (this.guardPass ??= this.guardLimits().finally(() => (this.guardPass = undefined))), GUARD_INTERVAL_MS),
    ];
    this.timers.forEach((t) => t.unref());
  }

  stop(): void {
    this.timers.forEach(clearInterval);
    this.timers = [];
  }

  private async sampleAll(): Promise<void> {
    const instances = this.running();
    if (instances.length === 0) return;
    const table = indexTable(await readProcessTable());
    const trees = instances.map((instance) => {
      const root = instance.pid!;
      return { instance, root, pids: collectTree(table, root, instance.processGroup) };
    });
    const usage = await this.usage(trees.flatMap((t) => t.pids));
    const samples: TreeSample[] = [];
    for (const { instance, root, pids } of trees) {
      // The process may have exited or been replaced while we read it.
      if (instance.pid !== root || !usage.has(root)) continue;
      const total = sum(pids, usage);
      const main = usage.get(root)!;
      instance.resources.record(
        { cpu: round(total.cpu), memory: total.memory, mainCpu: round(main.cpu), mainMemory: main.memory },
        root,
        pids,
      );
      samples.push({ id: instance.id, cpu: round(total.cpu), memory: total.memory });
    }
    if (samples.length) this.onSamples(samples);
  }

  private async guardLimits(): Promise<void> {
    const limited = this.running().filter((i) => i.resources.limited);
    if (limited.length === 0) return;
    const trees = limited.map((instance) => ({ instance, root: instance.pid!, pids: instance.resources.treePids(instance.pid!) }));
    const usage = await this.usage(trees.flatMap((t) => t.pids));
    for (const { instance, root, pids } of trees) {
      if (instance.pid === root && usage.has(root)) instance.resources.observeMemory(sum(pids, usage).memory);
    }
  }

  private async usage(pids: number[]): Promise<Map<number, Usage>> {
    const unique = [...new Set(pids)];
    const out = new Map<number, Usage>();
    if (unique.length === 0) return out;
    try {
      // maxage: forget processes soon after they exit, so a crash loop cannot pile up open /proc files.
      const stats = await usageOf(unique, { maxage: this.intervalMs * 3 });
      for (const pid of unique) {
        const s = stats[pid];
        if (s) out.set(pid, { cpu: s.cpu, memory: s.memory });
      }
    } catch {
      // a single pid that exited in the meantime; the next pass will see the new one
    }
    return out;
  }
}

// pidusage's types omit the options argument and the map returned for several pids.
const usageOf = pidusage as unknown as (
  pids: number[],
  options: { maxage: number },
) => Promise<Record<number, { cpu: number; memory: number } | undefined>>;

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
