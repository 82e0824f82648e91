const NEWLINE = 0x0a;
// A line that never ends (a progress bar drawn with \r, a binary dump) is not held whole: past this it is written
// as it comes, and in a shared file other sources may then interleave within that one line.
const MAX_HELD_BYTES = 1024 * 1024;

/** What the app's log routing needs of a formatter: raw or stamped lines (this file), or JSON lines. */
export interface LineSink {
  push(chunk: Buffer): Buffer[];
  end(): Buffer[];
  shared: boolean;
}

/**
 * Turns one source's output (an instance's stdout or stderr) into what is written to a file:
 * - a timestamp at the start of every line (never per chunk) when `stamp` is given;
 * - in a file shared by several sources, whole lines only, so that sources never interleave mid-line;
 *   a partial line is held until its newline arrives or the source ends (`end()`).
 * A file of its own with no timestamps gets the bytes exactly as they came.
 */
export class LineFormatter implements LineSink {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private midLine = false;

  constructor(
    private readonly stamp: (() => string) | null,
    /** Several sources write the file; changes when an app is scaled. */
    public shared: boolean,
  ) {}

  push(chunk: Buffer): Buffer[] {
    if (!this.stamp && !this.shared) return [chunk];
    const out: Buffer[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      this.emitLine(out, chunk.subarray(start, nl + 1));
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      if (!this.shared) this.emitPartial(out, rest);
      else {
        this.held.push(rest);
        this.heldBytes += rest.length;
        if (this.heldBytes > MAX_HELD_BYTES) this.emitPartial(out, Buffer.concat(this.takeHeld()));
      }
    }
    return out;
  }

  /** The source ended (the process exited): a held or unfinished line is completed with a newline. */
  end(): Buffer[] {
    if (this.held.length === 0 && !this.midLine) return [];
    const out: Buffer[] = [];
    this.emitLine(out, Buffer.from('\n'));
    return out;
  }

  private emitLine(out: Buffer[], line: Buffer): void {
    if (this.stamp && !this.midLine) out.push(Buffer.from(this.stamp()));
    out.push(...this.takeHeld(), line);
    this.midLine = false;
  }

  private emitPartial(out: Buffer[], part: Buffer): void {
    if (this.stamp && !this.midLine) out.push(Buffer.from(this.stamp()));
    out.push(part);
    this.midLine = true;
  }

  private takeHeld(): Buffer[] {
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    return held;
  }
}
