import { LineSplitter } from '../logs/line-splitter.js';

export interface LogLine {
  id: number;
  name: string;
  stream: 'out' | 'err';
  text: string;
}

// A screen shows at most a few dozen lines; the rest only costs memory and time.
const MAX_LINES = 500;
const MAX_LINE_CHARS = 1000;

/**
 * The recent log lines, whole lines only: a chunk's unfinished last line waits for the rest of it (per
 * process and stream). Each process keeps its own recent lines, so a chatty neighbour never pushes a quiet
 * process's lines out; all of them together are kept too, for the "all processes" view. Bounded everywhere.
 */
export class LogBuffer {
  private all = new Ring();
  private readonly byId = new Map<number, Ring>();
  // The start of a long line is kept, as for a whole one (clean cuts at the same length).
  private readonly partial = new LineSplitter(MAX_LINE_CHARS);
  /** The name of each process with output, for its unfinished lines. */
  private readonly names = new Map<number, string>();

  constructor(private readonly maxLines = MAX_LINES) {}

  /** Adds a chunk; returns how many whole lines it completed. */
  add(id: number, name: string, stream: 'out' | 'err', data: string): number {
    this.names.set(id, name);
    const parts = this.partial.push(`${id}:${stream}`, data);
    for (const part of parts) this.push({ id, name, stream, text: clean(part) });
    return parts.length;
  }

  /** The process stopped: its unfinished lines (a crash message without a newline) are shown as they are. */
  flush(id: number): void {
    for (const stream of ['out', 'err'] as const) {
      const rest = this.partial.flush(`${id}:${stream}`);
      if (rest) this.push({ id, name: this.names.get(id) ?? '', stream, text: clean(rest) });
    }
  }

  private push(line: LogLine): void {
    let own = this.byId.get(line.id);
    if (!own) this.byId.set(line.id, (own = new Ring()));
    this.all.push(line, this.maxLines);
    own.push(line, this.maxLines);
  }

  /** The last `count` lines of one process, or of all of them; oldest first. */
  last(count: number, id?: number): LogLine[] {
    const ring = id === undefined ? this.all : this.byId.get(id);
    return ring ? ring.last(count) : [];
  }

  /** A process gone for good: its lines and unfinished lines go too (its lines stay in the "all" view). */
  forget(id: number): void {
    this.byId.delete(id);
    this.names.delete(id);
    this.partial.flush(`${id}:out`);
    this.partial.flush(`${id}:err`);
  }

  /** A new daemon: ids mean other processes now. */
  clear(): void {
    this.all = new Ring();
    this.byId.clear();
    this.names.clear();
    this.partial.clear();
  }
}

/** Lines in order, trimmed in batches (a shift per line would cost O(n) each). */
class Ring {
  private lines: LogLine[] = [];

  push(line: LogLine, max: number): void {
    this.lines.push(line);
    if (this.lines.length > max * 2) this.lines = this.lines.slice(-max);
  }

  last(count: number): LogLine[] {
    return this.lines.slice(-count);
  }
}

/** Lines go to a terminal: control characters (colours, cursor moves, \r) would scramble the screen. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text
    .slice(0, MAX_LINE_CHARS)
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}
