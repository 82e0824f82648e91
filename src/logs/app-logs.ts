import { existsSync } from 'node:fs';
import type { AppConfig } from '../config/app-config.js';
import { DEFAULT_LOG_DATE_FORMAT, formatDate } from './date-format.js';
import { LineFormatter } from './line-formatter.js';
import { LogFile } from './log-file.js';
import { logPaths, streamTargets, writersPerFile, type LogPaths } from './log-paths.js';

type Stream = 'out' | 'err';

/** Routes an app's output to its log files: which files, line formatting, and one writer per file. */
export class AppLogs {
  private readonly files = new Map<string, LogFile>();
  private readonly formatters = new Map<string, LineFormatter>();
  private writers: { key: string; counts: Map<string, number> } | undefined;

  constructor(
    private readonly config: () => AppConfig,
    private readonly instances: () => number[],
    private readonly logsDir: string,
    private readonly report: (message: string) => void,
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

  /** Writes a chunk of one instance's stream; a promise means a file is congested and the source should wait. */
  write(id: number, index: number, stream: Stream, chunk: Buffer): Promise<void> | undefined {
    let congested: Promise<void> | undefined;
    for (const path of streamTargets(this.paths(index), stream)) {
      for (const piece of this.formatter(id, stream, path).push(chunk)) congested = this.file(path).write(piece) ?? congested;
    }
    return congested;
  }

  /** The instance's process ended: complete its unfinished lines. */
  endSource(id: number): void {
    for (const [key, formatter] of this.formatters) {
      if (!key.startsWith(`${id}:`)) continue;
      const path = key.slice(key.indexOf(':', key.indexOf(':') + 1) + 1);
      for (const piece of formatter.end()) this.file(path).write(piece);
      this.formatters.delete(key);
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
    await Promise.all([...this.files.values()].map((f) => f.close()));
    this.files.clear();
    this.formatters.clear();
  }

  private formatter(id: number, stream: Stream, path: string): LineFormatter {
    const key = `${id}:${stream}:${path}`;
    const shared = (this.writerCounts().get(path) ?? 1) > 1;
    let formatter = this.formatters.get(key);
    if (!formatter) {
      const config = this.config();
      const format = config.log_date_format ?? (config.time ? DEFAULT_LOG_DATE_FORMAT : null);
      const stamp = format ? () => `${formatDate(new Date(), format)}: ` : null;
      formatter = new LineFormatter(stamp, shared);
      this.formatters.set(key, formatter);
    }
    // Scaling changes who shares a file (merge_logs): from then on, whole lines only.
    formatter.shared = shared;
    return formatter;
  }

  private writerCounts(): Map<string, number> {
    const indices = this.instances();
    const key = `${indices.join(',')}|${JSON.stringify(this.config())}`;
    if (this.writers?.key !== key) this.writers = { key, counts: writersPerFile(this.config(), indices, this.logsDir) };
    return this.writers.counts;
  }

  private file(path: string): LogFile {
    let file = this.files.get(path);
    if (!file) {
      const c = this.config();
      file = new LogFile(path, { maxBytes: c.log_max_size, retain: c.log_retain, compress: c.log_compress }, this.report);
      this.files.set(path, file);
    }
    return file;
  }
}
