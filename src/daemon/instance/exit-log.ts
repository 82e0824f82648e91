import type { ExitRecord } from '../../protocol/messages.js';

// What an exit keeps of the app's stderr: the last lines, each cut short, so that a chatty crash costs little.
const TAIL_LINES = 10;
const LINE_CHARS = 300;
// Exits kept per instance, newest last.
const EXITS_KEPT = 5;

/** The last lines a process wrote to stderr, kept as they come (an unfinished line counts as a line). */
export class StderrTail {
  private lines: string[] = [];
  private partial = '';

  add(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = (parts.pop() ?? '').slice(-LINE_CHARS * 4);
    for (const line of parts) this.lines.push(line.replace(/\r$/, '').slice(0, LINE_CHARS));
    if (this.lines.length > TAIL_LINES) this.lines = this.lines.slice(-TAIL_LINES);
  }

  get last(): string[] {
    const all = this.partial ? [...this.lines, this.partial.slice(0, LINE_CHARS)] : this.lines;
    return all.filter((l) => l.trim() !== '').slice(-TAIL_LINES);
  }
}

/** The last few exits of an instance, for `describe` and for a start that failed. */
export class ExitLog {
  private readonly exits: ExitRecord[] = [];

  record(exit: ExitRecord): void {
    this.exits.push(exit);
    if (this.exits.length > EXITS_KEPT) this.exits.shift();
  }

  get recent(): ExitRecord[] {
    return [...this.exits];
  }

  /** The exits since a time (a start's), newest last. */
  since(at: number): ExitRecord[] {
    return this.exits.filter((e) => e.at >= at);
  }
}
