import { readFileSync } from 'node:fs';
import { StatReader } from '../os/proc-stat.js';

/** CPU (percent of one core since the last reading) and resident memory (bytes) of one process. */
export interface Usage {
  cpu: number;
  memory: number;
}

/** Where a monitor pass gets each process's figures. */
export interface UsageSource {
  /** One reading per pid; a pid missing from the answer is gone. */
  read(pids: readonly number[]): Promise<Map<number, Usage>> | Map<number, Usage>;
  /** The pids followed from now on (the others' state is dropped). */
  keepOnly(pids: ReadonlySet<number>): void;
  close(): void;
}

// Linux's USER_HZ: 100 on every architecture it runs on (times(2), proc(5)).
const CLOCK_TICKS = 100;

/**
 * Linux: /proc/<pid>/stat of each followed process, through descriptors kept open between passes. CPU is the change in
 * user + system ticks since that process's previous reading; a recycled pid starts over (its start time differs).
 */
export class ProcUsage implements UsageSource {
  private readonly stats = new StatReader();
  private readonly previous = new Map<number, { ticks: number; at: number; start: number }>();
  private readonly pageSize = pageSize();

  read(pids: readonly number[]): Map<number, Usage> {
    const now = performance.now();
    const out = new Map<number, Usage>();
    for (const pid of pids) {
      const stat = this.stats.read(pid);
      if (!stat) {
        this.previous.delete(pid);
        continue;
      }
      const ticks = stat.utime + stat.stime;
      const before = this.previous.get(pid);
      const seconds = before ? (now - before.at) / 1000 : 0;
      const cpu = before && before.start === stat.start && seconds > 0 ? ((ticks - before.ticks) / CLOCK_TICKS / seconds) * 100 : 0;
      this.previous.set(pid, { ticks, at: now, start: stat.start });
      out.set(pid, { cpu: Math.max(0, cpu), memory: stat.rss * this.pageSize });
    }
    return out;
  }

  keepOnly(pids: ReadonlySet<number>): void {
    this.stats.keepOnly(pids);
    for (const pid of this.previous.keys()) if (!pids.has(pid)) this.previous.delete(pid);
  }

  close(): void {
    this.stats.close();
  }
}

/** The kernel's page size, from this process's own figures (4096 on most machines, 16 or 64 KiB on some ARM ones). */
function pageSize(): number {
  try {
    const resident = Number(readFileSync('/proc/self/statm', 'latin1').split(' ')[1]);
    const bytes = process.memoryUsage.rss();
    return resident > 0 ? 2 ** Math.round(Math.log2(bytes / resident)) : 4096;
  } catch {
    return 4096;
  }
}

/** Elsewhere (macOS): pidusage, which asks `ps`; loaded only there. */
export class PsUsage implements UsageSource {
  async read(pids: readonly number[]): Promise<Map<number, Usage>> {
    const out = new Map<number, Usage>();
    if (pids.length === 0) return out;
    const pidusage = (await import('pidusage')).default as unknown as (pids: number[]) => Promise<Record<number, Usage | undefined>>;
    try {
      const stats = await pidusage([...new Set(pids)]);
      for (const pid of pids) {
        const s = stats[pid];
        if (s) out.set(pid, { cpu: s.cpu, memory: s.memory });
      }
    } catch {
      // a pid exited in the meantime; the next pass sees the new ones
    }
    return out;
  }

  keepOnly(): void {}
  close(): void {}
}
