import type { ProcessInfo, SupEvent } from '../protocol/messages.js';

/**
 * The daemon's process list as the web server last heard it: the first `list`, then every event. The page and
 * /metrics read it, so a scrape or a new browser costs the daemon nothing (no request, no sampling pass).
 */
export class ProcessCache {
  private readonly byId = new Map<number, { info: ProcessInfo; at: number }>();
  /**
   * Restarts for the memory limit, per id, seen by this server since it started: the daemon keeps only the last
   * reason, so this counts the restarts whose reason was the limit (a counter that starts over with `sup web`).
   */
  private readonly memoryRestarts = new Map<number, number>();

  reset(processes: ProcessInfo[], now: number): void {
    this.byId.clear();
    for (const info of processes) this.byId.set(info.id, { info, at: now });
  }

  /** Applies an event; true when it changed the list. */
  apply(event: SupEvent, now: number): boolean {
    switch (event.type) {
      case 'process': {
        const before = this.byId.get(event.process.id)?.info.restarts;
        const { id, restarts, restart_reason } = event.process;
        if (before !== undefined && restarts > before && restart_reason?.startsWith('memory limit')) {
          this.memoryRestarts.set(id, (this.memoryRestarts.get(id) ?? 0) + restarts - before);
        }
        this.byId.set(id, { info: event.process, at: now });
        return true;
      }
      case 'removed':
        this.memoryRestarts.delete(event.id);
        return this.byId.delete(event.id);
      case 'metrics':
        for (const s of event.samples) {
          const entry = this.byId.get(s.id);
          if (entry) entry.info = { ...entry.info, cpu: s.cpu, memory: s.memory };
        }
        return event.samples.length > 0;
      default:
        return false;
    }
  }

  memoryLimitRestarts(id: number): number {
    return this.memoryRestarts.get(id) ?? 0;
  }

  /** The list now: uptimes advanced by the time since each process was last heard of. */
  list(now: number): ProcessInfo[] {
    return [...this.byId.values()]
      .map(({ info, at }) => (info.pid !== null && info.uptime > 0 ? { ...info, uptime: info.uptime + (now - at) } : info))
      .sort((a, b) => a.id - b.id);
  }
}
