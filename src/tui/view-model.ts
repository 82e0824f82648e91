import type { MetricsSample, ProcessDescription, ProcessInfo, SupEvent } from '../protocol/messages.js';
import { LogBuffer, type LogLine } from './log-buffer.js';

/** 'failed': lost, and reconnecting cannot help (a daemon of another version, a refused token). */
export type Connection = 'connecting' | 'connected' | 'disconnected' | 'failed';
/** What the keyboard is doing: moving around, typing a filter, answering the delete question, reading help. */
export type Mode = 'normal' | 'filter' | 'confirm-delete' | 'help';
export type LogScope = 'selected' | 'all';
/** The parts of the screen a change touches ('layout': all of them, after a resize); the dashboard redraws only those. */
export type Region = 'table' | 'detail' | 'charts' | 'logs' | 'status' | 'layout';

export interface Notice {
  text: string;
  level: 'info' | 'error';
}

// Samples kept per process for the charts: more than a wide terminal shows.
const MAX_SAMPLES = 300;

/**
 * Everything `sup monit` shows, fed by the daemon's events and the user's keys. No terminal here:
 * the dashboard draws what this holds, and tests drive it directly.
 */
export class MonitModel {
  readonly processes = new Map<number, { info: ProcessInfo; receivedAt: number }>();
  readonly logs = new LogBuffer();
  readonly series = new Map<number, { cpu: number[]; memory: number[] }>();
  selectedId: number | null = null;
  detail: ProcessDescription | null = null;
  filter = '';
  logScope: LogScope = 'selected';
  connection: Connection = 'connecting';
  mode: Mode = 'normal';
  notice: Notice | null = null;
  /** The process the delete question is about: fixed when asked, whatever the selection does meanwhile. */
  deleteTarget: ProcessInfo | null = null;

  /**
   * The full list, on (re)connect. The daemon may be a new one whose ids name other processes, so
   * nothing kept per id survives: details, charts and log lines start again (history comes back with them).
   */
  setList(list: readonly ProcessInfo[], now: number): Region[] {
    this.processes.clear();
    for (const info of list) this.processes.set(info.id, { info, receivedAt: now });
    this.series.clear();
    this.logs.clear();
    this.detail = null;
    this.keepSelection();
    return ['table', 'detail', 'charts', 'logs'];
  }

  apply(event: SupEvent, now: number): Region[] {
    switch (event.type) {
      case 'process': {
        const isNew = !this.processes.has(event.process.id);
        this.processes.set(event.process.id, { info: event.process, receivedAt: now });
        // A line the process left unfinished when it stopped is shown, not glued to its next run's first line.
        if (event.process.pid === null) this.logs.flush(event.process.id);
        if (isNew) this.keepSelection();
        return event.process.id === this.selectedId ? ['table', 'detail'] : ['table'];
      }
      case 'removed':
        this.processes.delete(event.id);
        this.series.delete(event.id);
        this.logs.forget(event.id);
        this.keepSelection();
        if (this.deleteTarget?.id === event.id) {
          this.notice = { text: `${event.name}#${event.id} is gone already`, level: 'info' };
          this.setMode('normal');
        }
        return ['table', 'detail', 'charts', 'logs', 'status'];
      case 'log': {
        const lines = this.logs.add(event.id, event.name, event.stream, event.data);
        return lines > 0 && (this.logScope === 'all' || event.id === this.selectedId) ? ['logs'] : [];
      }
      case 'metrics':
        for (const sample of event.samples) this.addSample(sample.id, sample.cpu, sample.memory);
        return ['table', 'charts'];
      case 'log-skipped':
        this.notice = { text: `${event.count} log chunks skipped (the log files have every line)`, level: 'info' };
        return ['status'];
      case 'health':
        // The table shows the health itself; a turn to unhealthy is worth a line (a restart follows).
        if (event.status === 'unhealthy') this.notice = { text: `${event.name}#${event.id} ${event.reason}`, level: 'error' };
        return ['status'];
      case 'message':
      case 'progress':
      case 'app-event':
        return [];
    }
  }

