import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

/** Default log files: SUP_HOME/logs/<name>-out.log; multi-instance apps get -<instance> unless merge_logs. */
export function logPaths(config: AppConfig, instance: number, logsDir: string): { out: string; err: string } {
  const perInstance = config.instances > 1 && !config.merge_logs;
  const place = (file: string) => {
    if (!perInstance || file === '/dev/null') return file;
    const ext = extname(file);
    return `${file.slice(0, file.length - ext.length)}-${instance}${ext}`;
  };
  return {
    out: place(config.out_file ?? `${logsDir}/${config.name}-out.log`),
    err: place(config.error_file ?? `${logsDir}/${config.name}-error.log`),
  };
}

/**
 * An append-only log file that outlives the processes writing to it, so that output written
 * just before a crash and the output of the next run land in one file in order.
 */
export class LogSink {
  private stream: WriteStream | undefined;
  private failed = false;

  constructor(
    readonly path: string,
    private readonly onError: (path: string, err: Error) => void,
  ) {}

  write(chunk: Buffer): void {
    if (this.failed) return;
    if (!this.stream) {
      try {
        mkdirSync(dirname(this.path), { recursive: true });
      } catch {
        // the open below reports the real problem
      }
      this.stream = createWriteStream(this.path, { flags: 'a' });
      this.stream.on('error', (err) => {
        // Reported once; the app keeps running and its output is dropped rather than crashing the daemon.
        this.failed = true;
        this.onError(this.path, err);
      });
    }
    this.stream.write(chunk);
  }

  close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (!stream) return Promise.resolve();
    return new Promise((resolve) => stream.end(resolve));
  }
}
