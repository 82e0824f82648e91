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
 * The recent log lines of every process, whole lines only: a chunk's unfinished last line waits for
 * the rest of it (per process and stream). Bounded in lines and in line length.
 */
export class LogBuffer {
  private lines: LogLine[] = [];
  private readonly partial = new Map<string, string>();

  constructor(private readonly maxLines = MAX_LINES) {}

  /** Adds a chunk; returns how many whole lines it completed. */
  add(id: number, name: string, stream: 'out' | 'err', data: string): number {
    const key = `${id}:${stream}`;
    const parts = ((this.partial.get(key) ?? '') + data).split('\n');
    const rest = parts.pop()!;
    if (rest) this.partial.set(key, rest.slice(-MAX_LINE_CHARS));
    else this.partial.delete(key);
    for (const part of parts) this.lines.push({ id, name, stream, text: clean(part) });
    if (this.lines.length > this.maxLines * 2) this.lines = this.lines.slice(-this.maxLines);
    return parts.length;
  }

  /** The last `count` lines that pass the filter, oldest first. */
  last(count: number, keep: (line: LogLine) => boolean = () => true): LogLine[] {
    const out: LogLine[] = [];
    for (let i = this.lines.length - 1; i >= 0 && out.length < count; i--) {
      if (keep(this.lines[i]!)) out.push(this.lines[i]!);
    }
    return out.reverse();
  }

  /** A process gone for good: its unfinished lines go too. */
  forget(id: number): void {
    this.partial.delete(`${id}:out`);
    this.partial.delete(`${id}:err`);
  }
}

/** Lines go to a terminal: control characters (colours, cursor moves, \r) would scramble the screen. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.slice(0, MAX_LINE_CHARS).replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}
