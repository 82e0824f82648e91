/** Names and order of rotated files, pure: app.log → app.log.1 → app.log.2 …, optionally gzipped. */

export interface RotationPolicy {
  /** Rotate once the file reaches this many bytes; 0 turns rotation off. */
  maxBytes: number;
  /** How many rotated files to keep. */
  retain: number;
  compress: boolean;
  /** Also rotate on this schedule (`log_rotate_interval`: "daily", "hourly", a cron expression). */
  interval?: string | null;
  /** Delete rotated files older than this (`log_max_age`, ms); 0 keeps them (log_retain still counts). */
  maxAgeMs?: number;
}

export function rotatedName(path: string, n: number, compressed: boolean): string {
  return `${path}.${n}${compressed ? '.gz' : ''}`;
}

/** Where a file is moved while it is being rotated: beside it, unique per process and rotation. */
export function asideName(path: string, pid: number, seq: number): string {
  return `${path}.rotating-${pid}-${seq}`;
}

/** Whether `name` is one of the names rotation gives `path`'s siblings (path.1, path.2.gz, the aside name). */
export function isRotatedSibling(path: string, name: string): boolean {
  return name.startsWith(path) && /^\.(\d+(\.gz)?|rotating-\d+-\d+)$/.test(name.slice(path.length));
}

/**
 * Renames that shift the rotated files up by one (making room for a new `.1`), highest first so
 * nothing is overwritten; the file at `retain` is deleted. `exists` says which of `.n` / `.n.gz` is on disk.
 */
export function shiftPlan(
  path: string,
  retain: number,
  exists: (name: string) => boolean,
): { remove: string[]; renames: [from: string, to: string][] } {
  const remove: string[] = [];
  const renames: [string, string][] = [];
  for (const gz of [false, true]) {
    const oldest = rotatedName(path, retain, gz);
    if (exists(oldest)) remove.push(oldest);
  }
  for (let n = retain - 1; n >= 1; n--) {
    for (const gz of [false, true]) {
      const from = rotatedName(path, n, gz);
      if (exists(from)) renames.push([from, rotatedName(path, n + 1, gz)]);
    }
  }
  return { remove, renames };
}

/**
 * Where to cut a chunk so that rotation happens on a line boundary: the index just past the last
 * newline, or -1 when the chunk has none (rotation waits for the next line end).
 */
export function lineBoundary(chunk: Buffer): number {
  const nl = chunk.lastIndexOf(0x0a);
  return nl === -1 ? -1 : nl + 1;
}
