// What an exit event carries of the app's stderr: enough to see a stack trace's head, bounded per instance.
const MAX_LINES = 20;
const MAX_LINE_CHARS = 1000;

/** The last lines each instance wrote on stderr, for the events of its exit (hooks get them with the crash). */
export class StderrTail {
  private readonly tails = new Map<number, { lines: string[]; partial: string }>();

  push(id: number, chunk: Buffer): void {
    let tail = this.tails.get(id);
    if (!tail) this.tails.set(id, (tail = { lines: [], partial: '' }));
    const parts = (tail.partial + chunk.toString('utf8')).split('\n');
    tail.partial = (parts.pop() ?? '').slice(-MAX_LINE_CHARS);
    for (const line of parts.slice(-MAX_LINES)) tail.lines.push(line.slice(0, MAX_LINE_CHARS));
    if (tail.lines.length > MAX_LINES) tail.lines.splice(0, tail.lines.length - MAX_LINES);
  }

  /** The last lines, the unfinished one included. */
  lines(id: number): string[] {
    const tail = this.tails.get(id);
    if (!tail) return [];
    return (tail.partial ? [...tail.lines, tail.partial] : tail.lines).slice(-MAX_LINES);
  }

  /** A new process starts with no tail of its own. */
  clear(id: number): void {
    this.tails.delete(id);
  }
}
