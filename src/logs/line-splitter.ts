/**
 * Cuts the text chunks of several sources (each process's stdout or stderr, by key) into whole lines: a chunk's
 * unfinished end waits for the rest of its line, keeping at most `maxPartial` characters of it.
 */
export class LineSplitter {
  private readonly partial = new Map<string, string>();

  constructor(private readonly maxPartial = Number.POSITIVE_INFINITY) {}

  /** The whole lines this chunk completes, without their newlines. */
  push(key: string, data: string): string[] {
    const lines = ((this.partial.get(key) ?? '') + data).split('\n');
    const rest = lines.pop()!;
    if (rest) this.partial.set(key, rest.length > this.maxPartial ? rest.slice(0, this.maxPartial) : rest);
    else this.partial.delete(key);
    return lines;
  }

  /** The source ended (or is forgotten): its unfinished line, if it had one. */
  flush(key: string): string | undefined {
    const rest = this.partial.get(key);
    this.partial.delete(key);
    return rest;
  }

  clear(): void {
    this.partial.clear();
  }
}
