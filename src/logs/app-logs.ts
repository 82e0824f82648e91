import { existsSync } from 'node:fs';
import type { AppConfig } from '../config/app-config.js';
import { DEFAULT_LOG_DATE_FORMAT, formatDate } from './date-format.js';
import { JsonLineFormatter } from './json-line-formatter.js';
import { LineFormatter, type LineSink } from './line-formatter.js';
import { LogFile } from './log-file.js';
import type { WriteBarrier } from './write-barrier.js';
import { logPaths, streamTargets, writersPerFile, type LogPaths } from './log-paths.js';

type Stream = 'out' | 'err';

/** Routes an app's output to its log files: which files, line formatting, and one writer per file. */
export class AppLogs {
  private readonly files = new Map<string, LogFile>();
  /** Files closed because nothing leads to them any more, until they have flushed: close() waits for them. */
  private readonly closing = new Set<Promise<void>>();
  /** Per instance id: its formatters by stream and file (so that its end completes exactly its lines). */
  private readonly formatters = new Map<number, Map<string, { path: string; formatter: LineSink }>>();
  /** Per instance number and stream: the files written and whether each is shared. Rebuilt on change, not per chunk. */
  private routes: Map<number, Record<Stream, { path: string; shared: boolean }[]>> | undefined;

  constructor(
    private readonly config: () => AppConfig,
    private readonly instances: () => number[],
    private readonly logsDir: string,
    private readonly report: (message: string) => void,
    private readonly barrier?: WriteBarrier,
  ) {}

  paths(index: number): LogPaths {
    return logPaths(this.config(), index, this.logsDir);
  }

  allPaths(): string[] {
    return this.instances().flatMap((i) => {
      const p = this.paths(i);
      return [p.out, p.err, ...(p.combined ? [p.combined] : [])];
    });
  }

  /** The app's config or its instances changed: the files each stream goes to may have too. */
  changed(): void {
    this.routes = undefined;
    this.closeUnused();
  }

  /** Writes a chunk of one instance's stream; a promise means a file is congested and the source should wait. */
  write(id: number, index: number, stream: Stream, chunk: Buffer): Promise<void> | undefined {
    let congested: Promise<void> | undefined;
    for (const { path, shared } of this.route(index)[stream]) {
      for (const piece of this.formatter(id, stream, path, shared).push(chunk)) congested = this.file(path).write(piece) ?? congested;
    }
    return congested;
  }

  /** The instance's process ended: complete its unfinished lines. */
  endSource(id: number): void {
    for (const { path, formatter } of this.formatters.get(id)?.values() ?? []) {
      for (const piece of formatter.end()) this.file(path).write(piece);
    }
    this.formatters.delete(id);
    this.closeUnused();
  }

  /** A file no route and no running process's formatter leads to any more (a rename, a new out_file) is closed. */
  private closeUnused(): void {
    const used = new Set(this.allPaths());
    for (const mine of this.formatters.values()) for (const { path } of mine.values()) used.add(path);
    for (const [path, file] of this.files) {
      if (used.has(path)) continue;
      this.files.delete(path);
      const closed = file.close().finally(() => this.closing.delete(closed));
      this.closing.add(closed);
    }
  }

  /** Empties every file of the app, also those not written since the daemon started; returns them. */
  truncate(): string[] {
    const paths = [...new Set(this.allPaths())].filter((p) => p !== '/dev/null' && existsSync(p));
    for (const path of paths) this.file(path).truncate();
    return paths;
  }

  reopen(): void {
    for (const file of this.files.values()) file.reopen();
  }

  async close(): Promise<void> {
    await Promise.all([...[...this.files.values()].map((f) => f.close()), ...this.closing]);
    this.files.clear();
    this.formatters.clear();
  }

  private route(index: number): Record<Stream, { path: string; shared: boolean }[]> {
    if (!this.routes) {
      const counts = writersPerFile(this.config(), this.instances(), this.logsDir);
      const targets = (paths: LogPaths, stream: Stream) =>
        streamTargets(paths, stream).map((path) => ({ path, shared: (counts.get(path) ?? 1) > 1 }));
      this.routes = new Map(
        this.instances().map((i) => {
          const paths = this.paths(i);
          return [i, { out: targets(paths, 'out'), err: targets(paths, 'err') }];
        }),
      );
    }
    return this.routes.get(index) ?? { out: [], err: [] };
  }

  private formatter(id: number, stream: Stream, path: string, shared: boolean): LineSink {
    let mine = this.formatters.get(id);
    if (!mine) this.formatters.set(id, (mine = new Map()));
    const key = `${stream}:${path}`;
    let formatter = mine.get(key)?.formatter;
    if (!formatter) {
      const config = this.config();
      const format = config.log_date_format ?? (config.time ? DEFAULT_LOG_DATE_FORMAT : null);
      if (config.log_type === 'json') {
        const timestamp = () => (format ? formatDate(new Date(), format) : new Date().toISOString());
        formatter = new JsonLineFormatter({ app_name: config.name, process_id: id, type: stream }, timestamp, shared);
      } else {
        const stamp = format ? () => `${formatDate(new Date(), format)}: ` : null;
        formatter = new LineFormatter(stamp, shared);
      }
      mine.set(key, { path, formatter });
    }
    // Scaling changes who shares a file (merge_logs): from then on, whole lines only.
    formatter.shared = shared;
    return formatter;
  }

  private file(path: string): LogFile {
    let file = this.files.get(path);
    if (!file) {
      const c = this.config();
      file = new LogFile(
        path,
        {
          maxBytes: c.log_max_size,
          retain: c.log_retain,
          compress: c.log_compress,
          interval: c.log_rotate_interval,
          maxAgeMs: c.log_max_age,
        },
        this.report,
        this.barrier,
      );
      this.files.set(path, file);
    }
    return file;
  }
}