  /** History from the daemon for a newly selected process, older than what the events brought. */
  setHistory(id: number, samples: readonly MetricsSample[]): Region[] {
    const series = { cpu: samples.map((s) => s.cpu), memory: samples.map((s) => s.memory) };
    this.series.set(id, series);
    return id === this.selectedId ? ['charts'] : [];
  }

  setDetail(detail: ProcessDescription | null): Region[] {
    this.detail = detail && detail.id === this.selectedId ? detail : this.detail;
    return ['detail', 'charts'];
  }

  setMode(mode: Mode): Region[] {
    this.mode = mode;
    if (mode !== 'confirm-delete') this.deleteTarget = null;
    return ['status'];
  }

  /** `d`: asks about the selected process; the answer applies to that one only. */
  askDelete(): Region[] {
    const p = this.selected();
    if (!p) return [];
    this.setMode('confirm-delete');
    this.deleteTarget = p;
    return ['status'];
  }

  /** The rows shown: filtered by name, in id order. */
  visible(): ProcessInfo[] {
    const needle = this.filter.toLowerCase();
    return [...this.processes.values()]
      .map((p) => p.info)
      .filter((p) => p.name.toLowerCase().includes(needle))
      .sort((a, b) => a.id - b.id);
  }

  selected(): ProcessInfo | null {
    return this.selectedId === null ? null : (this.processes.get(this.selectedId)?.info ?? null);
  }

  /** Uptime as of now: the daemon sends it when the status changes, the clock does the rest. */
  uptime(info: ProcessInfo, now: number): number {
    const entry = this.processes.get(info.id);
    return info.uptime > 0 && entry ? info.uptime + (now - entry.receivedAt) : 0;
  }

  move(delta: number): Region[] {
    const rows = this.visible();
    if (rows.length === 0) return [];
    const at = Math.max(
      0,
      rows.findIndex((p) => p.id === this.selectedId),
    );
    const next = rows[Math.min(rows.length - 1, Math.max(0, at + delta))]!;
    if (next.id === this.selectedId) return [];
    this.select(next.id);
    return ['table', 'detail', 'charts', 'logs'];
  }

  setFilter(filter: string): Region[] {
    this.filter = filter;
    this.keepSelection();
    return ['table', 'detail', 'charts', 'logs', 'status'];
  }

  toggleLogScope(): Region[] {
    this.logScope = this.logScope === 'selected' ? 'all' : 'selected';
    return ['logs'];
  }

  /** The log lines the pane shows: the selected process's, or everyone's. */
  logLines(count: number): LogLine[] {
    if (this.logScope === 'all') return this.logs.last(count);
    return this.selectedId === null ? [] : this.logs.last(count, this.selectedId);
  }

  private addSample(id: number, cpu: number, memory: number): void {
    const series = this.series.get(id) ?? { cpu: [], memory: [] };
    series.cpu.push(cpu);
    series.memory.push(memory);
    if (series.cpu.length > MAX_SAMPLES) {
      series.cpu.splice(0, series.cpu.length - MAX_SAMPLES);
      series.memory.splice(0, series.memory.length - MAX_SAMPLES);
    }
    this.series.set(id, series);
    const entry = this.processes.get(id);
    if (entry) this.processes.set(id, { info: { ...entry.info, cpu, memory }, receivedAt: entry.receivedAt });
  }

  private select(id: number | null): void {
    if (id === this.selectedId) return;
    this.selectedId = id;
    this.detail = null;
  }

  /** After the rows changed: keep the selection if it is still shown, else the first row. */
  private keepSelection(): void {
    const rows = this.visible();
    if (rows.some((p) => p.id === this.selectedId)) return;
    this.select(rows[0]?.id ?? null);
  }
}
