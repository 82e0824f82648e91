// What an exit event carries of the app's stderr: enough to see a stack trace's head, bounded per instance.
const MAX_LINES = 20;
const MAX_LINE_CHARS = 1000;
// The raw bytes kept per instance; lines are cut from them only when an event asks, so a flood costs no copy and no
// split per chunk.
const KEEP_BYTES = 8192;

/** The last lines each instance wrote on stderr, for the events of its exit (hooks get them with the crash). */
export class StderrTail {
  private readonly tails = new Map<number, { chunks: Buffer[]; bytes: number; cut: boolean }>();

  /** Keeps a reference to the chunk (no copy); chunks older than the last KEEP_BYTES are let go. */
  push(id: number, chunk: Buffer): void {
    let tail = this.tails.get(id);
    if (!tail) this.tails.set(id, (tail = { chunks: [], bytes: 0, cut: false }));
    tail.chunks.push(chunk);
    tail.bytes += chunk.length;
    while (tail.chunks.length > 1 && tail.bytes - tail.chunks[0]!.length >= KEEP_BYTES) {
      tail.bytes -= tail.chunks.shift()!.length;
      tail.cut = true;
    }
  }

  /** The last lines, the unfinished one included (a line cut by the byte bound is left out). */
  lines(id: number): string[] {
    const tail = this.tails.get(id);
    if (!tail) return [];
    const all = Buffer.concat(tail.chunks);
    const cut = tail.cut || all.length > KEEP_BYTES;
    const lines = all
      .subarray(Math.max(0, all.length - KEEP_BYTES))
      .toString('utf8')
      .split('\n');
    if (cut) lines.shift();
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-MAX_LINES).map((l) => l.slice(0, MAX_LINE_CHARS));
  }

  /** A new process starts with no tail of its own. */
  clear(id: number): void {
    this.tails.delete(id);
  }
}
