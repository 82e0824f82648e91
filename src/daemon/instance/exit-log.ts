import type { ExitRecord } from '../../protocol/messages.js';

// What an exit keeps of the app's stderr: the last lines, each cut short, so that a chatty crash costs little;
// more are read than shown, so that a long stack trace does not push its error message out.
const READ_LINES = 40;
const TAIL_LINES = 10;
const FRAMES_SHOWN = 2;
const LINE_CHARS = 300;
/** What the record of an exit sup asked for says. */
export const REQUESTED_STOP = 'stopped by sup';
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
    if (this.lines.length > READ_LINES) this.lines = this.lines.slice(-READ_LINES);
  }

  /** The last lines, stack traces cut to their first frames so that the error line itself stays in view. */
  get last(): string[] {
    const all = this.partial ? [...this.lines, this.partial.slice(0, LINE_CHARS)] : this.lines;
    return collapseFrames(all.filter((l) => l.trim() !== '')).slice(-TAIL_LINES);
  }
}

/** Keeps the first frames of each run of `    at …` lines and says how many more there were. */
export function collapseFrames(lines: readonly string[]): string[] {
  const out: string[] = [];
  let run = 0;
  for (const line of lines) {
    const frame = /^\s+at /.test(line);
    run = frame ? run + 1 : 0;
    if (!frame || run <= FRAMES_SHOWN) out.push(line);
    else if (run === FRAMES_SHOWN + 1) out.push('    ...');
  }
  return out;
}

/** The last few exits of an instance, for `describe` and for a start that failed. */
export class ExitLog {
  private readonly exits: ExitRecord[] = [];

  /** An exit as it happened, with the app's last stderr lines and what sup did next. */
  add(exit: { code: number | null; signal: string | null }, stderr: string[], reason: string): void {
    this.record({ at: Date.now(), code: exit.code, signal: exit.signal, reason, stderr });
  }

  record(exit: ExitRecord): void {
    this.exits.push(exit);
    if (this.exits.length > EXITS_KEPT) this.exits.shift();
  }

  get recent(): ExitRecord[] {
    return [...this.exits];
  }

  /** The exits since a time (a start's), newest last. */
  /** Exits since then that sup did not ask for (a restart's own stop is not a crash). */
  crashesSince(at: number): ExitRecord[] {
    return this.since(at).filter((e) => e.reason !== REQUESTED_STOP);
  }

  since(at: number): ExitRecord[] {
    return this.exits.filter((e) => e.at >= at);
  }
}
